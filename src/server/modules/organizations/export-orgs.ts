import { sql } from 'drizzle-orm';
import { kindLabel, levelLabel, sectorLabel } from '../../../domain/org-taxonomy';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { addOrgSheet } from './import-template';
import { assertRead } from './policy';
import { getOrg } from './repo';
import { newWorkbook, workbookBuffer, xlsxDate } from '../documents/xlsx';

/** The subtree in the import layout, so an export can be edited and imported elsewhere. */
export async function exportOrgs(
  db: DbOrTx,
  user: AuthUser,
  rootId: number,
): Promise<{ name: string; buffer: Buffer }> {
  const root = await getOrg(db, rootId, user);
  assertRead(user, root.path);
  const rows = await queryRows<Record<string, string | null>>(
    db,
    sql`
    select o.code, o.name, p.code as parent_code, o.kind, o.sector, o.level,
           s.name as sec_name, s.position as sec_position, s.tenure_start::text as tenure_start, s.phone as sec_phone
    from organizations o
    left join organizations p on p.id = o.parent_id
    left join secretaries s on s.org_id = o.id and s.tenure_end is null
    where o.path like ${`${root.path}%`}
    order by o.depth, o.code`,
  );
  const wb = newWorkbook();
  const ws = addOrgSheet(wb);
  for (const r of rows) {
    ws.addRow({
      code: r.code,
      name: r.name,
      parentCode: r.parent_code ?? '',
      kind: kindLabel(r.kind!),
      sector: sectorLabel(r.sector!),
      level: levelLabel(r.level!),
      secretaryName: r.sec_name ?? '',
      secretaryPosition: r.sec_position ?? '',
      tenureStart: xlsxDate(r.tenure_start),
      secretaryPhone: r.sec_phone ?? '',
    });
  }
  return { name: `${root.name}-组织架构.xlsx`, buffer: await workbookBuffer(wb) };
}
