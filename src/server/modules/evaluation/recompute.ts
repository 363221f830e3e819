import { sql } from 'drizzle-orm';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import {
  COMPONENT_LABELS,
  COMPONENTS,
  competitionRanks,
  compositeValue,
  rankNote,
  round2,
  roundHalfUp,
  validateWeights,
  weightedBallotMean,
  type Component,
} from '../../../domain/composite';
import { AppError } from '../../../domain/errors';
import { suggestGrades, type AutoPoorRules, type Standing } from '../../../domain/grade-suggestion';
import type { Grade } from '../../../domain/grades';
import type { QuotaRule } from '../../../domain/quotas';
import { type Db, type DbOrTx, queryRows } from '../../db/connect';
import { type AuditActor, writeAudit } from '../../http/audit';
import { matchedPaperTallies } from '../ballots/queries';
import { assertOpen, evaluationContext, lockedError, mapLocked } from './repo';
import { tallyCampaign } from './tallies';

/**
 * Recomputes the composite evaluation of a campaign for all reporters at once (R-GRADE-1…3):
 *
 * 1. tallies.ts first counts any released round, closed survey or completed field assessment not counted yet;
 * 2. readInputs: each source aggregated per reporter in SQL (ballot tallies and matched paper tallies, field sums,
 *    survey tallies, organizer inputs, the stored rows' fingerprints), each read as one packed text;
 * 3. in JS, per reporter, with the domain's own arithmetic (weightedBallotMean, compositeValue, round2): components and
 *    composite; then ranks (competitionRanks, overall and per sector) and the domain's suggestGrades (quotas, automatic 差);
 * 4. one INSERT … ON CONFLICT writes the rows whose fingerprint (hashNumbers of every written value) changed;
 * 5. evaluations.summary keeps the quota bins for the page.
 *
 * Each source is read in one statement; they run back to back in this transaction, which holds the evaluation's row
 * lock, so decisions and organizer inputs cannot change meanwhile (a round released in those seconds counts next time).
 * Final grades, reasons and opinions already entered are kept. Refused once the committee has locked.
 * Figures at 300,000 reporters: docs/decisions/015-evaluation-at-province-scale.md.
 */
export interface RecomputeOptions {
  actor?: AuditActor;
  now?: Date;
}

