/**
 * R-CAMP-8: each step of the round runs only while its phase is open, or by the organizer's recorded, audited
 * override. One township round from template 003 (2025: 述职报告 12-01…12-11, 审核 12-04…12-15, 述职评议会
 * 12-18…12-20, 综合评价 12-21…12-29), walked through the API on the injected clock. Each test starts from its own
 * database (beforeEach) and first takes the round through the steps it comes after (the helpers below), so the tests
 * run in any order.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/connect';
import { issueCodes } from '../../src/server/modules/ballots/issue-codes';
import {
  buildCampaign,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';
import { goodSections } from './reports-helpers';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let campaignId: number;
let town: Session;
let sec: Session;
let sec2: Session;
let adminUser: Awaited<ReturnType<typeof buildUser>>;
const rid: Record<string, number> = {};

/** Noon in Beijing on the day given. */
const on = (day: string) => t.clock.set(new Date(`${day}T04:00:00Z`));
const auditRows = (action: string) =>
  queryRows<{ actor_name: string; detail: Record<string, unknown> }>(
    t.db,
    sql`
  select actor_name, detail from audit_log where action = ${action} and target_id = ${String(campaignId)} order by id`,
  );
const phase = (key: string, action: string, body: object = {}) =>
  town.post(`/api/campaigns/${campaignId}/phases/${key}/${action}`, body);

beforeEach(async () => {
  // Sessions outlive the clock's jumps across weeks.
  t = await setupTestApp({ start: new Date('2025-11-20T04:00:00Z'), config: { idleTimeoutMinutes: 60 * 24 * 365 } });
  tree = await buildTwoCounties(t.db);
  for (const o of [tree.villageA1, tree.villageA2]) await buildSecretary(t.db, o.id, { name: `${o.name}书记` });
  const c = await buildCampaign(t.db, {
    organizerOrgId: tree.townA.id,
    templateId: '003',
    year: 2025,
    state: 'published',
    reporterOrgIds: [tree.villageA1.id, tree.villageA2.id],
  });
  campaignId = c.id;
  const rows = await queryRows<{ id: number; org_id: number }>(
    t.db,
    sql`select id, org_id from campaign_reporters where campaign_id = ${campaignId}`,
  );
  rid.v1 = rows.find((r) => r.org_id === tree.villageA1.id)!.id;
  rid.v2 = rows.find((r) => r.org_id === tree.villageA2.id)!.id;
  adminUser = await buildUser(t.db, { role: 'org_admin', username: 'town', scopeOrgId: tree.townA.id });
  await buildUser(t.db, { role: 'secretary', username: 'sec1', orgId: tree.villageA1.id });
  town = await signIn(t.app, 'town');
  sec = await signIn(t.app, 'sec1');
  await buildUser(t.db, { role: 'secretary', username: 'sec2', orgId: tree.villageA2.id });
  sec2 = await signIn(t.app, 'sec2');
});
afterEach(async () => t.close());

