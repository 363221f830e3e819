import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignSettings } from '../../src/domain/campaign-settings';
import { ballotScore, compositeScore, rank, type Component } from '../../src/domain/composite';
import { suggestGrades } from '../../src/domain/grade-suggestion';
import { GRADES, type Grade } from '../../src/domain/grades';
import type { Db } from '../../src/server/db/connect';
import { queryRows } from '../../src/server/db/connect';
import {
  ballotPaperTallies,
  ballotRounds,
  ballots,
  campaigns,
  evaluationInputs,
  gradeChanges,
} from '../../src/server/db/schema';
import { recomputeEvaluation } from '../../src/server/modules/evaluation/recompute';
import {
  buildCampaign,
  buildMeeting,
  buildOrg,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';

const HAN = /[\u4e00-\u9fa5]/;
type Counts = Partial<Record<Grade, number>>;
type Votes = Record<string, Counts>; // category → grade counts

let t: Awaited<ReturnType<typeof setupTestApp>>;
let world: Awaited<ReturnType<typeof buildTwoCounties>>;
const db = () => t.db as Db;

/** A released real round of a fresh meeting of the campaign, with the given phone ballots inserted directly. */
async function releasedRound(campaignId: number, votes: Map<number, Votes>, settings: CampaignSettings) {
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
  return round!;
}

async function setSettings(campaignId: number, change: (s: CampaignSettings) => void) {
  const [c] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
  const s = structuredClone(c!.settings) as CampaignSettings;
  change(s);
  await db().update(campaigns).set({ settings: s }).where(eq(campaigns.id, campaignId));
  return s;
}

/** The township of the 003 seed: 20 village reporters, 20 committee ballots each unless stated. */
async function township(opts: { n: number; name: string }) {
  const { countyA } = world;
  const town = await buildOrg(db(), {
    parent: countyA,
    name: `${opts.name}镇党委`,
    kind: 'committee',
    level: 'township',
  });
  const villages = [];
  for (let i = 1; i <= opts.n; i++) {
    villages.push(
      await buildOrg(db(), {
        parent: town,
        name: `${opts.name}镇第${i}村党支部`,
        code: `${opts.name}-${String(i).padStart(2, '0')}`,
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
    open: ['evaluation'],
  });
  const reporters = await queryRows<{ id: number; org_id: number }>(
    db(),
    sql`
    select id, org_id from campaign_reporters where campaign_id = ${campaign.id} order by id`,
  );
  return {
    town,
    villages,
    campaign,
    reporters: reporters.map((r) => ({ id: r.id, orgId: r.org_id })),
    settings: campaign.settings as CampaignSettings,
  };
}

let admin: Session;
let leader: Session;
let otherAdmin: Session;
let secretary: Session;
let T: Awaited<ReturnType<typeof township>>;

/**
 * Every test starts from its own database (the two counties and their administrators). The township story below builds
 * its township in a beforeEach of its own, and each of its tests first replays the steps of the story it stands on
 * (the helpers after seedVotes: the seed round, the mixed-in ballots, the quota, the override, the import, the lock),
 * so tests run in any order: they count grade changes and audit actions of the whole database.
 */
beforeEach(async () => {
  t = await setupTestApp();
  world = await buildTwoCounties(db());
  const a = await buildUser(db(), { role: 'org_admin', scopeOrgId: world.countyA.id });
  const o = await buildUser(db(), { role: 'org_admin', scopeOrgId: world.countyB.id });
  admin = await signIn(t.app, a.username);
  otherAdmin = await signIn(t.app, o.username);
}, 120_000);
afterEach(async () => t?.close());

/** The township story's own township (20 villages) with its leader and the first village's secretary. */
async function storyTownship() {
  T = await township({ n: 20, name: '无定河' });
  const l = await buildUser(db(), { role: 'leader', scopeOrgId: T.town.id });
  const s = await buildUser(db(), { role: 'secretary', orgId: T.villages[0]!.id });
  leader = await signIn(t.app, l.username);
  secretary = await signIn(t.app, s.username);
}

const url = (campaignId: number, rest = '') => `/api/campaigns/${campaignId}/evaluation${rest}`;

/**
 * Ballots of the township seed case (R-GRADE-3): reporter k (1-based) gets 20 committee ballots; #3 and #11 have
 * 3 一般/差 (15% > 10% → automatic 差), #7 has exactly 2 (10%, not above → not automatic), #15 has a major error
 * and #18 an accountability case recorded by the organizer.
 */
function seedVotes(reporters: Array<{ id: number }>) {
  const votes = new Map<number, Votes>();
  reporters.forEach((r, i) => {
    const k = i + 1;
    const low = k === 3 || k === 11 ? 3 : k === 7 ? 2 : 0;
    const good = 20 - low - (k % 5);
    votes.set(r.id, { committee: { good, fair: k % 5, average: low > 0 ? 1 : 0, poor: Math.max(0, low - 1) } });
  });
  return votes;
}

const ok = <R extends { statusCode: number; body: string }>(res: R) => {
  if (res.statusCode !== 200) throw new Error(res.body);
  return res;
};

/** Step 1: the seed round released and the 平时掌握 scores (distinct, one major error, one accountability case). */
const saveSeedInputs = () =>
  admin.put(url(T.campaign.id, '/inputs'), {
    rows: T.reporters.map((rep, i) => ({
      reporterId: rep.id,
      dailyScore: 60 + i * 1.5,
      dailyNote: i === 14 ? '日常掌握较好' : null,
      majorError: i === 14,
      majorErrorNote: i === 14 ? '村集体资金管理出现重大失误' : null,
      accountability: i === 17,
      accountabilityNote: i === 17 ? '因党建工作不力被诫勉谈话' : null,
    })),
  });
async function seedStep() {
  await releasedRound(T.campaign.id, seedVotes(T.reporters), T.settings);
  ok(await saveSeedInputs());
  ok(await admin.post(url(T.campaign.id, '/recompute')));
}

const PAPER = { good: 4, fair: 1, average: 0, poor: 0, invalid: 1 };
/**
 * Step 2: other categories mixed in with their weights, a matched paper tally (reporter 3) and a mismatched one
 * (reporter 6), and new 平时掌握/述职评议 scores for the first ten; recomputed.
 */
async function mixedStep() {
  const extra = new Map<number, Votes>();
  T.reporters.forEach((rep, i) => {
    if (i % 3 === 0)
      extra.set(rep.id, { deputies: { good: 3 + (i % 4), fair: 2, average: i % 2, poor: 0 }, observers: { poor: 2 } });
    if (i % 3 === 1) extra.set(rep.id, { grassroots: { good: 5, fair: i % 5, average: 1, poor: 0 } });
  });
  const round = await releasedRound(T.campaign.id, extra, T.settings);
  const clerk1 = await buildUser(db(), { role: 'org_admin', scopeOrgId: T.town.id });
  const clerk2 = await buildUser(db(), { role: 'org_admin', scopeOrgId: T.town.id });
  const paper = (
    reporterId: number,
    entryNo: number,
    counts: Record<string, number>,
    by: number,
    problems: string[] = [],
  ) =>
    db()
      .insert(ballotPaperTallies)
      .values({ roundId: round.id, reporterId, category: 'grassroots', entryNo, counts, problems, enteredBy: by });
  await paper(T.reporters[2]!.id, 1, PAPER, clerk1.id, [' 问题一 ', '问题二']);
  await paper(T.reporters[2]!.id, 2, PAPER, clerk2.id, ['问题二', '问题一']);
  await paper(T.reporters[5]!.id, 1, PAPER, clerk1.id);
  await paper(T.reporters[5]!.id, 2, { ...PAPER, good: 5 }, clerk2.id);
  await db()
    .insert(evaluationInputs)
    .values(
      T.reporters.slice(0, 10).map((rep, i) => ({
        reporterId: rep.id,
        campaignId: T.campaign.id,
        dailyScore: 70 + i * 2.5,
        reportScore: i % 2 ? 88.5 : null,
      })),
    )
    .onConflictDoUpdate({
      target: evaluationInputs.reporterId,
      set: { dailyScore: sql`excluded.daily_score`, reportScore: sql`excluded.report_score` },
    });
  return recomputeEvaluation(db(), T.campaign.id, { now: t.clock.now() });
}

/** Step 3, as it ends: 好 ≤ 1/3 (rounded down, hard) is the campaign's only quota; recomputed. */
async function quotaStep() {
  await setSettings(T.campaign.id, (s) => {
    s.grading.quotas = [{ grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor', hard: true }];
  });
  ok(await admin.post(url(T.campaign.id, '/recompute')));
}

/** Step 4: the first 好 overridden to 较好 with a reason, the leader's question and the written opinion on it. */
async function overrideStep() {
  const page = (await admin.get(url(T.campaign.id, '?limit=500'))).json();
  const target = page.items.find((x: { suggestedGrade: string }) => x.suggestedGrade === 'good');
  ok(
    await admin.put(url(T.campaign.id, `/results/${target.reporterId}/decision`), {
      grade: 'fair',
      reason: '群众反映村务公开不及时',
    }),
  );
  ok(
    await leader.put(url(T.campaign.id, `/results/${target.reporterId}/review`), {
      stance: 'question',
      note: '请核实',
    }),
  );
  ok(
    await admin.put(url(T.campaign.id, `/results/${target.reporterId}/opinion`), {
      achievements: '党建引领产业发展成效明显',
      problems: '村务公开不及时',
      direction: '规范“三务”公开',
    }),
  );
}

/** The inputs template downloaded, `edit`ed and uploaded again. */
async function importInputs(edit: (ws: ExcelJS.Worksheet) => void) {
  const tpl = await admin.get(url(T.campaign.id, '/inputs/template.xlsx'));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
  edit(wb.worksheets[0]!);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const boundary = '----evalboundary';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="in.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    buffer,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return admin.request({
    method: 'POST',
    url: url(T.campaign.id, '/inputs/import'),
    payload: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

/** Step 5: a minute later, the first village's 平时掌握 imported from the template (77.5, with a note). */
async function importStep() {
  t.clock.advance(60_000);
  ok(
    await importInputs((ws) => {
      ws.getRow(2).getCell(3).value = 77.5;
      ws.getRow(2).getCell(4).value = '导入的说明';
    }),
  );
}

/** Step 6: recomputed and locked by the township committee. */
async function lockStep() {
  ok(await admin.post(url(T.campaign.id, '/recompute')));
  ok(await admin.post(url(T.campaign.id, '/lock'), { confirm: true, decisionNote: '2026年1月15日镇党委会议研究确定' }));
}

describe('evaluation — township seed (003), 20 reporters', () => {
  beforeEach(storyTownship, 120_000);

  it('R-GRADE-3 R-GRADE-2 the township seed: 20 reporters → automatic 差 for >10% 一般+差, major error and accountability; 较好及以下 ≥ 40%', async () => {
    await releasedRound(T.campaign.id, seedVotes(T.reporters), T.settings);
    const r = (k: number) => T.reporters[k - 1]!.id;
    // Distinct 平时掌握 scores, so no two composites tie (ties are tested below).
    const save = await saveSeedInputs();
    expect(save.statusCode, save.body).toBe(200);
    const res = await admin.post(url(T.campaign.id, '/recompute'));
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json();
    expect(summary.n).toBe(20);
    expect(summary.autoPoor).toBe(4);
    // 003: 较好及以下 ≥ 40% of 20 → 8 (round); the suggestion gives exactly that many, the best 12 get 好.
    expect(summary.checks).toEqual([expect.objectContaining({ bound: 8, actual: 8, ok: true, hard: false })]);
    expect(summary.bins).toBe('符合等次比例要求');

    const page = (await admin.get(url(T.campaign.id, '?limit=500'))).json();
    const byId = new Map(page.items.map((x: { reporterId: number }) => [x.reporterId, x]));
    const auto = page.items
      .filter((x: { autoPoorReasons: string[] }) => x.autoPoorReasons.length > 0)
      .map((x: { reporterId: number }) => x.reporterId);
    expect(auto.sort((a: number, b: number) => a - b)).toEqual([r(3), r(11), r(15), r(18)].sort((a, b) => a - b));
    expect((byId.get(r(3)) as any).autoPoorReasons[0]).toBe('现场测评“一般”“差”票3张，占有效票15%，超过10%');
    expect((byId.get(r(7)) as any).autoPoorReasons).toEqual([]);
    expect((byId.get(r(15)) as any).autoPoorReasons[0]).toContain('村集体资金管理出现重大失误');
    expect((byId.get(r(18)) as any).suggestedGrade).toBe('poor');
    const counts = GRADES.map(
      (g) => page.items.filter((x: { suggestedGrade: Grade }) => x.suggestedGrade === g).length,
    );
    expect(counts).toEqual([12, 4, 0, 4]);
    expect(page.current.bins).toBe('符合等次比例要求');
    // The formula is shown with the weights rescaled over the components present (述职评议 not entered).
    expect((byId.get(r(15)) as any).formula).toMatch(/^综合得分 = 测评得分×66\.67% \+ 平时掌握×33\.33% = /);
    expect((byId.get(r(1)) as any).formulaNote).toContain('述职评议得分缺失');
  });

  it('R-GRADE-1 the SQL composite, ranks and suggestion equal the domain functions on the same rows (weighted categories, matched paper)', async () => {
    await seedStep();
    // Mix in other categories with their weights, a matched paper tally (counts) and a mismatched one (ignored).
    const s = T.settings;
    const p = PAPER;
    const summary = await mixedStep();
    const rows = await queryRows<any>(
      db(),
      sql`
      select er.*, o.sector, ei.daily_score, ei.report_score, ei.major_error_note, ei.accountability_note
      from evaluation_results er join campaign_reporters cr on cr.id = er.reporter_id join organizations o on o.id = cr.org_id
      left join evaluation_inputs ei on ei.reporter_id = er.reporter_id where er.campaign_id = ${T.campaign.id}`,
    );
    expect(rows).toHaveLength(20);

    // The same data through the domain.
    const phone = await queryRows<{ reporter_id: number; category: string; grade: Grade; n: number }>(
      db(),
      sql`
      select reporter_id, category, grade, count(*)::int as n from ballots group by 1, 2, 3`,
    );
    const byReporter = new Map<number, Map<string, Record<Grade, number>>>();
    const add = (id: number, cat: string, g: Grade, n: number) => {
      const m = byReporter.get(id) ?? new Map();
      const c = m.get(cat) ?? { good: 0, fair: 0, average: 0, poor: 0 };
      c[g] += n;
      m.set(cat, c);
      byReporter.set(id, m);
    };
    for (const b of phone)
      if (T.reporters.some((x) => x.id === b.reporter_id)) add(b.reporter_id, b.category, b.grade, Number(b.n));
    for (const g of GRADES) add(T.reporters[2]!.id, 'grassroots', g, (p as Record<string, number>)[g]!); // matched pair only
    const categoryWeights = Object.fromEntries(s.ballots.categories.map((c) => [c.key, c.weight]));
    const weights = s.grading.compositeWeights as Partial<Record<Component, number>>;
    const domain = rows.map((row) => {
      const byCategory = [...(byReporter.get(row.reporter_id) ?? new Map()).entries()].map(([category, counts]) => ({
        category,
        counts,
      }));
      const ballotsScore = ballotScore(byCategory, { gradePoints: s.grading.points, categoryWeights });
      const daily = row.daily_score === null ? null : Number(row.daily_score);
      const report = row.report_score === null ? null : Number(row.report_score);
      const composite = compositeScore({ ballots: ballotsScore, daily, report }, weights).score;
      return { row, ballotsScore, composite };
    });
    for (const d of domain) {
      expect(Number(d.row.components.ballots)).toBe(d.ballotsScore);
      expect(Number(d.row.composite)).toBe(d.composite);
    }
    const ranked = rank(domain, (d) => d.composite, { groupOf: (d) => d.row.sector });
    for (const x of ranked) {
      expect(x.item.row.rank).toBe(x.rank);
      expect(x.item.row.sector_rank).toBe(x.groupRank);
    }
    const suggestion = suggestGrades(
      ranked.map((x) => ({
        reporterId: String(x.item.row.reporter_id),
        rank: x.rank,
        ballots: {
          counts: Object.fromEntries(
            GRADES.map((g) => [
              g,
              [...(byReporter.get(x.item.row.reporter_id) ?? new Map()).values()].reduce(
                (sum: number, c: Record<Grade, number>) => sum + c[g],
                0,
              ),
            ]),
          ) as Record<Grade, number>,
        },
        majorError: x.item.row.major_error_note,
        accountability: x.item.row.accountability_note,
      })),
      { quotaRules: s.grading.quotas, autoPoor: s.grading.autoPoor },
    );
    for (const g of suggestion.grades) {
      const row = rows.find((r) => String(r.reporter_id) === g.reporterId);
      expect(row.suggested_grade).toBe(g.grade);
      expect(row.auto_poor_reasons).toEqual(g.autoReasons);
    }
    expect(summary.n).toBe(20);
    // The mismatched paper pair did not count: reporter 6 has only its phone ballots.
    const r6 = rows.find((r) => r.reporter_id === T.reporters[5]!.id);
    expect(r6.ballot_counts.invalid).toBe(0);
    const r3 = rows.find((r) => r.reporter_id === T.reporters[2]!.id);
    expect(r3.ballot_counts.invalid).toBe(1);
  });

  it('R-GRADE-2 with 好 ≤ 1/3 added, the suggestion has 6 好; a hard rule that cannot be met is reported and blocks the lock', async () => {
    await seedStep();
    await mixedStep();
    await setSettings(T.campaign.id, (s) => {
      s.grading.quotas = [
        { grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor', hard: true },
        { grades: ['poor'], op: 'max', count: 2, hard: true },
      ];
    });
    const res = await admin.post(url(T.campaign.id, '/recompute'));
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json();
    expect(summary.checks[0]).toEqual(expect.objectContaining({ label: '好不超过1/3', bound: 6, actual: 6, ok: true }));
    // More automatic 差 than "差 ≤ 2" allows: reported, not silently broken.
    const auto = summary.autoPoor as number;
    expect(auto).toBeGreaterThanOrEqual(4);
    expect(summary.checks[1]).toEqual(
      expect.objectContaining({ bound: 2, actual: auto, ok: false, message: `差超出${auto - 2}个` }),
    );
    expect(summary.unmet).toMatch(
      new RegExp(`^无法同时满足等次比例要求：差超出${auto - 2}个（其中自动定为“差”的${auto}个不能调整`),
    );
    expect(summary.bins).toBe(`差超出${auto - 2}个`);
    const preview = (await admin.get(url(T.campaign.id, '/lock'))).json();
    expect(preview.canLock).toBe(false);
    expect(preview.blockers).toContain(`等次比例要求「差不超过2个」未满足：差超出${auto - 2}个`);
    const lock = await admin.post(url(T.campaign.id, '/lock'), { confirm: true, decisionNote: '镇党委会议' });
    expect(lock.statusCode).toBe(409);
    expect(lock.json().message).toBe(`不能锁定，请先处理：1. 等次比例要求「差不超过2个」未满足：差超出${auto - 2}个`);
    const [state] = await queryRows<{ state: string }>(
      db(),
      sql`select state from evaluations where campaign_id = ${T.campaign.id}`,
    );
    expect(state!.state).toBe('open');
    await setSettings(T.campaign.id, (s) => {
      s.grading.quotas = [s.grading.quotas[0]!];
    });
    expect((await admin.post(url(T.campaign.id, '/recompute'))).statusCode).toBe(200);
  });

  it('R-GRADE-1 weights that do not sum to 100 are refused with a Chinese message and nothing changes', async () => {
    await seedStep();
    await mixedStep();
    await quotaStep();
    const before = await queryRows(
      db(),
      sql`select reporter_id, composite, rank from evaluation_results order by reporter_id`,
    );
    const s = await setSettings(T.campaign.id, (x) => {
      x.grading.compositeWeights = { ...x.grading.compositeWeights, daily: 10 };
    });
    const res = await admin.post(url(T.campaign.id, '/recompute'));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('综合评价权重之和应为100%，当前为90%');
    expect(
      await queryRows(db(), sql`select reporter_id, composite, rank from evaluation_results order by reporter_id`),
    ).toEqual(before);
    await setSettings(T.campaign.id, (x) => {
      x.grading.compositeWeights = { ...s.grading.compositeWeights, daily: 20 };
    });
  });

  it('R-GRADE-4 reporters (secretaries) see no grade, suggestion or rank before the lock; other counties see nothing', async () => {
    await seedStep();
    const page = await secretary.get(url(T.campaign.id));
    expect(page.statusCode).toBe(403);
    expect(page.json().message).toMatch(HAN);
    const mine = await secretary.get(url(T.campaign.id, '/mine'));
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({
      locked: false,
      orgName: T.villages[0]!.name,
      message: '综合评价等次经党委研究确定后公布',
    });
    expect(mine.body).not.toMatch(/good|fair|average|poor|rank/);
    expect((await secretary.get(url(T.campaign.id, `/results/${T.reporters[0]!.id}/history`))).statusCode).toBe(403);
    expect((await otherAdmin.get(url(T.campaign.id))).statusCode).toBe(404);
    expect((await otherAdmin.post(url(T.campaign.id, '/recompute'))).statusCode).toBe(404);
    expect((await leader.get(url(T.campaign.id))).statusCode).toBe(200);
  });

  it('R-GRADE-4 R-GRADE-5 an override without a reason is refused; with a reason it is recorded in grade_changes (old, new, suggested, who, why); member stances and the written opinion are saved', async () => {
    await seedStep();
    await mixedStep();
    await quotaStep();
    const page = (await admin.get(url(T.campaign.id, '?limit=500'))).json();
    const target = page.items.find(
      (x: { suggestedGrade: string; autoPoorReasons: string[] }) => x.suggestedGrade === 'good',
    );
    const refused = await admin.put(url(T.campaign.id, `/results/${target.reporterId}/decision`), { grade: 'fair' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe(`「${target.orgName}」最终等次（较好）与建议等次（好）不一致，须填写调整理由`);
    expect(await db().select().from(gradeChanges)).toHaveLength(0);
    const ok = await admin.put(url(T.campaign.id, `/results/${target.reporterId}/decision`), {
      grade: 'fair',
      reason: '群众反映村务公开不及时',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const [change] = await db().select().from(gradeChanges);
    expect(change).toEqual(
      expect.objectContaining({
        oldGrade: null,
        newGrade: 'fair',
        suggestedGrade: 'good',
        reason: '群众反映村务公开不及时',
      }),
    );
    expect(change!.changedBy).not.toBeNull();
    const history = (await admin.get(url(T.campaign.id, `/results/${target.reporterId}/history`))).json();
    expect(history.items[0]).toEqual(expect.objectContaining({ newGrade: 'fair', reason: '群众反映村务公开不及时' }));
    // The quota bins follow the grades now in force: one fewer 好.
    const after = (await admin.get(url(T.campaign.id))).json();
    expect(after.current.counts.good).toBe(5);
    // Members mark their stance; a question needs its text.
    expect(
      (await leader.put(url(T.campaign.id, `/results/${target.reporterId}/review`), { stance: 'question' })).statusCode,
    ).toBe(400);
    expect(
      (
        await leader.put(url(T.campaign.id, `/results/${target.reporterId}/review`), {
          stance: 'question',
          note: '请核实',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await admin.put(url(T.campaign.id, `/results/${target.reporterId}/review`), { stance: 'agree' })).statusCode,
    ).toBe(403);
    const reviewed = (await admin.get(url(T.campaign.id, `?q=${encodeURIComponent(target.orgName)}`))).json();
    expect(reviewed.items[0].reviews).toEqual([expect.objectContaining({ stance: 'question', note: '请核实' })]);
    const op = await admin.put(url(T.campaign.id, `/results/${target.reporterId}/opinion`), {
      achievements: '党建引领产业发展成效明显',
      problems: '村务公开不及时',
      direction: '规范“三务”公开',
    });
    expect(op.statusCode).toBe(200);
  });

  it('bad input: a decision or input for a reporter outside the campaign is refused in Chinese and nothing is saved', async () => {
    await seedStep();
    await mixedStep();
    const other = await township({ n: 2, name: '乌审' });
    const before = (await db().select().from(gradeChanges)).length;
    const res = await admin.put(url(T.campaign.id, `/results/${other.reporters[0]!.id}/decision`), {
      grade: 'good',
      reason: '测试',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe(`述职对象（编号${other.reporters[0]!.id}）不在本次考核的述职对象名单中`);
    expect(await db().select().from(gradeChanges)).toHaveLength(before);
    const input = await admin.put(url(T.campaign.id, '/inputs'), {
      rows: [
        { reporterId: T.reporters[0]!.id, dailyScore: 60, majorError: false, accountability: false },
        { reporterId: other.reporters[0]!.id, dailyScore: 60, majorError: false, accountability: false },
      ],
    });
    expect(input.statusCode).toBe(404);
    const [kept] = await db()
      .select()
      .from(evaluationInputs)
      .where(eq(evaluationInputs.reporterId, T.reporters[0]!.id));
    expect(kept!.dailyScore).toBe(70);
    const badScore = await admin.put(url(T.campaign.id, '/inputs'), {
      rows: [{ reporterId: T.reporters[0]!.id, dailyScore: 120, majorError: false, accountability: false }],
    });
    expect(badScore.statusCode).toBe(400);
    expect(badScore.json().message).toMatch(HAN);
    const noNote = await admin.put(url(T.campaign.id, '/inputs'), {
      rows: [{ reporterId: T.reporters[0]!.id, dailyScore: 60, majorError: true, accountability: false }],
    });
    expect(noNote.json().message).toBe(`「${T.villages[0]!.name}」记录了重大失误，须填写情况说明`);
  });

  it('bulk entry: the .xlsx template round-trips; a bad row refuses the whole file', async () => {
    await seedStep();
    await mixedStep();
    await quotaStep();
    await overrideStep();
    t.clock.advance(60_000);
    const tpl = await admin.get(url(T.campaign.id, '/inputs/template.xlsx'));
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).getCell(1).value).toBe(`无定河-01`);
    ws.getRow(2).getCell(3).value = 77.5;
    ws.getRow(2).getCell(4).value = '导入的说明';
    const upload = async (buffer: Buffer) => {
      const boundary = '----evalboundary';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="in.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        buffer,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return admin.request({
        method: 'POST',
        url: url(T.campaign.id, '/inputs/import'),
        payload: body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    };
    const ok = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().saved).toBe(20);
    const [row] = await db().select().from(evaluationInputs).where(eq(evaluationInputs.reporterId, T.reporters[0]!.id));
    expect(row).toEqual(expect.objectContaining({ dailyScore: 77.5, dailyNote: '导入的说明' }));
    ws.getRow(3).getCell(7).value = '也许';
    const bad = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('第3行的重大失误应填“是”或“否”');
  });

  it('R-GRADE-4 lock: overriding an automatic 差 blocks; after the lock everything is immutable (409 in Chinese, triggers)', async () => {
    await seedStep();
    await mixedStep();
    await quotaStep();
    await overrideStep();
    await importStep();
    // Inputs changed after the last computation must be recomputed first.
    const stale = (await admin.get(url(T.campaign.id, '/lock'))).json();
    expect(stale.blockers.join()).toMatch(/请先重新计算/);
    expect((await admin.post(url(T.campaign.id, '/recompute'))).statusCode).toBe(200);
    const page = (await admin.get(url(T.campaign.id, '?autoPoor=true'))).json();
    const autoOne = page.items[0];
    await admin.put(url(T.campaign.id, `/results/${autoOne.reporterId}/decision`), {
      grade: 'average',
      reason: '已整改',
    });
    const blocked = await admin.post(url(T.campaign.id, '/lock'), { confirm: true, decisionNote: '镇党委会议' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().message).toContain(`「${autoOne.orgName}」符合自动定为“差”的情形`);
    await admin.delete(url(T.campaign.id, `/results/${autoOne.reporterId}/decision`));

    const lock = await admin.post(url(T.campaign.id, '/lock'), {
      confirm: true,
      decisionNote: '2026年1月15日镇党委会议研究确定',
    });
    expect(lock.statusCode, lock.body).toBe(200);
    const locked = (await admin.get(url(T.campaign.id, '?limit=500'))).json();
    expect(locked.state).toBe('locked');
    expect(locked.items.every((x: { finalGrade: string | null }) => x.finalGrade !== null)).toBe(true);

    const target = locked.items[0];
    for (const res of [
      await admin.put(url(T.campaign.id, `/results/${target.reporterId}/decision`), {
        grade: 'poor',
        reason: '锁定后修改',
      }),
      await admin.post(url(T.campaign.id, '/recompute')),
      await admin.put(url(T.campaign.id, `/results/${target.reporterId}/opinion`), {
        achievements: 'x',
        problems: null,
        direction: null,
      }),
      await admin.put(url(T.campaign.id, '/inputs'), {
        rows: [{ reporterId: target.reporterId, dailyScore: 1, majorError: false, accountability: false }],
      }),
      await leader.put(url(T.campaign.id, `/results/${target.reporterId}/review`), { stance: 'agree' }),
      await admin.post(url(T.campaign.id, '/lock'), { confirm: true, decisionNote: '再次锁定' }),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toBe('综合评价已由党委锁定，不能再修改');
    }
    // The database itself refuses, whatever the application does.
    await expect(
      db().execute(sql`update evaluation_results set final_grade = 'poor' where reporter_id = ${target.reporterId}`),
    ).rejects.toThrow();
    await expect(
      db().execute(sql`update evaluations set state = 'open' where campaign_id = ${T.campaign.id}`),
    ).rejects.toThrow();
    await expect(db().execute(sql`delete from grade_changes`)).rejects.toThrow();
    const audit = await queryRows<{ action: string }>(
      db(),
      sql`select distinct action from audit_log where action like 'evaluation.%' order by 1`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'evaluation.decide',
      'evaluation.inputs',
      'evaluation.lock',
      'evaluation.opinion',
      'evaluation.recompute',
      'evaluation.review',
    ]);
  });

  it('R-GRADE-6 after the lock a secretary sees only their own final grade and opinion', async () => {
    await seedStep();
    await mixedStep();
    await quotaStep();
    await overrideStep();
    await importStep();
    await lockStep();
    const mine = await secretary.get(url(T.campaign.id, '/mine'));
    const body = mine.json();
    expect(body.locked).toBe(true);
    expect(GRADES).toContain(body.finalGrade);
    expect(Object.keys(body).sort()).toEqual(['finalGrade', 'locked', 'lockedAt', 'opinion', 'orgName']);
    expect((await secretary.get(url(T.campaign.id))).statusCode).toBe(403);
  });
});

describe('evaluation — rounding at small sizes', () => {
  it('R-GRADE-3 in a tie, each reporter keeps its own automatic 差 (the tied one without it does not get it)', async () => {
    const seven = await township({ n: 7, name: '七同' });
    // Scores 100, 99, 94, 94, 91, 91, 85: the first of one tie and the second of the other have 15 % 一般+差.
    const counts = [
      { good: 20 },
      { good: 19, fair: 1 },
      { good: 17, average: 3 },
      { good: 14, fair: 6 },
      { good: 11, fair: 9 },
      { good: 17, average: 2, poor: 1 },
      { good: 5, fair: 15 },
    ];
    const votes = new Map<number, Votes>(seven.reporters.map((r, i) => [r.id, { committee: counts[i]! }]));
    await releasedRound(seven.campaign.id, votes, seven.settings);
    expect((await admin.post(url(seven.campaign.id, '/recompute'))).statusCode).toBe(200);
    const page = (await admin.get(url(seven.campaign.id))).json();
    const byId = (i: number) =>
      page.items.find((x: { reporterId: number }) => Number(x.reporterId) === seven.reporters[i]!.id);
    expect([2, 3, 4, 5].map((i) => byId(i).rank)).toEqual([3, 3, 5, 5]);
    expect(seven.reporters.map((_, i) => byId(i).autoPoorReasons.length > 0)).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
    expect([2, 3, 4, 5].map((i) => byId(i).suggestedGrade === 'poor')).toEqual([true, false, false, true]);
  });

  it('R-GRADE-2 7 reporters with 好 ≤ 1/3 rounded down: at most 2 好 (7 × 1/3 = 2.33 → 2)', async () => {
    const seven = await township({ n: 7, name: '七村' });
    await setSettings(seven.campaign.id, (s) => {
      s.grading.quotas = [{ grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor', hard: true }];
      s.grading.autoPoor = { averageOrPoorShareAbove: null, majorError: true, accountability: true };
    });
    const votes = new Map<number, Votes>(
      seven.reporters.map((r, i) => [r.id, { committee: { good: 20 - i, fair: i } }]),
    );
    await releasedRound(seven.campaign.id, votes, seven.settings);
    const res = await admin.post(url(seven.campaign.id, '/recompute'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().checks[0]).toEqual(expect.objectContaining({ bound: 2, actual: 2, ok: true }));
    const page = (await admin.get(url(seven.campaign.id))).json();
    expect(page.items.map((x: { suggestedGrade: string }) => x.suggestedGrade)).toEqual([
      'good',
      'good',
      'fair',
      'fair',
      'fair',
      'fair',
      'fair',
    ]);
    expect(page.items[2].suggestionReasons[0]).toContain('未能定为好');
  });

  it('R-GRADE-2 ties are never split: the 2nd and 3rd tied at the 好 boundary both get 较好', async () => {
    const seven = await township({ n: 7, name: '七并' });
    await setSettings(seven.campaign.id, (s) => {
      s.grading.quotas = [{ grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor', hard: true }];
    });
    const goods = [20, 19, 19, 17, 16, 15, 14];
    const votes = new Map<number, Votes>(
      seven.reporters.map((r, i) => [r.id, { committee: { good: goods[i]!, fair: 20 - goods[i]! } }]),
    );
    await releasedRound(seven.campaign.id, votes, seven.settings);
    expect((await admin.post(url(seven.campaign.id, '/recompute'))).statusCode).toBe(200);
    const page = (await admin.get(url(seven.campaign.id))).json();
    expect(page.items.map((x: { rank: number }) => x.rank)).toEqual([1, 2, 2, 4, 5, 6, 7]);
    expect(page.items.map((x: { suggestedGrade: string }) => x.suggestedGrade)).toEqual([
      'good',
      'fair',
      'fair',
      'fair',
      'fair',
      'fair',
      'fair',
    ]);
  });
});
