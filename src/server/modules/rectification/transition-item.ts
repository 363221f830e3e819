import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { applyAction, RECT_STATUS_LABELS, validateItem } from '../../../domain/rectification-status';
import { type DbOrTx, queryRows } from '../../db/connect';
import { rectificationProgress } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertKeepItems } from './policy';
import { loadItem, rollUpParent } from './repo';

/**
 * The organization's own moves (R-FIX-2): 开始整改 (the three lists must be complete: owner, measures,
 * deadline) and 提交验收. Each leaves a line in the progress timeline.
 */
export async function transitionItem(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  action: 'start' | 'submit',
  note?: string,
) {
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, id, true, user);
    assertKeepItems(user, item);
    const { status } = applyAction({ id: String(item.id), status: item.status }, action, note);
    if (action === 'start') {
      validateItem({
        problem: item.description,
        owner: item.owner ?? '',
        measures: item.measures ?? '',
        deadline: item.deadline ?? '',
        createdOn: item.createdOn,
      });
    }
    if (action === 'submit' && item.children > 0) {
      const { open } = (
        await queryRows<{ open: number }>(
          tx,
          sql`
        select count(*)::int as open from rectification_items where parent_id = ${id} and status <> 'closed'`,
        )
      )[0]!;
      if (open > 0) throw new AppError('SUB_ITEMS_OPEN', `还有${open}个子项未销号，不能提交验收`);
    }
    await tx.execute(sql`update rectification_items set status = ${status}, updated_at = ${actor.at} where id = ${id}`);
    await tx.insert(rectificationProgress).values({
      itemId: id,
      note: note?.trim() || (action === 'start' ? '开始整改' : '提交验收'),
      percent: null,
      createdBy: user.id,
      createdAt: actor.at,
    });
    await rollUpParent(tx, item.parentId, actor.at);
    await writeAudit(tx, actor, {
      ...(action === 'start' ? { action: 'rectification.item.start' } : { action: 'rectification.item.submit' }),
      targetType: 'rectification_item',
      targetId: id,
      scopePath: item.orgPath,
      detail: { from: item.status, to: status, note: note ?? null },
    });
    return { id, status, statusLabel: RECT_STATUS_LABELS[status] };
  });
}
