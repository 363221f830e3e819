import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignSettings } from '../../src/domain/campaign-settings';
import { ballotScore, compositeScore, rank, round2, type Component } from '../../src/domain/composite';
import { suggestGrades } from '../../src/domain/grade-suggestion';
import { GRADES, SURVEY_LEVEL_POINTS, type Grade } from '../../src/domain/grades';
import type { Db } from '../../src/server/db/connect';
import { queryRows } from '../../src/server/db/connect';
import { ballotRounds, ballots, campaigns, evaluationInputs } from '../../src/server/db/schema';
import { recomputeEvaluation } from '../../src/server/modules/evaluation/recompute';
import { tallyReleasedRound } from '../../src/server/modules/evaluation/tallies';
import { buildCampaign, buildMeeting, buildOrg, buildSecretary, buildTwoCounties, setupTestApp } from '../factories';

// The recompute reads released rounds and closed surveys through the tallies written once (tallies.ts, migration 0015).
// These tests hold its results to an independent computation from the raw ballots and answers with the domain
// functions, on the township seed (003: 20 reporters), with two ballot categories, paper-free, and a survey.
// The tests count rows of whole tables (tallies, marks), so each starts from its own database with the seed built anew
// (beforeEach) and runs what it needs before it (a first recompute), in any order.

type Counts = Partial<Record<Grade, number>>;
let t: Awaited<ReturnType<typeof setupTestApp>>;
const db = () => t.db as Db;
const now = new Date('2026-01-20T02:00:00Z');

let campaignId: number;
let settings: CampaignSettings;
let reporters: Array<{ id: number; sector: string }>;
let roundId: number;
let openSurveyId: number;
let closedSurveyId: number;

async function insertRound(votes: Map<number, Record<string, Counts>>) {
  const meeting = await buildMeeting(db(), { campaignId });
  const [round] = await db()
    .insert(ballotRounds)
    .values({
      meetingId: meeting.id,
      mode: 'real',
      state: 'released',
      roomCode: '482913',
      anonymity: {
        minGroupSize: 5,
        categories: settings.ballots.categories.map((c) => ({ key: c.key, label: c.label })),
      },
    })
    .returning();
  const rows: Array<typeof ballots.$inferInsert> = [];
  for (const [reporterId, byCategory] of votes) {
    for (const [category, counts] of Object.entries(byCategory)) {
      for (const g of GRADES)
        for (let i = 0; i < (counts[g] ?? 0); i++) rows.push({ roundId: round!.id, reporterId, category, grade: g });
    }
  }
  for (let i = 0; i < rows.length; i += 1000)
    await db()
      .insert(ballots)
      .values(rows.slice(i, i + 1000));
  return round!.id;
}

const LEVELS = ['satisfied', 'fairly_satisfied', 'basically_satisfied', 'dissatisfied'] as const;

