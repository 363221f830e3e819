import { eq, sql } from 'drizzle-orm';
import { validateItem, type ItemInput } from '../../../domain/checklist';
import { AppError, notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { checklistItems } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertNotArchived, assertOrganize } from './policy';
import { announce } from '../events';
import { getCampaignRef, getChecklist, type ItemRow } from './repo';

async function loadItem(tx: DbOrTx, id: number) {
  const [item] = await queryRows<ItemRow>(
    tx,
    sql`
    select id, checklist_id as "checklistId", section, position, title, max_points::float8 as "maxPoints", guidance, method
    from checklist_items where id = ${id} and removed_at is null`,
  );
  if (!item) throw notFound('考核项目');
  return item;
}

/** `what`: the object the caller named (a checklist or one of its items), for the not-found of another county's. */
async function organizerOf(tx: DbOrTx, user: AuthUser, checklistId: number, what = '考核细则') {
  const list = await getChecklist(tx, checklistId);
  const campaign = await getCampaignRef(tx, list.campaignId, user, what);
  assertOrganize(user, campaign);
  assertNotArchived(campaign);
  return campaign;
}

export async function addItem(db: DbOrTx, user: AuthUser, actor: AuditActor, checklistId: number, input: ItemInput) {
  validateItem(input);
  return db.transaction(async (tx) => {
    const campaign = await organizerOf(tx, user, checklistId);
    const { next } = (
      await queryRows<{ next: number }>(
        tx,
        sql`
      select coalesce(max(position) + 1, 0)::int as next from checklist_items where checklist_id = ${checklistId} and removed_at is null`,
      )
    )[0]!;
    const row = (
      await tx
        .insert(checklistItems)
        .values({
          checklistId,
          section: input.section.trim(),
          position: next,
          title: input.title.trim(),
          maxPoints: input.maxPoints,
          guidance: input.guidance?.trim() ?? '',
          method: input.method,
        })
        .returning({ id: checklistItems.id })
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'assessment.item.create',
      targetType: 'checklist_item',
      targetId: row.id,
      scopePath: campaign.organizerPath,
      detail: { checklistId, ...input },
    });
    return { id: row.id };
  });
}

/** Lowering the points below a score already given would make that score exceed its item: refused. */
export async function updateItem(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  input: Partial<ItemInput> & { position?: number },
) {
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, id);
    const campaign = await organizerOf(tx, user, item.checklistId, '考核项目');
    const merged = { ...item, ...input, guidance: input.guidance ?? item.guidance };
    validateItem(merged);
    if (input.maxPoints !== undefined) {
      const { top } = (
        await queryRows<{ top: number | null }>(
          tx,
          sql`select max(score)::float8 as top from field_scores where item_id = ${id}`,
        )
      )[0]!;
      if (top != null && top > input.maxPoints) {
        throw new AppError('ITEM_SCORED_ABOVE', `该项已有${top}分的评分，分值不能低于${top}分`);
      }
    }
    await tx
      .update(checklistItems)
      .set({
        section: merged.section.trim(),
        title: merged.title.trim(),
        maxPoints: merged.maxPoints,
        guidance: merged.guidance.trim(),
        method: merged.method,
        position: input.position ?? item.position,
      })
      .where(eq(checklistItems.id, id));
    // The completed assessments scored on this item are summed again at the next recompute.
    if (input.maxPoints !== undefined && input.maxPoints !== item.maxPoints)
      await announce(tx, 'assessment.item_points_changed', { itemId: id });
    await writeAudit(tx, actor, {
      action: 'assessment.item.update',
      targetType: 'checklist_item',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { before: item, after: input },
    });
    return { id };
  });
}

export async function removeItem(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, id);
    const campaign = await organizerOf(tx, user, item.checklistId, '考核项目');
    const { scored } = (
      await queryRows<{ scored: number }>(
        tx,
        sql`select count(*)::int as scored from field_scores where item_id = ${id}`,
      )
    )[0]!;
    if (scored) throw new AppError('ITEM_SCORED', `该考核项目已有${scored}条评分，不能删除`);
    await tx.update(checklistItems).set({ removedAt: actor.at }).where(eq(checklistItems.id, id));
    await writeAudit(tx, actor, {
      action: 'assessment.item.remove',
      targetType: 'checklist_item',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { checklistId: item.checklistId, title: item.title },
    });
    return { ok: true as const };
  });
}
