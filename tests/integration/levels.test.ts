/**
 * Each level has its own dates and order (R-CAMP-2, R-CAMP-8, R-SUM-2), walked through the API as the seeds run it:
 * 001 (a university: 党支部 report to the 分党委 by 12月底, the 分党委 to the 校党委 in 1月初) and 002 (a county:
 * 乡镇 and 县直系统 by 12-25, 工委 by 1-15, all by 1-31, results to the county by 1-20).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/campaign-phases';
import type { Role } from '../../src/domain/roles';
import { buildOrg, buildSecretary, buildUser, setupTestApp, signIn, type Session } from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
type Org = Awaited<ReturnType<typeof buildOrg>>;
let o: Record<string, Org> = {};
let s: Record<string, Session> = {};

const on = (day: string) => t.clock.set(new Date(`${day}T04:00:00Z`));
const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
  const res = await p;
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body);
};
const phasesOf = async (session: Session, id: number) =>
  Object.fromEntries((await ok(session.get(`/api/campaigns/${id}`))).phases.map((p: { key: string }) => [p.key, p]));
/** The sub-round is filed with the level above, acknowledged, and published by its own organizer (R-CAMP-3). */
async function startSubRound(own: Session, upper: Session, id: number) {
  await ok(own.post(`/api/campaigns/${id}/filing/submit`, { note: '按上级方案执行' }));
  await ok(upper.post(`/api/campaigns/${id}/filing/acknowledge`));
  await ok(own.post(`/api/campaigns/${id}/publish`));
}

// Each test starts from its own database (beforeEach) and first takes the rounds through the steps it comes after
// (the steps of each describe below), so the tests run in any order.
beforeEach(async () => {
  o = {};
  s = {};
  t = await setupTestApp({ start: new Date('2025-11-20T04:00:00Z'), config: { idleTimeoutMinutes: 60 * 24 * 365 } });
  const db = t.db;
  // 001: the university, two 分党委 with two 党支部 each.
  o.uni = await buildOrg(db, {
    name: '中共甲大学委员会',
    code: 'U',
    kind: 'committee',
    sector: 'university',
    level: 'grassroots',
  });
  for (const n of [1, 2]) {
    o[`sub${n}`] = await buildOrg(db, {
      parent: o.uni,
      name: `第${n}分党委`,
      code: `U-${n}`,
      kind: 'sub_committee',
      sector: 'university',
      level: 'grassroots',
    });
    for (const m of [1, 2]) {
      o[`br${n}${m}`] = await buildOrg(db, {
        parent: o[`sub${n}`],
        name: `第${n}分党委第${m}党支部`,
        code: `U-${n}-${m}`,
        kind: 'branch',
        sector: 'university',
        level: 'grassroots',
      });
    }
  }
  // 002: a county with two townships (villages, one community routed to the 社区工委) and the 社区工委.
  o.county = await buildOrg(db, { name: '乙县委', code: 'C', kind: 'committee', sector: 'organ', level: 'county' });
  for (const n of [1, 2]) {
    o[`town${n}`] = await buildOrg(db, {
      parent: o.county,
      name: `乙${n}镇党委`,
      code: `C-T${n}`,
      kind: 'committee',
      level: 'township',
    });
    o[`v${n}`] = await buildOrg(db, { parent: o[`town${n}`], name: `乙${n}镇东村党支部`, code: `C-T${n}-V1` });
  }
  o.c1 = await buildOrg(db, { parent: o.town1, name: '乙1镇南街社区党支部', code: 'C-T1-C1', sector: 'community' });
  o.sq = await buildOrg(db, {
    parent: o.county,
    name: '乙县社区工委',
    code: 'C-SQ',
    kind: 'working_committee',
    sector: 'community',
    level: 'county',
  });
  o.sq1 = await buildOrg(db, {
    parent: o.sq,
    name: '城关社区党委',
    code: 'C-SQ-1',
    kind: 'committee',
    sector: 'community',
  });
  for (const org of Object.values(o)) await buildSecretary(db, org.id, { name: `${org.name}书记` });

  const accounts: [string, Role, { scopeOrgId?: number; orgId?: number }][] = [
    ['uni', 'org_admin', { scopeOrgId: o.uni.id }],
    ['sub1', 'org_admin', { scopeOrgId: o.sub1.id }],
    ['br11', 'secretary', { orgId: o.br11.id }],
    ['county', 'org_admin', { scopeOrgId: o.county.id }],
    ['town1', 'org_admin', { scopeOrgId: o.town1.id }],
    ['sqAdmin', 'org_admin', { scopeOrgId: o.sq.id }],
    ['v1', 'secretary', { orgId: o.v1.id }],
  ];
  for (const [username, role, scope] of accounts) {
    await buildUser(db, { role, username, ...scope });
    s[username] = await signIn(t.app, username);
  }
});
afterEach(async () => t.close());