export interface EvaluationSummary {
  n: number;
  computedAt: string;
  weights: Partial<Record<Component, number>>;
  checks: Array<{
    label: string;
    bound: number;
    actual: number;
    delta: number;
    ok: boolean;
    hard: boolean;
    message: string;
  }>;
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

// The matching rule moved to its owner; re-exported for tests/integration/paper-matching.test.ts.
export { paperEntriesMatch } from '../ballots/queries';

/**
 * Phone ballot tallies and matched paper tallies of the campaign's released real rounds, per reporter and category.
 * Which paper entries match is the ballots module's rule (ballots/queries.ts, from the domain's paperDifferences).
 */
function ballotAggregate(campaignId: number) {
  return sql`
    rounds as (select r.id from ballots_v_released_rounds r where r.campaign_id = ${campaignId}),
    votes as (
      -- Phone ballots as tallied once per released round (tallies.ts): reporters × categories rows, not every ballot.
      select b.reporter_id, b.category, b.good, b.fair, b.average, b.poor, 0 as invalid
      from evaluation_ballot_tallies b where b.round_id in (select id from rounds)
      union all
      select p.reporter_id, p.category, p.good, p.fair, p.average, p.poor, p.invalid
      from ${matchedPaperTallies(sql`select id from rounds`)} p
    )`;
}

export async function recomputeEvaluation(
  db: Db,
  campaignId: number,
  options: RecomputeOptions = {},
): Promise<EvaluationSummary> {
  const now = options.now ?? new Date();
  return mapLocked(() =>
    db.transaction(async (tx) => {
      // The aggregates look expensive to the planner, whose JIT compilation then costs more than the query itself
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

      const inputs = await readInputs(tx, campaignId, settings);
      timing('read inputs');
      const rows = scoreReporters(inputs, weights);
      await refuseIncomplete(tx, rows, weights);
      timing('score');

      const { rank, groupRank, order } = competitionRanks(rows.composite, inputs.sector);
      const standings = order.map((i) => {
        const o = i * 5;
        const f = inputs.flagged.get(inputs.id[i]!);
        return {
          reporterId: String(inputs.id[i]),
          rank: rank[i]!,
          ballots: {
            counts: {
              good: rows.counts[o]!,
              fair: rows.counts[o + 1]!,
              average: rows.counts[o + 2]!,
              poor: rows.counts[o + 3]!,
            },
          },
          majorError: f?.major_error ? f.major_error_note?.trim() || '已记录' : null,
          accountability: f?.accountability ? f.accountability_note?.trim() || '已记录' : null,
        } satisfies Standing;
      });
      const suggestion = suggestGrades(standings, policy);
      timing('rank, suggestGrades');

      // Rows with the same grade, reasons and explanation (a rank group) share one group entry, hashed once; a changed
      // reporter is sent with its group's position. A group's explanation is one string shared by its rows.
      const groups: Array<{ k: number; g: Grade; a: string[]; s: string[] }> = [];
      const groupHashes: number[] = [];
      const groupOf = new Map<string, number>();
      const changed = emptyColumns();
      // The 14 written values of the row being fingerprinted and its group's hash.
      const row = new Float64Array(15);
      suggestion.grades.forEach((g) => {
        const key = g.autoReasons.length ? `${g.explanation}\u0000${g.autoReasons.join('\u0001')}` : g.explanation;
        let k = groupOf.get(key);
        if (k === undefined) {
          k = groups.length;
          groupOf.set(key, k);
          groups.push({ k, g: g.grade, a: g.autoReasons, s: [g.explanation] });
          groupHashes.push(hash53(`${g.grade}\u0000${key}`));
        }
        // By id: within a tie suggestGrades need not keep the input order.
        const i = inputs.index(Number(g.reporterId))!;
        const r = rank[i] ?? null;
        const sr = groupRank[i] ?? null;
        // Unchanged rows are not written (no new row version, index entries or lock-trigger call), so a recompute after
        // a few corrections writes only those reporters and updated_at stays the time of the last change. The comparison
        // is of a 53-bit hash of everything written (evaluation_results.fingerprint); a collision (2^-53 per changed row)
        // would leave that row as it was.
        row[rows.fill(row, i, r, sr)] = groupHashes[k]!;
        const fp = hashNumbers(row);
        if (inputs.storedFp[i] !== fp) changed.push(inputs.id[i]!, rows.row(i, r, sr), k, fp, !inputs.hasRow[i]);
      });
      timing('fingerprints');

      if (changed.ids.length) {
        const c = changed.cols;
        await tx.execute(sql`
        with grp as (
          select x.k, x.g, x.a, x.s from json_to_recordset(${JSON.stringify(groups)}::json) as x(k int, g text, a jsonb, s jsonb)
        )
        insert into evaluation_results (reporter_id, campaign_id, components, composite, rank, sector_rank, ballot_counts,
          average_or_poor_share, auto_poor_reasons, suggested_grade, suggestion_reasons, updated_at, fingerprint)
        select u.id, ${campaignId},
          jsonb_build_object('ballots', u.ballots, 'field', u.field, 'survey', u.survey, 'daily', u.daily, 'report', u.report),
          u.composite, u.rank, u.sector_rank,
          jsonb_build_object('good', u.good, 'fair', u.fair, 'average', u.average, 'poor', u.poor, 'invalid', u.invalid),
          u.share, grp.a, grp.g, grp.s, ${now.toISOString()}::timestamptz, u.fp
        from unnest(${arrayText(changed.ids)}::int[], ${arrayText(c[0]!)}::numeric[], ${arrayText(c[1]!)}::numeric[],
          ${arrayText(c[2]!)}::numeric[], ${arrayText(c[3]!)}::numeric[], ${arrayText(c[4]!)}::numeric[], ${arrayText(c[5]!)}::numeric[],
          ${arrayText(c[6]!)}::int[], ${arrayText(c[7]!)}::int[], ${arrayText(c[8]!)}::int[], ${arrayText(c[9]!)}::int[],
          ${arrayText(c[10]!)}::int[], ${arrayText(c[11]!)}::int[], ${arrayText(c[12]!)}::int[], ${arrayText(c[13]!)}::numeric[],
          ${arrayText(changed.keys)}::int[], ${arrayText(changed.fps)}::bigint[])
          as u(id, ballots, field, survey, daily, report, composite, rank, sector_rank, good, fair, average, poor, invalid, share, k, fp)
        join grp on grp.k = u.k
        on conflict (reporter_id) do update set
          components = excluded.components, composite = excluded.composite, rank = excluded.rank,
          sector_rank = excluded.sector_rank, ballot_counts = excluded.ballot_counts,
          average_or_poor_share = excluded.average_or_poor_share, auto_poor_reasons = excluded.auto_poor_reasons,
          suggested_grade = excluded.suggested_grade, suggestion_reasons = excluded.suggestion_reasons,
          updated_at = excluded.updated_at, fingerprint = excluded.fingerprint
      `);
      }
      timing('write results');
      const n = inputs.id.length;
      // Reporters removed from the campaign since the last computation leave the table. Every reporter computed has a
      // row now, so there is none to remove when the counts agree (the usual case; skips an anti-join of the province).
      if (inputs.storedRows + changed.inserted !== n) {
        await tx.execute(sql`
        delete from evaluation_results er where er.campaign_id = ${campaignId} and not exists (
          select 1 from campaigns_v_reporters cr where cr.id = er.reporter_id and cr.role = 'reporter' and cr.removed_at is null)`);
      }
      timing('delete removed');

      const [{ released } = { released: 0 }] = await queryRows<{ released: number }>(
        tx,
        sql`
      select count(*)::int as released from ballots_v_released_rounds r where r.campaign_id = ${campaignId}`,
      );
      const summary: EvaluationSummary = {
        n,
        computedAt: now.toISOString(),
        weights,
        checks: suggestion.checks.map((c) => ({
          label: c.label,
          bound: c.bound,
          actual: c.actual,
          delta: c.delta,
          ok: c.ok,
          hard: c.rule.hard !== false,
          message: c.message,
        })),
        bins:
          suggestion.checks
            .filter((c) => !c.ok)
            .map((c) => c.message)
            .join('；') || '符合等次比例要求',
        unmet: suggestion.unmet,
        autoPoor: suggestion.grades.filter((g) => g.autoReasons.length > 0).length,
        missing: Object.fromEntries(COMPONENTS.filter((c) => w(weights, c) > 0).map((c) => [c, rows.missing[c]])),
        rankNote: rankNote(),
        releasedRounds: Number(released),
      };
      await tx.execute(sql`
      insert into evaluations (campaign_id, state, summary, computed_at)
      values (${campaignId}, 'open', ${JSON.stringify(summary)}::jsonb, ${now.toISOString()}::timestamptz)
      on conflict (campaign_id) do update set summary = excluded.summary, computed_at = excluded.computed_at`);
      if (options.actor) {
        await writeAudit(tx, options.actor, {
          action: 'evaluation.recompute',
          targetType: 'campaign',
          targetId: campaignId,
          scopePath: organizerPath,
          detail: { n: summary.n, bins: summary.bins, autoPoor: summary.autoPoor, unmet: summary.unmet },
        });
      }
      timing('summary');
      return summary;
    }),
  );
}

const w = (weights: Partial<Record<Component, number>>, c: Component) => weights[c] ?? 0;

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

/**
 * Numbers of a packed text ("1,92.35,2;…"; empty is NaN), read without a substring per value: 2,100,000 values of a
 * province in 0.1–0.16 s, where split() into rows and fields took 0.3–0.5 s. digits / 10^scale is the double Number()
 * gives for the same decimal (both are the correctly rounded value of one exact quotient).
 */
export function parsePacked(p: string, columns: number): Float64Array {
  let rows = 1;
  for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) === 59) rows++;
  const out = new Float64Array(rows * columns);
  // Plain locals, no closure: variables a closure writes live in a heap context.
  let k = 0;
  let digits = 0;
  let scale = -1;
  let any = false;
  let negative = false;
  for (let i = 0; i <= p.length; i++) {
    const c = i < p.length ? p.charCodeAt(i) : 59;
    if (c >= 48 && c <= 57) {
      digits = digits * 10 + (c - 48);
      any = true;
      if (scale >= 0) scale++;
    } else if (c === 44 || c === 59) {
      if (k >= out.length) throw new Error(`packed standings: more than ${rows} rows of ${columns}`);
      out[k++] = any ? (negative ? -1 : 1) * (scale > 0 ? digits / (POW10[scale] ?? 10 ** scale) : digits) : Number.NaN;
      digits = 0;
      scale = -1;
      any = false;
      negative = false;
    } else if (c === 46) scale = 0;
    else if (c === 45) negative = true;
    else throw new Error(`unexpected character in packed standings: ${p[i]}`);
  }
  if (k !== out.length) throw new Error(`packed standings: ${k} values for ${rows} rows of ${columns}`);
  return out;
}
const POW10 = Array.from({ length: 23 }, (_, e) => 10 ** e);

