import { eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { organizations } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertWrite } from './policy';
import { getOrg, getOrgByCode } from './repo';

export interface UpdateOrgInput {
  name?: string;
  code?: string;
  kind?: string;
  sector?: string;
  level?: string;
}

export async function updateOrg(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, input: UpdateOrgInput) {
  return db.transaction(async (tx) => {
    const before = await getOrg(tx, id, user);
    assertWrite(user, before.path);
    if (input.code && input.code !== before.code && (await getOrgByCode(tx, input.code))) {
      throw new AppError('DUPLICATE_CODE', `组织编码「${input.code}」已存在`, { field: 'code' });
    }
    const after = (
      await tx
        .update(organizations)
        .set({ ...input, updatedAt: actor.at })
        .where(eq(organizations.id, id))
        .returning()
    )[0]!;
    const changes = Object.fromEntries(
      Object.entries(input)
        .filter(([k, v]) => v !== undefined && v !== before[k as keyof typeof before])
        .map(([k, v]) => [k, { from: before[k as keyof typeof before], to: v }]),
    );
    await writeAudit(tx, actor, {
      action: 'org.update',
      targetType: 'organization',
      targetId: id,
      scopePath: before.path,
      detail: changes,
    });
    return after;
  });
}