describe('001: two tiers, the lower level meets first (R-CAMP-2, R-CAMP-8)', () => {
  let parent: number;
  let sub: number;
  /** The steps of the first test: the university publishes 001; `parent` and `sub` (the first 分党委's round). */
  const published = async () => {
    on('2025-11-20');
    parent = (await ok(s.uni.post('/api/campaigns', { templateId: '001', year: 2025, organizerOrgId: o.uni.id })))
      .campaign.id;
    const res = await ok(s.uni.post(`/api/campaigns/${parent}/publish`));
    sub = res.subCampaigns.find((x: { organizer: { id: number } }) => x.organizer.id === o.sub1.id).id;
  };

  it('R-CAMP-2 R-CAMP-8 001: the 分党委 rounds get phases from their own deadline (12月底), inside it and before the 校党委 meets (1月初)', async () => {
    on('2025-11-20');
    parent = (await ok(s.uni.post('/api/campaigns', { templateId: '001', year: 2025, organizerOrgId: o.uni.id })))
      .campaign.id;
    const published = await ok(s.uni.post(`/api/campaigns/${parent}/publish`));
    expect(published.subCampaigns.map((x: { completeBy: string }) => x.completeBy)).toEqual([
      '2025-12-31',
      '2025-12-31',
    ]);
    sub = published.subCampaigns.find((x: { organizer: { id: number } }) => x.organizer.id === o.sub1.id).id;

    const up = await phasesOf(s.uni, parent);
    const own = await phasesOf(s.sub1, sub);
    expect(up.meeting).toMatchObject({ start: '2026-01-02', end: '2026-01-10' });
    for (const key of ['preparation', 'reports', 'review', 'field', 'meeting', 'evaluation'])
      expect(own[key].end <= '2025-12-31', key).toBe(true);
    expect(own.evaluation.end).toBe('2025-12-31');
    expect(own.meeting.end < up.meeting.start).toBe(true);
    // The parent's phase tab shows the sub-rounds' dates as one group.
    const levels = (await ok(s.uni.get(`/api/campaigns/${parent}`))).levels;
    expect(levels).toEqual([
      expect.objectContaining({
        relation: 'children',
        label: '下级（2个）',
        organizers: ['第1分党委', '第2分党委'],
        completeBy: '2025-12-31',
        phases: expect.arrayContaining([
          expect.objectContaining({ key: 'meeting', start: own.meeting.start, end: own.meeting.end }),
        ]),
      }),
    ]);
    // Editing the sub-round's plan past its deadline is refused.
    const d = await ok(s.sub1.get(`/api/campaigns/${sub}`));
    d.settings.phases = d.settings.phases.map((p: { key: string }) =>
      p.key === 'evaluation' ? { ...p, end: '2026-01-03' } : p,
    );
    const late = await s.sub1.put(`/api/campaigns/${sub}/settings`, { settings: d.settings });
    expect(late.statusCode).toBe(400);
    expect(late.json().message).toBe('本级述职评议考核须在2025年12月31日前完成，「综合评价」阶段应不晚于该日结束');
  });

  it('R-CAMP-2 R-CAMP-8 001: a 党支部 report is due before the 分党委 meeting of 12月, not the 校党委 meeting of 1月', async () => {
    await published();
    await startSubRound(s.sub1, s.uni, sub);
    on('2025-12-05');
    const own = await phasesOf(s.sub1, sub);
    const [task] = (await ok(s.br11.get('/api/reports/tasks'))).items;
    expect(task.reportToName).toBe('第1分党委');
    expect(task.dueDate <= own.meeting.start).toBe(true);
    expect(task.dueDate < '2025-12-31').toBe(true);
    expect(task.phase).toMatchObject({ key: 'reports', allowed: true });
  });

  it('R-CAMP-2 R-CAMP-8 001: on its own dates the 分党委 holds its meeting in December while the 校党委 must wait for January', async () => {
    await published();
    await startSubRound(s.sub1, s.uni, sub);
    const own = await phasesOf(s.sub1, sub);
    on(own.meeting.start);
    const meeting = await ok(
      s.sub1.post(`/api/campaigns/${sub}/meetings`, {
        title: '第1分党委述职评议会',
        meetingDate: own.meeting.start,
        place: '会议室',
      }),
    );
    await ok(s.sub1.put(`/api/meetings/${meeting.id}/step`, { step: 'reports' }));

    const early = await s.uni.post(`/api/campaigns/${parent}/meetings`, {
      title: '校党委述职评议会',
      meetingDate: own.meeting.start,
      place: '礼堂',
    });
    expect(early.json()).toMatchObject({
      code: 'OUTSIDE_PHASE',
      message: expect.stringContaining('会议日期应在「述职评议会」阶段内（2026年1月2日—1月10日）'),
    });
    const upper = await ok(
      s.uni.post(`/api/campaigns/${parent}/meetings`, {
        title: '校党委述职评议会',
        meetingDate: '2026-01-05',
        place: '礼堂',
      }),
    );
    expect((await s.uni.put(`/api/meetings/${upper.id}/step`, { step: 'reports' })).json()).toMatchObject({
      code: 'PHASE_NOT_OPEN',
      message: '「述职评议会」阶段尚未开始（2026年1月2日—1月10日），不能进行述职评议会议程',
    });
  });
});

