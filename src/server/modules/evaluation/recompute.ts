import { sql } from 'drizzle-orm';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { COMPONENT_LABELS, COMPONENTS, competitionRanks, rankNote, validateWeights, type Component } from '../../../domain/composite';
import { AppError } from '../../../domain/errors';
import { suggestGrades, type AutoPoorRules, type Standing } from '../../../domain/grade-suggestion';
import { GRADES, type Grade } from '../../../domain/grades';
import type { QuotaRule } from '../../../domain/quotas';
import { type Db, type DbOrTx, queryRows } from '../../db/connect';
import { type AuditActor, writeAudit } from '../../http/audit';
import { assertOpen, evaluationContext, lockedError, mapLocked } from './repo';
import { tallyCampaign } from './tallies';

/**
 * Recomputes the composite evaluation of a campaign for all reporters at once (R-GRADE-1…3):
 *
 * 1. tallies.ts first counts any released round, closed survey or completed field assessment not counted yet;
 * 2. one CREATE TEMP TABLE … AS aggregates every component per reporter in SQL (ballot tallies and matched paper
 *    tallies, field sums, survey tallies, organizer inputs) and computes the composite with the campaign's weights;
 * 3. in JS: the packed standings are read, ranked (competitionRanks, overall and per sector) and given the domain's
 *    suggestGrades (quotas, automatic 差) — one row per reporter, no ballots;
 * 4. one INSERT … ON CONFLICT writes the rows whose fingerprint changed, with the suggestion;
 * 5. evaluations.summary keeps the quota bins for the page.
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

/** Phone ballot tallies and matched paper tallies of the campaign's released real rounds, per reporter and category. */
function ballotAggregate(campaignId: number) {
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
      -- Phone ballots as tallied once per released round (tallies.ts): reporters × categories rows, not every ballot.
      select b.reporter_id, b.category, b.good, b.fair, b.average, b.poor, 0 as invalid
      from evaluation_ballot_tallies b where b.round_id in (select id from rounds)
      union all
      select t1.reporter_id, t1.category, ${paper('good')}, ${paper('fair')}, ${paper('average')}, ${paper('poor')}, ${paper('invalid')}
      from ballot_paper_tallies t1
      join ballot_paper_tallies t2 on t2.round_id = t1.round_id and t2.reporter_id = t1.reporter_id
        and t2.category = t1.category and t2.entry_no = 2
      where t1.entry_no = 1 and t1.round_id in (select id from rounds)
        and ${same('good')} and ${same('fair')} and ${same('average')} and ${same('poor')} and ${same('invalid')}
        and ${norm('t1.problems')} = ${norm('t2.problems')} and ${norm('t1.suggestions')} = ${norm('t2.suggestions')}
    )`;
}

export async function recomputeEvaluation(db: Db, campaignId: number, options: RecomputeOptions = {}): Promise<EvaluationSummary> {
  const now = options.now ?? new Date();
  return mapLocked(() => db.transaction(async (tx) => {
    // The big aggregate looks expensive to the planner, whose JIT compilation then costs more than the query itself
    // (17–25 s of 22 s at 3,000 reporters in bench/evaluation.bench.ts); local to this transaction.
    await tx.execute(sql`select set_config('jit', 'off', true)`);
    // The per-reporter hash aggregates of a province (300,000 groups) stay in memory.
    await tx.execute(sql`select set_config('work_mem', '256MB', true)`);
    // Its aggregates have about as many groups as rows (one per reporter): workers' partial aggregates then merged by
    // the leader took longer than one process (300,000 reporters: 9.0 s vs 8.1 s in psql on 2 idle cores).
    await tx.execute(sql`select set_config('max_parallel_workers_per_gather', '0', true)`);
    const { campaign, organizerPath, evaluation } = await evaluationContext(tx, campaignId, { lock: true });
    assertOpen(evaluation);
    const timing = phaseTimer();
    // Rounds released and surveys closed without their tallies (data from before migration 0015, direct inserts).
    await tallyCampaign(tx, campaignId);
    timing('tally new sources');
    const settings = campaign.settings;
    const weights = activeWeights(settings);
    const policy = policyOf(settings);
    await checkRoundCategories(tx, campaignId, settings);

    const points = settings.grading.points;
    // Per category k: its valid ballots v<k> and points p<k>; the score sums p/v × weight over the categories with
    // valid ballots and divides by their weights — the same numeric expressions as ballotScore, per reporter.
    const categories = settings.ballots.categories.map((c, k) => ({ key: c.key, weight: c.weight, k }));
    // A weight-0 category (观察员) adds 0 to both sums: left out of the arithmetic, still counted in the totals.
    const weighted = categories.filter((c) => c.weight > 0);
    // Settings validation makes the weights sum to 100; a campaign edited in the database could still have none.
    if (!weighted.length) throw new AppError('BALLOT_WEIGHTS_ZERO', '考核方案中参评人员各类别权重均为0，无法计算测评得分', 400, { field: 'ballots.categories' });
    const perCategory = sql.join(weighted.map(({ key, k }) => sql`
      (sum(good + fair + average + poor) filter (where category = ${key}))::int as ${sql.raw(`v${k}`)},
      (sum(good * ${points.good} + fair * ${points.fair} + average * ${points.average} + poor * ${points.poor})
        filter (where category = ${key}))::int as ${sql.raw(`p${k}`)}`), sql`,`);
    const ballotNumerator = sql.join(weighted.map(({ weight, k }) => sql.raw(
      `coalesce(case when v${k} > 0 then p${k}::numeric / v${k} * ${Number(weight)}::numeric end, 0)`)), sql` + `);
    const ballotDenominator = sql.join(weighted.map(({ weight, k }) => sql.raw(
      `(case when v${k} > 0 then ${Number(weight)}::numeric else 0 end)`)), sql` + `);
    const w = (c: Component) => weights[c] ?? 0;
    // Weighted components only: a component with weight 0 neither counts nor rescales the others (compositeScore).
    const present = (c: Component, col: string) => (w(c) > 0 ? `(case when ${col} is not null then ${w(c)} else 0 end)` : '0');
    const term = (c: Component, col: string) => (w(c) > 0 ? `coalesce(${col} * ${w(c)}, 0)` : '0');
    const cols: Record<Component, string> = { ballots: 'c.ballots', field: 'c.field', survey: 'c.survey', daily: 'c.daily', report: 'c.report' };
    const numerator = sql.raw(COMPONENTS.map((c) => term(c, cols[c])).join(' + '));
    const denominator = sql.raw(COMPONENTS.map((c) => present(c, cols[c])).join(' + '));

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
      bal as (
        -- ballotScore: each category's average points weighted by the category weights of the categories present.
        -- One aggregate per reporter with a column set per category (the categories are the campaign's, a handful)
        -- instead of grouping by reporter × category first and again by reporter: at 300,000 reporters the second
        -- hash aggregate with its numeric arithmetic over 900,000 groups cost more than the scan itself.
        select reporter_id, good, fair, average, poor, invalid, valid,
          round((${ballotNumerator}) / nullif(${ballotDenominator}, 0), 2) as score
        from (
          select reporter_id, sum(good)::int as good, sum(fair)::int as fair, sum(average)::int as average,
            sum(poor)::int as poor, sum(invalid)::int as invalid, (sum(good) + sum(fair) + sum(average) + sum(poor))::int as valid,
            ${perCategory}
          from votes group by reporter_id
        ) v
      ),
      fld as (
        -- Completed field assessments as summed at submission (tallies.ts), matched on completed_at so a stale sum
        -- never counts; the campaign through the team, reporters removed from it drop out at the join with rep below.
        select a.reporter_id, round(100 * f.score / nullif(f.max_points, 0), 2) as score
        from assessment_assignments a
        join assessment_teams t on t.id = a.team_id
        join evaluation_field_tallies f on f.reporter_id = a.reporter_id and f.completed_at = a.completed_at
        where t.campaign_id = ${campaignId}
      ),
      srv as (
        -- Closed surveys as tallied once (tallies.ts): the mean over every known answer of the unit, all surveys together.
        select t.reporter_id, round(sum(t.points)::numeric / nullif(sum(t.answers), 0), 2) as score
        from evaluation_survey_tallies t join surveys s on s.id = t.survey_id
        where s.campaign_id = ${campaignId} and s.state = 'closed'
        group by t.reporter_id
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
      -- Plain columns: the checks, the standings and the summary read them without unpacking jsonb; the jsonb documents
      -- of evaluation_results are built only when writing.
      -- The ranks are worked out in JS from the packed composites (competitionRanks): two window sorts of 300,000 wide
      -- rows took 1.8 s here.
      select s.reporter_id, s.sector, s.ballots, s.field, s.survey, s.daily, s.report, s.composite,
        coalesce(s.good, 0) as good, coalesce(s.fair, 0) as fair, coalesce(s.average, 0) as average,
        coalesce(s.poor, 0) as poor, coalesce(s.invalid, 0) as invalid,
        case when s.valid > 0 then round((s.average + s.poor)::numeric / s.valid, 4) end as average_or_poor_share,
        s.major_error, s.major_error_note, s.accountability, s.accountability_note
      from scored s
    `);
    timing('aggregate');

    await refuseIncomplete(tx, weights);
    timing('checks');

    const { standings, sectorRanks } = await readStandings(tx);
    timing('read standings');
    const suggestion = suggestGrades(standings, policy);
    // Rows with the same grade, reasons and explanation (a rank group) share one group entry; each reporter is sent
    // as its id and its group's position in two integer arrays — far less to build, send and parse than JSON per row.
    // A group's explanation is one string object shared by its rows (suggestGrades builds it once per group).
    const groups: Array<{ k: number; g: Grade; a: string[]; s: string[] }> = [];
    const groupOf = new Map<string, number>();
    const ids = new Array<number>(suggestion.grades.length);
    const keys = new Array<number>(suggestion.grades.length);
    const rankCol = new Array<number | null>(suggestion.grades.length);
    const sectorRankCol = new Array<number | null>(suggestion.grades.length);
    suggestion.grades.forEach((g, i) => {
      const key = g.autoReasons.length ? `${g.explanation}\u0000${g.autoReasons.join('\u0001')}` : g.explanation;
      let k = groupOf.get(key);
      if (k === undefined) {
        k = groups.length;
        groupOf.set(key, k);
        groups.push({ k, g: g.grade, a: g.autoReasons, s: [g.explanation] });
      }
      ids[i] = Number(g.reporterId);
      keys[i] = k;
      // The overall rank comes back with the suggestion; the sector rank is looked up.
      rankCol[i] = g.rank > 0 ? g.rank : null;
      sectorRankCol[i] = sectorRanks.get(ids[i]!) ?? null;
    });
    timing('suggestGrades');

    // Unchanged rows are filtered out before the upsert, so a recompute after a few corrections writes only those
    // reporters (no new row version, index entries or lock-trigger call); updated_at stays the time of the last change.
    // The comparison is of a 64-bit hash of the plain values (evaluation_results.fingerprint), not of the stored jsonb:
    // at 300,000 reporters building and comparing the jsonb of every row took 4.5 s, the hashes under 1 s. A group's
    // suggestion is hashed once per group. Every value is written with a marker for null (concat_ws skips nulls, which
    // would make (null, 5) and (5, null) alike). A collision (2^-64 per changed row) would leave that row as it was.
    const v = (col: string) => `coalesce((${col})::text, '~')`;
    const fingerprint = sql.raw(`hashtextextended(concat_ws('|', ${[
      't.ballots', 't.field', 't.survey', 't.daily', 't.report', 't.composite', 'x.rank', 'x.sector_rank',
      't.good', 't.fair', 't.average', 't.poor', 't.invalid', 't.average_or_poor_share', 'x.h',
    ].map(v).join(', ')}), 0)`);
    await tx.execute(sql`
      with grp as (
        select x.k, x.g, x.a, x.s, hashtextextended(concat_ws('|', x.g, x.a::text, x.s::text), 0) as h
        from json_to_recordset(${JSON.stringify(groups)}::json) as x(k int, g text, a jsonb, s jsonb)
      ),
      sug as (
        select u.id, u.rank, u.sector_rank, grp.g, grp.a, grp.s, grp.h
        from unnest(${intArray(ids)}::int[], ${intArray(keys)}::int[], ${intArray(rankCol)}::int[],
          ${intArray(sectorRankCol)}::int[]) as u(id, k, rank, sector_rank)
        join grp on grp.k = u.k
      ),
      fresh as (
        select t.*, x.rank, x.sector_rank, x.g, x.a, x.s, ${fingerprint} as fp
        from evaluation_recompute t left join sug x on x.id = t.reporter_id
      )
      insert into evaluation_results (reporter_id, campaign_id, components, composite, rank, sector_rank, ballot_counts,
        average_or_poor_share, auto_poor_reasons, suggested_grade, suggestion_reasons, updated_at, fingerprint)
      select f.reporter_id, ${campaignId},
        jsonb_build_object('ballots', f.ballots, 'field', f.field, 'survey', f.survey, 'daily', f.daily, 'report', f.report),
        f.composite, f.rank, f.sector_rank,
        jsonb_build_object('good', f.good, 'fair', f.fair, 'average', f.average, 'poor', f.poor, 'invalid', f.invalid),
        f.average_or_poor_share, coalesce(f.a, '[]'::jsonb), f.g, coalesce(f.s, '[]'::jsonb),
        ${now.toISOString()}::timestamptz, f.fp
      from fresh f left join evaluation_results er on er.reporter_id = f.reporter_id
      where er.fingerprint is distinct from f.fp
      on conflict (reporter_id) do update set
        components = excluded.components, composite = excluded.composite, rank = excluded.rank,
        sector_rank = excluded.sector_rank, ballot_counts = excluded.ballot_counts,
        average_or_poor_share = excluded.average_or_poor_share, auto_poor_reasons = excluded.auto_poor_reasons,
        suggested_grade = excluded.suggested_grade, suggestion_reasons = excluded.suggestion_reasons,
        updated_at = excluded.updated_at, fingerprint = excluded.fingerprint
    `);
    timing('write results');
    const [{ n: stored } = { n: 0 }] = await queryRows<{ n: number }>(tx, sql`
      select count(*)::int as n from evaluation_results where campaign_id = ${campaignId}`);
    // Reporters removed from the campaign since the last computation leave the table. Every reporter computed has a
    // row now, so there is none to remove when the counts agree (the usual case; skips an anti-join of the province).
    if (Number(stored) !== standings.length) {
      await tx.execute(sql`
        delete from evaluation_results er where er.campaign_id = ${campaignId} and not exists (
          select 1 from campaign_reporters cr where cr.id = er.reporter_id and cr.role = 'reporter' and cr.removed_at is null)`);
    }
    timing('delete removed');

    const [stats] = await queryRows<Record<string, number>>(tx, sql.raw(`
      select count(*)::int as n, ${COMPONENTS.map((c) => `count(*) filter (where ${c} is null)::int as ${c}`).join(', ')},
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

/** A PostgreSQL int[] literal ("{1,NULL,3}") for unnest: one parameter instead of one per value. */
const intArray = (xs: ReadonlyArray<number | null>) => `{${xs.map((x) => (x === null ? 'NULL' : x)).join(',')}}`;

/**
 * Numbers of a packed text ("1,92.35,2;…"; empty is NaN), read without a substring per value: 2,100,000 values of a
 * province in 0.1–0.16 s, where split() into rows and fields took 0.3–0.5 s. digits / 10^scale is the double Number()
 * gives for the same decimal (both are the correctly rounded value of one exact quotient).
 */
export function parsePacked(p: string, columns: number): Float64Array {
  let rows = 1;
  for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) === 59) rows++;
  const out = new Float64Array(rows * columns);
  let k = 0;
  let digits = 0;
  let scale = -1;
  let any = false;
  let negative = false;
  const flush = () => {
    out[k++] = any ? (negative ? -1 : 1) * (scale > 0 ? digits / 10 ** scale : digits) : Number.NaN;
    digits = 0;
    scale = -1;
    any = false;
    negative = false;
  };
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits = digits * 10 + (c - 48);
      any = true;
      if (scale >= 0) scale++;
    } else if (c === 46) scale = 0;
    else if (c === 45) negative = true;
    else if (c === 44 || c === 59) flush();
    else throw new Error(`unexpected character in packed standings: ${p[i]}`);
  }
  flush();
  if (k !== out.length) throw new Error(`packed standings: ${k} values for ${rows} rows of ${columns}`);
  return out;
}

/**
 * The standings suggestGrades needs, in rank order (its fast path), and every reporter's sector rank, read as one packed text
 * ("id,composite,sector,good,fair,average,poor;…", sector as its position in the campaign's sector list) — parsing
 * 300,000 rows of objects costs the driver seconds — and the few notes of major errors and accountability cases apart.
 * The ranks are competition ranks of the composite (rounded to two decimals), overall and per sector, as rank() in
 * composite.ts; unranked (no composite) reporters never reach the suggestion, refuseIncomplete stops them first.
 */
async function readStandings(tx: DbOrTx): Promise<{ standings: Standing[]; sectorRanks: Map<number, number | null> }> {
  const [packed] = await queryRows<{ p: string | null }>(tx, sql`
    with sectors as (select array_agg(distinct sector) as a from evaluation_recompute)
    select string_agg(concat_ws(',', reporter_id, coalesce(composite::text, ''), array_position((select a from sectors), sector),
      good, fair, average, poor), ';') as p from evaluation_recompute`);
  const flagged = new Map((await queryRows<{
    reporter_id: number; major_error: boolean | null; major_error_note: string | null; accountability: boolean | null; accountability_note: string | null;
  }>(tx, sql`
    select reporter_id, major_error, major_error_note, accountability, accountability_note
    from evaluation_recompute where major_error or accountability`)).map((r) => [Number(r.reporter_id), r]));
  if (!packed?.p) return { standings: [], sectorRanks: new Map() };
  const COLS = 7;
  const v = parsePacked(packed.p, COLS);
  const n = v.length / COLS;
  const ids = new Float64Array(n);
  const composites = new Array<number | null>(n);
  const sectors = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = v[i * COLS]!;
    const c = v[i * COLS + 1]!;
    composites[i] = Number.isNaN(c) ? null : c;
    sectors[i] = v[i * COLS + 2]!;
  }
  const { rank, groupRank, order } = competitionRanks(composites, sectors);
  // Unranked reporters (no composite) last; refuseIncomplete has stopped the recompute if there are any.
  if (order.length < n) for (let i = 0; i < n; i++) if (rank[i] === null) order.push(i);
  const standings = new Array<Standing>(n);
  const sectorRanks = new Map<number, number | null>();
  order.forEach((i, pos) => {
    const o = i * COLS;
    const id = ids[i]!;
    const f = flagged.get(id);
    sectorRanks.set(id, groupRank[i]!);
    standings[pos] = {
      reporterId: String(id),
      rank: rank[i] ?? 0,
      // | 0 keeps the counts small integers for V8 (doubles from the Float64Array made suggestGrades ~20 % slower).
      ballots: { counts: { good: v[o + 3]! | 0, fair: v[o + 4]! | 0, average: v[o + 5]! | 0, poor: v[o + 6]! | 0 } },
      majorError: f?.major_error ? (f.major_error_note?.trim() || '已记录') : null,
      accountability: f?.accountability ? (f.accountability_note?.trim() || '已记录') : null,
    };
  });
  return { standings, sectorRanks };
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
  const zeroWeight = await names(sql`er.ballots is null and er.good + er.fair + er.average + er.poor > 0`);
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