/** Ballots of a category without a weight cannot be scored (ballotScore refuses them too). */
async function checkRoundCategories(tx: DbOrTx, campaignId: number, settings: CampaignSettings) {
  const rows = await queryRows<{ key: string }>(
    tx,
    sql`
    select distinct c->>'key' as key from ballots_v_released_rounds r
    cross join lateral jsonb_array_elements(coalesce(r.anonymity->'categories', '[]'::jsonb)) c
    where r.campaign_id = ${campaignId}
    union
    select distinct t.category from ballots_v_paper_entries t join ballots_v_released_rounds r on r.id = t.round_id
    where r.campaign_id = ${campaignId}`,
  );
  const known = new Set(settings.ballots.categories.map((c) => c.key));
  const unknown = rows.map((r) => r.key).filter((k) => k && !known.has(k));
  if (unknown.length) {
    throw new AppError(
      'UNKNOWN_CATEGORY',
      `测评中的评议人类别「${unknown.join('、')}」未在考核方案中设置权重，无法计算测评得分`,
      { field: 'ballots.categories' },
    );
  }
}

/** A PostgreSQL array literal ("{1,NULL,3}") for unnest: one parameter instead of one per value. */
const arrayText = (xs: ReadonlyArray<number | null>) => `{${xs.map((x) => (x === null ? 'NULL' : x)).join(',')}}`;

