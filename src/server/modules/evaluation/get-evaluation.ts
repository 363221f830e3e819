import { sql, type SQL } from 'drizzle-orm';
import { ballotScoreFormulas, compositeScore, COMPONENTS, type Component } from '../../../domain/composite';
import { GRADES, type Grade } from '../../../domain/grades';
import { checkCounts, quotaSummary } from '../../../domain/quotas';
import { escapeLike, type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { canManage, canReview, assertRead } from './policy';
import { policyOf, type EvaluationSummary } from './recompute';
import { evaluationContext } from './repo';

export interface EvaluationQuery {
  q?: string;
  sector?: string;
  /** The grade in force: the final grade where set, else the suggestion. */
  grade?: Grade;
  autoPoor?: boolean;
  offset: number;
  limit: number;
}

interface Row {
  reporter_id: number;
  org_name: string;
  org_code: string;
  sector: string;
  secretary_name: string | null;
  components: Partial<Record<Component, number | null>>;
  composite: string | number | null;
  rank: number | null;
  sector_rank: number | null;
  ballot_counts: Record<string, number> | null;
  average_or_poor_share: string | number | null;
  auto_poor_reasons: string[];
  suggested_grade: Grade | null;
  suggestion_reasons: string[];
  final_grade: Grade | null;
  final_reason: string | null;
  opinion_achievements: string | null;
  opinion_problems: string | null;
  opinion_direction: string | null;
  daily_score: string | number | null;
  daily_note: string | null;
  report_score: string | number | null;
  report_note: string | null;
  major_error: boolean | null;
  major_error_note: string | null;
  accountability: boolean | null;
  accountability_note: string | null;
  reviews: Array<{ userId: number; userName: string; stance: 'agree' | 'question'; note: string | null }>;
  changes: number;
}

const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));

/**
 * The evaluation page (R-GRADE-1…5): every reporter with components, the formula, ranks, suggestion and why,
 * final grade and the members' stances; the quota bins of the suggestion and of the grades now in force.
 * Readers only (policy.ts); secretaries never reach this.
 */
