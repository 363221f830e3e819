import { eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { organizations } from '../../db/schema';
import type { AuditActor } from '../../http/audit';
import { writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertWrite } from './policy';
import { getOrg, getOrgByCode } from './repo';

export interface CreateOrgInput {
  parentId: number;
  name: string;
  code: string;
  kind: string;
  sector: string;
  level: string;
}

export async function createOrg(db: DbOrTx, user: AuthUser, actor: AuditActor, input: CreateOrgInput) {
  return db.transaction(async (tx) => {
    const parent = await getOrg(tx, input.parentId, user);
    assertWrite(user, parent.path);
    if (await getOrgByCode(tx, input.code)) {
      throw new AppError('DUPLICATE_CODE', `组织编码「${input.code}」已存在`, { field: 'code' });
    }
    // The path needs the new id, so insert with a placeholder and set it in the same transaction.
    const row = (
      await tx
        .insert(organizations)
        .values({ ...input, path: '', depth: parent.depth + 1, parentId: parent.id })
        .returning()
    )[0]!;
    const path = `${parent.path}${row.id}/`;
    const saved = (await tx.update(organizations).set({ path }).where(eq(organizations.id, row.id)).returning())[0]!;
    await writeAudit(tx, actor, {
      action: 'org.create',
      targetType: 'organization',
      targetId: row.id,
      scopePath: path,
      detail: { name: input.name, code: input.code },
    });
    return saved;
  });
}
