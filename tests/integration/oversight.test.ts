import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/roles';
import { queryRows } from '../../src/server/db/connect';
import { buildOrg, buildTwoCounties, buildUser, setupTestApp, signIn, type Session } from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let townA2: Awaited<ReturnType<typeof buildOrg>>;
let villageA3: Awaited<ReturnType<typeof buildOrg>>;
let s: Record<string, Session> = {};
let uid: Record<string, number> = {};
const c = { countyA: 0, subA1: 0, subA2: 0, subSub: 0, countyB: 0, subB: 0 };

const phase = (key: string, start: string, end: string, state: string) => ({
  key,
  start,
  end,
  state,
  openedOn: state === 'not_started' ? null : start,
  closedOn: state === 'closed' ? end : null,
  reopenReason: null,
});

/**
 * Campaigns are inserted with raw SQL naming only the columns this slice reads, so the test does not
 * depend on the campaigns module's routes or on columns it may still be adding.
 */
async function insertCampaign(o: {
  parentId?: number;
  organizerOrgId: number;
  title: string;
  state: string;
  filing: string;
  completeBy: string | null;
  phases: unknown[];
}) {
  const [row] = await queryRows<{ id: number }>(
    t.db,
    sql`
    insert into campaigns (parent_id, organizer_org_id, year, title, template_id, state, settings, phases, filing_state, complete_by)
    values (${o.parentId ?? null}, ${o.organizerOrgId}, 2025, ${o.title}, 'county-002', ${o.state}, '{}'::jsonb,
            ${JSON.stringify(o.phases)}::jsonb, ${o.filing}, ${o.completeBy})
    returning id`,
  );
  return row.id;
}

async function insertReporter(campaignId: number, orgId: number, reportToOrgId: number, removed = false) {
  await t.db.execute(sql`
    insert into campaign_reporters (campaign_id, org_id, report_to_org_id, tier_key, removed_at)
    values (${campaignId}, ${orgId}, ${reportToOrgId}, 'branch', ${removed ? new Date('2025-11-01T00:00:00Z') : null})`);
}

