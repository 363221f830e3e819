import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Grade } from '../../src/domain/grades';
import { queryRows } from '../../src/server/db/connect';
import { buildCampaign, buildOrg, buildUser, setupTestApp, signIn, type Session } from '../factories';

/**
 * Seed 004 (a county-level city): key management decided by the city across every township's round on one scale
 * (四(三)), the three honours of 差额否决 each at 1:1.5 (四(二)), a performance sheet of scores only, the committee
 * stating the share of 较好 or below at the lock (the plan sets none), and the city's own meeting in 集中点评 order.
 * Results of the rounds are inserted as the evaluation module leaves them; the decisions go through the routes.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
let s: Record<string, Session> = {};
type Org = Awaited<ReturnType<typeof buildOrg>>;
let city: Org;
let townA: Org;
let townB: Org;
let units: Org[] = [];
let villagesA: Org[] = [];
let villagesB: Org[] = [];
let communities: Org[] = [];
let firm: Org;
let cityCampaign: number;
let roundA: number;
let roundB: number;

const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(t.db, q);

/** Results of a round as the recompute leaves them: composite, rank, suggestion; locked or open. */
async function results(campaignId: number, list: { org: Org; composite: number; grade: Grade }[], locked: boolean) {
  const ordered = [...list].sort((a, b) => b.composite - a.composite);
  for (const [i, x] of ordered.entries()) {
    const [r] = await rows<{ id: number }>(
      sql`select id from campaign_reporters where campaign_id = ${campaignId} and org_id = ${x.org.id}`,
    );
    await t.db.execute(sql`
      insert into evaluation_results (reporter_id, campaign_id, components, composite, rank, sector_rank, suggested_grade, final_grade)
      values (${r!.id}, ${campaignId}, '{}'::jsonb, ${x.composite}, ${i + 1}, ${i + 1}, ${x.grade}, ${locked ? x.grade : null})`);
  }
  await t.db.execute(sql`
    insert into evaluations (campaign_id, state, computed_at, locked_at)
    values (${campaignId}, ${locked ? 'locked' : 'open'}, '2015-01-20T02:00:00Z', ${locked ? new Date('2015-01-22T02:00:00Z') : null})`);
}

