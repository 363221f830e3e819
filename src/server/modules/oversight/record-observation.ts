import { and, eq, isNull } from 'drizzle-orm';
import { notFound } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { observerAssignments } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { getCampaignRef } from './repo';

/**
 * The observer's note on the meeting they attended. Only the assignee writes it; another person's
 * task answers 404 so its existence is not revealed. Rewrites keep the earlier text in the audit log.
 */
export async function recordObservation(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  assignmentId: number,
  note: string,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(observerAssignments)
      .where(
        and(
          eq(observerAssignments.id, assignmentId),
          eq(observerAssignments.userId, user.id),
          isNull(observerAssignments.removedAt),
        ),
      );
    if (!row) throw notFound('观察任务');
    const sub = await getCampaignRef(tx, row.subCampaignId);
    await tx
      .update(observerAssignments)
      .set({ observationNote: note, observedAt: actor.at })
      .where(eq(observerAssignments.id, assignmentId));
    await writeAudit(tx, actor, {
      action: 'oversight.observation.record',
      targetType: 'observer_assignment',
      targetId: assignmentId,
      scopePath: sub.organizerPath,
      detail: { subCampaignId: row.subCampaignId, before: row.observationNote, after: note },
    });
    return { id: assignmentId, observationNote: note, observedAt: actor.at.toISOString() };
  });
}