export async function getEvaluation(db: DbOrTx, user: AuthUser, campaignId: number, query: EvaluationQuery) {
  const { campaign, organizerPath, evaluation } = await evaluationContext(db, campaignId, { viewer: user });
  assertRead(user, organizerPath);
  const weights = campaign.settings.grading.compositeWeights as Partial<Record<Component, number>>;
  const filters: SQL[] = [sql`er.campaign_id = ${campaignId}`];
  if (query.q)
    filters.push(sql`(o.name ilike ${`%${escapeLike(query.q)}%`} or o.code ilike ${`%${escapeLike(query.q)}%`})`);
  if (query.sector) filters.push(sql`o.sector = ${query.sector}`);
  if (query.grade) filters.push(sql`coalesce(er.final_grade, er.suggested_grade) = ${query.grade}`);
  if (query.autoPoor) filters.push(sql`jsonb_array_length(er.auto_poor_reasons) > 0`);
  const where = sql.join(filters, sql` and `);
  const rows = await queryRows<Row>(
    db,
    sql`
    select er.reporter_id, o.name as org_name, o.code as org_code, o.sector,
      coalesce(snap.name, cur.name) as secretary_name, er.components, er.composite, er.rank, er.sector_rank,
      er.ballot_counts, er.average_or_poor_share, er.auto_poor_reasons, er.suggested_grade, er.suggestion_reasons,
      er.final_grade, er.final_reason, er.opinion_achievements, er.opinion_problems, er.opinion_direction,
      ei.daily_score, ei.daily_note, ei.report_score, ei.report_note, ei.major_error, ei.major_error_note,
      ei.accountability, ei.accountability_note,
      coalesce((select jsonb_agg(jsonb_build_object('userId', u.id, 'userName', u.display_name, 'stance', rv.stance, 'note', rv.note)
        order by u.display_name) from evaluation_reviews rv join auth_v_users u on u.id = rv.user_id where rv.reporter_id = er.reporter_id),
        '[]'::jsonb) as reviews,
      (select count(*)::int from grade_changes gc where gc.reporter_id = er.reporter_id) as changes
    from evaluation_results er
    join campaigns_v_reporters cr on cr.id = er.reporter_id
    join organizations_v_units o on o.id = cr.org_id
    left join organizations_v_secretaries snap on snap.id = cr.secretary_id
    left join lateral (select s.name from organizations_v_secretaries s where s.org_id = cr.org_id and s.tenure_end is null
      order by s.tenure_start desc limit 1) cur on true
    left join evaluation_inputs ei on ei.reporter_id = er.reporter_id
    where ${where}
    order by er.rank nulls last, o.code
    offset ${query.offset} limit ${query.limit}`,
  );
  const [{ total }] = (await queryRows<{ total: number }>(
    db,
    sql`
    select count(*)::int as total from evaluation_results er join campaigns_v_reporters cr on cr.id = er.reporter_id
    join organizations_v_units o on o.id = cr.org_id where ${where}`,
  )) as [{ total: number }];
  const inForce = await queryRows<{ grade: Grade; n: number }>(
    db,
    sql`
    select coalesce(final_grade, suggested_grade) as grade, count(*)::int as n from evaluation_results
    where campaign_id = ${campaignId} and suggested_grade is not null group by 1`,
  );
  const counts = Object.fromEntries(
    GRADES.map((g) => [g, Number(inForce.find((x) => x.grade === g)?.n ?? 0)]),
  ) as Record<Grade, number>;
  const checks = checkCounts(counts, policyOf(campaign.settings).quotaRules);
  const sectors = await queryRows<{ sector: string }>(
    db,
    sql`
    select distinct o.sector from evaluation_results er join campaigns_v_reporters cr on cr.id = er.reporter_id
    join organizations_v_units o on o.id = cr.org_id where er.campaign_id = ${campaignId} order by 1`,
  );

  return {
    campaign: { id: campaign.id, title: campaign.title, year: campaign.year },
    state: (evaluation?.state ?? 'none') as 'none' | 'open' | 'locked',
    computedAt: evaluation?.computedAt?.toISOString() ?? null,
    lockedAt: evaluation?.lockedAt?.toISOString() ?? null,
    decisionNote: evaluation?.decisionNote ?? null,
    lowerShareStated: evaluation?.lowerShareStated ?? null,
    ballotFormula: ballotScoreFormulas(campaign.settings.grading.points, campaign.settings.ballots.categories),
    summary: (evaluation?.summary ?? null) as EvaluationSummary | null,
    weights,
    current: {
      counts,
      checks: checks.map((c) => ({
        label: c.label,
        bound: c.bound,
        actual: c.actual,
        delta: c.delta,
        ok: c.ok,
        hard: c.rule.hard !== false,
        message: c.message,
      })),
      bins: quotaSummary(checks),
    },
    sectors: sectors.map((s) => s.sector),
    can: { manage: canManage(user, organizerPath), review: canReview(user, organizerPath) },
    total: Number(total),
    items: rows.map((r) => {
      const components = Object.fromEntries(COMPONENTS.map((c) => [c, num(r.components?.[c])])) as Record<
        Component,
        number | null
      >;
      // The formula comes from the domain on the stored components, so the page shows exactly how the score arose.
      let formula: string | null = null;
      let note: string | null = null;
      try {
        const scored = compositeScore(components, weights);
        formula = scored.formula;
        note = scored.note;
      } catch {
        formula = null;
      }
      return {
        reporterId: r.reporter_id,
        orgName: r.org_name,
        orgCode: r.org_code,
        sector: r.sector,
        secretaryName: r.secretary_name,
        components,
        composite: num(r.composite),
        formula,
        formulaNote: note,
        rank: r.rank,
        sectorRank: r.sector_rank,
        ballotCounts: {
          good: Number(r.ballot_counts?.good ?? 0),
          fair: Number(r.ballot_counts?.fair ?? 0),
          average: Number(r.ballot_counts?.average ?? 0),
          poor: Number(r.ballot_counts?.poor ?? 0),
          invalid: Number(r.ballot_counts?.invalid ?? 0),
        },
        averageOrPoorShare: num(r.average_or_poor_share),
        autoPoorReasons: r.auto_poor_reasons ?? [],
        suggestedGrade: r.suggested_grade,
        suggestionReasons: r.suggestion_reasons ?? [],
        finalGrade: r.final_grade,
        finalReason: r.final_reason,
        opinion: { achievements: r.opinion_achievements, problems: r.opinion_problems, direction: r.opinion_direction },
        inputs: {
          dailyScore: num(r.daily_score),
          dailyNote: r.daily_note,
          reportScore: num(r.report_score),
          reportNote: r.report_note,
          majorError: !!r.major_error,
          majorErrorNote: r.major_error_note,
          accountability: !!r.accountability,
          accountabilityNote: r.accountability_note,
        },
        reviews: r.reviews ?? [],
        changes: Number(r.changes),
      };
    }),
  };
}

