import { sql } from 'drizzle-orm';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { COMPONENT_LABELS, COMPONENTS, rankNote, validateWeights, type Component } from '../../../domain/composite';
import { AppError } from '../../../domain/errors';
import { suggestGrades, type AutoPoorRules, type Standing } from '../../../domain/grade-suggestion';
import { GRADES, type Grade } from '../../../domain/grades';
import type { QuotaRule } from '../../../domain/quotas';
import { SURVEY_LEVEL_POINTS, SURVEY_LEVELS } from '../../../domain/grades';
import { type Db, type DbOrTx, queryRows } from '../../db/connect';
import { type AuditActor, writeAudit } from '../../http/audit';
import { assertOpen, evaluationContext, lockedError, mapLocked } from './repo';

/**
 * Recomputes the composite evaluation of a campaign for all reporters at once (R-GRADE-1…3):
 *
 * 1. one INSERT … SELECT … ON CONFLICT aggregates every component in SQL (GROUP BY over ballots, matched paper
 *    tallies, field scores, survey answers, organizer inputs), computes the composite with the campaign's weights
 *    and both ranks with window functions, and writes evaluation_results;
 * 2. the domain's suggestGrades (quotas, automatic 差) runs on the aggregated rows — one row per reporter, no
 *    ballots — and one UPDATE … FROM jsonb_to_recordset writes the suggestions back;
 * 3. evaluations.summary keeps the quota bins for the page.
 *
 * The SQL arithmetic mirrors composite.ts (ballotScore, compositeScore; components rounded half up to two
 * decimals first); tests/integration/evaluation.test.ts checks it against the domain on the same rows.
 * Final grades, reasons and opinions already entered are kept. Refused once the committee has locked.
 */
export interface RecomputeOptions {
  actor?: AuditActor;
  now?: Date;
}

export interface EvaluationSummary {
  n: number;
  computedAt: string;
  weights: Partial<Record<Component, number>>;
  checks: Array<{ label: string; bound: number; actual: number; delta: number; ok: boolean; hard: boolean; message: string }>;
  /** "好超出2个；较好及以下还差1个" or "符合等次比例要求" for the suggestion. */
  bins: string;
  unmet: string | null;
  autoPoor: number;
  missing: Partial<Record<Component, number>>;
  rankNote: string;
  releasedRounds: number;
}

export function activeWeights(settings: CampaignSettings): Partial<Record<Component, number>> {
  const weights = settings.grading.compositeWeights as Partial<Record<Component, number>>;
  // The settings validation already refuses this; a campaign stored before it, or edited in the database, is
  // still caught here, because a composite with wrong weights would rank every reporter wrongly.
  validateWeights(weights);
  return weights;
}

export const policyOf = (settings: CampaignSettings) => ({
  quotaRules: settings.grading.quotas as QuotaRule[],
  autoPoor: settings.grading.autoPoor as AutoPoorRules,
});

/** Phone ballots and matched paper tallies of the campaign's released real rounds, per reporter and category. */
function ballotAggregate(campaignId: number) {
  const count = (g: string) => sql.raw(`coalesce(sum(b.n) filter (where b.grade = '${g}'), 0)::int as ${g}`);
  const paper = (k: string) => sql.raw(`(t1.counts->>'${k}')::int as ${k}`);
  const same = (k: string) => sql.raw(`(t1.counts->>'${k}') is not distinct from (t2.counts->>'${k}')`);
  // paperDifferences compares the free texts trimmed, without empties, in any order.
  const norm = (col: string) => sql.raw(`(select coalesce(jsonb_agg(v order by v collate "C"), '[]'::jsonb) from
      (select regexp_replace(x, '^\\s+|\\s+$', '', 'g') as v from jsonb_array_elements_text(${col}) x) s where v <> '')`);
  return sql`
    rounds as (
      select r.id from ballot_rounds r join meetings m on m.id = r.meeting_id
      where m.campaign_id = ${campaignId} and r.mode = 'real' and r.state = 'released'
    ),
    votes as (
      -- One count per reporter × category × grade (a single aggregate over the ballots), pivoted afterwards.
      select b.reporter_id, b.category, ${count('good')}, ${count('fair')}, ${count('average')}, ${count('poor')}, 0 as invalid
      from (select reporter_id, category, grade, count(*)::int as n from ballots where round_id in (select id from rounds)
        group by reporter_id, category, grade) b
      group by b.reporter_id, b.category
      union all
      select t1.reporter_id, t1.category, ${paper('good')}, ${paper('fair')}, ${paper('average')}, ${paper('poor')}, ${paper('invalid')}
      from ballot_paper_tallies t1
      join ballot_paper_tallies t2 on t2.round_id = t1.round_id and t2.reporter_id = t1.reporter_id
        and t2.category = t1.category and t2.entry_no = 2
      where t1.entry_no = 1 and t1.round_id in (select id from rounds)
        and ${same('good')} and ${same('fair')} and ${same('average')} and ${same('poor')} and ${same('invalid')}
        and ${norm('t1.problems')} = ${norm('t2.problems')} and ${norm('t1.suggestions')} = ${norm('t2.suggestions')}
    ),
    by_category as (
      select reporter_id, category, sum(good)::int as good, sum(fair)::int as fair, sum(average)::int as average,
        sum(poor)::int as poor, sum(invalid)::int as invalid, (sum(good) + sum(fair) + sum(average) + sum(poor))::int as valid
      from votes group by reporter_id, category
    )`;
}

