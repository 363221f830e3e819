import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { commitments } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { loadCommitment } from './commitments-repo';
import { assertOrganizerAdmin } from './policy';
import { campaignOf } from './repo';

/** The organization department acknowledges (备案) or returns a filed commitment with a reason. */
export async function reviewCommitment(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  action: 'acknowledge' | 'return',
  reason?: string,
) {
  return db.transaction(async (tx) => {
    const k = await loadCommitment(tx, id, true, user);
    assertOrganizerAdmin(user, k.organizerPath, '确认或退回公开承诺');
    if (k.state !== 'filed') throw new AppError('TRANSITION_REFUSED', '只有已报送的承诺才能确认或退回');
    const state = action === 'acknowledge' ? ('acknowledged' as const) : ('returned' as const);
    await tx
      .update(commitments)
      .set(
        action === 'acknowledge'
          ? { state, acknowledgedBy: user.id, acknowledgedAt: actor.at, updatedAt: actor.at }
          : { state, returnReason: reason!, updatedAt: actor.at },
      )
      .where(sql`id = ${id}`);
    await writeAudit(tx, actor, {
      ...(action === 'acknowledge'
        ? { action: 'rectification.commitment.acknowledge' }
        : { action: 'rectification.commitment.return' }),
      targetType: 'commitment',
      targetId: id,
      scopePath: k.orgPath,
      detail: { reason: reason ?? null },
    });
    return { id, state };
  });
}

/** Publishes every acknowledged commitment of the campaign to its publication audience (R-FIX-3). */
export async function publishCommitments(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number) {
  return db.transaction(async (tx) => {
    const campaign = await campaignOf(tx, campaignId, user);
    assertOrganizerAdmin(user, campaign.organizerPath, '公开承诺');
    const rows = await queryRows<{ id: number }>(
      tx,
      sql`
      update commitments set state = 'published', published_at = ${actor.at}, updated_at = ${actor.at}
      where campaign_id = ${campaignId} and state = 'acknowledged' returning id`,
    );
    if (!rows.length) throw new AppError('NOTHING_TO_PUBLISH');
    await writeAudit(tx, actor, {
      action: 'rectification.commitment.publish',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: { ids: rows.map((r) => r.id), audience: campaign.settings.report?.publicationAudience ?? null },
    });
    return { published: rows.length };
  });
}