describe('002: staggered deadlines and routes (R-CAMP-2, R-CAMP-8, R-SUM-2)', () => {
  let county: number;
  let town1: number;
  let sq: number;
  /** The steps of the first test: the county's 002 routed to its 社区工委 and published; `town1` and `sq` its sub-rounds. */
  const published = async () => {
    on('2025-11-20');
    county = (await ok(s.county.post('/api/campaigns', { templateId: '002', year: 2025, organizerOrgId: o.county.id })))
      .campaign.id;
    const d = await ok(s.county.get(`/api/campaigns/${county}`));
    d.settings.routes = d.settings.routes.slice(1);
    d.settings.routes[0].reportTo = o.sq.id;
    d.settings.routes[1].reportTo = o.sq.id;
    await ok(s.county.put(`/api/campaigns/${county}/settings`, { settings: d.settings }));
    const res = await ok(s.county.post(`/api/campaigns/${county}/publish`));
    const subOf = (id: number) => res.subCampaigns.find((x: { organizer: { id: number } }) => x.organizer.id === id);
    town1 = subOf(o.town1.id).id;
    sq = subOf(o.sq.id).id;
  };

  it('R-CAMP-2 R-CAMP-8 002: 乡镇 rounds end by 12-25, the 社区工委 by 1-15, the county meets 1-22; results due 1-20', async () => {
    on('2025-11-20');
    county = (await ok(s.county.post('/api/campaigns', { templateId: '002', year: 2025, organizerOrgId: o.county.id })))
      .campaign.id;
    const d = await ok(s.county.get(`/api/campaigns/${county}`));
    // No 系统党委 in this county; 社区党组织 go to the 社区工委, 非公 (none here) bound to it too.
    d.settings.routes = d.settings.routes.slice(1);
    d.settings.routes[0].reportTo = o.sq.id;
    d.settings.routes[1].reportTo = o.sq.id;
    await ok(s.county.put(`/api/campaigns/${county}/settings`, { settings: d.settings }));
    const published = await ok(s.county.post(`/api/campaigns/${county}/publish`));
    const subOf = (id: number) =>
      published.subCampaigns.find((x: { organizer: { id: number } }) => x.organizer.id === id);
    expect(subOf(o.town1.id).completeBy).toBe('2025-12-25');
    expect(subOf(o.sq.id).completeBy).toBe('2026-01-15');
    town1 = subOf(o.town1.id).id;
    sq = subOf(o.sq.id).id;

    const up = await phasesOf(s.county, county);
    const town = await phasesOf(s.town1, town1);
    const committee = await phasesOf(s.sqAdmin, sq);
    expect(up.meeting).toMatchObject({ start: '2026-01-22', end: '2026-01-25' });
    expect(town.meeting.end <= '2025-12-25' && town.evaluation.end === '2025-12-25').toBe(true);
    expect(committee.meeting.start > town.meeting.end && committee.evaluation.end === '2026-01-15').toBe(true);
    expect(committee.meeting.end < up.meeting.start).toBe(true);
    expect(town.summary.end).toBe('2026-01-20');
    expect(committee.summary.end).toBe('2026-01-20');
    // Routes: the community branch of 乙1镇 reports to the 社区工委, not its township.
    const sqDetail = await ok(s.sqAdmin.get(`/api/campaigns/${sq}`));
    expect(sqDetail.scopeMatch.orgIds.sort()).toEqual([o.c1.id, o.sq1.id].sort());
  });

  it("R-CAMP-8 002: overdue is computed from the township's own phases: a village report is late before Christmas, not in mid-January", async () => {
    await published();
    await startSubRound(s.town1, s.county, town1);
    const town = await phasesOf(s.town1, town1);
    const { settings } = await ok(s.town1.get(`/api/campaigns/${town1}`));
    const due = addDays(town.meeting.start, -settings.report.dueDaysBeforeMeeting);
    on(addDays(due, 1));
    const [task] = (await ok(s.v1.get('/api/reports/tasks'))).items;
    expect(task).toMatchObject({ reportToName: '乙1镇党委', dueDate: due, overdue: true });
    expect(due < '2025-12-25').toBe(true);
  });

  it("R-SUM-2 R-CAMP-8 002: the township's results are due upward on 1-20, tracked on the county's progress page", async () => {
    await published();
    await startSubRound(s.town1, s.county, town1);
    on('2026-01-10');
    expect((await ok(s.town1.get(`/api/campaigns/${town1}/summary`))).dueDate).toBe('2026-01-20');
    const row = async () =>
      (await ok(s.county.get(`/api/campaigns/${county}/progress?limit=50`))).items.find(
        (r: { id: number }) => r.id === town1,
      );
    expect(await row()).toMatchObject({ resultsDue: '2026-01-20', resultsOverdue: false });
    on('2026-01-21');
    expect(await row()).toMatchObject({ resultsDue: '2026-01-20', resultsOverdue: true, summaryState: null });
    expect((await ok(s.town1.get(`/api/campaigns/${town1}/summary`))).overdue).toBe(true);
  });
});
