import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { buildFromTemplate, TEMPLATES } from '../../src/domain/campaign-templates';
import { subRoundPlan } from '../../src/domain/level-schedule';
import type { Role } from '../../src/domain/roles';
import { queryRows } from '../../src/server/db/connect';
import { campaigns } from '../../src/server/db/schema';
import { PHASES, type Phase } from '../../src/domain/campaign-phases';
import { buildCampaign, buildOrg, buildSecretary, buildUser, setupTestApp, signIn, type Session } from '../factories';

/**
 * Every test starts from its own county (beforeEach: organizations, secretaries, accounts, sessions) in the file's
 * database and builds the campaigns it needs with the helpers below, so tests run in any order. The few that assert on
 * rows of the whole database (counts without a target) take a database of their own (ownDatabase).
 */
let shared: Awaited<ReturnType<typeof setupTestApp>>;
let t: Awaited<ReturnType<typeof setupTestApp>>;
let s: Record<string, Session> = {};
type Org = Awaited<ReturnType<typeof buildOrg>>;
let o: Record<string, Org> = {};
let worlds = 0;

/**
 * County A: two townships with villages and a community, the 社区工委 with a community committee,
 * the 县直工委 with an organ branch, and a 系统党委 under the county that 002 routes to the 县直工委.
 * County B is the neighbour whose admin must see none of it.
 */
async function buildCounty(n: number) {
  const db = t.db;
  const buildOrgN = (d: typeof db, x: Parameters<typeof buildOrg>[1] & { code: string }) =>
    buildOrg(d, { ...x, code: `W${n}-${x.code}` });
  o.countyA = await buildOrg(db, {
    name: '甲县委',
    code: `W${n}-A`,
    kind: 'committee',
    sector: 'organ',
    level: 'county',
  });
  o.townA1 = await buildOrgN(db, {
    parent: o.countyA,
    name: '甲一镇党委',
    code: 'A-T1',
    kind: 'committee',
    level: 'township',
  });
  o.v11 = await buildOrgN(db, { parent: o.townA1, name: '甲一镇东村党支部', code: 'A-T1-V1' });
  o.v12 = await buildOrgN(db, { parent: o.townA1, name: '甲一镇西村党总支', code: 'A-T1-V2', kind: 'general_branch' });
  o.c11 = await buildOrgN(db, { parent: o.townA1, name: '甲一镇南街社区党支部', code: 'A-T1-C1', sector: 'community' });
  o.townA2 = await buildOrgN(db, {
    parent: o.countyA,
    name: '甲二镇党委',
    code: 'A-T2',
    kind: 'committee',
    level: 'township',
  });
  o.v21 = await buildOrgN(db, { parent: o.townA2, name: '甲二镇北村党支部', code: 'A-T2-V1' });
  o.sq = await buildOrgN(db, {
    parent: o.countyA,
    name: '甲县社区工委',
    code: 'A-SQ',
    kind: 'working_committee',
    sector: 'community',
    level: 'county',
  });
  o.sq1 = await buildOrgN(db, {
    parent: o.sq,
    name: '城关社区党委',
    code: 'A-SQ-1',
    kind: 'committee',
    sector: 'community',
  });
  o.jz = await buildOrgN(db, {
    parent: o.countyA,
    name: '甲县直属机关工委',
    code: 'A-JZ',
    kind: 'organ_working_committee',
    sector: 'organ',
    level: 'county',
  });
  o.jz1 = await buildOrgN(db, { parent: o.jz, name: '县财政局机关党支部', code: 'A-JZ-1', sector: 'organ' });
  o.sys = await buildOrgN(db, {
    parent: o.countyA,
    name: '县卫健系统党委',
    code: 'A-SYS',
    kind: 'committee',
    sector: 'organ',
    level: 'county',
  });
  o.sys1 = await buildOrgN(db, { parent: o.sys, name: '县中医院党支部', code: 'A-SYS-1', sector: 'institution' });
  o.countyB = await buildOrgN(db, { name: '乙县委', code: 'B', kind: 'committee', sector: 'organ', level: 'county' });
  o.townB = await buildOrgN(db, {
    parent: o.countyB,
    name: '乙一镇党委',
    code: 'B-T1',
    kind: 'committee',
    level: 'township',
  });
  o.vB1 = await buildOrgN(db, { parent: o.townB, name: '乙一镇南村党支部', code: 'B-T1-V1' });

  // v21 has no secretary; v12's took office seven weeks before "today" (2025-11-20); only v11 and townA1 have accounts.
  for (const key of [
    'countyA',
    'townA1',
    'v11',
    'c11',
    'townA2',
    'sq',
    'sq1',
    'jz',
    'jz1',
    'sys',
    'sys1',
    'countyB',
    'townB',
    'vB1',
  ]) {
    await buildSecretary(db, o[key].id, { name: `${o[key].name}书记`, tenureStart: '2020-03-01' });
  }
  await buildSecretary(db, o.v12.id, { name: '新任书记', tenureStart: '2025-10-01' });
}

/** A county with its accounts signed in, in the database `t` (the file's, unless the test took its own). */
async function buildWorld() {
  const n = ++worlds;
  s = {};
  o = {};
  await buildCounty(n);
  const accounts: [string, Role, { scopeOrgId?: number; orgId?: number }][] = [
    ['adminA', 'org_admin', { scopeOrgId: o.countyA.id }],
    ['adminB', 'org_admin', { scopeOrgId: o.countyB.id }],
    ['townA1', 'org_admin', { scopeOrgId: o.townA1.id }],
    ['townA2', 'org_admin', { scopeOrgId: o.townA2.id }],
    ['secTown', 'secretary', { orgId: o.townA1.id }],
    ['secV11', 'secretary', { orgId: o.v11.id }],
    ['leaderA', 'leader', { scopeOrgId: o.countyA.id }],
    ['observerA', 'observer', { scopeOrgId: o.countyA.id }],
    ['auditorA', 'auditor', { scopeOrgId: o.countyA.id }],
  ];
  for (const [name, role, scope] of accounts) {
    const username = `${name}_${n}`;
    await buildUser(t.db, { role, username, ...scope });
    s[name] = await signIn(t.app, username);
  }
}

// Every test signs its own accounts in: more logins a minute than the production default allows one address.
const config = { loginRatePerMinute: 10_000 };
beforeAll(async () => {
  shared = await setupTestApp({ config });
});
afterAll(async () => shared.close());
beforeEach(async () => {
  t = shared;
  await buildWorld();
});