beforeEach(async () => {
  t = await setupTestApp();
  const world = await buildTwoCounties(db());
  const town = await buildOrg(db(), {
    parent: world.countyA,
    name: '清水河镇党委',
    kind: 'committee',
    level: 'township',
  });
  const villages = [];
  for (let i = 1; i <= 20; i++) {
    villages.push(
      await buildOrg(db(), {
        parent: town,
        name: `清水河镇第${i}村党支部`,
        code: `QSH-${String(i).padStart(2, '0')}`,
        sector: i % 4 === 0 ? 'community' : 'rural',
      }),
    );
  }
  for (const v of villages) await buildSecretary(db(), v.id, { name: `${v.name.slice(-6, -4)}书记` });
  const campaign = await buildCampaign(db(), {
    organizerOrgId: town.id,
    templateId: '003',
    state: 'published',
    reporterOrgIds: villages.map((v) => v.id),
  });
  campaignId = campaign.id;
  const s = structuredClone(campaign.settings) as CampaignSettings;
  s.grading.compositeWeights = { ballots: 50, field: 0, survey: 30, daily: 20, report: 0 };
  await db().update(campaigns).set({ settings: s }).where(eq(campaigns.id, campaignId));
  settings = s;
  reporters = (
    await queryRows<{ id: number; sector: string }>(
      db(),
      sql`
    select cr.id, o.sector from campaign_reporters cr join organizations o on o.id = cr.org_id
    where cr.campaign_id = ${campaignId} order by cr.id`,
    )
  ).map((r) => ({ id: Number(r.id), sector: r.sector }));

  // The township seed (003): 20 committee ballots each; #3 and #11 have 3 一般/差 (15% → automatic 差), #7 exactly 2
  // (10%, not above); every third reporter also has 下评 ballots of another weighted category.
  const weighted = s.ballots.categories.filter((c) => c.weight > 0).map((c) => c.key);
  const other = weighted.find((k) => k !== 'committee')!;
  const votes = new Map<number, Record<string, Counts>>();
  reporters.forEach((r, i) => {
    const k = i + 1;
    const low = k === 3 || k === 11 ? 3 : k === 7 ? 2 : 0;
    const byCategory: Record<string, Counts> = {
      committee: { good: 20 - low - (k % 5), fair: k % 5, average: low > 0 ? 1 : 0, poor: Math.max(0, low - 1) },
    };
    if (k % 3 === 0) byCategory[other] = { good: 4 + (k % 4), fair: 2, average: k % 2, poor: 0 };
    votes.set(r.id, byCategory);
  });
  roundId = await insertRound(votes);

  const survey = async (state: string) =>
    (
      await queryRows<{ id: number }>(
        db(),
        sql`
    insert into surveys (campaign_id, title, state, sample_size, seed, closed_at)
    values (${campaignId}, '满意度调查', ${state}, 100, 'test', ${state === 'closed' ? now.toISOString() : null}) returning id`,
      )
    )[0]!.id;
  closedSurveyId = await survey('closed');
  openSurveyId = await survey('open');
  // 6 responses of 3 answers per unit for the first 18 units (the last two have no survey score); one answer in
  // seven is an unknown level, which counts in neither sum. The open survey's responses must not count at all.
  for (const [n, r] of reporters.slice(0, 18).entries()) {
    for (let j = 0; j < 6; j++) {
      const answers: Record<string, string> = {};
      for (let q = 1; q <= 3; q++)
        answers[String(q)] = (n + j + q) % 7 === 0 ? 'unknown' : LEVELS[(n * 3 + j * 2 + q) % 4]!;
      await db().execute(sql`insert into survey_responses (survey_id, reporter_id, answers, source)
        values (${closedSurveyId}, ${r.id}, ${JSON.stringify(answers)}::jsonb, 'link'),
               (${openSurveyId}, ${r.id}, '{"1":"dissatisfied"}'::jsonb, 'paper')`);
    }
  }
  await db()
    .insert(evaluationInputs)
    .values(
      reporters.map((r, i) => ({
        reporterId: r.id,
        campaignId,
        dailyScore: 60 + i * 1.5,
        majorError: i === 14,
        majorErrorNote: i === 14 ? '村集体资金管理出现重大失误' : null,
        accountability: i === 17,
        accountabilityNote: i === 17 ? '因党建工作不力被诫勉谈话' : null,
      })),
    );
}, 120_000);
afterEach(async () => t?.close());

