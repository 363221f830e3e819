import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { type ItemRow, itemColumns, itemFrom, presentItem } from './list-items';
import { assertReadItems, canKeepItems, canVerify } from './policy';
import { isoTs, loadItem } from './repo';

/** One item with its sub-items, the progress timeline (notes and verifications by time) and its evidence. */
export async function getItem(db: DbOrTx, user: AuthUser, today: string, id: number) {
  const ctx = await loadItem(db, id, false, user);
  assertReadItems(user, ctx);
  type Raw = Omit<ItemRow, 'sourceLabel' | 'statusLabel'>;
  const item = (await queryRows<Raw>(db, sql`select ${itemColumns(today)} ${itemFrom} where i.id = ${id}`))[0]!;
  const subItems = await queryRows<Raw>(
    db,
    sql`select ${itemColumns(today)} ${itemFrom} where i.parent_id = ${id} order by i.id`,
  );
  const timeline = await queryRows<{
    kind: 'progress' | 'verification';
    id: number;
    at: string;
    by: string | null;
    note: string | null;
    percent: number | null;
    result: string | null;
    evidence: string | null;
  }>(
    db,
    sql`
    select * from (
      select 'progress' as kind, p.id, ${isoTs(sql`p.created_at`)} as at, u.display_name as by, p.note, p.percent,
             null::text as result, null::text as evidence
      from rectification_progress p left join auth_v_users u on u.id = p.created_by where p.item_id = ${id}
      union all
      select 'verification', v.id, ${isoTs(sql`v.verified_at`)}, u.display_name, v.note, null::int, v.result, v.evidence
      from rectification_verifications v left join auth_v_users u on u.id = v.verified_by where v.item_id = ${id}
    ) t order by at, kind, id`,
  );
  const evidence = await queryRows<{
    id: number;
    fileName: string;
    mimeType: string;
    size: number;
    progressId: number | null;
    createdAt: string;
  }>(
    db,
    sql`
    select id, file_name as "fileName", mime_type as "mimeType", size, progress_id as "progressId", ${isoTs(sql`created_at`)} as "createdAt"
    from rectification_evidence where item_id = ${id} order by id`,
  );
  const reopened = await queryRows<{ id: number }>(
    db,
    sql`
    select id from rectification_items where source_type = 'reopen' and source_id = ${id} order by id`,
  );
  return {
    today,
    item: presentItem(item),
    subItems: subItems.map(presentItem),
    timeline,
    evidence,
    reopenedAs: reopened.map((r) => r.id),
    can: { edit: canKeepItems(user, ctx) && ctx.status !== 'closed', verify: canVerify(user, ctx) },
  };
}