/** For a test that counts rows of the whole database: a fresh one with the same county, closed after the test. */
async function ownDatabase() {
  t = await setupTestApp({ config });
  const own = t;
  onTestFinished(() => own.close());
  await buildWorld();
}

/** The county's 002 round bound to its 工委 and published: reporters to the county and four sub-rounds. */
async function publishCounty(id: number) {
  const bind = await saveSettings(s.adminA, id, (st) => {
    st.routes[0].match = { orgIds: [o.sys.id] };
    st.routes[0].reportTo = o.jz.id;
    st.routes[1].reportTo = o.sq.id;
    st.routes[2].reportTo = o.jz.id;
  });
  expect(bind.statusCode, bind.body).toBe(200);
  const res = await s.adminA.post(`/api/campaigns/${id}/publish`);
  expect(res.statusCode, res.body).toBe(200);
}

/** A published county round (002, 2025) and the ids of its sub-rounds. */
async function publishedCountyRound() {
  const id = (await create(s.adminA, o.countyA.id, '002')).id;
  await publishCounty(id);
  const children = (await detail(s.adminA, id)).children;
  const by = (orgId: number) => children.find((c: any) => c.organizer.id === orgId).id as number;
  return { id, town1: by(o.townA1.id), town2: by(o.townA2.id), jz: by(o.jz.id) };
}

/** The township files its plan, the county acknowledges it, the township publishes its own round. */
async function publishTownship(town: number, publish = true) {
  expect((await s.townA1.post(`/api/campaigns/${town}/filing/submit`, { note: '按县委方案' })).statusCode).toBe(200);
  expect((await s.adminA.post(`/api/campaigns/${town}/filing/acknowledge`)).statusCode).toBe(200);
  if (publish) expect((await s.townA1.post(`/api/campaigns/${town}/publish`)).statusCode).toBe(200);
}

