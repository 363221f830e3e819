import { assertPhaseOpen } from '../campaigns/phase-gate';
import { and, eq, isNull, isNotNull } from 'drizzle-orm';
import { missingItems } from '../../../domain/checklist';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { assessmentAssignments } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { announce } from '../events';
import { assertNotArchived, assertOrganize, assertScore } from './policy';
import { checklistFor, getReporterCtx, isTeamMember, listScores } from './repo';

/** The team submits a reporter's assessment once every item of its checklist is scored. */
export async function completeAssessment(db: DbOrTx, user: AuthUser, actor: AuditActor, reporterId: number) {
  return db.transaction(async (tx) => {
    const ctx = await getReporterCtx(tx, reporterId, user);
    assertScore(user, await isTeamMember(tx, ctx.teamId, user.id));
    assertNotArchived(ctx.campaign);
    if (ctx.completedAt) throw new AppError('ASSESSMENT_COMPLETED', `${ctx.orgName}的实地考核已提交`);
    await assertPhaseOpen(tx, ctx.campaignId, 'field.score', actor.at);
    const list = await checklistFor(tx, ctx);
    if (!list?.items.length) throw new AppError('NO_CHECKLIST', `${ctx.orgName}没有适用的考核细则，请联系组织部门`);
    const scores = await listScores(tx, reporterId);
    const missing = missingItems(
      list.items,
      scores.map((s) => s.itemId),
    );
    if (missing.length) {
      const names = missing
        .slice(0, 5)
        .map((m) => `「${m.title}」`)
        .join('、');
      throw new AppError(
        'ASSESSMENT_INCOMPLETE',
        `还有${missing.length}项未评分：${names}${missing.length > 5 ? '等' : ''}`,
        {
          missing: missing.map((m) => ({ id: m.id, section: m.section, title: m.title })),
        },
      );
    }
    const done = await tx
      .update(assessmentAssignments)
      .set({ completedAt: actor.at, completedBy: user.id })
      .where(and(eq(assessmentAssignments.reporterId, reporterId), isNull(assessmentAssignments.completedAt)))
      .returning({ id: assessmentAssignments.id });
    if (!done.length) throw new AppError('ASSESSMENT_COMPLETED', `${ctx.orgName}的实地考核已提交`);
    await announce(tx, 'assessment.completed', { reporterId });
    await writeAudit(tx, actor, {
      action: 'assessment.complete',
      targetType: 'campaign_reporter',
      targetId: reporterId,
      scopePath: ctx.orgPath,
      detail: {
        teamId: ctx.teamId,
        checklistId: list.id,
        items: list.items.length,
        failed: scores.filter((s) => s.failed).length,
      },
    });
    return { completedAt: actor.at.toISOString() };
  });
}

/** Only the organizer reopens a submitted assessment, and says why (kept in the audit log). */
export async function reopenAssessment(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  reporterId: number,
  reason: string,
) {
  return db.transaction(async (tx) => {
    const ctx = await getReporterCtx(tx, reporterId, user);
    assertOrganize(user, ctx.campaign);
    assertNotArchived(ctx.campaign);
    await assertPhaseOpen(tx, ctx.campaignId, 'field.score', actor.at);
    const done = await tx
      .update(assessmentAssignments)
      .set({ completedAt: null, completedBy: null })
      .where(and(eq(assessmentAssignments.reporterId, reporterId), isNotNull(assessmentAssignments.completedAt)))
      .returning({ id: assessmentAssignments.id });
    if (!done.length) throw new AppError('ASSESSMENT_NOT_COMPLETED', `${ctx.orgName}的实地考核尚未提交，无需退回`);
    await announce(tx, 'assessment.reopened', { reporterId });
    await writeAudit(tx, actor, {
      action: 'assessment.reopen',
      targetType: 'campaign_reporter',
      targetId: reporterId,
      scopePath: ctx.orgPath,
      detail: { teamId: ctx.teamId, reason, completedAt: ctx.completedAt },
    });
    return { ok: true as const };
  });
}
