import { assertPhaseOpen } from '../campaigns/phase-gate';
import { sql } from 'drizzle-orm';
import { validateScore } from '../../../domain/checklist';
import { AppError } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertNotArchived, assertScore } from './policy';
import { checklistFor, getReporterCtx, isoTs, isTeamMember } from './repo';

export interface ScoreInput {
  itemId: number;
  score: number;
  failed: boolean;
  note?: string | null;
  /** Generated on the phone per entry: a re-send of the same entry is stored once. */
  clientId: string;
  /** When it was entered on the phone; a queued entry arrives later. */
  scoredAt?: string;
}

export interface SavedScore {
  id: number;
  itemId: number;
  score: number;
  failed: boolean;
  note: string | null;
  clientId: string;
  scoredAt: string;
  /** true when this clientId had already been stored: nothing changed. */
  duplicate: boolean;
}

const savedShape = sql`id, item_id as "itemId", score::float8 as score, failed, note, client_id::text as "clientId"`;

/**
 * Saves one item's score for one reporter (R-ASSESS-1). Idempotent by clientId: the phone re-sends
 * a queued entry after a dropped connection and gets the stored row back unchanged. A new clientId
 * for the same (reporter, item) is a correction and updates that row. Refused once the team has
 * completed the reporter (the organizer reopens it with a reason).
 */
export async function scoreItem(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  reporterId: number,
  input: ScoreInput,
): Promise<SavedScore> {
  return db.transaction(async (tx) => {
    const ctx = await getReporterCtx(tx, reporterId, user);
    assertScore(user, await isTeamMember(tx, ctx.teamId, user.id));

    const [again] = await queryRows<
      Omit<SavedScore, 'duplicate' | 'scoredAt'> & { reporterId: number; scoredAt: string }
    >(
      tx,
      sql`
      select ${savedShape}, reporter_id as "reporterId", ${isoTs(sql`scored_at`)} as "scoredAt"
      from field_scores where client_id = ${input.clientId}`,
    );
    if (again) {
      if (again.reporterId !== reporterId || again.itemId !== input.itemId) {
        throw new AppError('CLIENT_ID_REUSED');
      }
      const { reporterId: _r, ...row } = again;
      return { ...row, duplicate: true };
    }

    assertNotArchived(ctx.campaign);
    if (ctx.completedAt)
      throw new AppError('ASSESSMENT_COMPLETED', `${ctx.orgName}的实地考核已提交，如需修改请组织部门退回`);
    const list = await checklistFor(tx, ctx);
    const item = list?.items.find((i) => i.id === input.itemId);
    if (!item) throw new AppError('VALIDATION', '该考核项目不属于此述职对象适用的考核细则', { field: 'itemId' });
    validateScore(input, item);

    const now = actor.at;
    let scoredAt = input.scoredAt ? new Date(input.scoredAt) : now;
    if (Number.isNaN(scoredAt.getTime()) || scoredAt > now) scoredAt = now;
    // The day it was scored on site: a score queued offline in the phase and synced after its end still counts.
    await assertPhaseOpen(tx, ctx.campaignId, 'field.score', scoredAt);
    const note = input.note?.trim() || null;

    const [before] = await queryRows<{ score: number; failed: boolean; note: string | null }>(
      tx,
      sql`
      select score::float8 as score, failed, note from field_scores where reporter_id = ${reporterId} and item_id = ${item.id}`,
    );
    const [row] = await queryRows<Omit<SavedScore, 'duplicate'>>(
      tx,
      sql`
      insert into field_scores (reporter_id, item_id, score, failed, note, client_id, scored_by, scored_at, received_at)
      values (${reporterId}, ${item.id}, ${input.score}, ${input.failed}, ${note}, ${input.clientId}, ${user.id}, ${scoredAt}, ${now})
      on conflict (reporter_id, item_id) do update set
        score = excluded.score, failed = excluded.failed, note = excluded.note, client_id = excluded.client_id,
        scored_by = excluded.scored_by, scored_at = excluded.scored_at, received_at = excluded.received_at
      returning ${savedShape}, ${isoTs(sql`scored_at`)} as "scoredAt"`,
    );
    await writeAudit(tx, actor, {
      action: 'assessment.score.save',
      targetType: 'campaign_reporter',
      targetId: reporterId,
      scopePath: ctx.orgPath,
      detail: {
        itemId: item.id,
        itemTitle: item.title,
        before: before ?? null,
        after: { score: input.score, failed: input.failed, note },
        clientId: input.clientId,
        teamId: ctx.teamId,
      },
    });
    return { ...row!, duplicate: false };
  });
}