/** The steps of the round before a test, as the tests below take them. */
const steps = {
  async reportSubmitted() {
    expect((await phase('reports', 'open', { reason: '镇党委决定提前启动述职报告撰写' })).statusCode).toBe(200);
    const open = await sec.post('/api/reports/open', { reporterId: rid.v1 });
    expect(open.statusCode, open.body).toBe(200);
    const reportId = open.json().id as number;
    expect((await sec.put(`/api/reports/${reportId}/sections`, { sections: goodSections() })).statusCode).toBe(200);
    expect(
      (await sec.post(`/api/reports/${reportId}/transitions`, { action: 'submit', comment: '请审核' })).statusCode,
    ).toBe(200);
    return reportId;
  },
  async reportApproved() {
    const reportId = await steps.reportSubmitted();
    expect((await phase('review', 'open', { reason: '报告已交齐，提前审核' })).statusCode).toBe(200);
    expect(
      (await town.post(`/api/reports/${reportId}/transitions`, { action: 'approve', comment: '同意' })).statusCode,
    ).toBe(200);
    return reportId;
  },
  async reportsClosed() {
    const reportId = await steps.reportApproved();
    expect((await phase('reports', 'close', { confirm: true })).statusCode).toBe(200);
    return reportId;
  },
  async votingOpened() {
    await steps.reportsClosed();
    on('2025-12-08');
    const meeting = await town.post(`/api/campaigns/${campaignId}/meetings`, {
      title: '述职评议会',
      meetingDate: '2025-12-19',
      place: '镇会议室',
    });
    expect(meeting.statusCode, meeting.body).toBe(200);
    const meetingId = meeting.json().id as number;
    expect((await town.post(`/api/meetings/${meetingId}/agenda/default`)).statusCode).toBe(200);
    const round = await town.post(`/api/meetings/${meetingId}/ballot-rounds`, { mode: 'real' });
    expect(round.statusCode, round.body).toBe(200);
    const roundId = round.json().id as number;
    await issueCodes(
      t.db,
      { ...adminUser, scopePath: tree.townA.path } as never,
      { actorId: adminUser.id, actorName: 'test', ip: null, at: t.clock.now() },
      roundId,
      'committee',
      5,
    );
    on('2025-12-19');
    expect((await town.put(`/api/meetings/${meetingId}/step`, { step: 'reports' })).statusCode).toBe(200);
    expect((await town.post(`/api/ballot-rounds/${roundId}/open`, {})).statusCode).toBe(200);
  },
  async evaluationExtended() {
    await steps.votingOpened();
    on('2026-01-05');
    expect(
      (await phase('evaluation', 'extend', { reason: '等待县委组织部反馈意见后再研究确定等次', end: '2026-01-15' }))
        .statusCode,
    ).toBe(200);
    const row = { reporterId: rid.v1, dailyScore: 90, majorError: false, accountability: false };
    expect((await town.put(`/api/campaigns/${campaignId}/evaluation/inputs`, { rows: [row] })).statusCode).toBe(200);
  },
};