// Each test starts from its own city (beforeEach) and first takes the steps it comes after (steps below), so the tests
// run in any order.
beforeEach(async () => {
  s = {};
  units = [];
  villagesA = [];
  villagesB = [];
  communities = [];
  t = await setupTestApp({ start: new Date('2015-01-20T02:00:00Z') });
  city = await buildOrg(t.db, {
    name: '中共应城市委员会',
    code: 'YC',
    kind: 'committee',
    sector: 'organ',
    level: 'city',
  });
  townA = await buildOrg(t.db, {
    parent: city,
    name: '中共甲镇委员会',
    code: 'YC-A',
    kind: 'committee',
    level: 'township',
  });
  townB = await buildOrg(t.db, { parent: city, name: '乙镇党委', code: 'YC-B', kind: 'committee', level: 'township' });
  for (let i = 1; i <= 3; i++)
    units.push(
      await buildOrg(t.db, {
        parent: city,
        name: `市直${i}局党组`,
        code: `YC-U${i}`,
        kind: 'leading_group',
        sector: 'organ',
        level: 'city',
      }),
    );
  for (let i = 1; i <= 6; i++)
    villagesA.push(await buildOrg(t.db, { parent: townA, name: `甲镇${i}村党支部`, code: `YC-A-V${i}` }));
  for (let i = 1; i <= 5; i++)
    villagesB.push(await buildOrg(t.db, { parent: townB, name: `乙镇${i}村党支部`, code: `YC-B-V${i}` }));
  communities.push(
    await buildOrg(t.db, { parent: townA, name: '甲镇一社区党支部', code: 'YC-A-C1', sector: 'community' }),
  );
  for (let i = 1; i <= 4; i++)
    communities.push(
      await buildOrg(t.db, { parent: townB, name: `乙镇${i}社区党支部`, code: `YC-B-C${i}`, sector: 'community' }),
    );
  firm = await buildOrg(t.db, { parent: townB, name: '乙镇某公司党支部', code: 'YC-B-F1', sector: 'non_public' });

  const cityOwn = [townA, townB, ...units];
  cityCampaign = (
    await buildCampaign(t.db, {
      organizerOrgId: city.id,
      templateId: '004',
      year: 2014,
      state: 'published',
      reporterOrgIds: cityOwn.map((o) => o.id),
      open: ['summary'],
      openAt: t.clock.now(),
    })
  ).id;
  const aOrgs = [...villagesA, communities[0]!];
  const bOrgs = [...villagesB, ...communities.slice(1), firm];
  roundA = (
    await buildCampaign(t.db, {
      organizerOrgId: townA.id,
      templateId: '004',
      year: 2014,
      state: 'published',
      parentId: cityCampaign,
      reporterOrgIds: aOrgs.map((o) => o.id),
      open: ['summary'],
      openAt: t.clock.now(),
    })
  ).id;
  roundB = (
    await buildCampaign(t.db, {
      organizerOrgId: townB.id,
      templateId: '004',
      year: 2014,
      state: 'published',
      parentId: cityCampaign,
      reporterOrgIds: bOrgs.map((o) => o.id),
      open: ['summary'],
      openAt: t.clock.now(),
    })
  ).id;

  // 甲镇 scores low across the board: on one city-wide scale its two weakest villages are the city's two weakest,
  // while inside each round 乙镇 would have had to list its own weakest village too.
  await results(
    roundA,
    [
      ...villagesA.map((org, i) => ({ org, composite: 80 - i * 2, grade: (i === 5 ? 'average' : 'fair') as Grade })), // 80 78 76 74 72 70
      { org: communities[0]!, composite: 75, grade: 'fair' },
    ],
    true,
  );
  // 乙镇 is left open: the city must wait for it (it locks below, stating its share of 较好 or below).
  await results(
    roundB,
    [
      ...villagesB.map((org, i) => ({ org, composite: 95 - i * 3, grade: (i < 2 ? 'good' : 'fair') as Grade })), // 95 92 89 86 83
      ...communities
        .slice(1)
        .map((org, i) => ({ org, composite: [90, 84, 79, 73][i]!, grade: (i === 3 ? 'average' : 'good') as Grade })),
      { org: firm, composite: 88, grade: 'good' },
    ],
    false,
  );
  await results(
    cityCampaign,
    [
      { org: townA, composite: 86.5, grade: 'fair' },
      { org: townB, composite: 93.2, grade: 'good' },
      { org: units[0]!, composite: 90.1, grade: 'good' },
      { org: units[1]!, composite: 82.4, grade: 'average' },
      { org: units[2]!, composite: 88.8, grade: 'good' },
    ],
    true,
  );

  for (const [name, scope] of [
    ['city', city],
    ['townA', townA],
    ['townB', townB],
  ] as const) {
    await buildUser(t.db, { role: 'org_admin', username: name, scopeOrgId: scope.id });
    s[name] = await signIn(t.app, name);
  }
  await buildUser(t.db, { role: 'leader', username: 'cityLeader', scopeOrgId: city.id });
  s.cityLeader = await signIn(t.app, 'cityLeader');
}, 60_000);
afterEach(async () => t?.close());

/** The steps of the tests before, as they take them. */
const steps = {
  /** 乙镇's committee locks its round, stating 40 % 较好 or below. */
  async lockedB() {
    const ok = await s.townB.post(`/api/campaigns/${roundB}/evaluation/lock`, {
      confirm: true,
      decisionNote: '2015年1月21日乙镇党委会议',
      lowerSharePercent: 40,
    });
    expect(ok.statusCode, ok.body).toBe(200);
  },
  /** …and the city proposes its key-management list across the townships' rounds. */
  async proposed() {
    await steps.lockedB();
    const res = await s.city.post(`/api/campaigns/${cityCampaign}/key-management/propose`);
    expect(res.statusCode, res.body).toBe(200);
  },
};