const audits = async (action: string, targetId?: number) =>
  (
    await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where action = ${action}
    ${targetId === undefined ? sql`` : sql`and target_id = ${String(targetId)}`}`,
    )
  )[0].n;
const countRows = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

async function create(session: Session, organizerOrgId: number, templateId: string, year = 2025) {
  const res = await session.post('/api/campaigns', { templateId, year, organizerOrgId });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().campaign as { id: number; title: string; state: string };
}
async function detail(session: Session, id: number) {
  const res = await session.get(`/api/campaigns/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function saveSettings(session: Session, id: number, edit: (settings: any) => void) {
  const { settings } = await detail(session, id);
  edit(settings);
  return session.put(`/api/campaigns/${id}/settings`, { settings });
}

describe('templates and creation (R-CAMP-7, R-CAMP-1)', () => {
  it('lists the five seed templates with their settings in Chinese for the chosen year', async () => {
    const res = await s.adminA.get('/api/campaign-templates?year=2025');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; seedId: string; lines: { label: string; value: string }[] }[];
    expect(items.map((i) => i.id)).toEqual(['000', '001', '002', '003', '004']);
    const county = items.find((i) => i.id === '002')!;
    expect(county.lines).toContainEqual({ label: '组织方式', value: '自下而上、压茬进行' });
    expect(county.lines.some((l) => l.value.includes('2025年12月25日'))).toBe(true);
  });

  it('R-CAMP-7 creates a draft from each of the five templates with the seed settings, key content items and unstarted phases', async () => {
    const keyItems: Record<string, number> = { '000': 5, '001': 5, '002': 7, '003': 8, '004': 6 };
    for (const [i, tpl] of TEMPLATES.entries()) {
      const year = 2030 + i;
      const c = await create(s.adminA, o.countyA.id, tpl.id, year);
      const d = await detail(s.adminA, c.id);
      expect(d.campaign.state).toBe('draft');
      expect(d.campaign.templateId).toBe(tpl.id);
      expect(d.settings).toEqual(buildFromTemplate(tpl.id, year).settings);
      expect(d.settings.keyContentItems).toHaveLength(keyItems[tpl.id]);
      expect(d.phases.every((p: { state: string }) => p.state === 'not_started')).toBe(true);
      expect(d.scopeMatch).toEqual({ subtreeOf: o.countyA.id });
      expect(d.lines.length).toBeGreaterThan(10);
      expect(await audits('campaign.create', c.id)).toBe(1);
    }
  });

  it('refuses a second campaign of the same organizer and year with a 409, and unknown templates with a 400', async () => {
    await create(s.adminA, o.countyA.id, '000', 2030);
    const before = await countRows('campaigns');
    const dup = await s.adminA.post('/api/campaigns', { templateId: '000', year: 2030, organizerOrgId: o.countyA.id });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toContain('已有2030年度');
    const bad = await s.adminA.post('/api/campaigns', { templateId: '999', year: 2029, organizerOrgId: o.countyA.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('模板');
    expect(await countRows('campaigns')).toBe(before);
  });
});

describe('settings (R-CAMP-7 validation, audited)', () => {
  let id: number;
  beforeEach(async () => {
    id = (await create(s.adminA, o.countyA.id, '003', 2040)).id;
  });

  it('refuses invalid settings with a Chinese message naming the field, and changes nothing', async () => {
    const before = (await detail(s.adminA, id)).settings;
    const auditsBefore = await audits('campaign.settings.update', id);
    const cases: [(st: any) => void, string][] = [
      [
        (st) => {
          st.grading.compositeWeights.report = 90;
        },
        '综合评价各项权重之和应为100',
      ],
      [
        (st) => {
          st.keyContentItems = [];
        },
        '重点内容',
      ],
      [
        (st) => {
          st.phases.find((p: any) => p.key === 'meeting').start = '2040-01-01';
        },
        '阶段',
      ],
      [
        (st) => {
          st.reporterTiers[0].charLimit = -5;
        },
        '字数上限',
      ],
      [
        (st) => {
          st.meeting.ballotForms.downward = null;
        },
        '下评评议表',
      ],
    ];
    for (const [edit, message] of cases) {
      const res = await saveSettings(s.adminA, id, edit);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toContain(message);
      expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await detail(s.adminA, id)).settings).toEqual(before);
    expect(await audits('campaign.settings.update', id)).toBe(auditsBefore);
  });

  it('saves valid settings and audits the change as Chinese label/value differences', async () => {
    const res = await saveSettings(s.adminA, id, (st) => {
      st.reporterTiers[0].charLimit = 2000;
      st.report.dueDaysBeforeMeeting = 5;
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await detail(s.adminA, id)).settings.reporterTiers[0].charLimit).toBe(2000);
    const [row] = await queryRows<{ detail: { changes: { item: string; after: string }[] } }>(
      t.db,
      sql`select detail from audit_log where action = 'campaign.settings.update' and target_id = ${String(id)} order by id desc limit 1`,
    );
    expect(row.detail.changes.map((c) => c.item)).toEqual(expect.arrayContaining(['述职报告报送时间']));
    expect(row.detail.changes.some((c) => c.after?.includes('2000字以内'))).toBe(true);
  });

  it('rejects a body that is not settings at all with a 400', async () => {
    const res = await s.adminA.put(`/api/campaigns/${id}/settings`, { settings: 'x' });
    expect(res.statusCode).toBe(400);
  });
});

describe('scope, routes and publication with cascade (R-ORG-2, R-ORG-3, R-CAMP-2)', () => {
  let id: number;
  beforeEach(async () => {
    id = (await create(s.adminA, o.countyA.id, '002')).id;
  });

  it('R-ORG-3 previews the scope with counts by sector and kind, per report-to body, and names unbound rules', async () => {
    const res = await s.adminA.get(`/api/campaigns/${id}/scope/preview`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.total).toBe(12);
    expect(p.bySector).toContainEqual({ code: 'community', label: '社区', count: 3 });
    expect(p.byKind).toContainEqual({ code: 'committee', label: '党委', count: 4 });
    expect(p.unboundRules).toEqual([
      '县直系统党委（总支）→ 县直工委',
      '社区党组织 → 社区工委',
      '非公和社会组织党组织 → 非公和社会组织工委',
    ]);
    const organizerRow = p.byReportTo.find((b: any) => b.isOrganizer);
    expect(organizerRow.direct).toBe(5); // two townships, two 工委 and the 系统党委 while its rule is unbound
  });

  it('refuses to publish while route rules are not bound to real organizations, changing nothing', async () => {
    await ownDatabase();
    id = (await create(s.adminA, o.countyA.id, '002')).id;
    const res = await s.adminA.post(`/api/campaigns/${id}/publish`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ROUTE_UNBOUND');
    expect((await detail(s.adminA, id)).campaign.state).toBe('draft');
    expect(await countRows('campaign_reporters')).toBe(0);
  });

  it('refuses route rules pointing at organizations that do not exist', async () => {
    const res = await saveSettings(s.adminA, id, (st) => {
      st.routes[0].match = { orgIds: [o.sys.id] };
      st.routes[0].reportTo = 999999;
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ROUTE_TARGET_UNKNOWN');
  });

  it("R-ORG-3 a scope change is audited; an empty scope or one outside the admin's subtree is refused", async () => {
    const empty = await s.adminA.put(`/api/campaigns/${id}/scope`, {
      match: { subtreeOf: o.countyA.id, sectors: ['university'] },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('EMPTY_SCOPE');
    const foreign = await s.adminA.put(`/api/campaigns/${id}/scope`, { match: { orgIds: [o.vB1.id] } });
    expect(foreign.statusCode).toBe(400);
    const narrow = await s.adminA.put(`/api/campaigns/${id}/scope`, {
      match: { subtreeOf: o.countyA.id, sectors: ['rural'] },
    });
    expect(narrow.statusCode, narrow.body).toBe(200);
    expect(narrow.json().total).toBe(5);
    const back = await s.adminA.put(`/api/campaigns/${id}/scope`, { match: { subtreeOf: o.countyA.id } });
    expect(back.json().total).toBe(12);
    const rows = await queryRows<{ detail: { countBefore: number; countAfter: number } }>(
      t.db,
      sql`select detail from audit_log where action = 'campaign.scope.update' and target_id = ${String(id)} order by id`,
    );
    expect(rows.map((r) => [r.detail.countBefore, r.detail.countAfter])).toEqual([
      [12, 5],
      [5, 12],
    ]);
  });

  it('R-ORG-3 lists in-scope organizations with no secretary, no account, or a secretary in office under 3 months', async () => {
    const res = await s.adminA.get(`/api/campaigns/${id}/gaps?limit=200`);
    expect(res.statusCode, res.body).toBe(200);
    const g = res.json();
    const of = (type: string) => g.items.filter((x: any) => x.type === type).map((x: any) => x.orgName);
    expect(of('no_secretary')).toEqual(['甲二镇北村党支部']);
    expect(of('short_tenure')).toEqual(['甲一镇西村党总支']);
    expect(of('no_account')).not.toContain('甲一镇东村党支部');
    expect(of('no_account')).toContain('甲二镇党委');
    const filtered = await s.adminA.get(`/api/campaigns/${id}/gaps?type=no_secretary`);
    expect(filtered.json().total).toBe(1);
  });

  it('R-ORG-2 R-CAMP-2 publishes: reporters to the organizer, rule overrides, and sub-campaigns with their stage deadlines', async () => {
    await ownDatabase();
    id = (await create(s.adminA, o.countyA.id, '002')).id;
    const bind = await saveSettings(s.adminA, id, (st) => {
      st.routes[0].match = { orgIds: [o.sys.id] };
      st.routes[0].reportTo = o.jz.id;
      st.routes[1].reportTo = o.sq.id;
      st.routes[2].reportTo = o.jz.id; // no non-public organizations in this county: bound, never matches
    });
    expect(bind.statusCode, bind.body).toBe(200);
    const preview = (await s.adminA.get(`/api/campaigns/${id}/scope/preview`)).json();
    expect(preview.unboundRules).toEqual([]);
    const sqRow = preview.byReportTo.find((b: any) => b.orgId === o.sq.id);
    expect(sqRow).toMatchObject({ direct: 2, total: 2, ruleLabels: ['社区党组织 → 社区工委'] });

    const res = await s.adminA.post(`/api/campaigns/${id}/publish`);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.reporters).toBe(4);
    expect(out.campaign.state).toBe('published');
    const subs = Object.fromEntries(out.subCampaigns.map((x: any) => [x.organizer.name, x]));
    expect(Object.keys(subs).sort()).toEqual(['甲一镇党委', '甲二镇党委', '甲县直属机关工委', '甲县社区工委'].sort());
    expect(subs['甲一镇党委']).toMatchObject({ completeBy: '2025-12-25', orgCount: 2 });
    expect(subs['甲县社区工委']).toMatchObject({ completeBy: '2026-01-15', orgCount: 2 });
    expect(subs['甲县直属机关工委']).toMatchObject({ completeBy: '2026-01-15', orgCount: 3 });

    const reporters = (await s.adminA.get(`/api/campaigns/${id}/reporters`)).json();
    expect(reporters.items.map((r: any) => r.org.name).sort()).toEqual(
      ['甲一镇党委', '甲二镇党委', '甲县直属机关工委', '甲县社区工委'].sort(),
    );
    const town = reporters.items.find((r: any) => r.org.id === o.townA1.id);
    expect(town).toMatchObject({
      reportTo: { id: o.countyA.id },
      tierKey: 'committees',
      charLimit: 3000,
      speakingMinutes: 8,
      hasAccount: true,
      secretary: { name: '甲一镇党委书记', tenureStart: '2020-03-01', shortTenure: false },
      routeRuleLabel: null,
    });

    // 社区党组织 → 社区工委 overrides the 隶属 parent (甲一镇党委).
    const sqSub = await detail(s.adminA, subs['甲县社区工委'].id);
    expect(sqSub.scopeMatch.orgIds.sort()).toEqual([o.c11.id, o.sq1.id].sort());
    expect(sqSub.campaign).toMatchObject({
      parentId: id,
      filingState: 'pending',
      state: 'draft',
      completeBy: '2026-01-15',
    });
    expect(sqSub.parent).toMatchObject({ id, organizer: { id: o.countyA.id } });
    expect(await audits('campaign.publish', id)).toBe(1);
    expect(await audits('campaign.subcampaign.create')).toBe(4);

    const again = await s.adminA.post(`/api/campaigns/${id}/publish`);
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('CAMPAIGN_TRANSITION');
  });

  it('freezes settings and scope after publication', async () => {
    await publishCounty(id);
    const res = await s.adminA.put(`/api/campaigns/${id}/scope`, { match: { subtreeOf: o.countyA.id } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CAMPAIGN_NOT_DRAFT');
  });

  it('exports the reporters list as .xlsx', async () => {
    await publishCounty(id);
    const res = await s.adminA.get(`/api/campaigns/${id}/reporters/export`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('述职对象')!;
    expect(ws.getRow(1).getCell(2).value).toBe('党组织');
    expect(ws.rowCount).toBe(5);
  });

  it('R-ORG-3 refuses to add an organization a sub-campaign already hears, or one already listed, naming who hears it', async () => {
    await publishCounty(id);
    const before = await countRows('campaign_reporters');
    // 县卫健系统党委 is routed to the 县直工委, whose sub-campaign has it in scope.
    const sub = await s.adminA.post(`/api/campaigns/${id}/reporters`, {
      orgId: o.sys.id,
      reason: '系统党委直接向县委述职',
    });
    expect(sub.statusCode).toBe(409);
    expect(sub.json()).toMatchObject({
      code: 'REPORTER_IN_SUBCAMPAIGN',
      message: expect.stringContaining('「甲县直属机关工委」'),
    });
    // A village heard by its township's sub-campaign.
    const village = await s.adminA.post(`/api/campaigns/${id}/reporters`, {
      orgId: o.v11.id,
      reason: '直接向县委述职',
    });
    expect(village.statusCode).toBe(409);
    expect(village.json().message).toContain('「甲一镇党委」');
    const listed = await s.adminA.post(`/api/campaigns/${id}/reporters`, { orgId: o.townA1.id, reason: '重复' });
    expect(listed.statusCode).toBe(409);
    expect(listed.json()).toMatchObject({ code: 'REPORTER_EXISTS', message: expect.stringContaining('甲一镇党委') });
    expect(await countRows('campaign_reporters')).toBe(before);
    expect(await audits('campaign.reporter.add', id)).toBe(0);
  });

  it('R-ORG-3 adds and removes a reporter after publication with a reason; the row is kept and both are audited', async () => {
    await publishCounty(id);
    // Founded after publication, so no level has it in scope yet.
    o.fresh = await buildOrg(t.db, { parent: o.countyA, name: '县新设机关党支部', code: 'A-NEW', sector: 'organ' });
    const add = await s.adminA.post(`/api/campaigns/${id}/reporters`, {
      orgId: o.fresh.id,
      reason: '新设党组织直接向县委述职',
    });
    expect(add.statusCode, add.body).toBe(200);
    const rid = add.json().id;
    const dup = await s.adminA.post(`/api/campaigns/${id}/reporters`, { orgId: o.fresh.id, reason: '重复' });
    expect(dup.statusCode).toBe(409);
    const noReason = await s.adminA.post(`/api/campaigns/${id}/reporters/${rid}/remove`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const rm = await s.adminA.post(`/api/campaigns/${id}/reporters/${rid}/remove`, { reason: '已由县直工委听取' });
    expect(rm.statusCode, rm.body).toBe(200);
    const removed = (await s.adminA.get(`/api/campaigns/${id}/reporters?status=removed`)).json();
    expect(removed.items).toHaveLength(1);
    expect(removed.items[0]).toMatchObject({ org: { id: o.fresh.id }, removedReason: '已由县直工委听取' });
    expect(removed.items[0].removedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const gaps = (await s.adminA.get(`/api/campaigns/${id}/gaps?type=removed`)).json();
    expect(gaps.items.map((g: any) => g.orgName)).toEqual(['县新设机关党支部']);
    expect(await audits('campaign.reporter.add', id)).toBe(1);
    expect(await audits('campaign.reporter.remove', id)).toBe(1);
  });

  it('filters and pages the reporters list', async () => {
    await publishCounty(id);
    const res = await s.adminA.get(
      `/api/campaigns/${id}/reporters?q=${encodeURIComponent('工委')}&status=active&limit=1`,
    );
    const body = res.json();
    expect(body.total).toBe(2);
    expect(body.items).toHaveLength(1);
    const bySector = (await s.adminA.get(`/api/campaigns/${id}/reporters?sector=community`)).json();
    expect(bySector.items.map((r: any) => r.org.name)).toEqual(['甲县社区工委']);
  });
});

describe('filing and the lower levels (R-CAMP-3, R-CAMP-2)', () => {
  let parentId: number;
  let town1: number;
  let town2: number;
  let jz: number;
  beforeEach(async () => {
    ({ id: parentId, town1, town2, jz } = await publishedCountyRound());
  });

  it('a township admin sees its sub-campaign and only the title of the parent, not the parent itself', async () => {
    const d = await detail(s.townA1, town1);
    expect(d.parent).toMatchObject({ id: parentId, title: expect.any(String) });
    expect(d.permissions).toMatchObject({ canEdit: true, canFile: true, canPublish: false, canReviewFiling: false });
    expect((await s.townA1.get(`/api/campaigns/${parentId}`)).statusCode).toBe(403);
    expect((await s.townA1.get(`/api/campaigns/${town2}`)).statusCode).toBe(404);
    const list = (await s.townA1.get('/api/campaigns')).json();
    expect(list.items.map((c: any) => c.id)).toEqual([town1]);
  });

  it('R-CAMP-3 a sub-campaign cannot be published before the parent acknowledged its filing', async () => {
    const res = await s.townA1.post(`/api/campaigns/${town1}/publish`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('FILING_NOT_ACKNOWLEDGED');
  });

  it('R-CAMP-3 the township files its plan, the county returns it with a reason, it refiles and the county acknowledges', async () => {
    const edit = await saveSettings(s.townA1, town1, (st) => {
      st.report.dueDaysBeforeMeeting = 6;
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const filed = await s.townA1.post(`/api/campaigns/${town1}/filing/submit`, { note: '按县委方案，会前6天报送' });
    expect(filed.statusCode, filed.body).toBe(200);
    expect(filed.json().campaign.filingState).toBe('filed');
    // While the plan is with the county, the township cannot change it, nor review its own filing.
    expect((await saveSettings(s.townA1, town1, () => {})).statusCode).toBe(409);
    expect((await s.townA1.post(`/api/campaigns/${town1}/filing/acknowledge`)).statusCode).toBe(403);
    expect((await s.adminB.post(`/api/campaigns/${town1}/filing/acknowledge`)).statusCode).toBe(404);
    expect((await s.adminA.post(`/api/campaigns/${town1}/filing/return`, {})).statusCode).toBe(400);

    const ret = await s.adminA.post(`/api/campaigns/${town1}/filing/return`, {
      reason: '请补充社区党组织书记述职安排',
    });
    expect(ret.statusCode, ret.body).toBe(200);
    const afterReturn = await detail(s.townA1, town1);
    expect(afterReturn.filing).toMatchObject({
      state: 'returned',
      returnReason: '请补充社区党组织书记述职安排',
      note: '按县委方案，会前6天报送',
    });

    expect((await s.townA1.post(`/api/campaigns/${town1}/filing/submit`, { note: '已补充' })).statusCode).toBe(200);
    const countyView = await detail(s.adminA, town1);
    expect(countyView.permissions.canReviewFiling).toBe(true);
    const ack = await s.adminA.post(`/api/campaigns/${town1}/filing/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().campaign.filingState).toBe('acknowledged');
    expect((await s.adminA.post(`/api/campaigns/${town1}/filing/acknowledge`)).statusCode).toBe(409);

    expect(await audits('campaign.filing.submit', town1)).toBe(2);
    expect(await audits('campaign.filing.return', town1)).toBe(1);
    expect(await audits('campaign.filing.acknowledge', town1)).toBe(1);
  });

  it('R-CAMP-2 the acknowledged township publishes its own round: its villages report to it', async () => {
    await publishTownship(town1, false);
    const res = await s.townA1.post(`/api/campaigns/${town1}/publish`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().subCampaigns).toEqual([]);
    const reporters = (await s.townA1.get(`/api/campaigns/${town1}/reporters`)).json();
    expect(reporters.items.map((r: any) => r.org.name).sort()).toEqual(['甲一镇东村党支部', '甲一镇西村党总支'].sort());
    const v12 = reporters.items.find((r: any) => r.org.id === o.v12.id);
    expect(v12).toMatchObject({
      tierKey: 'grassroots',
      charLimit: 1500,
      hasAccount: false,
      secretary: { name: '新任书记', shortTenure: true },
    });
  });

  it('R-CAMP-2 publication recurses: the 县直工委 round spawns a round for the 系统党委 under it', async () => {
    const filed = await s.adminA.post(`/api/campaigns/${jz}/filing/submit`);
    expect(filed.statusCode, filed.body).toBe(200);
    expect((await s.adminA.post(`/api/campaigns/${jz}/filing/acknowledge`)).statusCode).toBe(200);
    const res = await s.adminA.post(`/api/campaigns/${jz}/publish`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reporters).toBe(2); // 县财政局机关党支部 by 隶属, 县卫健系统党委 by rule
    expect(res.json().subCampaigns).toMatchObject([
      { organizer: { id: o.sys.id }, completeBy: '2025-12-25', orgCount: 1 },
    ]);
  });

  it('a body that already runs its own campaign that year is a clear 409 at publication, and nothing is published', async () => {
    const county = (await create(s.adminA, o.countyA.id, '002', 2026)).id;
    await buildCampaign(t.db, { organizerOrgId: o.townA2.id, year: 2026 });
    await saveSettings(s.adminA, county, (st) => {
      st.routes = [];
    });
    const before = await countRows('campaigns');
    const res = await s.adminA.post(`/api/campaigns/${county}/publish`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'SUBCAMPAIGN_EXISTS', message: expect.stringContaining('甲二镇党委') });
    expect(await countRows('campaigns')).toBe(before);
    expect((await detail(s.adminA, county)).campaign.state).toBe('draft');
  });
});

describe('下评 and 向本级党委述职 (R-CAMP-4, R-CAMP-5)', () => {
  it("R-CAMP-4 with 下评 the organizer's own secretary is a reporter rated by the lower-level secretaries", async () => {
    const id = (await create(s.townA2, o.townA2.id, '003', 2027)).id;
    const res = await s.townA2.post(`/api/campaigns/${id}/publish`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ reporters: 1, downward: 1 });
    const down = (await s.townA2.get(`/api/campaigns/${id}/reporters?role=downward`)).json();
    expect(down.items).toHaveLength(1);
    expect(down.items[0]).toMatchObject({
      org: { id: o.townA2.id },
      role: 'downward',
      roleLabel: '下评',
      reportTo: { id: o.townA2.id },
    });
    expect((await detail(s.townA2, id)).counts).toMatchObject({ reporters: 1, downward: 1 });
  });

  it("R-CAMP-5 向本级党委述职 is a record: a date within the campaign, the committee's rating results, filed upward; only where the plan asks for it", async () => {
    // 004's 2024 round runs 2024-11-21 … 2025-06-30; "today" is 2025-11-20.
    const id = (await create(s.adminA, o.countyA.id, '004', 2024)).id;
    expect((await s.adminA.post(`/api/campaigns/${id}/publish`)).statusCode).toBe(200);
    const reporters = (await s.adminA.get(`/api/campaigns/${id}/reporters`)).json().items;
    const rid = reporters.find((r: any) => r.org.id === o.townA1.id).id;
    const url = `/api/campaigns/${id}/reporters/${rid}/self-committee`;
    const ratings = { good: 9, fair: 2, average: 0, poor: 0 };
    expect((await s.adminA.post(url, { date: '2030-01-01', ratings })).json().message).toBe('述职日期不能晚于今天');
    expect((await s.adminA.post(url, { date: '2024-10-01', ratings })).json().message).toBe(
      '述职日期应在本次述职评议考核期间（2024年11月21日—2025年6月30日）',
    );
    expect((await s.adminA.post(url, { date: '2025-01-20' })).statusCode).toBe(400);
    expect(
      (await s.adminA.post(url, { date: '2025-01-20', ratings: { good: 0, fair: 0, average: 0, poor: 0 } })).json()
        .details.field,
    ).toBe('ratings');
    expect((await s.adminA.post(url, { date: '2025-01-20', ratings, participants: 10 })).json().message).toBe(
      '参加评议人数（10）少于测评票数（11）',
    );
    // The township's own admin keeps its record and files it with the county (004: 报市委组织部备案).
    const ok = await s.townA1.post(url, {
      date: '2025-01-20',
      ratings,
      participants: 11,
      note: '与领导班子年度考核一并进行',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ id: rid, selfCommitteeReportedOn: '2025-01-20', late: false });
    expect((await s.townA2.post(url, { date: '2025-01-20', ratings })).statusCode).toBe(403);
    expect((await s.secV11.post(url, { date: '2025-01-20', ratings })).statusCode).toBe(403);
    const filed = await s.townA1.post(`${url}/file`);
    expect(filed.statusCode, filed.body).toBe(200);
    expect((await s.townA1.post(url, { date: '2025-01-21', ratings })).json().code).toBe('SELF_COMMITTEE_FILED');
    expect((await s.townA1.post(`${url}/file`)).statusCode).toBe(409);
    const after = (await s.adminA.get(`/api/campaigns/${id}/reporters`)).json().items.find((r: any) => r.id === rid);
    expect(after.selfCommittee).toMatchObject({
      date: '2025-01-20',
      ratings,
      participants: 11,
      note: '与领导班子年度考核一并进行',
      late: false,
      filedAt: expect.any(String),
    });
    expect(await audits('campaign.reporter.self_committee', id)).toBe(1);
    expect(await audits('campaign.reporter.self_committee.file', id)).toBe(1);

    const without = (await create(s.adminA, o.countyA.id, '001', 2029)).id;
    await saveSettings(s.adminA, without, (st) => {
      st.reporterTiers[1].match = {};
    });
    expect((await s.adminA.post(`/api/campaigns/${without}/publish`)).statusCode).toBe(200);
    const r2 = (await s.adminA.get(`/api/campaigns/${without}/reporters`)).json().items[0].id;
    const refused = await s.adminA.post(`/api/campaigns/${without}/reporters/${r2}/self-committee`, {
      date: '2025-11-18',
      ratings,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('未要求向本级党委述职');
  });
});

describe('phases and the campaign lifecycle (R-CAMP-1, R-CAMP-8)', () => {
  let id: number;
  beforeEach(async () => {
    id = (await create(s.adminA, o.countyA.id, '000', 2045)).id;
  });
  const phase = (key: string, action: string, body: object = {}) =>
    s.adminA.post(`/api/campaigns/${id}/phases/${key}/${action}`, body);
  const phaseOf = async (key: string) => (await detail(s.adminA, id)).phases.find((p: any) => p.key === key);

  it('R-CAMP-8 phases follow their dates; opening early and extending need a reason, closing with open work a confirmation; all audited', async () => {
    expect((await phase('preparation', 'open', { reason: 'x' })).json().code).toBe('CAMPAIGN_NOT_ACTIVE');
    expect((await s.adminA.post(`/api/campaigns/${id}/publish`)).statusCode).toBe(200);
    // 2045's plan lies ahead of "today" (2025-11-20): nothing is open by its dates.
    expect(await phaseOf('preparation')).toMatchObject({ status: 'not_started', statusLabel: '未开始' });
    const early = await phase('reports', 'open', { reason: '提前部署' });
    expect(early.statusCode).toBe(400);
    expect(early.json().message).toBe('「准备」阶段尚未开始，不能提前开启「述职报告」阶段');
    const noReason = await phase('preparation', 'open');
    expect(noReason.json()).toMatchObject({ code: 'REASON_REQUIRED', message: '提前开启「准备」阶段须填写理由' });
    expect((await phase('preparation', 'open', { reason: '上级要求提前部署' })).statusCode).toBe(200);
    expect(await phaseOf('preparation')).toMatchObject({
      status: 'open',
      statusLabel: '进行中',
      openedOn: '2025-11-20',
      overrides: [
        { kind: 'open_early', on: '2025-11-20', reason: '上级要求提前部署', by: expect.stringContaining('adminA') },
      ],
    });
    expect((await phase('reports', 'open', { reason: '提前部署' })).statusCode).toBe(200);

    // The campaign has reporters and none has started a report: closing warns with the count and waits for a confirmation.
    const warned = await phase('reports', 'close');
    expect(warned.statusCode, warned.body).toBe(409);
    expect(warned.json().code).toBe('PHASE_HAS_OPEN_WORK');
    expect(warned.json().message).toMatch(/^「述职报告」阶段还有未完成的工作：\d+份述职报告中有\d+份尚未开始撰写/);
    expect((await phaseOf('reports')).status).toBe('open');
    const pending = (await s.adminA.get(`/api/campaigns/${id}/phases/reports/pending`)).json();
    expect(pending.items[0].count).toBeGreaterThan(0);
    expect((await phase('reports', 'close', { confirm: true })).statusCode).toBe(200);
    expect(await phaseOf('reports')).toMatchObject({ status: 'closed', closedOn: '2025-11-20' });
    const [closeRow] = await queryRows<{ detail: { openWork: string } }>(
      t.db,
      sql`select detail from audit_log where action = 'campaign.phase.close' and target_id = ${String(id)}`,
    );
    expect(closeRow.detail.openWork).toContain('尚未开始撰写');

    expect((await phase('reports', 'reopen')).json().code).toBe('REASON_REQUIRED');
    const reopened = await phase('reports', 'reopen', { reason: '补报述职报告' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json().phases.find((p: any) => p.key === 'reports')).toMatchObject({
      status: 'open',
      reopenReason: '补报述职报告',
    });

    const before = await phaseOf('reports');
    const extended = await phase('reports', 'extend', { reason: '部分单位换届，延期报送', end: '2046-01-31' });
    expect(extended.statusCode, extended.body).toBe(200);
    expect(await phaseOf('reports')).toMatchObject({ end: '2046-01-31', plannedEnd: before.end });
    const [row] = await queryRows<{ detail: { reason: string; endFrom: string; endTo: string } }>(
      t.db,
      sql`select detail from audit_log where action = 'campaign.phase.extend' and target_id = ${String(id)}`,
    );
    expect(row.detail).toMatchObject({ reason: '部分单位换届，延期报送', endFrom: before.end, endTo: '2046-01-31' });
    expect(await audits('campaign.phase.open', id)).toBe(2);
    expect(await audits('campaign.phase.close', id)).toBe(1);
    expect(await audits('campaign.phase.reopen', id)).toBe(1);
    expect((await s.adminA.post(`/api/campaigns/${id}/phases/nonsense/open`, {})).statusCode).toBe(400);
    expect((await s.leaderA.post(`/api/campaigns/${id}/phases/review/open`, { reason: 'x' })).statusCode).toBe(403);
  });

  it('R-CAMP-8 closes only when no phase is running or to come, then archives', async () => {
    expect((await s.adminA.post(`/api/campaigns/${id}/publish`)).statusCode).toBe(200);
    const early = await s.adminA.post(`/api/campaigns/${id}/close`);
    expect(early.statusCode).toBe(400);
    expect((await s.leaderA.post(`/api/campaigns/${id}/close`)).statusCode).toBe(403);
    // Walk every phase through open (early, with a reason) → close (confirmed) in an order the precedence rules accept.
    for (let round = 0; round < PHASES.length; round++) {
      for (const p of (await detail(s.adminA, id)).phases) {
        if (p.status === 'not_started') await phase(p.key, 'open', { reason: '按实际安排提前开展' });
        if (p.status === 'open') await phase(p.key, 'close', { confirm: true });
      }
    }
    expect((await detail(s.adminA, id)).phases.every((p: any) => p.status === 'closed')).toBe(true);
    expect((await s.adminA.post(`/api/campaigns/${id}/close`)).json().campaign.state).toBe('closed');
    expect((await s.adminA.post(`/api/campaigns/${id}/archive`)).json().campaign.stateLabel).toBe('已归档');
    expect(await audits('campaign.close', id)).toBe(1);
    expect(await audits('campaign.archive', id)).toBe(1);
  });
});

describe("order of the levels' meetings follows each level's schedule (R-CAMP-2, R-CAMP-8)", () => {
  /** Closes every phase before the meeting, so only the order between levels can hold it back. */
  async function readyForMeeting(id: number) {
    const [row] = await t.db.select({ phases: campaigns.phases }).from(campaigns).where(eq(campaigns.id, id));
    const before = PHASES.slice(
      0,
      PHASES.findIndex((p) => p.key === 'meeting'),
    ).map((p) => p.key as string);
    const phases = (row.phases as Phase[]).map((p) =>
      before.includes(p.key) ? { ...p, state: 'closed', openedOn: '2025-11-01', closedOn: '2025-11-10' } : p,
    );
    await t.db.update(campaigns).set({ phases }).where(eq(campaigns.id, id));
  }
  /** A parent from the template and sub-rounds whose phases come from their own deadline, as publication makes them. */
  async function tree(templateId: string, year: number, deadline: string, childOrgs: Org[]) {
    const parent = await buildCampaign(t.db, { organizerOrgId: o.countyA.id, templateId, year, state: 'published' });
    await readyForMeeting(parent.id);
    const s0 = buildFromTemplate(templateId, year).settings;
    const plan = subRoundPlan({
      parent: s0.phases,
      deadline,
      mode: s0.organizing.mode,
      resultsDueDate: s0.summary.resultsDueDate,
      dueDaysBeforeMeeting: s0.report.dueDaysBeforeMeeting,
    });
    const children = [];
    for (const org of childOrgs) {
      const c = await buildCampaign(t.db, {
        organizerOrgId: org.id,
        templateId,
        year,
        state: 'published',
        parentId: parent.id,
        phases: plan,
        completeBy: deadline,
      });
      await readyForMeeting(c.id);
      children.push(c.id);
    }
    return { parent: parent.id, children };
  }
  const move = (session: Session, id: number, action: 'open' | 'close') =>
    session.post(
      `/api/campaigns/${id}/phases/meeting/${action}`,
      action === 'open' ? { reason: '按实际安排提前召开' } : { confirm: true },
    );
  const meetingOf = async (session: Session, id: number) =>
    (await detail(session, id)).phases.find((p: any) => p.key === 'meeting').status;

  it('R-CAMP-2 R-CAMP-8 001: the 党支部-level round planned for 12月底 meets before its parent (1月初) although the plan says 自上而下', async () => {
    const {
      parent,
      children: [town],
    } = await tree('001', 2050, '2050-12-31', [o.townA1]);
    const allowed = await move(s.townA1, town, 'open');
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(await meetingOf(s.townA1, town)).toBe('open');
    expect(await meetingOf(s.adminA, parent)).toBe('not_started');
    // The parent may not close its meeting while the level planned to meet before it has not finished.
    expect((await move(s.adminA, parent, 'open')).statusCode).toBe(200);
    expect((await move(s.adminA, parent, 'close')).json().code).toBe('LEVEL_ORDER');
    expect((await move(s.townA1, town, 'close')).statusCode).toBe(200);
    expect((await move(s.adminA, parent, 'close')).statusCode).toBe(200);
  });

  it('R-CAMP-2 R-CAMP-8 004: a township planned to meet after the city may not open early before the city has begun (409, nothing changes), then can', async () => {
    const {
      parent,
      children: [town],
    } = await tree('004', 2052, '2052-12-31', [o.townA1]);
    const early = await move(s.townA1, town, 'open');
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'LEVEL_ORDER',
      message: expect.stringContaining('按计划，上级「甲县委」的述职评议会（2052年12月15日—12月25日）先于本级召开'),
    });
    expect(await meetingOf(s.townA1, town)).toBe('not_started');
    expect(await audits('campaign.phase.open', town)).toBe(0);

    expect((await move(s.adminA, parent, 'open')).statusCode).toBe(200);
    const allowed = await move(s.townA1, town, 'open');
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(await meetingOf(s.townA1, town)).toBe('open');
    // The township meets after the city: the city may close its meeting while the township's goes on.
    expect((await move(s.adminA, parent, 'close')).statusCode).toBe(200);
  });

  it('R-CAMP-2 R-CAMP-8 002: the county cannot close its meeting while a township planned before it has not closed its own, naming it (409, nothing changes)', async () => {
    const {
      parent,
      children: [town1, town2],
    } = await tree('002', 2051, '2051-12-25', [o.townA1, o.townA2]);
    expect((await move(s.townA1, town1, 'open')).statusCode).toBe(200);
    expect((await move(s.townA1, town1, 'close')).statusCode).toBe(200);
    expect((await move(s.adminA, parent, 'open')).statusCode).toBe(200);

    const refused = await move(s.adminA, parent, 'close');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('LEVEL_ORDER');
    expect(refused.json().message).toBe(
      '按计划，「甲二镇党委」的述职评议会先于本级召开，尚未结束，本级不能关闭述职评议会',
    );
    expect(await meetingOf(s.adminA, parent)).toBe('open');
    expect(await audits('campaign.phase.close', parent)).toBe(0);

    expect((await move(s.townA2, town2, 'open')).statusCode).toBe(200);
    expect((await move(s.townA2, town2, 'close')).statusCode).toBe(200);
    const allowed = await move(s.adminA, parent, 'close');
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(await meetingOf(s.adminA, parent)).toBe('closed');
  });
});

describe('access: allowed and denied, including another county', () => {
  let county: number;
  let town1: number;
  beforeEach(async () => {
    ({ id: county, town1 } = await publishedCountyRound());
  });

  it('reads the county campaign only within scope; a reporting secretary gets the summary', async () => {
    const expected: Record<string, number> = {
      adminA: 200,
      adminB: 404,
      townA1: 403,
      secTown: 200,
      secV11: 403,
      leaderA: 200,
      observerA: 200,
      auditorA: 403,
    };
    const got: Record<string, number> = {};
    for (const user of Object.keys(expected)) got[user] = (await s[user].get(`/api/campaigns/${county}`)).statusCode;
    expect(got).toEqual(expected);
    const summary = await detail(s.secTown, county);
    expect(summary).toMatchObject({ access: 'summary', settings: null, scopeMatch: null, children: [] });
    expect(summary.lines.length).toBeGreaterThan(0);
    expect((await s.secTown.get(`/api/campaigns/${county}/reporters`)).statusCode).toBe(403);
  });

  it("the other county's admin sees none of this county's campaigns and can change none of them", async () => {
    const list = (await s.adminB.get('/api/campaigns')).json();
    expect(list.total).toBe(0);
    for (const [method, url, body] of [
      ['GET', `/api/campaigns/${county}/reporters`],
      ['GET', `/api/campaigns/${county}/scope/preview`],
      ['GET', `/api/campaigns/${county}/gaps`],
      ['GET', `/api/campaigns/${county}/reporters/export`],
      ['GET', `/api/campaigns/${town1}`],
      ['POST', `/api/campaigns/${county}/phases/preparation/open`, {}],
      ['POST', `/api/campaigns/${county}/reporters`, { orgId: o.vB1.id, reason: '跨县' }],
      ['POST', `/api/campaigns`, { templateId: '002', year: 2025, organizerOrgId: o.countyA.id }],
    ] as [string, string, object?][]) {
      const res = await s.adminB.request({ method: method as 'GET', url, payload: body });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it('lists campaigns by role: secretaries those they report in, the auditor none', async () => {
    await publishTownship(town1);
    const sec = (await s.secV11.get('/api/campaigns')).json();
    expect(sec.items.map((c: any) => c.id)).toEqual([town1]);
    expect((await s.auditorA.get('/api/campaigns')).statusCode).toBe(403);
    const leader = (await s.leaderA.get(`/api/campaigns?q=${encodeURIComponent('甲一镇')}`)).json();
    expect(leader.items.map((c: any) => c.id)).toContain(town1);
    const paged = (await s.adminA.get('/api/campaigns?limit=2&offset=0')).json();
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThan(2);
  });

  it('only admins write: leader, observer, secretary and auditor are refused', async () => {
    for (const user of ['leaderA', 'observerA', 'secTown', 'auditorA']) {
      const res = await s[user].post('/api/campaigns', { templateId: '002', year: 2050, organizerOrgId: o.countyA.id });
      expect(res.statusCode, user).toBe(403);
    }
    expect(
      (await s.townA1.post('/api/campaigns', { templateId: '003', year: 2050, organizerOrgId: o.countyA.id }))
        .statusCode,
    ).toBe(403);
  });

  it('malformed input is a 4xx with a message, never a 500', async () => {
    const cases: [string, string, unknown][] = [
      ['PUT', `/api/campaigns/${county}/settings`, { settings: null }],
      ['PUT', `/api/campaigns/${county}/scope`, { match: { subtreeOf: 'x' } }],
      ['PUT', `/api/campaigns/${county}/scope`, { match: { color: 'red' } }],
      ['POST', `/api/campaigns/${county}/phases/meeting/explode`, {}],
      ['POST', `/api/campaigns/${county}/reporters`, { orgId: -1, reason: 'x' }],
      ['POST', `/api/campaigns/${county}/reporters/999999/remove`, { reason: '测试' }],
      [
        'POST',
        `/api/campaigns/${county}/reporters/999999/self-committee`,
        { date: '2025-02-30', ratings: { good: 1, fair: 0, average: 0, poor: 0 } },
      ],
      ['POST', '/api/campaigns', { templateId: '002', year: 1999, organizerOrgId: o.countyA.id }],
      ['POST', '/api/campaigns', { templateId: '002', year: 2025, organizerOrgId: 999999 }],
      ['GET', `/api/campaigns/${county}/reporters?limit=100000`, undefined],
      ['GET', '/api/campaign-templates?year=abc', undefined],
    ];
    for (const [method, url, body] of cases) {
      const res = await s.adminA.request({ method: method as 'GET', url, payload: body as object });
      expect(res.statusCode, `${method} ${url} ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
      expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('lists the campaign routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/campaign-templates',
        '/api/campaigns',
        '/api/campaigns/{id}/publish',
        '/api/campaigns/{id}/scope/preview',
        '/api/campaigns/{id}/filing/submit',
        '/api/campaigns/{id}/reporters/{rid}/self-committee',
      ]),
    );
  });

  it('unknown ids are 404, malformed ones 400', async () => {
    expect((await s.adminA.get('/api/campaigns/999999')).statusCode).toBe(404);
    expect((await s.adminA.get('/api/campaigns/abc')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/campaigns/${county}` })).statusCode).toBe(401);
  });
});
