import { assertPhaseOpen } from '../campaigns/phase-gate';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import {
  lockCheck,
  opinionGaps,
  opinionWarning,
  statedLowerShareRule,
  type Decision,
  type OpinionGap,
} from '../../../domain/grade-suggestion';
import type { Grade } from '../../../domain/grades';
import { type Db, type DbOrTx, queryRows } from '../../db/connect';
import { evaluations } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { policyOf } from './recompute';
import { assertOpen, evaluationContext, mapLocked } from './repo';

/**
 * Every reporter's decision as lockCheck reads it (a reporter without an explicit final grade takes the suggestion),
 * and the written opinions that are not complete (R-GRADE-5).
 */
async function decisions(db: DbOrTx, campaignId: number): Promise<{ list: Decision[]; gaps: OpinionGap[] }> {
  const rows = await queryRows<{
    reporter_id: number;
    name: string;
    suggested_grade: Grade | null;
    final_grade: Grade | null;
    final_reason: string | null;
    auto_poor_reasons: string[];
    achievements: string | null;
    problems: string | null;
    direction: string | null;
  }>(
    db,
    sql`
    select er.reporter_id, o.name, er.suggested_grade, er.final_grade, er.final_reason, er.auto_poor_reasons,
           er.opinion_achievements as achievements, er.opinion_problems as problems, er.opinion_direction as direction
    from evaluation_results er join campaigns_v_reporters cr on cr.id = er.reporter_id join organizations_v_units o on o.id = cr.org_id
    where er.campaign_id = ${campaignId} order by er.rank, o.code`,
  );
  if (rows.some((r) => !r.suggested_grade))
    throw new AppError('NOT_COMPUTED', '综合评价尚未计算完成，请先点击“重新计算”');
  return {
    list: rows.map((r) => ({
      reporterId: String(r.reporter_id),
      name: r.name,
      suggested: r.suggested_grade!,
      final: r.final_grade ?? r.suggested_grade!,
      reason: r.final_reason,
      autoReasons: r.auto_poor_reasons,
    })),
    gaps: opinionGaps(
      rows.map((r) => ({
        reporterId: String(r.reporter_id),
        name: r.name,
        achievements: r.achievements,
        problems: r.problems,
        direction: r.direction,
      })),
    ),
  };
}

/**
 * lockCheck with the committee's stated share of 较好 or below where the plan leaves it to them (004), and a warning
 * naming the reporters whose written opinion is incomplete (their feedback letters would say nothing there).
 */
function check(
  settings: CampaignSettings,
  d: { list: Decision[]; gaps: OpinionGap[] },
  lowerSharePercent: number | undefined,
) {
  const policy = policyOf(settings);
  const stateShare = settings.grading.lowerShareStatedAtLock ?? false;
  const quotaRules =
    stateShare && lowerSharePercent !== undefined
      ? [...policy.quotaRules, statedLowerShareRule(lowerSharePercent)]
      : policy.quotaRules;
  const result = lockCheck(d.list, { ...policy, quotaRules });
  if (stateShare && lowerSharePercent === undefined) {
    result.blockers.push('本方案未规定“较好”及以下等次的比例，请填写党委（党组）研究确定的比例');
  }
  const opinions = opinionWarning(d.gaps);
  if (opinions) result.warnings.push(opinions);
  return result;
}

/** What blocks the lock now, for the page's confirmation dialog. */
export async function previewLock(db: Db, user: AuthUser, campaignId: number, lowerSharePercent?: number) {
  const { campaign, organizerPath, evaluation } = await evaluationContext(db, campaignId, { viewer: user });
  assertManage(user, organizerPath);
  const lowerShareRequired = campaign.settings.grading.lowerShareStatedAtLock ?? false;
  const none = { missingOpinions: [], lowerShareRequired };
  if (!evaluation) return { canLock: false, blockers: ['尚未计算综合评价，请先点击“重新计算”'], warnings: [], ...none };
  if (evaluation.state === 'locked') return { canLock: false, blockers: ['综合评价已锁定'], warnings: [], ...none };
  const d = await decisions(db, campaignId);
  const { blockers, warnings } = check(campaign.settings, d, lowerSharePercent);
  const stale = await staleInputs(db, campaignId, evaluation.computedAt);
  if (stale) blockers.push(stale);
  return {
    canLock: blockers.length === 0,
    blockers,
    warnings,
    lowerShareRequired,
    missingOpinions: d.gaps.map((g) => ({ reporterId: Number(g.reporterId), name: g.name, missing: g.missing })),
  };
}

/** Inputs saved after the last computation would not be in the locked grades. */
async function staleInputs(db: DbOrTx, campaignId: number, computedAt: Date | null) {
  if (!computedAt) return '尚未计算综合评价，请先点击“重新计算”';
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`
    select count(*)::int as n from evaluation_inputs where campaign_id = ${campaignId} and updated_at > ${computedAt.toISOString()}::timestamptz`,
  );
  return Number(row!.n) > 0 ? `计算后又修改了${row!.n}个述职对象的平时掌握等录入，请先重新计算` : null;
}

/**
 * The committee's lock (R-GRADE-4): hard quota rules, reasons and automatic 差 must hold (lockCheck), then every
 * reporter without an explicit decision takes the suggestion and the evaluation becomes immutable (triggers).
 */
export async function lockEvaluation(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  decisionNote: string,
  lowerSharePercent?: number,
) {
  return mapLocked(() =>
    db.transaction(async (tx) => {
      const { campaign, organizerPath, evaluation } = await evaluationContext(tx, campaignId, {
        lock: true,
        viewer: user,
      });
      assertManage(user, organizerPath);
      assertOpen(evaluation);
      await assertPhaseOpen(tx, campaignId, 'evaluation.lock', actor.at);
      if (!evaluation) throw new AppError('NOT_COMPUTED');
      const d = await decisions(tx, campaignId);
      const list = d.list;
      const result = check(campaign.settings, d, lowerSharePercent);
      const stale = await staleInputs(tx, campaignId, evaluation.computedAt);
      if (stale) result.blockers.push(stale);
      if (result.blockers.length) {
        throw new AppError(
          'LOCK_BLOCKED',
          `不能锁定，请先处理：${result.blockers.map((b, i) => `${i + 1}. ${b}`).join('；')}`,
          { blockers: result.blockers, warnings: result.warnings },
        );
      }
      const stated = (campaign.settings.grading.lowerShareStatedAtLock ?? false) ? lowerSharePercent! / 100 : null;
      const implicit = await tx.execute(sql`
      update evaluation_results set final_grade = suggested_grade, updated_at = ${actor.at.toISOString()}::timestamptz
      where campaign_id = ${campaignId} and final_grade is null`);
      await tx
        .update(evaluations)
        .set({ state: 'locked', lockedAt: actor.at, lockedBy: user.id, decisionNote, lowerShareStated: stated })
        .where(eq(evaluations.id, evaluation.id));
      await writeAudit(tx, actor, {
        action: 'evaluation.lock',
        targetType: 'campaign',
        targetId: campaignId,
        scopePath: organizerPath,
        detail: {
          decisionNote,
          lowerShareStated: stated,
          n: list.length,
          warnings: result.warnings,
          missingOpinions: d.gaps.length,
          acceptedSuggestions: (implicit as { rowCount?: number }).rowCount ?? null,
        },
      });
      return { locked: true as const, warnings: result.warnings };
    }),
  );
}
