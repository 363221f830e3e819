import { assertPhaseOpen } from '../campaigns/phase-gate';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { validateDecision } from '../../../domain/grade-suggestion';
import { GRADE_LABELS, type Grade } from '../../../domain/grades';
import type { Db } from '../../db/connect';
import { evaluationResults, evaluationReviews, gradeChanges } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage, assertReview } from './policy';
import { assertOpen, campaignReporter, evaluationContext, mapLocked } from './repo';

/**
 * The reporter's result row of an open evaluation that has been computed; refused otherwise, before writing. Access is
 * checked first, so a caller outside the campaign learns nothing of its state (computed, locked, who reports).
 */
async function openResult(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  user: AuthUser,
  campaignId: number,
  reporterId: number,
  assertAccess: (organizerPath: string) => void,
  at: Date,
) {
  const ctx = await evaluationContext(tx, campaignId, { lock: true, viewer: user });
  assertAccess(ctx.organizerPath);
  const reporter = await campaignReporter(tx, campaignId, reporterId);
  assertOpen(ctx.evaluation);
  await assertPhaseOpen(tx, campaignId, 'evaluation.decide', at);
  const [result] = await tx
    .select()
    .from(evaluationResults)
    .where(and(eq(evaluationResults.reporterId, reporterId), eq(evaluationResults.campaignId, campaignId)));
  if (!result?.suggestedGrade) throw new AppError('NOT_COMPUTED');
  return { ...ctx, reporter, result };
}

/**
 * The committee's final grade (R-GRADE-4): departing from the suggestion needs a reason; every change appends
 * grade_changes with old, new, suggested, who, when and why.
 */
export async function setFinalGrade(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  reporterId: number,
  input: { grade: Grade; reason?: string | null },
) {
  return mapLocked(() =>
    db.transaction(async (tx) => {
      const { organizerPath, reporter, result } = await openResult(
        tx,
        user,
        campaignId,
        reporterId,
        (p) => assertManage(user, p),
        actor.at,
      );
      const reason = input.reason?.trim() || null;
      validateDecision({
        reporterId: String(reporterId),
        name: reporter.orgName,
        suggested: result.suggestedGrade as Grade,
        final: input.grade,
        reason,
        autoReasons: result.autoPoorReasons as string[],
      });
      if (result.finalGrade === input.grade && (result.finalReason ?? null) === reason) return { changed: false };
      await tx
        .update(evaluationResults)
        .set({ finalGrade: input.grade, finalReason: reason, updatedAt: actor.at })
        .where(eq(evaluationResults.reporterId, reporterId));
      await tx.insert(gradeChanges).values({
        campaignId,
        reporterId,
        oldGrade: result.finalGrade,
        newGrade: input.grade,
        suggestedGrade: result.suggestedGrade,
        reason,
        changedBy: user.id,
        changedAt: actor.at,
      });
      await writeAudit(tx, actor, {
        action: 'evaluation.decide',
        targetType: 'campaign_reporter',
        targetId: reporterId,
        scopePath: organizerPath,
        detail: {
          campaignId,
          org: reporter.orgName,
          old: result.finalGrade,
          new: input.grade,
          suggested: result.suggestedGrade,
          reason,
        },
      });
      return { changed: true };
    }),
  );
}

/** Back to the suggestion: the final grade becomes the suggested one (a change like any other, recorded). */
export async function resetFinalGrade(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  reporterId: number,
) {
  assertManage(user, (await evaluationContext(db, campaignId, { viewer: user })).organizerPath);
  const [row] = await db
    .select({ g: evaluationResults.suggestedGrade })
    .from(evaluationResults)
    .where(and(eq(evaluationResults.reporterId, reporterId), eq(evaluationResults.campaignId, campaignId)));
  if (!row?.g) throw new AppError('NOT_COMPUTED');
  return setFinalGrade(db, user, actor, campaignId, reporterId, { grade: row.g as Grade, reason: null });
}

/** 综合评价意见 (R-GRADE-5): achievements, problems, direction. */
export async function setOpinion(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  reporterId: number,
  input: { achievements: string | null; problems: string | null; direction: string | null },
) {
  return mapLocked(() =>
    db.transaction(async (tx) => {
      const { organizerPath, reporter } = await openResult(
        tx,
        user,
        campaignId,
        reporterId,
        (p) => assertManage(user, p),
        actor.at,
      );
      const clean = (s: string | null) => (s?.trim() ? s.trim() : null);
      await tx
        .update(evaluationResults)
        .set({
          opinionAchievements: clean(input.achievements),
          opinionProblems: clean(input.problems),
          opinionDirection: clean(input.direction),
          updatedAt: actor.at,
        })
        .where(eq(evaluationResults.reporterId, reporterId));
      await writeAudit(tx, actor, {
        action: 'evaluation.opinion',
        targetType: 'campaign_reporter',
        targetId: reporterId,
        scopePath: organizerPath,
        detail: { campaignId, org: reporter.orgName },
      });
    }),
  );
}

/** A committee member's 同意/有疑问 on the suggested grade, before the meeting; one per member and reporter. */
export async function reviewSuggestion(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  reporterId: number,
  input: { stance: 'agree' | 'question'; note?: string | null },
) {
  return mapLocked(() =>
    db.transaction(async (tx) => {
      const { organizerPath, reporter, result } = await openResult(
        tx,
        user,
        campaignId,
        reporterId,
        (p) => assertReview(user, p),
        actor.at,
      );
      const note = input.note?.trim() || null;
      if (input.stance === 'question' && !note) {
        throw new AppError('VALIDATION', '标记“有疑问”时请写明疑问', { field: 'note' });
      }
      await tx
        .insert(evaluationReviews)
        .values({ reporterId, userId: user.id, stance: input.stance, note, updatedAt: actor.at })
        .onConflictDoUpdate({
          target: [evaluationReviews.reporterId, evaluationReviews.userId],
          set: { stance: sql`excluded.stance`, note: sql`excluded.note`, updatedAt: sql`excluded.updated_at` },
        });
      await writeAudit(tx, actor, {
        action: 'evaluation.review',
        targetType: 'campaign_reporter',
        targetId: reporterId,
        scopePath: organizerPath,
        detail: {
          campaignId,
          org: reporter.orgName,
          stance: input.stance,
          note,
          suggested: result.suggestedGrade ? GRADE_LABELS[result.suggestedGrade as Grade] : null,
        },
      });
    }),
  );
}
