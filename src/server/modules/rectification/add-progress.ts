import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { rectificationProgress } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertKeepItems } from './policy';
import { loadItem, rollUpParent } from './repo';

/** A progress note (进展) with an optional percentage; an item with sub-items takes its percentage from them. */
export async function addProgress(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  input: { note: string; percent?: number },
) {
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, id, true, user);
    assertKeepItems(user, item);
    if (item.status !== 'in_progress') {
      throw new AppError(
        'TRANSITION_REFUSED',
        item.status === 'not_started' ? '请先“开始整改”再填报进展' : '只有“整改中”的事项才能填报进展',
      );
    }
    if (input.percent !== undefined && item.children > 0) {
      throw new AppError('VALIDATION', '该事项有子项，完成进度由子项按权重汇总，不能直接填写', { field: 'percent' });
    }
    const row = (
      await tx
        .insert(rectificationProgress)
        .values({
          itemId: id,
          note: input.note,
          percent: input.percent ?? null,
          createdBy: user.id,
          createdAt: actor.at,
        })
        .returning({ id: rectificationProgress.id })
    )[0]!;
    if (input.percent !== undefined) {
      await tx.execute(
        sql`update rectification_items set progress = ${input.percent}, updated_at = ${actor.at} where id = ${id}`,
      );
      await rollUpParent(tx, item.parentId, actor.at);
    }
    await writeAudit(tx, actor, {
      action: 'rectification.progress.add',
      targetType: 'rectification_item',
      targetId: id,
      scopePath: item.orgPath,
      detail: { progressId: row.id, note: input.note, percent: input.percent ?? null },
    });
    return { id: row.id };
  });
}