export async function recomputeEvaluation(db: Db, campaignId: number, options: RecomputeOptions = {}): Promise<EvaluationSummary> {
  const now = options.now ?? new Date();
  return mapLocked(() => db.transaction(async (tx) => {
    // The big aggregate looks expensive to the planner, whose JIT compilation then costs more than the query itself
    // (17–25 s of 22 s at 3,000 reporters in bench/evaluation.bench.ts); local to this transaction.
    await tx.execute(sql`select set_config('jit', 'off', true)`);
    const { campaign, organizerPath, evaluation } = await evaluationContext(tx, campaignId, { lock: true });
    assertOpen(evaluation);
    const settings = campaign.settings;
    const weights = activeWeights(settings);
    const policy = policyOf(settings);
    await checkRoundCategories(tx, campaignId, settings);

    const points = settings.grading.points;
    const categoryWeights = JSON.stringify(settings.ballots.categories.map((c) => ({ key: c.key, weight: c.weight })));
    const w = (c: Component) => weights[c] ?? 0;
    const surveyPoints = sql.raw(`case a.value ${SURVEY_LEVELS.map((l) => `when '${l}' then ${SURVEY_LEVEL_POINTS[l]}`).join(' ')} end`);
    // Weighted components only: a component with weight 0 neither counts nor rescales the others (compositeScore).
    const present = (c: Component, col: string) => (w(c) > 0 ? `(case when ${col} is not null then ${w(c)} else 0 end)` : '0');
    const term = (c: Component, col: string) => (w(c) > 0 ? `coalesce(${col} * ${w(c)}, 0)` : '0');
    const cols: Record<Component, string> = { ballots: 'c.ballots', field: 'c.field', survey: 'c.survey', daily: 'c.daily', report: 'c.report' };
    const numerator = sql.raw(COMPONENTS.map((c) => term(c, cols[c])).join(' + '));
    const denominator = sql.raw(COMPONENTS.map((c) => present(c, cols[c])).join(' + '));

    const timing = phaseTimer();
    // Everything per reporter is computed once into a transaction-local table; evaluation_results is then written
    // once, with the suggestion, instead of an insert followed by an update of every row (each update also fires
    // the lock trigger).
    await tx.execute(sql`
      create temp table evaluation_recompute on commit drop as
      with ${ballotAggregate(campaignId)},
      rep as (
        select cr.id as reporter_id, o.sector
        from campaign_reporters cr join organizations o on o.id = cr.org_id
        where cr.campaign_id = ${campaignId} and cr.role = 'reporter' and cr.removed_at is null
      ),
      cw as (select * from jsonb_to_recordset(${categoryWeights}::jsonb) as x(key text, weight numeric)),
      bal as (
        -- ballotScore: each category's average points weighted by the category weights of the categories present.
        select bc.reporter_id, sum(bc.good)::int as good, sum(bc.fair)::int as fair, sum(bc.average)::int as average,
          sum(bc.poor)::int as poor, sum(bc.invalid)::int as invalid, sum(bc.valid)::int as valid,
          round(sum(case when bc.valid > 0 then (bc.good * ${points.good} + bc.fair * ${points.fair} + bc.average * ${points.average}
              + bc.poor * ${points.poor})::numeric / bc.valid * cw.weight end)
            / nullif(sum(case when bc.valid > 0 then cw.weight end), 0), 2) as score
        from by_category bc join cw on cw.key = bc.category
        group by bc.reporter_id
      ),
      fld as (
        select a.reporter_id, round(100 * sum(fs.score) / nullif(sum(ci.max_points), 0), 2) as score
        from assessment_assignments a
        join assessment_teams t on t.id = a.team_id
        join field_scores fs on fs.reporter_id = a.reporter_id
        join checklist_items ci on ci.id = fs.item_id
        -- The campaign through the team (hash joins over all scores) rather than a probe per reporter; reporters
        -- removed from the campaign drop out at the join with rep below.
        where a.completed_at is not null and t.campaign_id = ${campaignId}
        group by a.reporter_id
      ),
      srv as (
        -- The answers of one response are summed in a lateral (one jsonb unpacking per response), then per reporter:
        -- the same mean as avg() over every answer (unknown levels count in neither sum).
        select r.reporter_id, round(sum(a.points)::numeric / nullif(sum(a.n), 0), 2) as score
        from survey_responses r join surveys s on s.id = r.survey_id
        cross join lateral (
          select sum(${surveyPoints}) as points, count(${surveyPoints}) as n from jsonb_each_text(r.answers) a
        ) a
        where s.campaign_id = ${campaignId} and s.state = 'closed'
        group by r.reporter_id
      ),
      c as (
        select rep.reporter_id, rep.sector, bal.score as ballots, fld.score as field, srv.score as survey,
          ei.daily_score as daily, ei.report_score as report,
          bal.good, bal.fair, bal.average, bal.poor, bal.invalid, bal.valid,
          ei.major_error, ei.major_error_note, ei.accountability, ei.accountability_note
        from rep
        left join bal on bal.reporter_id = rep.reporter_id
        left join fld on fld.reporter_id = rep.reporter_id
        left join srv on srv.reporter_id = rep.reporter_id
        left join evaluation_inputs ei on ei.reporter_id = rep.reporter_id
      ),
      scored as (
        select c.*, case when (${denominator}) > 0 then round((${numerator}) / (${denominator}), 2) end as composite
        from c
      )
      select s.reporter_id,
        jsonb_build_object('ballots', s.ballots, 'field', s.field, 'survey', s.survey, 'daily', s.daily, 'report', s.report) as components,
        s.composite,
        case when s.composite is not null then rank() over (order by s.composite desc nulls last) end as rank,
        case when s.composite is not null then rank() over (partition by s.sector order by s.composite desc nulls last) end as sector_rank,
        jsonb_build_object('good', coalesce(s.good, 0), 'fair', coalesce(s.fair, 0), 'average', coalesce(s.average, 0),
          'poor', coalesce(s.poor, 0), 'invalid', coalesce(s.invalid, 0)) as ballot_counts,
        case when s.valid > 0 then round((s.average + s.poor)::numeric / s.valid, 4) end as average_or_poor_share,
        s.major_error, s.major_error_note, s.accountability, s.accountability_note
      from scored s
    `);
    timing('aggregate');

    await refuseIncomplete(tx, weights);
    timing('checks');

    const rows = await queryRows<{
      reporter_id: number; rank: number; ballot_counts: Record<Grade | 'invalid', number>;
      major_error: boolean | null; major_error_note: string | null; accountability: boolean | null; accountability_note: string | null;
    }>(tx, sql`
      select reporter_id, rank, ballot_counts, major_error, major_error_note, accountability, accountability_note
      from evaluation_recompute`);
    timing('read standings');
    const standings: Standing[] = rows.map((r) => standingOf(r));
    const suggestion = suggestGrades(standings, policy);
    // Rows with the same grade, reasons and explanation (a rank group) share one payload entry: far less JSON to send.
    const groups = new Map<string, { g: Grade; a: string[]; s: string[]; ids: number[] }>();
    for (const g of suggestion.grades) {
      const key = `${g.grade}\u0000${g.explanation}\u0000${g.autoReasons.join('\u0001')}`;
      let group = groups.get(key);
      if (!group) groups.set(key, group = { g: g.grade, a: g.autoReasons, s: [g.explanation], ids: [] });
      group.ids.push(Number(g.reporterId));
    }
    const payload = JSON.stringify([...groups.values()]);
    timing('suggestGrades');

    await tx.execute(sql`
      insert into evaluation_results (reporter_id, campaign_id, components, composite, rank, sector_rank, ballot_counts,
        average_or_poor_share, auto_poor_reasons, suggested_grade, suggestion_reasons, updated_at)
      select t.reporter_id, ${campaignId}, t.components, t.composite, t.rank, t.sector_rank, t.ballot_counts,
        t.average_or_poor_share, coalesce(x.a, '[]'::jsonb), x.g, coalesce(x.s, '[]'::jsonb), ${now.toISOString()}::timestamptz
      from evaluation_recompute t left join (
        select u.id, x.g, x.a, x.s from json_to_recordset(${payload}::json) as x(g text, a jsonb, s jsonb, ids int[])
        cross join lateral unnest(x.ids) as u(id)
      ) x on x.id = t.reporter_id
      on conflict (reporter_id) do update set
        components = excluded.components, composite = excluded.composite, rank = excluded.rank,
        sector_rank = excluded.sector_rank, ballot_counts = excluded.ballot_counts,
        average_or_poor_share = excluded.average_or_poor_share, auto_poor_reasons = excluded.auto_poor_reasons,
        suggested_grade = excluded.suggested_grade, suggestion_reasons = excluded.suggestion_reasons,
        updated_at = excluded.updated_at
      -- A row whose figures did not change is not rewritten (no new row version, index entries or lock-trigger call):
      -- a recompute after a few corrections touches only those reporters; updated_at stays the time of the last change.
      where (evaluation_results.components, evaluation_results.composite, evaluation_results.rank,
          evaluation_results.sector_rank, evaluation_results.ballot_counts, evaluation_results.average_or_poor_share,
          evaluation_results.auto_poor_reasons, evaluation_results.suggested_grade, evaluation_results.suggestion_reasons)
        is distinct from (excluded.components, excluded.composite, excluded.rank, excluded.sector_rank,
          excluded.ballot_counts, excluded.average_or_poor_share, excluded.auto_poor_reasons, excluded.suggested_grade,
          excluded.suggestion_reasons)
    `);
    timing('write results');
    // Reporters removed from the campaign since the last computation leave the table.
    await tx.execute(sql`
      delete from evaluation_results er where er.campaign_id = ${campaignId} and not exists (
        select 1 from campaign_reporters cr where cr.id = er.reporter_id and cr.role = 'reporter' and cr.removed_at is null)`);
    timing('delete removed');

    const [stats] = await queryRows<Record<string, number>>(tx, sql.raw(`
      select count(*)::int as n, ${COMPONENTS.map((c) => `count(*) filter (where components->>'${c}' is null)::int as ${c}`).join(', ')},
        (select count(*)::int from ballot_rounds r join meetings m on m.id = r.meeting_id
          where m.campaign_id = ${Number(campaignId)} and r.mode = 'real' and r.state = 'released') as released
      from evaluation_recompute`));
    const summary: EvaluationSummary = {
      n: stats!.n,
      computedAt: now.toISOString(),
      weights,
      checks: suggestion.checks.map((c) => ({
        label: c.label, bound: c.bound, actual: c.actual, delta: c.delta, ok: c.ok, hard: c.rule.hard !== false, message: c.message,
      })),
      bins: suggestion.checks.filter((c) => !c.ok).map((c) => c.message).join('；') || '符合等次比例要求',
      unmet: suggestion.unmet,
      autoPoor: suggestion.grades.filter((g) => g.autoReasons.length > 0).length,
      missing: Object.fromEntries(COMPONENTS.filter((c) => w(c) > 0).map((c) => [c, stats![c]])),
      rankNote: rankNote(),
      releasedRounds: stats!.released,
    };
    await tx.execute(sql`
      insert into evaluations (campaign_id, state, summary, computed_at)
      values (${campaignId}, 'open', ${JSON.stringify(summary)}::jsonb, ${now.toISOString()}::timestamptz)
      on conflict (campaign_id) do update set summary = excluded.summary, computed_at = excluded.computed_at`);
    if (options.actor) {
      await writeAudit(tx, options.actor, {
        action: 'evaluation.recompute', targetType: 'campaign', targetId: campaignId, scopePath: organizerPath,
        detail: { n: summary.n, bins: summary.bins, autoPoor: summary.autoPoor, unmet: summary.unmet },
      });
    }
    timing('summary');
    return summary;
  }));
}

