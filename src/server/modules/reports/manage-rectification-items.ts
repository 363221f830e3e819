import { and, eq, isNull } from 'drizzle-orm';
import { notFound } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { priorRectificationItems } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManageItems, assertActor, isAuthor } from './policy';
import { loadReporter, rectificationItemsOf, scopeOf } from './repo';

/**
 * Last year's open rectification items a reporter must answer (R-PREP-1, R-REP-3). Entered by the
 * admin of the body heard until issue 7's rectification module supplies them automatically.
 */
export async function listRectificationItems(db: DbOrTx, user: AuthUser, reporterId: number) {
  const ctx = await loadReporter(db, reporterId, user);
  const scope = scopeOf(ctx);
  if (!isAuthor(user, scope)) {
    try {
      assertManageItems(user, scope);
    } catch {
      assertActor(user, scope, 'reviewer');
    }
  }
  return { items: await rectificationItemsOf(db, ctx.campaignId, ctx.orgId) };
}

export async function addRectificationItem(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  reporterId: number,
  input: { reference?: string | null; text: string },
) {
  return db.transaction(async (tx) => {
    const ctx = await loadReporter(tx, reporterId, user);
    assertManageItems(user, scopeOf(ctx));
    const row = (
      await tx
        .insert(priorRectificationItems)
        .values({
          campaignId: ctx.campaignId,
          orgId: ctx.orgId,
          reference: input.reference?.trim() || null,
          text: input.text.trim(),
          createdBy: user.id,
          createdAt: actor.at,
        })
        .returning({
          id: priorRectificationItems.id,
          reference: priorRectificationItems.reference,
          text: priorRectificationItems.text,
        })
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'report.rectification_item_add',
      targetType: 'prior_rectification_item',
      targetId: row.id,
      scopePath: ctx.orgPath,
      detail: { reporterId, ...row },
    });
    return row;
  });
}

export async function removeRectificationItem(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  reporterId: number,
  itemId: number,
) {
  return db.transaction(async (tx) => {
    const ctx = await loadReporter(tx, reporterId, user);
    assertManageItems(user, scopeOf(ctx));
    const [gone] = await tx
      .update(priorRectificationItems)
      .set({ removedAt: actor.at })
      .where(
        and(
          eq(priorRectificationItems.id, itemId),
          eq(priorRectificationItems.campaignId, ctx.campaignId),
          eq(priorRectificationItems.orgId, ctx.orgId),
          isNull(priorRectificationItems.removedAt),
        ),
      )
      .returning({ id: priorRectificationItems.id });
    if (!gone) throw notFound('整改事项');
    await writeAudit(tx, actor, {
      action: 'report.rectification_item_remove',
      targetType: 'prior_rectification_item',
      targetId: itemId,
      scopePath: ctx.orgPath,
      detail: { reporterId },
    });
  });
}