/** Inputs for every reporter of the campaign, computed or not (the entry tab lists them all). */
export async function listInputs(db: DbOrTx, user: AuthUser, campaignId: number) {
  const { organizerPath } = await evaluationContext(db, campaignId, { viewer: user });
  assertRead(user, organizerPath);
  const rows = await queryRows<{
    reporter_id: number;
    org_name: string;
    org_code: string;
    sector: string;
    daily_score: string | null;
    daily_note: string | null;
    report_score: string | null;
    report_note: string | null;
    major_error: boolean | null;
    major_error_note: string | null;
    accountability: boolean | null;
    accountability_note: string | null;
    updated_at: string | Date | null;
  }>(
    db,
    sql`
    select cr.id as reporter_id, o.name as org_name, o.code as org_code, o.sector, ei.daily_score, ei.daily_note, ei.report_score,
      ei.report_note, ei.major_error, ei.major_error_note, ei.accountability, ei.accountability_note, ei.updated_at
    from campaigns_v_reporters cr join organizations_v_units o on o.id = cr.org_id
    left join evaluation_inputs ei on ei.reporter_id = cr.id
    where cr.campaign_id = ${campaignId} and cr.role = 'reporter' and cr.removed_at is null
    order by o.code`,
  );
  return {
    items: rows.map((r) => ({
      reporterId: r.reporter_id,
      orgName: r.org_name,
      orgCode: r.org_code,
      sector: r.sector,
      dailyScore: num(r.daily_score),
      dailyNote: r.daily_note,
      reportScore: num(r.report_score),
      reportNote: r.report_note,
      majorError: !!r.major_error,
      majorErrorNote: r.major_error_note,
      accountability: !!r.accountability,
      accountabilityNote: r.accountability_note,
      updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
    })),
  };
}

/** One reporter's grade history (R-GRADE-4: old, new, suggested, who, when, why). */
export async function gradeHistory(db: DbOrTx, user: AuthUser, campaignId: number, reporterId: number) {
  const { organizerPath } = await evaluationContext(db, campaignId, { viewer: user });
  assertRead(user, organizerPath);
  const rows = await queryRows<{
    old_grade: Grade | null;
    new_grade: Grade;
    suggested_grade: Grade | null;
    reason: string | null;
    changed_by: string | null;
    changed_at: string | Date;
  }>(
    db,
    sql`
    select gc.old_grade, gc.new_grade, gc.suggested_grade, gc.reason, u.display_name as changed_by, gc.changed_at
    from grade_changes gc left join auth_v_users u on u.id = gc.changed_by
    where gc.campaign_id = ${campaignId} and gc.reporter_id = ${reporterId} order by gc.changed_at, gc.id`,
  );
  return {
    items: rows.map((r) => ({
      oldGrade: r.old_grade,
      newGrade: r.new_grade,
      suggestedGrade: r.suggested_grade,
      reason: r.reason,
      changedBy: r.changed_by,
      changedAt: new Date(r.changed_at).toISOString(),
    })),
  };
}