describe('seed 004: the committee states the share of 较好 or below', () => {
  it("R-USE-4 the city's key management waits for every township round to be locked", async () => {
    const early = await s.city.post(`/api/campaigns/${cityCampaign}/key-management/propose`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'SUB_ROUNDS_NOT_LOCKED',
      message: '以下下级述职评议考核的综合评价尚未锁定，不能统一排序：乙镇党委',
    });
    const list = (await s.city.get(`/api/campaigns/${cityCampaign}/key-management`)).json();
    expect(list.scope).toMatchObject({ mode: 'sub_rounds', rounds: 2, unlocked: ['乙镇党委'] });
  });

  it("R-GRADE-2 R-CAMP-7 004 sets no share, so the lock needs the committee's, enforces it and records it", async () => {
    const preview = (await s.townB.get(`/api/campaigns/${roundB}/evaluation/lock`)).json();
    expect(preview.lowerShareRequired).toBe(true);
    expect(preview.blockers).toContain('本方案未规定“较好”及以下等次的比例，请填写党委（党组）研究确定的比例');
    // No opinion was written: the committee is told before its letters would say nothing.
    expect(preview.missingOpinions).toHaveLength(10);
    const lock = (lowerSharePercent?: number) =>
      s.townB.post(`/api/campaigns/${roundB}/evaluation/lock`, {
        confirm: true,
        decisionNote: '2015年1月21日乙镇党委会议',
        ...(lowerSharePercent === undefined ? {} : { lowerSharePercent }),
      });
    const without = await lock();
    expect(without.statusCode).toBe(409);
    expect(without.json().message).toContain('本方案未规定“较好”及以下等次的比例');
    // 4 of 10 are 较好 or below: a stated floor of 50% is not met.
    const tooHigh = await lock(50);
    expect(tooHigh.statusCode).toBe(409);
    expect(tooHigh.json().message).toContain('等次比例要求');
    const ok = await lock(40);
    expect(ok.statusCode, ok.body).toBe(200);
    const [e] = await rows<{ share: number; state: string }>(
      sql`select lower_share_stated::float8 as share, state from evaluations where campaign_id = ${roundB}`,
    );
    expect(e).toEqual({ share: 0.4, state: 'locked' });
    const view = (await s.townB.get(`/api/campaigns/${roundB}/evaluation`)).json();
    expect(view.lowerShareStated).toBe(0.4);
  });
});