/**
 * cyrb53 (bryc, public domain): a 53-bit hash, exact as a JS number and as a bigint. hash53 hashes a string,
 * hashNumbers the 64-bit patterns of up to 16 numbers (null written as NaN). A province's 300,000 rows hash in a few
 * hundredths of a second; a text per row (join) cost 1–2 s and node:crypto's digests a Hash object per row.
 */
export function hash53(str: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return cyrb53Final(h1, h2);
}

const SCRATCH = new Float64Array(16);
const SCRATCH_WORDS = new Uint32Array(SCRATCH.buffer);

export function hashNumbers(values: ArrayLike<number>): number {
  if (values.length > SCRATCH.length) throw new Error(`hashNumbers: at most ${SCRATCH.length} values`);
  for (let j = 0; j < values.length; j++) SCRATCH[j] = values[j]!;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < values.length * 2; i++) {
    const w = SCRATCH_WORDS[i]!;
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
  }
  return cyrb53Final(h1, h2);
}

function cyrb53Final(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Position of each id in `ids` (undefined: not there). A campaign's reporters are mostly consecutive ids: an array
 * indexed by id − min finds them without hashing (1,500,000 lookups of a province); a Map when they are spread out.
 */
export function idIndex(ids: ArrayLike<number>): (id: number) => number | undefined {
  const n = ids.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    min = Math.min(min, ids[i]!);
    max = Math.max(max, ids[i]!);
  }
  if (n > 0 && max - min < 4 * n + 1024) {
    const at = new Int32Array(max - min + 1).fill(-1);
    for (let i = 0; i < n; i++) at[ids[i]! - min] = i;
    return (x) => (x >= min && x <= max && at[x - min]! >= 0 ? at[x - min] : undefined);
  }
  const at = new Map<number, number>();
  for (let i = 0; i < n; i++) at.set(ids[i]!, i);
  return (x) => at.get(x);
}

/**
 * Packed texts ("1,92.35,;…", see parsePacked) read as numbers: one statement with a scalar subquery per text, so the
 * sources are read in one snapshot and one round trip (one statement per text took about 1 s longer in all at 300,000
 * reporters: the server waited on the client between them).
 */
// One array per query, in the order given: the tuple type lets callers destructure them without an index check.
async function readPacked<const Q extends ReadonlyArray<readonly [ReturnType<typeof sql>, number]>>(
  tx: DbOrTx,
  queries: Q,
): Promise<{ -readonly [K in keyof Q]: Float64Array }> {
  const [row] = await queryRows<Record<string, string | null>>(
    tx,
    sql`select ${sql.join(
      queries.map(([query], k) => sql`(${query}) as ${sql.raw(`p${k}`)}`),
      sql`, `,
    )}`,
  );
  return queries.map(([, columns], k) => {
    const p = row?.[`p${k}`];
    return p ? parsePacked(p, columns) : new Float64Array(0);
  }) as { -readonly [K in keyof Q]: Float64Array };
}