/** The evaluation from the raw rows with the domain functions only (no tally, no SQL arithmetic). */
async function expected(list = reporters) {
  const phone = await queryRows<{ reporter_id: number; category: string; grade: Grade; n: number }>(
    db(),
    sql`
    select b.reporter_id, b.category, b.grade, count(*)::int as n from ballots b join ballot_rounds r on r.id = b.round_id
    join meetings m on m.id = r.meeting_id where m.campaign_id = ${campaignId} and r.state = 'released' group by 1, 2, 3`,
  );
  const answers = await queryRows<{ reporter_id: number; answers: Record<string, string> }>(
    db(),
    sql`
    select r.reporter_id, r.answers from survey_responses r join surveys s on s.id = r.survey_id
    where s.campaign_id = ${campaignId} and s.state = 'closed'`,
  );
  const inputs = await queryRows<{
    reporter_id: number;
    daily_score: string;
    major_error_note: string | null;
    accountability_note: string | null;
  }>(
    db(),
    sql`
    select reporter_id, daily_score, major_error_note, accountability_note from evaluation_inputs where campaign_id = ${campaignId}`,
  );
  const categoryWeights = Object.fromEntries(settings.ballots.categories.map((c) => [c.key, c.weight]));
  const weights = settings.grading.compositeWeights as Partial<Record<Component, number>>;
  const rows = list.map((r) => {
    const cats = new Map<string, Record<Grade, number>>();
    for (const b of phone.filter((x) => Number(x.reporter_id) === r.id)) {
      const c = cats.get(b.category) ?? { good: 0, fair: 0, average: 0, poor: 0 };
      c[b.grade] += Number(b.n);
      cats.set(b.category, c);
    }
    const ballots = ballotScore(
      [...cats].map(([category, counts]) => ({ category, counts })),
      { gradePoints: settings.grading.points, categoryWeights },
    );
    const points = answers
      .filter((a) => Number(a.reporter_id) === r.id)
      .flatMap((a) => Object.values(a.answers))
      .filter((v): v is keyof typeof SURVEY_LEVEL_POINTS => v in SURVEY_LEVEL_POINTS)
      .map((v) => SURVEY_LEVEL_POINTS[v]);
    const survey = points.length ? round2(points.reduce((x, y) => x + y, 0) / points.length) : null;
    const input = inputs.find((x) => Number(x.reporter_id) === r.id)!;
    const daily = Number(input.daily_score);
    const counts = Object.fromEntries(
      GRADES.map((g) => [g, [...cats.values()].reduce((sum, c) => sum + c[g], 0)]),
    ) as Record<Grade, number>;
    return {
      r,
      ballots,
      survey,
      daily,
      counts,
      input,
      composite: compositeScore({ ballots, survey, daily }, weights).score,
    };
  });
  const ranked = rank(rows, (x) => x.composite!, { groupOf: (x) => x.r.sector });
  const suggestion = suggestGrades(
    ranked.map((x) => ({
      reporterId: String(x.item.r.id),
      rank: x.rank,
      ballots: { counts: x.item.counts },
      majorError: x.item.input.major_error_note,
      accountability: x.item.input.accountability_note,
    })),
    { quotaRules: settings.grading.quotas, autoPoor: settings.grading.autoPoor },
  );
  return { ranked, suggestion };
}

const stored = () =>
  queryRows<any>(
    db(),
    sql`
  select reporter_id, components, composite, rank, sector_rank, ballot_counts, average_or_poor_share, auto_poor_reasons,
    suggested_grade, suggestion_reasons, updated_at from evaluation_results where campaign_id = ${campaignId} order by reporter_id`,
  );

