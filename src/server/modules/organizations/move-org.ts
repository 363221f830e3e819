import { eq, like, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { organizations } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertWrite } from './policy';
import { getOrg } from './repo';

/** Moves an organization with its whole subtree under a new parent (a change of 隶属关系). */
export async function moveOrg(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, newParentId: number) {
  return db.transaction(async (tx) => {
    const org = await getOrg(tx, id, user);
    const target = await getOrg(tx, newParentId, user);
    assertWrite(user, org.path);
    assertWrite(user, target.path);
    if (org.path === user.scopePath) {
      throw new AppError('MOVE_SCOPE_ROOT', '不能移动本账号管理范围的顶级组织', { field: 'id' });
    }
    if (target.path.startsWith(org.path)) {
      throw new AppError('MOVE_CYCLE', '不能把组织移动到它自己或其下级组织之下', { field: 'newParentId' });
    }
    if (org.parentId === target.id) return org;
    const newPath = `${target.path}${org.id}/`;
    const depthDelta = target.depth + 1 - org.depth;
    // One statement rewrites the prefix of every descendant's path.
    await tx
      .update(organizations)
      .set({
        path: sql`${newPath} || substr(${organizations.path}, ${org.path.length + 1})`,
        depth: sql`${organizations.depth} + ${depthDelta}`,
        updatedAt: actor.at,
      })
      .where(like(organizations.path, `${org.path}%`));
    const moved = (
      await tx.update(organizations).set({ parentId: target.id }).where(eq(organizations.id, org.id)).returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'org.move',
      targetType: 'organization',
      targetId: id,
      scopePath: newPath,
      detail: { fromParentId: org.parentId, toParentId: target.id, fromPath: org.path, toPath: newPath },
    });
    return moved;
  });
}