describe("phase gating with the organizer's override (R-CAMP-8)", () => {
  let reportId: number;
  let meetingId: number;
  let roundId: number;

  it('R-CAMP-8 a report cannot be started before 述职报告 opens; the task list says what it waits for', async () => {
    on('2025-11-20');
    const tasks = (await sec.get('/api/reports/tasks')).json().items;
    expect(tasks[0].phase).toMatchObject({
      key: 'reports',
      status: 'not_started',
      allowed: false,
      note: '等待「述职报告」阶段开始（2025年12月1日）',
    });
    const refused = await sec.post('/api/reports/open', { reporterId: rid.v1 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'PHASE_NOT_OPEN',
      message: '「述职报告」阶段尚未开始（2025年12月1日—12月11日），不能撰写述职报告',
    });
    expect((await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from reports`))[0]!.n).toBe(0);
  });

  it('R-CAMP-8 the organizer opens 述职报告 early with a reason (audited); then the secretary writes and submits', async () => {
    expect((await phase('reports', 'open')).json().code).toBe('REASON_REQUIRED');
    const opened = await phase('reports', 'open', { reason: '镇党委决定提前启动述职报告撰写' });
    expect(opened.statusCode, opened.body).toBe(200);
    const [audit] = await auditRows('campaign.phase.open');
    expect(audit).toMatchObject({
      actor_name: expect.stringContaining('town'),
      detail: { phase: 'reports', reason: '镇党委决定提前启动述职报告撰写' },
    });

    const open = await sec.post('/api/reports/open', { reporterId: rid.v1 });
    expect(open.statusCode, open.body).toBe(200);
    reportId = open.json().id;
    expect((await sec.put(`/api/reports/${reportId}/sections`, { sections: goodSections() })).statusCode).toBe(200);
    const submitted = await sec.post(`/api/reports/${reportId}/transitions`, { action: 'submit', comment: '请审核' });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((await sec.get('/api/reports/tasks')).json().items[0].phase).toMatchObject({
      key: 'review',
      allowed: false,
    });
  });

  it('R-CAMP-8 review waits for 审核 (2025-12-04); opened early it proceeds', async () => {
    reportId = await steps.reportSubmitted();
    const refused = await town.post(`/api/reports/${reportId}/transitions`, { action: 'approve', comment: '同意' });
    expect(refused.json()).toMatchObject({
      code: 'PHASE_NOT_OPEN',
      message: '「审核」阶段尚未开始（2025年12月4日—12月15日），不能审核述职报告',
    });
    expect((await phase('review', 'open', { reason: '报告已交齐，提前审核' })).statusCode).toBe(200);
    expect(
      (await town.post(`/api/reports/${reportId}/transitions`, { action: 'approve', comment: '同意' })).statusCode,
    ).toBe(200);
  });

  it('R-CAMP-8 closing 述职报告 with a report never started warns with the count and needs a confirmation (audited)', async () => {
    await steps.reportApproved();
    const warned = await phase('reports', 'close');
    expect(warned.statusCode).toBe(409);
    expect(warned.json()).toMatchObject({
      code: 'PHASE_HAS_OPEN_WORK',
      message:
        '「述职报告」阶段还有未完成的工作：2份述职报告中有1份尚未开始撰写。确认关闭后，这些工作将不能再在本阶段进行',
      details: { pending: [{ count: 1, text: '2份述职报告中有1份尚未开始撰写' }] },
    });
    expect((await town.get(`/api/campaigns/${campaignId}/phases/reports/pending`)).json().message).toBe(
      '2份述职报告中有1份尚未开始撰写',
    );
    expect((await phase('reports', 'close', { confirm: true })).statusCode).toBe(200);
    const [audit] = await auditRows('campaign.phase.close');
    expect(audit!.detail).toMatchObject({ phase: 'reports', openWork: '2份述职报告中有1份尚未开始撰写' });
    // Closed, the phase refuses new work within its dates; 审核, open, takes revisions of returned reports only.
    const late = await sec2.post('/api/reports/open', { reporterId: rid.v2 });
    expect(late.json()).toMatchObject({
      code: 'PHASE_NOT_OPEN',
      message:
        '「述职报告」阶段已于2025年11月20日关闭（2025年12月1日—12月11日），不能撰写述职报告；如需继续，请组织单位重新开启该阶段',
    });
  });

  it("R-CAMP-8 a meeting is dated within its phase; voting opens only in the meeting phase and on the meeting's day, never 11 days early", async () => {
    await steps.reportsClosed();
    on('2025-12-08');
    const outside = await town.post(`/api/campaigns/${campaignId}/meetings`, {
      title: '述职评议会',
      meetingDate: '2025-12-28',
      place: '镇会议室',
    });
    expect(outside.json()).toMatchObject({
      code: 'OUTSIDE_PHASE',
      message: expect.stringContaining('会议日期应在「述职评议会」阶段内（2025年12月18日—12月20日）'),
    });
    const meeting = await town.post(`/api/campaigns/${campaignId}/meetings`, {
      title: '述职评议会',
      meetingDate: '2025-12-19',
      place: '镇会议室',
    });
    expect(meeting.statusCode, meeting.body).toBe(200);
    meetingId = meeting.json().id;
    expect((await town.post(`/api/meetings/${meetingId}/agenda/default`)).statusCode).toBe(200);
    const round = await town.post(`/api/meetings/${meetingId}/ballot-rounds`, { mode: 'real' });
    expect(round.statusCode, round.body).toBe(200);
    roundId = round.json().id;
    await issueCodes(
      t.db,
      { ...adminUser, scopePath: tree.townA.path } as never,
      { actorId: adminUser.id, actorName: 'test', ip: null, at: t.clock.now() },
      roundId,
      'committee',
      5,
    );

    // 11 days before the meeting: the phase has not begun.
    const early = await town.post(`/api/ballot-rounds/${roundId}/open`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'PHASE_NOT_OPEN',
      message: '「述职评议会」阶段尚未开始（2025年12月18日—12月20日），不能开始投票',
    });
    expect((await town.put(`/api/meetings/${meetingId}/step`, { step: 'reports' })).json().code).toBe('PHASE_NOT_OPEN');
    // The phase has begun, but the meeting is tomorrow.
    on('2025-12-18');
    expect((await town.post(`/api/ballot-rounds/${roundId}/open`, {})).json()).toMatchObject({
      code: 'BEFORE_MEETING',
      message: '述职评议会定于2025年12月19日召开，不能提前开始投票',
    });
    on('2025-12-19');
    expect((await town.put(`/api/meetings/${meetingId}/step`, { step: 'reports' })).statusCode).toBe(200);
    const opened = await town.post(`/api/ballot-rounds/${roundId}/open`, {});
    expect(opened.statusCode, opened.body).toBe(200);
  });

  it('R-CAMP-8 after 综合评价 ends (12-29) its work is refused until the organizer extends it with a reason (audited)', async () => {
    await steps.votingOpened();
    on('2026-01-05');
    const row = { reporterId: rid.v1, dailyScore: 90, majorError: false, accountability: false };
    const refused = await town.put(`/api/campaigns/${campaignId}/evaluation/inputs`, { rows: [row] });
    expect(refused.json()).toMatchObject({
      code: 'PHASE_NOT_OPEN',
      message:
        '「综合评价」阶段已于2025年12月29日结束（2025年12月21日—12月29日），不能录入综合评价数据；如需继续，请组织单位延长该阶段',
    });
    expect((await phase('evaluation', 'extend', { reason: '等待县委审定', end: '2026-01-03' })).json().message).toBe(
      '「综合评价」阶段新的结束日期不能早于今天（2026年1月5日）',
    );
    const extended = await phase('evaluation', 'extend', {
      reason: '等待县委组织部反馈意见后再研究确定等次',
      end: '2026-01-15',
    });
    expect(extended.statusCode, extended.body).toBe(200);
    expect(extended.json().phases.find((p: { key: string }) => p.key === 'evaluation')).toMatchObject({
      end: '2026-01-15',
      plannedEnd: '2025-12-29',
      status: 'open',
      overrides: [
        {
          kind: 'extend',
          on: '2026-01-05',
          reason: '等待县委组织部反馈意见后再研究确定等次',
          end: { from: '2025-12-29', to: '2026-01-15' },
        },
      ],
    });
    const [audit] = await auditRows('campaign.phase.extend');
    expect(audit!.detail).toMatchObject({
      phase: 'evaluation',
      reason: '等待县委组织部反馈意见后再研究确定等次',
      endFrom: '2025-12-29',
      endTo: '2026-01-15',
    });
    const saved = await town.put(`/api/campaigns/${campaignId}/evaluation/inputs`, { rows: [row] });
    expect(saved.statusCode, saved.body).toBe(200);
  });

  it('R-CAMP-8 only the organizer overrides phases; another county or a secretary is refused and nothing changes', async () => {
    await steps.evaluationExtended();
    await buildUser(t.db, { role: 'org_admin', username: 'countyB', scopeOrgId: tree.countyB.id });
    const other = await signIn(t.app, 'countyB');
    // Another county's campaign answers like a missing one (issue 15); the secretary is in scope but may not.
    expect((await other.post(`/api/campaigns/${campaignId}/phases/feedback/open`, { reason: 'x' })).statusCode).toBe(
      404,
    );
    expect((await sec.post(`/api/campaigns/${campaignId}/phases/feedback/open`, { reason: 'x' })).statusCode).toBe(403);
    const d = (await town.get(`/api/campaigns/${campaignId}`)).json();
    expect(d.phases.find((p: { key: string }) => p.key === 'feedback')).toMatchObject({
      status: 'ended',
      overrides: [],
    });
  });
});
