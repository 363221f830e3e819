import { and, desc, eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { ReportSection } from '../../../domain/report-checks';
import { exactJaccard } from '../../../domain/similarity';
import type { DbOrTx } from '../../db/connect';
import { reports, reportReviewEvents, reportVersions } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { reportDeadline } from './get-report';
import { assertActor } from './policy';
import { getReportRow, loadReporter, scopeOf, stateOf } from './repo';
import { ACTION_LABELS, actorOfAction, nextState, type ReviewAction } from '../../../domain/report-review';
import { runChecks } from './run-checks';
import { assertPhaseOpen } from '../campaigns/phase-gate';
import type { StepKey } from '../../../domain/phase-gates';

/** The phase each review action belongs to (R-CAMP-8). */
const STEP_OF: Record<ReviewAction, StepKey> = {
  submit: 'report.submit',
  return: 'report.review',
  order_rewrite: 'report.review',
  approve: 'report.review',
  sign: 'report.sign',
};
import { authorStep, freezeVersion } from './save-report';
import { countReport, reportText, usedSections } from './sections';
import { formatDateProse } from '../../../domain/calendar';

/** A rewrite (责令重写) handed back this close to the rejected text was not rewritten. */
const REWRITE_MAX_SIMILARITY = 0.8;

/**
 * One step of the review (R-REP-4), each with its comment, a review event and an audit row in the
 * same transaction. Submitting runs the checks and refuses while a blocking one fails, when the
 * report is empty, or when it is late and the campaign forbids late reports (first submission only:
 * a report returned after the deadline can always be handed back).
 */
export async function transitionReport(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  action: ReviewAction,
  comment: string,
  today: string,
) {
  return db.transaction(async (tx) => {
    const row = await getReportRow(tx, id, true);
    const ctx = await loadReporter(tx, row.reporterId, user, '述职报告');
    assertActor(user, scopeOf(ctx), actorOfAction(action));
    const signOffRequired = ctx.settings.report.supervisorSignOffRequired;
    const from = stateOf(row);
    const to = nextState(from, action, { signOffRequired });
    if (ctx.campaignState !== 'published') throw new AppError('CAMPAIGN_NOT_OPEN', '该述职评议考核未发布或已结束');
    const step =
      action === 'submit'
        ? authorStep(from, ctx.settings.report.lateSubmissionAllowed, 'report.submit')
        : STEP_OF[action];
    await assertPhaseOpen(tx, ctx.campaignId, step, actor.at);
    const text = comment.trim();
    if ((action === 'return' || action === 'order_rewrite') && [...text].length < 2) {
      throw new AppError('VALIDATION', `${ACTION_LABELS[action]}须写明理由`, { field: 'comment' });
    }
    const patch: Partial<typeof reports.$inferInsert> = { state: to, updatedAt: actor.at };
    let versionNo = row.versionNo;
    if (action === 'submit') {
      const sections = row.sections as ReportSection[];
      const charCount = countReport(sections);
      if (charCount === 0) throw new AppError('EMPTY_REPORT', '述职报告内容为空，不能提交', { field: 'sections' });
      if (from === 'draft') {
        const due = await reportDeadline(tx, ctx, today, false);
        if (due.dueDate && today > due.dueDate && !ctx.settings.report.lateSubmissionAllowed) {
          throw new AppError(
            'LATE_SUBMISSION',
            `已超过报送截止日期（${formatDateProse(due.dueDate)}），本次述职评议考核不允许逾期报送，请联系审核人`,
          );
        }
      }
      const checks = await runChecks(tx, ctx, row.id, sections, today);
      const blockers = checks.results.filter((r) => r.level === 'blocker');
      if (blockers.length) {
        throw new AppError(
          'CHECKS_BLOCKING',
          `未通过以下检查，不能提交：${blockers.map((b) => b.message).join('；')}`,
          { checks: blockers.map((b) => b.id) },
        );
      }
      if (from === 'rewrite_ordered') await assertRewritten(tx, row.id, sections);
      versionNo = await freezeVersion(tx, row, {
        reason: 'submission',
        sections,
        charCount,
        userId: user.id,
        at: actor.at,
      });
      patch.submittedAt = actor.at;
    }
    if (action === 'approve') patch.approvedAt = actor.at;
    if (action === 'sign') {
      patch.signedAt = actor.at;
      patch.signedBy = user.id;
    }
    await tx.update(reports).set(patch).where(eq(reports.id, id));
    await tx.insert(reportReviewEvents).values({
      reportId: id,
      action,
      fromState: from,
      toState: to,
      comment: text || ACTION_LABELS[action],
      versionNo,
      actorId: actor.actorId,
      actorName: actor.actorName,
      at: actor.at,
    });
    await writeAudit(tx, actor, {
      action: `report.${action}`,
      targetType: 'report',
      targetId: id,
      scopePath: ctx.orgPath,
      detail: { from, to, versionNo, comment: text },
    });
    return { state: to, versionNo };
  });
}

async function assertRewritten(tx: DbOrTx, reportId: number, sections: ReportSection[]) {
  const [rejected] = await tx
    .select({ versionNo: reportReviewEvents.versionNo })
    .from(reportReviewEvents)
    .where(and(eq(reportReviewEvents.reportId, reportId), eq(reportReviewEvents.action, 'order_rewrite')))
    .orderBy(desc(reportReviewEvents.id))
    .limit(1);
  if (!rejected) return;
  const [v] = await tx
    .select({ sections: reportVersions.sections })
    .from(reportVersions)
    .where(and(eq(reportVersions.reportId, reportId), eq(reportVersions.versionNo, rejected.versionNo)));
  if (!v) return;
  const similarity = exactJaccard(
    reportText(usedSections(sections)),
    reportText(usedSections(v.sections as ReportSection[])),
  );
  if (similarity >= REWRITE_MAX_SIMILARITY) {
    throw new AppError(
      'REWRITE_UNCHANGED',
      `审核人已责令重写，本稿与被责令重写的第${rejected.versionNo}版相似度为${Math.round(similarity * 100)}%，请重新撰写后再提交`,
    );
  }
}