describe("seed 004: key management across the townships' rounds", () => {
  it('R-USE-4 is decided by the city only, once every township round is locked', async () => {
    await steps.lockedB();
    const own = await s.townA.post(`/api/campaigns/${roundA}/key-management/propose`);
    expect(own.statusCode).toBe(409);
    expect(own.json()).toMatchObject({
      code: 'KEY_DECIDED_ABOVE',
      message: '重点管理名单由「中共应城市委员会」在各下级述职评议考核结果中统一排序确定',
    });
  });

  it('R-USE-4 ranks the villages and communities of all rounds on one scale: ≥ 10 % rural, ≥ 5 % community and other', async () => {
    await steps.lockedB();
    const res = await s.city.post(`/api/campaigns/${cityCampaign}/key-management/propose`);
    expect(res.statusCode, res.body).toBe(200);
    const list = (await s.city.get(`/api/campaigns/${cityCampaign}/key-management`)).json();
    expect(list.scope).toMatchObject({ mode: 'sub_rounds', rounds: 2, unlocked: [] });
    const sector = (code: string) => list.sectors.find((x: { sector: string }) => x.sector === code);
    // 11 villages → ceil(1.1) = 2; 5 communities → 1; 1 non-public → 1.
    expect(sector('rural')).toMatchObject({ total: 11, required: 2, onList: 2, short: 0 });
    expect(sector('community')).toMatchObject({ total: 5, required: 1, onList: 1 });
    expect(sector('non_public')).toMatchObject({ total: 1, required: 1, onList: 1 });
    const listed = (code: string) => list.items.filter((i: { sector: string }) => i.sector === code);
    // The city's two weakest villages are both 甲镇's (70, 72); 乙镇's weakest (83) ranks above them on the city's scale.
    // Listed weakest first.
    expect(listed('rural').map((i: { orgName: string }) => i.orgName)).toEqual(['甲镇6村党支部', '甲镇5村党支部']);
    expect(listed('rural').map((i: { roundName: string }) => i.roundName)).toEqual([
      '中共甲镇委员会',
      '中共甲镇委员会',
    ]);
    // One ranking of all 17 organizations: 70 is last, 72 is 16th.
    expect(listed('rural').map((i: { compositeRank: number }) => i.compositeRank)).toEqual([17, 16]);
    expect(listed('rural')[0].reason).toContain(
      '各下级述职评议考核中农村领域共11个党组织，按不低于10%（向上取整）应列入2个；统一排序第17名',
    );
    // The weakest community city-wide is 乙镇's 73 (not 甲镇's 75, the weakest of its own round).
    expect(listed('community').map((i: { orgName: string }) => i.orgName)).toEqual(['乙镇4社区党支部']);
    expect(listed('non_public').map((i: { orgName: string }) => i.orgName)).toEqual(['乙镇某公司党支部']);
    // The township rounds' grades of 一般 are already among them; nothing from the city's own reporters (towns, 市直).
    expect(list.items.map((i: { orgId: number }) => i.orgId)).not.toContain(townA.id);
  });

  it('R-USE-4 adds only from the lower rounds, with a reason', async () => {
    await steps.proposed();
    const outside = await s.city.post(`/api/campaigns/${cityCampaign}/key-management`, {
      orgId: units[0]!.id,
      reason: '市直单位',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toBe('该党组织不是各下级已锁定的述职评议考核中的述职对象');
    const added = await s.city.post(`/api/campaigns/${cityCampaign}/key-management`, {
      orgId: villagesB[4]!.id,
      reason: '群众反映问题较多',
    });
    expect(added.json()).toMatchObject({ state: 'listed' });
  });
});

describe('seed 004: 平行考核、差额否决', () => {
  async function sheet(list: (string | number | null)[][]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('绩效');
    ws.addRow(['组织编码', '党组织名称', '绩效得分', '绩效排名']);
    for (const r of list) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const upload = async (file: Buffer) => {
    const boundary = '----perf';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return s.city.request({
      method: 'POST',
      url: `/api/campaigns/${cityCampaign}/performance/import`,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  };

  /** The first test's sheet: performance scores of the city's five reporters, ranked from the scores. */
  const imported = async () => {
    const res = await upload(
      await sheet([
        ['YC-A', '', 91, null],
        ['YC-B', '', 96.5, null],
        ['YC-U1', '', 93, null],
        ['YC-U2', '', 98, null],
        ['YC-U3', '', 85, null],
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
  };

  it('R-USE-5 a sheet of scores without ranks is ranked from the scores, never left without candidates', async () => {
    // Performance: 市直2局 (graded 一般) first, then 乙镇, 市直1局, 甲镇, 市直3局.
    const res = await upload(
      await sheet([
        ['YC-A', '', 91, null],
        ['YC-B', '', 96.5, null],
        ['YC-U1', '', 93, null],
        ['YC-U2', '', 98, null],
        ['YC-U3', '', 85, null],
      ]),
    );
    expect(res.json(), res.body).toEqual({ imported: 5, rankedFromScores: true });
    const [ranks] = await rows<{ ranks: number[] }>(sql`
      select array_agg(performance_rank order by performance_score desc) as ranks from performance_scores where campaign_id = ${cityCampaign}`);
    expect(ranks!.ranks).toEqual([1, 2, 3, 4, 5]);
  });

  it('R-USE-5 refuses a half-ranked sheet and a sheet with neither scores nor ranks, changing nothing', async () => {
    await imported();
    const half = await upload(
      await sheet([
        ['YC-A', '', 91, 2],
        ['YC-B', '', 96.5, null],
      ]),
    );
    expect(half.statusCode).toBe(400);
    expect(half.json().message).toBe(
      '有1行填写了绩效排名、1行未填写：请全部填写绩效排名，或全部留空由系统按绩效得分排名',
    );
    const neither = await upload(
      await sheet([
        ['YC-A', '甲镇', null, null],
        ['YC-B', '乙镇', null, null],
      ]),
    );
    expect(neither.statusCode).toBe(400);
    expect(neither.json()).toMatchObject({ code: 'IMPORT_ROWS', message: '有2行不符合要求，未导入任何数据' });
    expect(neither.json().details.errors[0].message).toBe('绩效得分和绩效排名至少填一项');
    const [n] = await rows<{ n: number }>(
      sql`select count(*)::int as n from performance_scores where campaign_id = ${cityCampaign} and performance_rank is not null`,
    );
    expect(n!.n).toBe(5);
  });

  it('R-USE-5 the three honours of 004, each with its own places at 1:1.5 and the 一般 vetoed', async () => {
    await imported();
    const before = (await s.city.get(`/api/campaigns/${cityCampaign}/performance/parallel`)).json();
    expect(before.honours.map((h: { label: string; margin: number }) => `${h.label} 1:${h.margin}`)).toEqual([
      '年度目标考核先进单位 1:1.5',
      '党组织主要负责人和党建工作直接责任人年度考核优秀等次 1:1.5',
      '市委“七一”表彰对象 1:1.5',
    ]);
    expect(
      (await s.cityLeader.put(`/api/campaigns/${cityCampaign}/performance/honours`, { places: { advanced_unit: 2 } }))
        .statusCode,
    ).toBe(403);
    const set = await s.city.put(`/api/campaigns/${cityCampaign}/performance/honours`, {
      places: { advanced_unit: 2, excellent_leaders: 3, july_first: 1 },
    });
    expect(set.statusCode, set.body).toBe(200);
    const v = (await s.city.get(`/api/campaigns/${cityCampaign}/performance/parallel`)).json();
    expect(v.honours.map((h: { places: number; candidates: number }) => [h.places, h.candidates])).toEqual([
      [2, 3],
      [3, 5],
      [1, 2],
    ]);
    const honoured = (key: string) =>
      v.rows
        .filter((r: { honours: Record<string, { honour: boolean }> }) => r.honours[key]!.honour)
        .map((r: { name: string }) => r.name)
        .sort();
    // 先进单位: candidates 市直2局 (一般: vetoed), 乙镇, 市直1局 → 乙镇 and 市直1局.
    expect(honoured('advanced_unit')).toEqual(['乙镇党委', '市直1局党组'].sort());
    // 优秀: 5 candidates, 市直2局 vetoed, best party ranks of the rest: 乙镇 93.2, 市直1局 90.1, 市直3局 88.8.
    expect(honoured('excellent_leaders')).toEqual(['乙镇党委', '市直1局党组', '市直3局党组'].sort());
    // 七一: 2 candidates (市直2局, 乙镇), one place; 市直2局 is vetoed.
    expect(honoured('july_first')).toEqual(['乙镇党委']);
    const vetoed = v.rows.find((r: { name: string }) => r.name === '市直2局党组');
    expect(vetoed.honours.july_first.note).toContain('差额否决');
    const xlsx = await s.city.get(`/api/campaigns/${cityCampaign}/performance/parallel.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as string[]).filter(Boolean);
    expect(header).toContain('市委“七一”表彰对象：候选（1名，1:1.5）');
  });
});

describe("seed 004: the city's meeting", () => {
  it('R-MEET-1 集中点评: every speech, the questions, then the 点评 one by one', async () => {
    const created = await s.city.post(`/api/campaigns/${cityCampaign}/meetings`, {
      title: '市委（扩大）会述职评议',
      meetingDate: '2014-12-20',
      place: '市委会议室',
    });
    const id = created.json().id;
    expect(created.json().commentMode).toBe('collective');
    await s.city.post(`/api/meetings/${id}/agenda/default`);
    const seen: string[] = [];
    for (
      let res = await s.city.post(`/api/meetings/${id}/advance`);
      res.statusCode === 200;
      res = await s.city.post(`/api/meetings/${id}/advance`)
    ) {
      seen.push(res.json().flow.current);
    }
    const names = ['中共甲镇委员会', '乙镇党委', '市直1局党组', '市直2局党组', '市直3局党组'];
    expect(seen).toEqual([
      ...names.map((n) => `述职：${n}`),
      '现场提问',
      ...names.map((n) => `点评：${n}`),
      '评议测评',
      '上级组织部门讲话',
      '总结讲话',
    ]);
    // The same meeting switched to 一述一评 before it opens follows that order instead.
    const other = (
      await s.city.post(`/api/campaigns/${cityCampaign}/meetings`, {
        title: '第二场',
        meetingDate: '2014-12-21',
        place: '市委会议室',
        commentMode: 'one_by_one',
      })
    ).json();
    await s.city.post(`/api/meetings/${other.id}/agenda/default`);
    await s.city.post(`/api/meetings/${other.id}/advance`);
    expect((await s.city.post(`/api/meetings/${other.id}/advance`)).json().flow.current).toBe('点评：中共甲镇委员会');
  });
});