const num = (x: number) => (Number.isNaN(x) ? null : x);

/**
 * Every input of the recompute per reporter, each source aggregated in SQL and read as one packed text (parsing
 * 300,000 rows of objects costs the driver seconds); the joins of the sources and the arithmetic are done in JS on
 * arrays: at 300,000 reporters the numeric arithmetic of the scores took PostgreSQL 1.3 s and joining five sources of
 * 300,000 rows about 2 s more. Reporters are the campaign's current ones in any order; `index` finds them by id.
 */
async function readInputs(tx: DbOrTx, campaignId: number, settings: CampaignSettings) {
  // Settings validation makes the category weights sum to 100; a campaign edited in the database could still have none.
  if (!settings.ballots.categories.some((c) => c.weight > 0)) {
    throw new AppError('BALLOT_WEIGHTS_ZERO', '考核方案中参评人员各类别权重均为0，无法计算测评得分', {
      field: 'ballots.categories',
    });
  }
  const repQ = [
    sql`
    with rep as (
      select cr.id, o.sector from campaigns_v_reporters cr join organizations_v_units o on o.id = cr.org_id
      where cr.campaign_id = ${campaignId} and cr.role = 'reporter' and cr.removed_at is null
    ), sectors as (select array_agg(distinct sector) as a from rep)
    select string_agg(concat_ws(',', id, array_position((select a from sectors), sector)), ';') as p from rep`,
    2,
  ] as const;
  // The tally rows themselves (reporter, category's position in the settings, counts), summed per reporter in JS:
  // grouping them in SQL with a column pair per category took 2.2 s at 300,000 reporters, reading them 0.9 s.
  // checkRoundCategories has refused categories the settings do not have.
  const keys = settings.ballots.categories.map((c) => c.key);
  const balQ = [
    sql`
    with ${ballotAggregate(campaignId)}
    select string_agg(concat_ws(',', reporter_id, array_position(${`{${keys.map((k) => JSON.stringify(k)).join(',')}}`}::text[], category),
      good, fair, average, poor, invalid), ';') as p
    from votes`,
    7,
  ] as const;
  // Completed field assessments as summed at submission (tallies.ts), matched on completed_at so a stale sum never
  // counts (one assignment per reporter).
  const fldQ = [
    sql`
    select string_agg(concat_ws(',', a.reporter_id, f.score, f.max_points), ';') as p
    from assessment_v_completed a
    join evaluation_field_tallies f on f.reporter_id = a.reporter_id and f.completed_at = a.completed_at
    where a.campaign_id = ${campaignId}`,
    3,
  ] as const;
  // Closed surveys as tallied once (tallies.ts): every known answer of the unit, all surveys together.
  const srvQ = [
    sql`
    select string_agg(concat_ws(',', reporter_id, points, answers), ';') as p from (
      select t.reporter_id, sum(t.points) as points, sum(t.answers) as answers
      from evaluation_survey_tallies t join surveys_v_closed s on s.id = t.survey_id
      where s.campaign_id = ${campaignId}
      group by t.reporter_id
    ) s`,
    3,
  ] as const;
  const inpQ = [
    sql`
    select string_agg(concat_ws(',', ei.reporter_id, coalesce(ei.daily_score::text, ''), coalesce(ei.report_score::text, '')), ';') as p
    from evaluation_inputs ei join campaigns_v_reporters cr on cr.id = ei.reporter_id
    where cr.campaign_id = ${campaignId}`,
    3,
  ] as const;
  // Stored rows, removed reporters' included (the delete below counts them).
  const storedQ = [
    sql`
    select string_agg(concat_ws(',', reporter_id, coalesce(fingerprint::text, '')), ';') as p
    from evaluation_results where campaign_id = ${campaignId}`,
    2,
  ] as const;
  const [rep, bal, fld, srv, inp, stored] = await readPacked(tx, [repQ, balQ, fldQ, srvQ, inpQ, storedQ]);
  const flaggedRows = await queryRows<{
    reporter_id: number;
    major_error: boolean | null;
    major_error_note: string | null;
    accountability: boolean | null;
    accountability_note: string | null;
  }>(
    tx,
    sql`
    select ei.reporter_id, ei.major_error, ei.major_error_note, ei.accountability, ei.accountability_note
    from evaluation_inputs ei join campaigns_v_reporters cr on cr.id = ei.reporter_id
    where cr.campaign_id = ${campaignId} and (ei.major_error or ei.accountability)`,
  );
  const n = rep.length / 2;
  const id = new Float64Array(n);
  const sector = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    id[i] = rep[i * 2]!;
    sector[i] = rep[i * 2 + 1]!;
  }
  const index = idIndex(id);
  // The stored fingerprint of reporter i (NaN: no row yet, or none stored); rows of removed reporters are only counted.
  const storedFp = new Float64Array(n).fill(Number.NaN);
  const hasRow = new Uint8Array(n);
  for (let j = 0; j < stored.length; j += 2) {
    const i = index(stored[j]!);
    if (i === undefined) continue;
    storedFp[i] = stored[j + 1]!;
    hasRow[i] = 1;
  }
  const flagged = new Map(flaggedRows.map((r) => [Number(r.reporter_id), r]));
  return {
    id,
    sector,
    index,
    bal,
    categories: settings.ballots.categories,
    points: settings.grading.points,
    fld,
    srv,
    inp,
    storedFp,
    hasRow,
    storedRows: stored.length / 2,
    flagged,
  };
}

