import { and, eq, isNull } from 'drizzle-orm';
import { notFound } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { observerAssignments } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManageObservers } from './policy';
import { getCampaignRef } from './repo';

/** Withdraws one assignment; the row stays (with any observation note) for the record. */
export async function removeObserver(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  assignmentId: number,
) {
  await db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertManageObservers(user, campaign);
    const [row] = await tx
      .update(observerAssignments)
      .set({ removedAt: actor.at, removedBy: user.id })
      .where(
        and(
          eq(observerAssignments.id, assignmentId),
          eq(observerAssignments.campaignId, campaignId),
          isNull(observerAssignments.removedAt),
        ),
      )
      .returning();
    if (!row) throw notFound('观察员选派');
    await writeAudit(tx, actor, {
      action: 'oversight.observer.remove',
      targetType: 'observer_assignment',
      targetId: assignmentId,
      scopePath: campaign.organizerPath,
      detail: { campaignId, userId: row.userId, subCampaignId: row.subCampaignId, groupName: row.groupName },
    });
  });
}
