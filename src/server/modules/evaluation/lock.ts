import { assertPhaseOpen } from '../campaigns/phase-gate';
import { eq, sql } from 'drizzle-orm';
import { AppError, conflict } from '../../../domain/errors';
import { lockCheck, type Decision } from '../../../domain/grade-suggestion';
import type { Grade } from '../../../domain/grades';
import { type Db, type DbOrTx, queryRows } from '../../db/connect';
import { evaluations } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { policyOf } from './recompute';
import { assertOpen, evaluationContext, mapLocked } from './repo';

/** Every reporter's decision as lockCheck reads it; a reporter without an explicit final grade takes the suggestion. */
async function decisions(db: DbOrTx, campaignId: number): Promise<Decision[]> {
  const rows = await queryRows<{
    reporter_id: number; name: string; suggested_grade: Grade | null; final_grade: Grade | null; final_reason: string | null;
    auto_poor_reasons: string[];
  }>(db, sql`
    select er.reporter_id, o.name, er.suggested_grade, er.final_grade, er.final_reason, er.auto_poor_reasons
    from evaluation_results er join campaign_reporters cr on cr.id = er.reporter_id join organizations o on o.id = cr.org_id
    where er.campaign_id = ${campaignId} order by er.rank, o.code`);
  if (rows.some((r) => !r.suggested_grade)) throw conflict('NOT_COMPUTED', '综合评价尚未计算完成，请先点击“重新计算”');
  return rows.map((r) => ({
    reporterId: String(r.reporter_id), name: r.name, suggested: r.suggested_grade!, final: r.final_grade ?? r.suggested_grade!,
    reason: r.final_reason, autoReasons: r.auto_poor_reasons,
  }));
}

/** What blocks the lock now, for the page's confirmation dialog. */
export async function previewLock(db: Db, user: AuthUser, campaignId: number) {
  const { campaign, organizerPath, evaluation } = await evaluationContext(db, campaignId, { viewer: user });
  assertManage(user, organizerPath);
  if (!evaluation) return { canLock: false, blockers: ['尚未计算综合评价，请先点击“重新计算”'], warnings: [] };
  if (evaluation.state === 'locked') return { canLock: false, blockers: ['综合评价已锁定'], warnings: [] };
  const { canLock, blockers, warnings } = lockCheck(await decisions(db, campaignId), policyOf(campaign.settings));
  const stale = await staleInputs(db, campaignId, evaluation.computedAt);
  if (stale) blockers.push(stale);
  return { canLock: canLock && !stale, blockers, warnings };
}

/** Inputs saved after the last computation would not be in the locked grades. */
async function staleInputs(db: DbOrTx, campaignId: number, computedAt: Date | null) {
  if (!computedAt) return '尚未计算综合评价，请先点击“重新计算”';
  const [row] = await queryRows<{ n: number }>(db, sql`
    select count(*)::int as n from evaluation_inputs where campaign_id = ${campaignId} and updated_at > ${computedAt.toISOString()}::timestamptz`);
  return Number(row!.n) > 0 ? `计算后又修改了${row!.n}个述职对象的平时掌握等录入，请先重新计算` : null;
}

/**
 * The committee's lock (R-GRADE-4): hard quota rules, reasons and automatic 差 must hold (lockCheck), then every
 * reporter without an explicit decision takes the suggestion and the evaluation becomes immutable (triggers).
 */
export async function lockEvaluation(db: Db, user: AuthUser, actor: AuditActor, campaignId: number, decisionNote: string) {
  return mapLocked(() => db.transaction(async (tx) => {
    const { campaign, organizerPath, evaluation } = await evaluationContext(tx, campaignId, { lock: true, viewer: user });
    assertManage(user, organizerPath);
    assertOpen(evaluation);
    await assertPhaseOpen(tx, campaignId, 'evaluation.lock', actor.at);
    if (!evaluation) throw conflict('NOT_COMPUTED', '尚未计算综合评价，请先点击“重新计算”');
    const list = await decisions(tx, campaignId);
    const check = lockCheck(list, policyOf(campaign.settings));
    const stale = await staleInputs(tx, campaignId, evaluation.computedAt);
    if (stale) check.blockers.push(stale);
    if (check.blockers.length) {
      throw new AppError('LOCK_BLOCKED', `不能锁定，请先处理：${check.blockers.map((b, i) => `${i + 1}. ${b}`).join('；')}`, 409,
        { blockers: check.blockers, warnings: check.warnings });
    }
    const implicit = await tx.execute(sql`
      update evaluation_results set final_grade = suggested_grade, updated_at = ${actor.at.toISOString()}::timestamptz
      where campaign_id = ${campaignId} and final_grade is null`);
    await tx.update(evaluations).set({ state: 'locked', lockedAt: actor.at, lockedBy: user.id, decisionNote })
      .where(eq(evaluations.id, evaluation.id));
    await writeAudit(tx, actor, {
      action: 'evaluation.lock', targetType: 'campaign', targetId: campaignId, scopePath: organizerPath,
      detail: { decisionNote, n: list.length, warnings: check.warnings, acceptedSuggestions: (implicit as { rowCount?: number }).rowCount ?? null },
    });
    return { locked: true as const, warnings: check.warnings };
  }));
}