describe('evaluation recompute over the tallies (township seed, 20 reporters)', () => {
  it('R-GRADE-1 R-GRADE-3 results equal the domain on the raw ballots and answers: 4 automatic 差, open survey ignored', async () => {
    const summary = await recomputeEvaluation(db(), campaignId, { now });
    expect(summary.n).toBe(20);
    expect(summary.autoPoor).toBe(4);
    expect(summary.missing).toEqual({ ballots: 0, survey: 2, daily: 0 });
    const rows = await stored();
    expect(rows).toHaveLength(20);
    const { ranked, suggestion } = await expected();
    for (const x of ranked) {
      const row = rows.find((r) => Number(r.reporter_id) === x.item.r.id);
      expect(row.components.ballots === null ? null : Number(row.components.ballots)).toBe(x.item.ballots);
      expect(row.components.survey === null ? null : Number(row.components.survey)).toBe(x.item.survey);
      expect(Number(row.components.daily)).toBe(x.item.daily);
      expect(Number(row.composite)).toBe(x.item.composite);
      expect(row.rank).toBe(x.rank);
      expect(row.sector_rank).toBe(x.groupRank);
      expect(row.ballot_counts).toEqual({ ...x.item.counts, invalid: 0 });
    }
    for (const g of suggestion.grades) {
      const row = rows.find((r) => String(r.reporter_id) === g.reporterId);
      expect(row.suggested_grade).toBe(g.grade);
      expect(row.auto_poor_reasons).toEqual(g.autoReasons);
      expect(row.suggestion_reasons).toEqual([g.explanation]);
    }
    // The seed's expected automatic 差: #3 and #11 by ballots, #15 major error, #18 accountability.
    const auto = rows
      .filter((r) => r.auto_poor_reasons.length > 0)
      .map((r) => Number(r.reporter_id))
      .sort((a, b) => a - b);
    expect(auto).toEqual([3, 11, 15, 18].map((k) => reporters[k - 1]!.id));
    // A survey score by hand for one unit, so the test does not only compare two computations: reporter 1's answers.
    const answers = (
      await queryRows<{ answers: Record<string, string> }>(
        db(),
        sql`
      select answers from survey_responses where survey_id = ${closedSurveyId} and reporter_id = ${reporters[0]!.id}`,
      )
    )
      .flatMap((a) => Object.values(a.answers))
      .filter((v) => v !== 'unknown') as Array<keyof typeof SURVEY_LEVEL_POINTS>;
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThan(18); // some unknown answers were dropped
    const mean = answers.reduce((s, v) => s + SURVEY_LEVEL_POINTS[v], 0) / answers.length;
    expect(Number(rows.find((r) => Number(r.reporter_id) === reporters[0]!.id).components.survey)).toBe(round2(mean));
  });

  it('the tallies hold counts only, equal the raw ballots and answers, and mark every final source once', async () => {
    await recomputeEvaluation(db(), campaignId, { now });
    const cols = await queryRows<{ table_name: string; column_name: string }>(
      db(),
      sql`
      select table_name, column_name from information_schema.columns
      where table_name in ('evaluation_ballot_tallies', 'evaluation_survey_tallies') order by table_name, ordinal_position`,
    );
    expect(cols.map((c) => `${c.table_name}.${c.column_name}`)).toEqual([
      'evaluation_ballot_tallies.round_id',
      'evaluation_ballot_tallies.reporter_id',
      'evaluation_ballot_tallies.category',
      'evaluation_ballot_tallies.good',
      'evaluation_ballot_tallies.fair',
      'evaluation_ballot_tallies.average',
      'evaluation_ballot_tallies.poor',
      'evaluation_survey_tallies.survey_id',
      'evaluation_survey_tallies.reporter_id',
      'evaluation_survey_tallies.points',
      'evaluation_survey_tallies.answers',
    ]);
    const diff = await queryRows<{ n: number }>(
      db(),
      sql`
      select count(*)::int as n from (
        (select round_id, reporter_id, category, count(*) filter (where grade = 'good')::int, count(*) filter (where grade = 'fair')::int,
           count(*) filter (where grade = 'average')::int, count(*) filter (where grade = 'poor')::int
         from ballots where round_id = ${roundId} group by 1, 2, 3
         except select round_id, reporter_id, category, good, fair, average, poor from evaluation_ballot_tallies)
        union all
        (select round_id, reporter_id, category, good, fair, average, poor from evaluation_ballot_tallies
         except select round_id, reporter_id, category, count(*) filter (where grade = 'good')::int, count(*) filter (where grade = 'fair')::int,
           count(*) filter (where grade = 'average')::int, count(*) filter (where grade = 'poor')::int
         from ballots where round_id = ${roundId} group by 1, 2, 3)) d`,
    );
    expect(diff[0]!.n).toBe(0);
    const tallied = await queryRows<{ kind: string; source_id: number }>(
      db(),
      sql`select kind, source_id from evaluation_tallied order by kind, source_id`,
    );
    expect(tallied.map((x) => `${x.kind}:${x.source_id}`)).toEqual([`round:${roundId}`, `survey:${closedSurveyId}`]);
    const surveyRows = await queryRows<{ n: number; answers: number }>(
      db(),
      sql`
      select count(*)::int as n, sum(answers)::int as answers from evaluation_survey_tallies where survey_id = ${closedSurveyId}`,
    );
    expect(surveyRows[0]).toEqual({ n: 18, answers: expect.any(Number) });
    expect(
      await queryRows(db(), sql`select 1 from evaluation_survey_tallies where survey_id = ${openSurveyId}`),
    ).toHaveLength(0);

    // A released round with no ballots is marked as tallied; tallying a round again (release, then a recompute) writes nothing.
    const empty = await insertRound(new Map());
    await tallyReleasedRound(db(), campaignId, empty);
    await tallyReleasedRound(db(), campaignId, roundId);
    const [again] = await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from evaluation_ballot_tallies`);
    const [marks] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from evaluation_tallied where kind = 'round'`,
    );
    expect(marks!.n).toBe(2);
    expect(again!.n).toBe(
      Number(
        (
          await queryRows<{ n: number }>(
            db(),
            sql`
      select count(*)::int as n from (select distinct reporter_id, category from ballots where round_id = ${roundId}) x`,
          )
        )[0]!.n,
      ),
    );
  });

  it('a recompute with nothing changed rewrites no row; a changed input rewrites only the rows whose figures change', async () => {
    await recomputeEvaluation(db(), campaignId, { now });
    const before = await stored();
    await recomputeEvaluation(db(), campaignId, { now: new Date('2026-01-21T02:00:00Z') });
    const same = await stored();
    expect(same).toEqual(before);
    // Reporter 20 (no survey score, lowest 平时) moves to the top: its rank changes and those it passes too.
    await db()
      .update(evaluationInputs)
      .set({ dailyScore: 100 })
      .where(eq(evaluationInputs.reporterId, reporters[19]!.id));
    const later = new Date('2026-01-22T02:00:00Z');
    await recomputeEvaluation(db(), campaignId, { now: later });
    const after = await stored();
    const changed = after.filter(
      (r, i) => JSON.stringify({ ...r, updated_at: null }) !== JSON.stringify({ ...before[i], updated_at: null }),
    );
    expect(changed.length).toBeGreaterThan(0);
    for (const [i, r] of after.entries()) {
      const didChange = changed.includes(r);
      expect(new Date(r.updated_at).getTime()).toBe(
        didChange ? later.getTime() : new Date(before[i].updated_at).getTime(),
      );
    }
    const { ranked } = await expected();
    for (const x of ranked) expect(after.find((r) => Number(r.reporter_id) === x.item.r.id).rank).toBe(x.rank);

    // An organization moved to another sector: only sector ranks change (no score, rank or suggestion does), and
    // those rows are rewritten too (the fingerprint covers every computed column, not only what the page shows).
    const moved = reporters[1]!;
    const other = moved.sector === 'rural' ? 'community' : 'rural';
    await db().execute(
      sql`update organizations set sector = ${other} where id = (select org_id from campaign_reporters where id = ${moved.id})`,
    );
    moved.sector = other;
    await recomputeEvaluation(db(), campaignId, { now: new Date('2026-01-23T02:00:00Z') });
    const resectored = await stored();
    const { ranked: again } = await expected();
    for (const x of again)
      expect(resectored.find((r) => Number(r.reporter_id) === x.item.r.id).sector_rank, `reporter ${x.item.r.id}`).toBe(
        x.groupRank,
      );
    expect(resectored.filter((r, i) => r.sector_rank !== after[i].sector_rank).length).toBeGreaterThan(1);
  });

  it('a reporter removed from the campaign leaves the results; its ballots no longer count; the others rank without it', async () => {
    const gone = reporters[4]!;
    await db().execute(sql`update campaign_reporters set removed_at = now() where id = ${gone.id}`);
    const summary = await recomputeEvaluation(db(), campaignId, { now: new Date('2026-01-24T02:00:00Z') });
    expect(summary.n).toBe(19);
    const rows = await stored();
    expect(rows.map((r) => Number(r.reporter_id))).toEqual(reporters.filter((r) => r !== gone).map((r) => r.id));
    const { ranked, suggestion } = await expected(reporters.filter((r) => r !== gone));
    for (const x of ranked)
      expect(rows.find((r) => Number(r.reporter_id) === x.item.r.id).rank, `reporter ${x.item.r.id}`).toBe(x.rank);
    for (const g of suggestion.grades)
      expect(rows.find((r) => String(r.reporter_id) === g.reporterId).suggested_grade).toBe(g.grade);
    expect(summary.autoPoor).toBe(suggestion.grades.filter((g) => g.autoReasons.length).length);

    await db().execute(sql`update campaign_reporters set removed_at = null where id = ${gone.id}`);
    expect((await recomputeEvaluation(db(), campaignId, { now: new Date('2026-01-25T02:00:00Z') })).n).toBe(20);
    expect(await stored()).toHaveLength(20);
  });

  it('R-GRADE-1 field scores count as summed for the current submission: missing sums are made, stale ones never count', async () => {
    const s = structuredClone(settings);
    s.grading.compositeWeights = { ballots: 40, field: 30, survey: 20, daily: 10, report: 0 };
    await db().update(campaigns).set({ settings: s }).where(eq(campaigns.id, campaignId));
    const one = async <T>(q: ReturnType<typeof sql>) => (await queryRows<T>(db(), q))[0]!;
    const { id: checklistId } = await one<{ id: number }>(sql`
      insert into checklists (campaign_id, title) values (${campaignId}, '村党组织考核细则') returning id`);
    const items = await queryRows<{ id: number }>(
      db(),
      sql`
      insert into checklist_items (checklist_id, section, position, title, max_points, method)
      values (${checklistId}, '组织建设', 1, '三会一课', 10, 'documents'), (${checklistId}, '阵地建设', 2, '活动场所', 15, 'site')
      returning id`,
    );
    const { id: teamId } = await one<{ id: number }>(
      sql`insert into assessment_teams (campaign_id, name) values (${campaignId}, '第一组') returning id`,
    );
    const five = reporters.slice(0, 5);
    const scores = [
      [8, 12],
      [10, 15],
      [6.5, 9],
      [0, 0],
      [9, 14],
    ];
    for (const [i, r] of five.entries()) {
      // Completed directly (older data or an import): no tally written; the fifth is still being scored.
      await db().execute(sql`insert into assessment_assignments (team_id, reporter_id, completed_at)
        values (${teamId}, ${r.id}, ${i < 4 ? '2026-01-15T02:00:00Z' : null})`);
      for (const [k, item] of items.entries()) {
        await db().execute(sql`insert into field_scores (reporter_id, item_id, score, scored_at)
          values (${r.id}, ${item.id}, ${scores[i]![k]!}, now())`);
      }
    }
    const field = async () => {
      const rows = await stored();
      return five.map((r) => {
        const v = rows.find((x) => Number(x.reporter_id) === r.id).components.field;
        return v === null ? null : Number(v);
      });
    };
    await recomputeEvaluation(db(), campaignId, { now });
    // 100 × points / 25, half up to two decimals; the one still being scored has none.
    expect(await field()).toEqual([80, 100, 62, 0, null]);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from evaluation_field_tallies`)).n).toBe(4);

    // Reopened and resubmitted with a new score, directly: the old sum's completed_at no longer matches, so it is redone.
    await db().execute(
      sql`update field_scores set score = 4 where reporter_id = ${five[0]!.id} and item_id = ${items[0]!.id}`,
    );
    await db().execute(
      sql`update assessment_assignments set completed_at = '2026-01-16T02:00:00Z' where reporter_id = ${five[0]!.id}`,
    );
    // Reopened and not resubmitted: its sum is left behind but must not count.
    await db().execute(sql`update assessment_assignments set completed_at = null where reporter_id = ${five[1]!.id}`);
    await recomputeEvaluation(db(), campaignId, { now });
    expect(await field()).toEqual([64, null, 62, 0, null]);
  });
});
