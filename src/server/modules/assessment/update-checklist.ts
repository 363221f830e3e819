import { and, eq, isNull } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { AppliesTo } from '../../../domain/checklist';
import { AppError } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { checklists } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { checkAppliesTo } from './checklist-input';
import { assertNotArchived, assertOrganize } from './policy';
import { getCampaignRef, getChecklist } from './repo';

export async function updateChecklist(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  input: { title?: string; appliesTo?: AppliesTo; position?: number },
) {
  return db.transaction(async (tx) => {
    const list = await getChecklist(tx, id);
    const campaign = await getCampaignRef(tx, list.campaignId, user, '考核细则');
    assertOrganize(user, campaign);
    assertNotArchived(campaign);
    const patch: Partial<typeof checklists.$inferInsert> = { updatedAt: actor.at };
    if (input.title !== undefined) patch.title = input.title.trim();
    if (input.appliesTo !== undefined) patch.appliesTo = checkAppliesTo(campaign, input.appliesTo);
    if (input.position !== undefined) patch.position = input.position;
    await tx.update(checklists).set(patch).where(eq(checklists.id, id));
    await writeAudit(tx, actor, {
      action: 'assessment.checklist.update',
      targetType: 'checklist',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { before: { title: list.title, appliesTo: list.appliesTo, position: list.position }, after: input },
    });
    return { id };
  });
}

/** A checklist some reporter has been scored against stays: the scores would lose their items. */
export async function removeChecklist(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const list = await getChecklist(tx, id);
    const campaign = await getCampaignRef(tx, list.campaignId, user, '考核细则');
    assertOrganize(user, campaign);
    assertNotArchived(campaign);
    const { scored } = (
      await queryRows<{ scored: number }>(
        tx,
        sql`
      select count(*)::int as scored from field_scores f join checklist_items i on i.id = f.item_id where i.checklist_id = ${id}`,
      )
    )[0]!;
    if (scored) throw new AppError('CHECKLIST_SCORED', `该考核细则已有${scored}条评分，不能删除`);
    await tx
      .update(checklists)
      .set({ removedAt: actor.at })
      .where(and(eq(checklists.id, id), isNull(checklists.removedAt)));
    await writeAudit(tx, actor, {
      action: 'assessment.checklist.remove',
      targetType: 'checklist',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { campaignId: list.campaignId, title: list.title },
    });
    return { ok: true as const };
  });
}