type Inputs = Awaited<ReturnType<typeof readInputs>>;

/**
 * The components, composite and ballot counts of every reporter, with the domain's own arithmetic (ballotScore's
 * weightedBallotMean, compositeValue, round2): the stored scores are the domain's by construction.
 * Components: ballots, field, survey, daily, report, composite (NaN: missing).
 */
function scoreReporters(inputs: Inputs, weights: Partial<Record<Component, number>>) {
  const n = inputs.id.length;
  const C = 6;
  const comp = new Float64Array(n * C).fill(Number.NaN);
  const counts = new Int32Array(n * 5);
  const at = inputs.index;
  // Per reporter and category: valid ballots and their points. A weight-0 category (观察员) adds nothing to the score
  // (weightedBallotMean leaves it out); its ballots still count in the totals.
  const { bal, categories, points } = inputs;
  const K = categories.length;
  const valid = new Float64Array(n * K);
  const total = new Float64Array(n * K);
  for (let o = 0; o < bal.length; o += 7) {
    const i = at(bal[o]!);
    if (i === undefined) continue; // a reporter removed from the campaign after the round
    const k = bal[o + 1]! - 1;
    const good = bal[o + 2]!;
    const fair = bal[o + 3]!;
    const average = bal[o + 4]!;
    const poor = bal[o + 5]!;
    const invalid = bal[o + 6]!;
    counts[i * 5]! += good;
    counts[i * 5 + 1]! += fair;
    counts[i * 5 + 2]! += average;
    counts[i * 5 + 3]! += poor;
    counts[i * 5 + 4]! += invalid;
    valid[i * K + k]! += good + fair + average + poor;
    total[i * K + k]! += good * points.good + fair * points.fair + average * points.average + poor * points.poor;
  }
  const categoryWeights = categories.map((c) => c.weight);
  const t = new Float64Array(K);
  const v = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      t[k] = total[i * K + k]!;
      v[k] = valid[i * K + k]!;
    }
    comp[i * C] = weightedBallotMean(t, v, categoryWeights) ?? Number.NaN;
  }
  for (let o = 0; o < inputs.fld.length; o += 3) {
    const i = at(inputs.fld[o]!);
    const max = inputs.fld[o + 2]!;
    if (i !== undefined && max !== 0) comp[i * C + 1] = round2((100 * inputs.fld[o + 1]!) / max);
  }
  for (let o = 0; o < inputs.srv.length; o += 3) {
    const i = at(inputs.srv[o]!);
    const answers = inputs.srv[o + 2]!;
    if (i !== undefined && answers !== 0) comp[i * C + 2] = round2(inputs.srv[o + 1]! / answers);
  }
  for (let o = 0; o < inputs.inp.length; o += 3) {
    const i = at(inputs.inp[o]!);
    if (i === undefined) continue;
    comp[i * C + 3] = inputs.inp[o + 1]!;
    comp[i * C + 4] = inputs.inp[o + 2]!;
  }
  const composite = new Array<number | null>(n);
  const share = new Float64Array(n).fill(Number.NaN);
  const missingAt = new Array<number>(COMPONENTS.length).fill(0);
  const zeroWeight: number[] = [];
  const none: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * C;
    // The order of COMPONENTS: ballots, field, survey, daily, report.
    for (let j = 0; j < COMPONENTS.length; j++) if (Number.isNaN(comp[o + j]!)) missingAt[j]! += 1;
    const scores = {
      ballots: num(comp[o]!),
      field: num(comp[o + 1]!),
      survey: num(comp[o + 2]!),
      daily: num(comp[o + 3]!),
      report: num(comp[o + 4]!),
    };
    composite[i] = compositeValue(scores, weights);
    comp[o + 5] = composite[i] ?? Number.NaN;
    const valid = counts[i * 5]! + counts[i * 5 + 1]! + counts[i * 5 + 2]! + counts[i * 5 + 3]!;
    if (valid > 0) share[i] = roundHalfUp((counts[i * 5 + 2]! + counts[i * 5 + 3]!) / valid, 4);
    if (scores.ballots === null && valid > 0) zeroWeight.push(inputs.id[i]!);
    if (composite[i] === null) none.push(inputs.id[i]!);
  }
  const missing = Object.fromEntries(COMPONENTS.map((c, j) => [c, missingAt[j]!])) as Record<Component, number>;
  return {
    composite,
    missing,
    zeroWeight,
    none,
    /** good, fair, average, poor, invalid of reporter i at i * 5 …. */
    counts,
    /** The 14 written values of reporter i, in the order of the write's unnest, into `out` (null as NaN); returns 14. */
    fill(out: Float64Array, i: number, rank: number | null, sectorRank: number | null): number {
      for (let j = 0; j < C; j++) out[j] = comp[i * C + j]!;
      out[6] = rank ?? Number.NaN;
      out[7] = sectorRank ?? Number.NaN;
      for (let g = 0; g < 5; g++) out[8 + g] = counts[i * 5 + g]!;
      out[13] = share[i]!;
      return 14;
    },
    row(i: number, rank: number | null, sectorRank: number | null): Array<number | null> {
      const out = new Float64Array(14);
      this.fill(out, i, rank, sectorRank);
      return Array.from(out, num);
    },
  };
}