const count = async (table: string, where = 'true') =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`)))[0].n;

const plan = [
  phase('preparation', '2025-11-20', '2025-11-30', 'closed'),
  phase('reports', '2025-11-25', '2025-12-10', 'open'),
  phase('meeting', '2025-12-15', '2025-12-20', 'not_started'),
  phase('evaluation', '2025-12-21', '2025-12-25', 'not_started'),
];

/**
 * Every test starts from its own database with the counties, accounts and campaigns below, and first makes the
 * assignments and visits it stands on with the helpers after them (what the earlier steps of each story did), so tests
 * run in any order: they count rows and audit entries of the whole database and move the app's clock.
 */
beforeEach(async () => {
  s = {};
  uid = {};
  t = await setupTestApp();
  tree = await buildTwoCounties(t.db);
  townA2 = await buildOrg(t.db, {
    parent: tree.countyA,
    name: '甲二镇党委',
    code: 'A-T2',
    kind: 'committee',
    level: 'township',
  });
  villageA3 = await buildOrg(t.db, { parent: townA2, name: '甲二镇北村党支部', code: 'A-T2-V1' });
  const accounts: [string, Role, { scopeOrgId?: number; orgId?: number }][] = [
    ['adminA', 'org_admin', { scopeOrgId: tree.countyA.id }],
    ['adminB', 'org_admin', { scopeOrgId: tree.countyB.id }],
    ['townA', 'org_admin', { scopeOrgId: tree.townA.id }],
    ['leaderA', 'leader', { scopeOrgId: tree.countyA.id }],
    ['observerA', 'observer', { scopeOrgId: tree.countyA.id }],
    ['observerA2', 'observer', { scopeOrgId: tree.countyA.id }],
    ['townObserver', 'observer', { scopeOrgId: tree.townA.id }],
    ['observerB', 'observer', { scopeOrgId: tree.countyB.id }],
    ['secA1', 'secretary', { orgId: tree.villageA1.id }],
    ['auditorA', 'auditor', { scopeOrgId: tree.countyA.id }],
  ];
  for (const [username, role, scope] of accounts) {
    uid[username] = (await buildUser(t.db, { role, username, ...scope })).id;
    s[username] = await signIn(t.app, username);
  }
  c.countyA = await insertCampaign({
    organizerOrgId: tree.countyA.id,
    title: '甲县2025年度述职评议考核',
    state: 'published',
    filing: 'not_required',
    completeBy: '2026-01-31',
    phases: plan,
  });
  c.subA1 = await insertCampaign({
    parentId: c.countyA,
    organizerOrgId: tree.townA.id,
    title: '甲一镇2025年度述职评议考核',
    state: 'published',
    filing: 'filed',
    completeBy: '2025-12-25',
    phases: plan,
  });
  c.subA2 = await insertCampaign({
    parentId: c.countyA,
    organizerOrgId: townA2.id,
    title: '甲二镇2025年度述职评议考核',
    state: 'draft',
    filing: 'pending',
    completeBy: '2025-11-10',
    phases: [],
  });
  c.subSub = await insertCampaign({
    parentId: c.subA1,
    organizerOrgId: tree.villageA1.id,
    title: '甲一镇东村2025年度述职评议',
    state: 'closed',
    filing: 'acknowledged',
    completeBy: '2025-11-01',
    phases: [
      phase('reports', '2025-10-01', '2025-10-10', 'closed'),
      phase('meeting', '2025-10-20', '2025-10-20', 'closed'),
    ],
  });
  c.countyB = await insertCampaign({
    organizerOrgId: tree.countyB.id,
    title: '乙县2025年度述职评议考核',
    state: 'published',
    filing: 'not_required',
    completeBy: '2026-01-31',
    phases: plan,
  });
  c.subB = await insertCampaign({
    parentId: c.countyB,
    organizerOrgId: tree.townB.id,
    title: '乙一镇2025年度述职评议考核',
    state: 'published',
    filing: 'filed',
    completeBy: '2025-12-25',
    phases: plan,
  });
  await insertReporter(c.subA1, tree.villageA1.id, tree.townA.id);
  await insertReporter(c.subA1, tree.villageA2.id, tree.townA.id, true);
  await insertReporter(c.countyA, tree.townA.id, tree.countyA.id);
  await insertReporter(c.countyA, townA2.id, tree.countyA.id);
});
afterEach(async () => t?.close());

const observersUrl = (id: number) => `/api/campaigns/${id}/observers`;

const ok = <R extends { statusCode: number; body: string }>(res: R) => {
  if (res.statusCode !== 200) throw new Error(res.body);
  return res;
};

/**
 * The county's observers: 第一组 (observerA leading, observerA2) sent to both townships, leaderA alone to 东村's round;
 * with `all`, also the township's own observer sent to 东村 and observerA's assignment to 甲一镇 withdrawn.
 * Returns the group's assignment ids.
 */
async function assignObservers(o: { all?: boolean } = {}) {
  const group = ok(
    await s.adminA.post(observersUrl(c.countyA), {
      userIds: [uid.observerA, uid.observerA2],
      subCampaignIds: [c.subA1, c.subA2],
      groupName: '第一组',
      leaderUserId: uid.observerA,
      note: '参加述职评议会并点评',
    }),
  ).json().ids as number[];
  ok(await s.adminA.post(observersUrl(c.countyA), { userIds: [uid.leaderA], subCampaignIds: [c.subSub] }));
  if (o.all) {
    ok(await s.townA.post(observersUrl(c.subA1), { userIds: [uid.townObserver], subCampaignIds: [c.subSub] }));
    ok(await s.adminA.delete(`${observersUrl(c.countyA)}/${group[0]}`));
  }
  return group;
}

describe('R-CAMP-6 observers sent to lower-level meetings, by group (002 分组名单)', () => {
  let groupIds: number[] = [];

  it('the county admin assigns a group with a leader to two township sub-campaigns; audited', async () => {
    const audits = await count('audit_log', `action = 'oversight.observer.assign'`);
    const res = await s.adminA.post(observersUrl(c.countyA), {
      userIds: [uid.observerA, uid.observerA2],
      subCampaignIds: [c.subA1, c.subA2],
      groupName: '第一组',
      leaderUserId: uid.observerA,
      note: '参加述职评议会并点评',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toBe(4);
    groupIds = res.json().ids;
    expect(await count('audit_log', `action = 'oversight.observer.assign'`)).toBe(audits + 1);
  });

  it('a single ungrouped observer can be sent to a deeper sub-campaign too', async () => {
    const res = await s.adminA.post(observersUrl(c.countyA), { userIds: [uid.leaderA], subCampaignIds: [c.subSub] });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('denied for another county, a township admin on the county round, and non-admin roles; nothing changes', async () => {
    groupIds = await assignObservers();
    const before = await count('observer_assignments');
    const body = { userIds: [uid.observerA], subCampaignIds: [c.subSub] };
    const got: Record<string, number> = {};
    for (const u of ['adminB', 'townA', 'leaderA', 'observerA', 'secA1', 'auditorA'])
      got[u] = (await s[u].post(observersUrl(c.countyA), body)).statusCode;
    expect(got).toEqual({ adminB: 404, townA: 403, leaderA: 403, observerA: 403, secA1: 403, auditorA: 403 });
    for (const u of ['adminB', 'townA', 'observerA'])
      expect((await s[u].get(observersUrl(c.countyA))).statusCode).toBe(u === 'adminB' ? 404 : 403);
    expect((await s.adminB.get(`${observersUrl(c.countyA)}/export`)).statusCode).toBe(404);
    expect((await s.adminB.delete(`${observersUrl(c.countyA)}/${groupIds[0]}`)).statusCode).toBe(404);
    expect(await count('observer_assignments')).toBe(before);
    expect(await count('observer_assignments', 'removed_at is not null')).toBe(0);
  });

  it('bad input answers 4xx {code, message} and assigns nothing', async () => {
    groupIds = await assignObservers();
    const before = await count('observer_assignments');
    const cases: [unknown, number, string][] = [
      [{ userIds: [uid.observerA], subCampaignIds: [c.subB] }, 400, 'VALIDATION'], // another county's sub-campaign
      [{ userIds: [uid.observerA], subCampaignIds: [c.countyA] }, 400, 'VALIDATION'], // the campaign itself
      [{ userIds: [uid.observerB], subCampaignIds: [c.subSub] }, 400, 'VALIDATION'], // an observer of county B
      [{ userIds: [uid.secA1], subCampaignIds: [c.subSub] }, 400, 'VALIDATION'], // a secretary
      [
        { userIds: [uid.observerA2], subCampaignIds: [c.subSub], groupName: '第二组', leaderUserId: uid.observerA },
        400,
        'VALIDATION',
      ],
      [{ userIds: [], subCampaignIds: [c.subSub] }, 400, 'VALIDATION'],
      [{ userIds: ['x'], subCampaignIds: [c.subSub] }, 400, 'VALIDATION'],
      [{ userIds: [uid.observerA], subCampaignIds: [c.subSub], extra: 1 }, 400, 'VALIDATION'],
      [{ userIds: [uid.observerA2, uid.observerA], subCampaignIds: [c.subSub, c.subA1] }, 409, 'ALREADY_ASSIGNED'], // observerA already on subA1
      [
        { userIds: [uid.observerA2], subCampaignIds: [c.subSub], groupName: '第一组', leaderUserId: uid.observerA2 },
        409,
        'GROUP_LEADER_EXISTS',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await s.adminA.post(observersUrl(c.countyA), body);
      expect([res.statusCode, res.json().code], JSON.stringify(body)).toEqual([status, code]);
      expect(typeof res.json().message).toBe('string');
    }
    expect(
      (await s.adminA.post(observersUrl(999999), { userIds: [uid.observerA], subCampaignIds: [c.subSub] })).statusCode,
    ).toBe(404);
    expect(await count('observer_assignments')).toBe(before);
  });

  it('the admin sees the 分组名单: group, leader, members and the units each group covers', async () => {
    groupIds = await assignObservers();
    const res = await s.adminA.get(observersUrl(c.countyA));
    expect(res.statusCode, res.body).toBe(200);
    const { groups, items, total } = res.json();
    expect(total).toBe(5);
    expect(items).toHaveLength(5);
    const g1 = groups.find((g: { groupName: string | null }) => g.groupName === '第一组');
    const name = async (id: number) =>
      (await queryRows<{ n: string }>(t.db, sql`select display_name as n from users where id = ${id}`))[0].n;
    expect(g1.leaderName).toBe(await name(uid.observerA));
    expect(g1.members).toEqual([await name(uid.observerA2)]);
    expect(g1.subCampaigns.map((x: { organizerName: string }) => x.organizerName).sort()).toEqual([
      '甲一镇党委',
      '甲二镇党委',
    ]);
    expect(g1.subCampaigns.find((x: { organizerName: string }) => x.organizerName === '甲一镇党委').meeting).toEqual({
      start: '2025-12-15',
      end: '2025-12-20',
      state: 'not_started',
    });
    expect(groups.find((g: { groupName: string | null }) => g.groupName === null).assignments).toBe(1);
    const filtered = (await s.adminA.get(`${observersUrl(c.countyA)}?q=${encodeURIComponent('甲二镇')}`)).json();
    expect(filtered.total).toBe(2);
    const leader = (
      await s.adminA.get(`${observersUrl(c.countyA)}?groupName=${encodeURIComponent('第一组')}&limit=1`)
    ).json();
    expect([leader.total, leader.items.length, leader.items[0].isLeader]).toEqual([4, 1, true]);
  });

  it("candidates are staff accounts within the admin's scope, never another county or a secretary", async () => {
    const res = await s.adminA.get(`${observersUrl(c.countyA)}/candidates`);
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((u: { id: number }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([uid.observerA, uid.observerA2, uid.townObserver, uid.leaderA]));
    expect(ids).not.toContain(uid.observerB);
    expect(ids).not.toContain(uid.secA1);
    expect(ids).not.toContain(uid.auditorA);
  });

  it('an observer sees the assignments as tasks: sub-campaign, organizer, meeting dates, deadline, group leader', async () => {
    groupIds = await assignObservers();
    const res = await s.observerA2.get('/api/my/tasks');
    expect(res.statusCode, res.body).toBe(200);
    const { items, total } = res.json();
    expect(total).toBe(2);
    const t1 = items.find((i: { organizerName: string }) => i.organizerName === '甲一镇党委');
    expect(t1).toMatchObject({
      subCampaignId: c.subA1,
      campaignId: c.countyA,
      senderName: '甲县委',
      groupName: '第一组',
      isLeader: false,
      completeBy: '2025-12-25',
      meeting: { start: '2025-12-15', end: '2025-12-20', state: 'not_started' },
      note: '参加述职评议会并点评',
      observationNote: null,
    });
    expect(t1.leaderName).toBeTruthy();
    // ordered by deadline: 甲二镇 (11-10) first
    expect(items[0].organizerName).toBe('甲二镇党委');
    expect((await s.observerB.get('/api/my/tasks')).json().total).toBe(0);
    expect((await s.adminA.get('/api/my/tasks')).json().total).toBe(0);
    expect(
      (await s.leaderA.get('/api/my/tasks')).json().items.map((i: { subCampaignId: number }) => i.subCampaignId),
    ).toEqual([c.subSub]);
  });

  it('an observer records a note on their own task only; audited; bad input changes nothing', async () => {
    groupIds = await assignObservers();
    const mine = (await s.observerA.get('/api/my/tasks')).json().items[0];
    const audits = await count('audit_log', `action = 'oversight.observation.record'`);
    const ok = await s.observerA.post(`/api/my/tasks/${mine.id}/observation`, {
      note: '会议按议程进行，点评直指问题。',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await count('audit_log', `action = 'oversight.observation.record'`)).toBe(audits + 1);
    expect((await s.observerA2.post(`/api/my/tasks/${mine.id}/observation`, { note: '冒充' })).statusCode).toBe(404);
    expect((await s.adminA.post(`/api/my/tasks/${mine.id}/observation`, { note: '冒充' })).statusCode).toBe(404);
    expect((await s.observerA.post(`/api/my/tasks/${mine.id}/observation`, { note: '   ' })).statusCode).toBe(400);
    expect((await s.observerA.post(`/api/my/tasks/${mine.id}/observation`, {})).statusCode).toBe(400);
    const [row] = await queryRows<{ observation_note: string }>(
      t.db,
      sql`select observation_note from observer_assignments where id = ${mine.id}`,
    );
    expect(row.observation_note).toBe('会议按议程进行，点评直指问题。');
    expect(await count('audit_log', `action = 'oversight.observation.record'`)).toBe(audits + 1);
    const recorded = (await s.observerA.get('/api/my/tasks?status=recorded')).json();
    expect(recorded.items.map((i: { id: number }) => i.id)).toEqual([mine.id]);
  });

  it("a township admin sends observers to the rounds below its own, not to the county's", async () => {
    const own = await s.townA.post(observersUrl(c.subA1), { userIds: [uid.townObserver], subCampaignIds: [c.subSub] });
    expect(own.statusCode, own.body).toBe(200);
    const countyStaff = await s.townA.post(observersUrl(c.subA1), {
      userIds: [uid.observerA2],
      subCampaignIds: [c.subSub],
    });
    expect([countyStaff.statusCode, countyStaff.json().code]).toEqual([400, 'VALIDATION']);
  });

  it('withdrawing an assignment keeps the row, removes the task and is audited', async () => {
    groupIds = await assignObservers();
    const target = groupIds[0];
    const res = await s.adminA.delete(`${observersUrl(c.countyA)}/${target}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(await count('observer_assignments', `id = ${target} and removed_at is not null`)).toBe(1);
    expect(await count('audit_log', `action = 'oversight.observer.remove' and target_id = '${target}'`)).toBe(1);
    expect((await s.adminA.delete(`${observersUrl(c.countyA)}/${target}`)).statusCode).toBe(404);
    // the same assignment through another campaign's URL is not found
    expect((await s.adminA.delete(`${observersUrl(c.subA1)}/${groupIds[1]}`)).statusCode).toBe(404);
    const tasks = (await s.observerA.get('/api/my/tasks')).json();
    expect(tasks.items.map((i: { id: number }) => i.id)).not.toContain(target);
  });

  it('exports the 分组名单 as .xlsx with a frozen Chinese header and dates as dates', async () => {
    await assignObservers({ all: true });
    const res = await s.adminA.get(`${observersUrl(c.countyA)}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const groups = wb.getWorksheet('分组名单')!;
    expect(groups.getRow(1).values).toEqual([undefined, '组别', '组长', '成员', '指导单位', '述职评议会时间', '人数']);
    expect(groups.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(groups.getRow(2).getCell(1).value).toBe('第一组');
    expect(typeof groups.getRow(2).getCell(6).value).toBe('number');
    const detail = wb.getWorksheet('选派明细')!;
    const start = detail.getRow(2).getCell(5).value;
    expect(start).toBeInstanceOf(Date);
  });
});

const visitsUrl = (id: number) => `/api/campaigns/${id}/visits`;

describe('R-PREP-2 unannounced research visits (不打招呼、随机走访)', () => {
  let visitId = 0;
  let problemIds: number[] = [];
  const good = () => ({
    orgId: tree.villageA1.id,
    visitedOn: '2025-11-18',
    visitors: '县委组织部 王某、李某',
    seen: '党员活动室闲置，“三会一课”记录补写痕迹明显。',
    problems: ['三会一课落实不到位', '党员活动室长期闲置'],
  });

  /** The two visits: 东村 on 11-18 with two problems (by adminA), 甲二镇北村 on 11-05 with none (by observerA). */
  const recordVisits = async () => {
    const res = ok(await s.adminA.post(visitsUrl(c.countyA), good()));
    visitId = res.json().id;
    problemIds = res.json().problemIds;
    ok(
      await s.observerA.post(visitsUrl(c.countyA), {
        ...good(),
        orgId: villageA3.id,
        visitedOn: '2025-11-05',
        problems: [],
      }),
    );
  };
  /** The author's correction of the 东村 visit: the first problem reworded, the second withdrawn, a third added. */
  const correctVisit = async () => {
    ok(
      await s.adminA.patch(`${visitsUrl(c.countyA)}/${visitId}`, {
        seen: '党员活动室闲置，会议记录补写。',
        problems: [{ id: problemIds[0], text: '“三会一课”落实不到位' }, { text: '软弱涣散整顿台账不全' }],
      }),
    );
  };

  it('an upper-level admin records a visit; each problem is its own row with a source reference; audited', async () => {
    const res = await s.adminA.post(visitsUrl(c.countyA), good());
    expect(res.statusCode, res.body).toBe(200);
    visitId = res.json().id;
    problemIds = res.json().problemIds;
    expect(problemIds).toHaveLength(2);
    const rows = await queryRows<{ text: string; source_type: string; source_id: number; org_id: number }>(
      t.db,
      sql`
      select text, source_type, source_id, org_id from visit_problems where visit_id = ${visitId} order by position`,
    );
    expect(rows).toEqual([
      { text: '三会一课落实不到位', source_type: 'research_visit', source_id: visitId, org_id: tree.villageA1.id },
      { text: '党员活动室长期闲置', source_type: 'research_visit', source_id: visitId, org_id: tree.villageA1.id },
    ]);
    expect(await count('audit_log', `action = 'oversight.visit.create' and target_id = '${visitId}'`)).toBe(1);
    const second = await s.observerA.post(visitsUrl(c.countyA), {
      ...good(),
      orgId: villageA3.id,
      visitedOn: '2025-11-05',
      problems: [],
    });
    expect(second.statusCode, second.body).toBe(200);
  });

  it('denied across counties, to a township admin on the county round, and to secretaries and auditors; nothing recorded', async () => {
    const before = await count('research_visits');
    const got: Record<string, number> = {};
    for (const u of ['adminB', 'townA', 'secA1', 'auditorA', 'observerB'])
      got[u] = (await s[u].post(visitsUrl(c.countyA), good())).statusCode;
    expect(got).toEqual({ adminB: 404, townA: 403, secA1: 403, auditorA: 403, observerB: 404 });
    for (const u of ['adminB', 'townA', 'secA1'])
      expect((await s[u].get(visitsUrl(c.countyA))).statusCode).toBe(u === 'adminB' ? 404 : 403);
    expect(await count('research_visits')).toBe(before);
  });

  it('bad input answers 4xx {code, message} and records nothing', async () => {
    const before = [await count('research_visits'), await count('visit_problems'), await count('audit_log')];
    const cases: [Record<string, unknown>, string][] = [
      [{ orgId: tree.villageB1.id }, 'ORG_OUT_OF_SCOPE'], // another county
      [{ orgId: tree.countyA.id }, 'ORG_OUT_OF_SCOPE'], // the organizer itself
      [{ orgId: 999999 }, 'ORG_OUT_OF_SCOPE'],
      [{ visitedOn: '2025-11-21' }, 'VALIDATION'], // after today (2025-11-20 in Shanghai)
      [{ visitedOn: '2025-02-30' }, 'VALIDATION'],
      [{ seen: '' }, 'VALIDATION'],
      [{ visitors: undefined }, 'VALIDATION'],
      [{ problems: [''] }, 'VALIDATION'],
      [{ problems: 'x' }, 'VALIDATION'],
    ];
    for (const [patch, code] of cases) {
      const res = await s.adminA.post(visitsUrl(c.countyA), { ...good(), ...patch });
      expect([res.statusCode, res.json().code], JSON.stringify(patch)).toEqual([400, code]);
      expect(res.json().message).toBeTruthy();
    }
    expect([await count('research_visits'), await count('visit_problems'), await count('audit_log')]).toEqual(before);
  });

  it('lists with search, organization subtree and date filters, paginated', async () => {
    await recordVisits();
    const all = (await s.leaderA.get(visitsUrl(c.countyA))).json();
    expect(all.total).toBe(2);
    expect(all.items[0].visitedOn).toBe('2025-11-18');
    expect(all.items[0].problems.map((p: { text: string }) => p.text)).toEqual([
      '三会一课落实不到位',
      '党员活动室长期闲置',
    ]);
    expect(all.items[0].canEdit).toBe(false);
    const byProblem = (await s.adminA.get(`${visitsUrl(c.countyA)}?q=${encodeURIComponent('活动室长期')}`)).json();
    expect(byProblem.items.map((v: { id: number }) => v.id)).toEqual([visitId]);
    expect(byProblem.items[0].canEdit).toBe(true);
    expect((await s.adminA.get(`${visitsUrl(c.countyA)}?orgId=${tree.townA.id}`)).json().total).toBe(1);
    expect((await s.adminA.get(`${visitsUrl(c.countyA)}?orgId=${tree.villageB1.id}`)).json().total).toBe(0);
    expect((await s.adminA.get(`${visitsUrl(c.countyA)}?from=2025-11-01&to=2025-11-10`)).json().total).toBe(1);
    expect((await s.adminA.get(`${visitsUrl(c.countyA)}?limit=1&offset=1`)).json().items).toHaveLength(1);
    expect((await s.adminA.get(`${visitsUrl(c.countyA)}?from=2025-13-01`)).statusCode).toBe(400);
    // the township sees only visits recorded in its own round
    expect((await s.townA.get(visitsUrl(c.subA1))).json().total).toBe(0);
  });

  it('the author corrects the record: problems edited, added and withdrawn (kept), all audited; no delete', async () => {
    await recordVisits();
    const res = await s.adminA.patch(`${visitsUrl(c.countyA)}/${visitId}`, {
      seen: '党员活动室闲置，会议记录补写。',
      problems: [{ id: problemIds[0], text: '“三会一课”落实不到位' }, { text: '软弱涣散整顿台账不全' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await queryRows<{ id: number; text: string; withdrawn: boolean }>(
      t.db,
      sql`
      select id, text, withdrawn_at is not null as withdrawn from visit_problems where visit_id = ${visitId} order by id`,
    );
    expect(rows.map((r) => [r.text, r.withdrawn])).toEqual([
      ['“三会一课”落实不到位', false],
      ['党员活动室长期闲置', true],
      ['软弱涣散整顿台账不全', false],
    ]);
    expect(rows[0].id).toBe(problemIds[0]);
    const [audit] = await queryRows<{
      detail: { before: { seen: string }; problems: { withdrawn: unknown[]; added: string[] } };
    }>(
      t.db,
      sql`
      select detail from audit_log where action = 'oversight.visit.update' and target_id = ${String(visitId)}`,
    );
    expect(audit.detail.before.seen).toBe(good().seen);
    expect(audit.detail.problems.withdrawn).toHaveLength(1);
    expect(audit.detail.problems.added).toEqual(['软弱涣散整顿台账不全']);
    expect((await s.adminA.delete(`${visitsUrl(c.countyA)}/${visitId}`)).statusCode).toBe(404);
  });

  it('only the author edits; bad corrections change nothing', async () => {
    await recordVisits();
    await correctVisit();
    const snapshot = async () =>
      queryRows(
        t.db,
        sql`
      select v.seen, v.org_id, v.visited_on::text, (select jsonb_agg(p order by p.id) from visit_problems p where p.visit_id = v.id) as p
      from research_visits v where v.id = ${visitId}`,
      );
    const before = await snapshot();
    const url = `${visitsUrl(c.countyA)}/${visitId}`;
    expect((await s.leaderA.patch(url, { seen: '改写' })).statusCode).toBe(403);
    expect((await s.adminB.patch(url, { seen: '改写' })).statusCode).toBe(404);
    const cases: [unknown, number][] = [
      [{ orgId: tree.villageB1.id, seen: '改写' }, 400],
      [{ visitedOn: '2026-01-01' }, 400],
      [{ problems: [{ id: problemIds[1], text: '撤回的问题不能再改' }] }, 400],
      [
        {
          problems: [
            { id: problemIds[0], text: 'a' },
            { id: problemIds[0], text: 'b' },
          ],
        },
        400,
      ],
      [{ seen: '' }, 400],
      [{ authorId: uid.leaderA }, 400],
    ];
    for (const [body, status] of cases)
      expect((await s.adminA.patch(url, body)).statusCode, JSON.stringify(body)).toBe(status);
    expect((await s.adminA.patch(`${visitsUrl(c.countyB)}/${visitId}`, { seen: '改写' })).statusCode).toBe(404);
    expect((await s.adminA.patch(`${visitsUrl(c.subA1)}/${visitId}`, { seen: '改写' })).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

const progressUrl = (id: number, qs = '') => `/api/campaigns/${id}/progress${qs}`;
type ProgressItem = {
  id: number;
  organizerName: string;
  depth: number;
  overdue: boolean;
  state: string;
  reporters: number;
  observers: number;
  phasesClosed: number;
  phasesTotal: number;
  openPhases: { key: string; label: string }[];
  completeBy: string | null;
  filingState: string;
};

describe('R-CAMP-2 progress of a campaign and all its sub-campaigns on one page', () => {
  // The observers as the story above leaves them (甲一镇 1, 甲二镇 2, 东村 2).
  beforeEach(async () => {
    await assignObservers({ all: true });
  });

  it('the county admin sees every level below, aggregated: phases, reporters, observers, overdue', async () => {
    const res = await s.adminA.get(progressUrl(c.countyA));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.today).toBe('2025-11-20');
    const byId = new Map<number, ProgressItem>(body.items.map((i: ProgressItem) => [i.id, i]));
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual(
      [c.countyA, c.subA1, c.subA2, c.subSub].sort((a, b) => a - b),
    );
    expect(byId.get(c.countyA)!.depth).toBe(0);
    expect(byId.get(c.subSub)!.depth).toBe(2);
    expect(byId.get(c.subA1)).toMatchObject({
      organizerName: '甲一镇党委',
      state: 'published',
      filingState: 'filed',
      completeBy: '2025-12-25',
      overdue: false,
      phasesClosed: 1,
      phasesTotal: 4,
      openPhases: [{ key: 'reports', label: '述职报告' }],
      reporters: 1,
      observers: 1,
    });
    // observerA's assignment to 甲一镇 was withdrawn above; 甲二镇 still has both group members
    expect(byId.get(c.subA2)).toMatchObject({
      overdue: true,
      phasesTotal: 0,
      openPhases: [],
      reporters: 0,
      observers: 2,
    });
    // closed rounds are never overdue even past their deadline
    expect(byId.get(c.subSub)).toMatchObject({ overdue: false, state: 'closed', phasesClosed: 2, phasesTotal: 2 });
    expect(byId.get(c.subSub)!.observers).toBe(2);
    expect(byId.get(c.countyA)!.reporters).toBe(2);
    expect(body.summary).toMatchObject({
      total: 4,
      subCampaigns: 3,
      overdue: 1,
      byState: { published: 1, draft: 1, closed: 1 },
      byFiling: { filed: 1, pending: 1, acknowledged: 1 },
    });
    expect(body.total).toBe(4);
  });

  it('filters by state, overdue, filing and search, with pagination; bad filters answer 400', async () => {
    const ids = async (qs: string) =>
      (await s.adminA.get(progressUrl(c.countyA, qs))).json().items.map((i: ProgressItem) => i.id);
    expect(await ids('?state=draft')).toEqual([c.subA2]);
    expect(await ids('?overdue=true')).toEqual([c.subA2]);
    expect((await ids('?overdue=false')).sort()).toEqual([c.countyA, c.subA1, c.subSub].sort());
    expect(await ids('?filing=acknowledged')).toEqual([c.subSub]);
    expect(await ids(`?q=${encodeURIComponent('东村')}`)).toEqual([c.subSub]);
    const page = (await s.adminA.get(progressUrl(c.countyA, '?limit=2&offset=2'))).json();
    expect([page.items.length, page.total, page.summary.total]).toEqual([2, 4, 4]);
    for (const qs of ['?state=running', '?overdue=yes', '?filing=x', '?limit=0']) {
      const res = await s.adminA.get(progressUrl(c.countyA, qs));
      expect([res.statusCode, res.json().code], qs).toEqual([400, 'VALIDATION']);
    }
  });

  it('overdue follows the Asia/Shanghai calendar day of the app clock', async () => {
    const overdueOf = async () =>
      (await s.adminA.get(progressUrl(c.countyA))).json().items.find((i: ProgressItem) => i.id === c.subA2).overdue;
    try {
      t.clock.set(new Date('2025-11-10T15:59:00Z')); // 23:59 on 11-10 in Shanghai: still the deadline day
      expect(await overdueOf()).toBe(false);
      t.clock.set(new Date('2025-11-10T16:01:00Z')); // 00:01 on 11-11 in Shanghai, still 11-10 in UTC
      expect(await overdueOf()).toBe(true);
    } finally {
      t.clock.set(new Date('2025-11-20T02:00:00Z'));
      // sessions idle out after 30 min of clock time; sign in again after moving the clock back
      s.adminA = await signIn(t.app, 'adminA');
    }
  });

  it('the overdue counter counts sub-campaigns only, like the bars; the top campaign shows lateness on its row', async () => {
    try {
      t.clock.set(new Date('2026-02-05T02:00:00Z')); // past 甲县's own 2026-01-31 deadline
      s.adminA = await signIn(t.app, 'adminA');
      const body = (await s.adminA.get(progressUrl(c.countyA))).json();
      const overdueIds = body.items
        .filter((i: ProgressItem) => i.overdue)
        .map((i: ProgressItem) => i.id)
        .sort();
      expect(overdueIds).toEqual([c.countyA, c.subA1, c.subA2].sort());
      expect(body.summary.overdue).toBe(2);
    } finally {
      t.clock.set(new Date('2025-11-20T02:00:00Z'));
      s.adminA = await signIn(t.app, 'adminA');
    }
  });

  it('a township admin sees only its own sub-campaign subtree; other counties and roles are denied', async () => {
    expect((await s.townA.get(progressUrl(c.countyA))).statusCode).toBe(403);
    const own = (await s.townA.get(progressUrl(c.subA1))).json();
    expect(own.items.map((i: ProgressItem) => i.id).sort()).toEqual([c.subA1, c.subSub].sort());
    const got: Record<string, number> = {};
    for (const u of ['adminA', 'leaderA', 'adminB', 'townA', 'observerA', 'secA1', 'auditorA'])
      got[u] = (await s[u].get(progressUrl(c.countyA))).statusCode;
    expect(got).toEqual({
      adminA: 200,
      leaderA: 200,
      adminB: 404,
      townA: 403,
      observerA: 403,
      secA1: 403,
      auditorA: 403,
    });
    expect((await s.adminA.get(progressUrl(c.countyB))).statusCode).toBe(404);
    expect((await s.adminA.get(progressUrl(c.subB))).statusCode).toBe(404);
    expect((await s.adminB.get(`${progressUrl(c.countyA)}/export`)).statusCode).toBe(404);
    expect((await s.adminA.get(progressUrl(999999))).statusCode).toBe(404);
  });

  it('exports the table as .xlsx: Chinese frozen header, numbers as numbers, dates as dates, same filters', async () => {
    const res = await s.adminA.get(`${progressUrl(c.countyA)}/export?overdue=false`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('进度')!;
    expect(ws.getRow(1).getCell(1).value).toBe('组织单位');
    expect(ws.getRow(1).getCell(6).value).toBe('完成时限');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(4); // header + 3 rows not overdue
    const town = [2, 3, 4].map((n) => ws.getRow(n)).find((r) => String(r.getCell(1).value).includes('甲一镇党委'))!;
    expect(town.getCell(6).value).toEqual(new Date('2025-12-25T00:00:00Z'));
    expect(town.getCell(11).value).toBe(1);
    expect(town.getCell(4).value).toBe('已发布');
  });
});