/** BENCH_TIMING=1 (bench/evaluation.bench.ts) logs the seconds of each phase of a recompute; a no-op otherwise. */
function phaseTimer() {
  if (process.env.BENCH_TIMING !== '1') return (_phase: string) => {};
  let t = process.hrtime.bigint();
  return (phase: string) => {
    const now = process.hrtime.bigint();
    console.log(`    recompute phase ${phase.padEnd(16)}: ${(Number(now - t) / 1e9).toFixed(3)} s`);
    t = now;
  };
}

export function standingOf(r: {
  reporter_id: number; rank: number; ballot_counts: Record<Grade | 'invalid', number>;
  major_error: boolean | null; major_error_note: string | null; accountability: boolean | null; accountability_note: string | null;
}): Standing {
  const counts = Object.fromEntries(GRADES.map((g) => [g, Number(r.ballot_counts[g] ?? 0)])) as Record<Grade, number>;
  // autoPoorReasons reads the record's text; a flag without a note still counts, with a generic description.
  return {
    reporterId: String(r.reporter_id),
    rank: Number(r.rank),
    ballots: { counts },
    majorError: r.major_error ? (r.major_error_note?.trim() || '已记录') : null,
    accountability: r.accountability ? (r.accountability_note?.trim() || '已记录') : null,
  };
}