/** The changed rows, column by column, for the write's unnest. */
function emptyColumns() {
  const out = {
    ids: [] as number[],
    cols: Array.from({ length: 14 }, () => [] as Array<number | null>),
    keys: [] as number[],
    fps: [] as number[],
    inserted: 0,
    push(id: number, row: Array<number | null>, k: number, fp: number, isNew: boolean) {
      out.ids.push(id);
      row.forEach((x, j) => out.cols[j]!.push(x));
      out.keys.push(k);
      out.fps.push(fp);
      if (isNew) out.inserted += 1;
    },
  };
  return out;
}

/** The domain refuses a composite with every component missing, and ballots only in weight-0 categories. */
async function refuseIncomplete(
  tx: DbOrTx,
  rows: { zeroWeight: number[]; none: number[] },
  weights: Partial<Record<Component, number>>,
) {
  const names = async (ids: number[]) =>
    (
      await queryRows<{ name: string }>(
        tx,
        sql`
    select o.name from campaigns_v_reporters cr join organizations_v_units o on o.id = cr.org_id
    where cr.id = any(${arrayText(ids)}::int[]) order by o.code limit 6`,
      )
    ).map((r) => r.name);
  const list = (xs: string[]) => `${xs.slice(0, 5).join('、')}${xs.length > 5 ? '等' : ''}`;
  if (rows.zeroWeight.length) {
    throw new AppError(
      'BALLOT_WEIGHTS_ZERO',
      `${list(await names(rows.zeroWeight))}的有效测评票都来自权重为0的评议人类别，无法计算测评得分`,
    );
  }
  if (rows.none.length) {
    const parts = COMPONENTS.filter((c) => (weights[c] ?? 0) > 0)
      .map((c) => COMPONENT_LABELS[c])
      .join('、');
    throw new AppError(
      'COMPONENTS_MISSING',
      `${list(await names(rows.none))}的各项得分（${parts}）均缺失，无法计算综合得分；请先发布测评结果或录入得分`,
    );
  }
}

export { lockedError };