/** Ballots of a category without a weight cannot be scored (ballotScore refuses them too). */
async function checkRoundCategories(tx: DbOrTx, campaignId: number, settings: CampaignSettings) {
  const rows = await queryRows<{ key: string }>(tx, sql`
    select distinct c->>'key' as key from ballot_rounds r join meetings m on m.id = r.meeting_id
    cross join lateral jsonb_array_elements(coalesce(r.anonymity->'categories', '[]'::jsonb)) c
    where m.campaign_id = ${campaignId} and r.mode = 'real' and r.state = 'released'
    union
    select distinct t.category from ballot_paper_tallies t join ballot_rounds r on r.id = t.round_id
    join meetings m on m.id = r.meeting_id
    where m.campaign_id = ${campaignId} and r.mode = 'real' and r.state = 'released'`);
  const known = new Set(settings.ballots.categories.map((c) => c.key));
  const unknown = rows.map((r) => r.key).filter((k) => k && !known.has(k));
  if (unknown.length) {
    throw new AppError('UNKNOWN_CATEGORY', `测评中的评议人类别「${unknown.join('、')}」未在考核方案中设置权重，无法计算测评得分`, 400,
      { field: 'ballots.categories' });
  }
}

/** The domain refuses a composite with every component missing, and ballots only in weight-0 categories. */
async function refuseIncomplete(tx: DbOrTx, weights: Partial<Record<Component, number>>) {
  const names = async (where: ReturnType<typeof sql>) => (await queryRows<{ name: string }>(tx, sql`
    select o.name from evaluation_recompute er join campaign_reporters cr on cr.id = er.reporter_id
    join organizations o on o.id = cr.org_id where ${where}
    order by o.code limit 6`)).map((r) => r.name);
  const list = (xs: string[]) => `${xs.slice(0, 5).join('、')}${xs.length > 5 ? '等' : ''}`;
  const zeroWeight = await names(sql`er.components->>'ballots' is null and (
    (er.ballot_counts->>'good')::int + (er.ballot_counts->>'fair')::int + (er.ballot_counts->>'average')::int
      + (er.ballot_counts->>'poor')::int) > 0`);
  if (zeroWeight.length) {
    throw new AppError('BALLOT_WEIGHTS_ZERO', `${list(zeroWeight)}的有效测评票都来自权重为0的评议人类别，无法计算测评得分`, 400);
  }
  const missing = await names(sql`er.composite is null`);
  if (missing.length) {
    const parts = COMPONENTS.filter((c) => (weights[c] ?? 0) > 0).map((c) => COMPONENT_LABELS[c]).join('、');
    throw new AppError('COMPONENTS_MISSING', `${list(missing)}的各项得分（${parts}）均缺失，无法计算综合得分；请先发布测评结果或录入得分`, 400);
  }
}

export { lockedError };
