import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, campaignReporters, meetingAgendaItems, meetings, reportReminders } from '../../src/server/db/schema';
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

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let campaignId: number;
let rA1: number;
let rA2: number;
let townAdminName: string;
const s: Record<string, Session> = {};

const reporterOf = async (campaign: number, orgId: number) =>
  (
    await t.db
      .select()
      .from(campaignReporters)
      .where(and(eq(campaignReporters.campaignId, campaign), eq(campaignReporters.orgId, orgId)))
  )[0].id;
const reminderCount = async () => (await t.db.select().from(reportReminders)).length;
const auditCount = async () => (await t.db.select().from(auditLog).where(eq(auditLog.action, 'report.remind'))).length;
const tasksOf = async (session: Session) =>
  (await session.get('/api/reports/tasks')).json().items as {
    reporterId: number;
    reminders: { at: string; senderName: string; message: string; overdue: boolean }[];
  }[];

// Each test takes a database of its own with the campaign below: reminders are counted over the whole database (the
// audit rows, the reminders table) and the 10-minute window runs on the app's clock, so nothing may carry over.
beforeEach(async () => {
  t = await setupTestApp(); // clock: 2025-11-20
  tree = await buildTwoCounties(t.db);
  for (const v of [tree.villageA1, tree.villageA2, tree.villageB1])
    await buildSecretary(t.db, v.id, { tenureStart: '2019-01-01' });
  const townAdmin = await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.townA.id });
  townAdminName = townAdmin.displayName;
  const users = {
    secA1: await buildUser(t.db, { role: 'secretary', orgId: tree.villageA1.id }),
    secA2: await buildUser(t.db, { role: 'secretary', orgId: tree.villageA2.id }),
    townAdmin,
    leaderA: await buildUser(t.db, { role: 'leader', scopeOrgId: tree.townA.id }),
    adminB: await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.countyB.id }),
  };
  for (const [k, u] of Object.entries(users)) s[k] = await signIn(t.app, u.username);
  const c = await buildCampaign(t.db, {
    organizerOrgId: tree.townA.id,
    templateId: '003',
    year: 2025,
    state: 'published',
    reporterOrgIds: [tree.villageA1.id, tree.villageA2.id],
    open: ['review'],
  });
  campaignId = c.id;
  rA1 = await reporterOf(c.id, tree.villageA1.id);
  rA2 = await reporterOf(c.id, tree.villageA2.id);
  // 东村 meets on 11-25: due 7 days before (11-18), overdue on 11-20. 西村 meets in January.
  const [m1] = await t.db
    .insert(meetings)
    .values({ campaignId: c.id, title: '述职评议会一', meetingDate: '2025-11-25', place: '镇会议室' })
    .returning();
  const [m2] = await t.db
    .insert(meetings)
    .values({ campaignId: c.id, title: '述职评议会二', meetingDate: '2026-01-10', place: '镇会议室' })
    .returning();
  await t.db.insert(meetingAgendaItems).values([
    { meetingId: m1.id, reporterId: rA1, position: 1 },
    { meetingId: m2.id, reporterId: rA2, position: 1 },
  ]);
});
afterEach(async () => t?.close());

describe('催报 (reminders)', () => {
  it('a reviewer reminds one reporter; the secretary sees it on the task list with time and sender; audited', async () => {
    const res = await s.townAdmin.post('/api/reports/reminders', { reporterIds: [rA1] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ sent: [tree.villageA1.name], skipped: [] });
    const mine = (await tasksOf(s.secA1)).find((x) => x.reporterId === rA1)!;
    expect(mine.reminders).toHaveLength(1);
    expect(mine.reminders[0]).toMatchObject({
      senderName: townAdminName,
      overdue: true,
      at: '2025-11-20T02:00:00.000Z',
    });
    expect(mine.reminders[0].message).toContain('已超过报送截止日期（2025年11月18日）');
    // The neighbour got nothing; the reviewer's queue shows when it was last reminded.
    expect((await tasksOf(s.secA2))[0].reminders).toEqual([]);
    const queue = (await s.townAdmin.get(`/api/reports/queue?campaignId=${campaignId}`)).json().items as {
      reporterId: number;
      lastRemindedAt: string | null;
    }[];
    expect(queue.find((x) => x.reporterId === rA1)!.lastRemindedAt).toBe('2025-11-20T02:00:00.000Z');
    expect(queue.find((x) => x.reporterId === rA2)!.lastRemindedAt).toBeNull();
    expect(await auditCount()).toBe(1);
  });

  it('all in the list: handed-in reports and reporters reminded in the last 10 minutes are skipped; the overdue filter narrows it', async () => {
    // Set-up: 东村 was reminded a moment ago (what the first test does).
    expect((await s.townAdmin.post('/api/reports/reminders', { reporterIds: [rA1] })).statusCode).toBe(200);
    const id = (await s.secA2.post('/api/reports/open', { reporterId: rA2 })).json().id;
    expect((await s.secA2.put(`/api/reports/${id}/sections`, { sections: goodSections() })).statusCode).toBe(200);
    expect((await s.secA2.post(`/api/reports/${id}/transitions`, { action: 'submit' })).statusCode).toBe(200);
    const again = (await s.leaderA.post('/api/reports/reminders', { all: { campaignId } })).json();
    expect(again.sent).toEqual([]);
    expect(again.skipped).toEqual([
      { orgName: tree.villageA1.name, reason: '10分钟内已催报过' },
      { orgName: tree.villageA2.name, reason: '述职报告为「已提交待审核」，无需催报' },
    ]);
    t.clock.advance(11 * 60 * 1000);
    const overdueOnly = (
      await s.leaderA.post('/api/reports/reminders', {
        all: { campaignId, overdue: true },
        message: '请今天下班前提交',
      })
    ).json();
    expect(overdueOnly).toEqual({ sent: [tree.villageA1.name], skipped: [] });
    const mine = (await tasksOf(s.secA1))[0].reminders;
    expect(mine.map((r) => r.message)).toEqual(['请今天下班前提交', mine[1].message]);
    expect(await auditCount()).toBe(2);
  });

  it('refused: secretaries, another county, unknown reporters, an empty request — nothing is written', async () => {
    const before = [await reminderCount(), await auditCount()];
    t.clock.advance(11 * 60 * 1000);
    expect((await s.secA1.post('/api/reports/reminders', { reporterIds: [rA1] })).statusCode).toBe(403);
    const other = await s.adminB.post('/api/reports/reminders', { reporterIds: [rA1] });
    expect(other.statusCode).toBe(404);
    expect(other.json().message).toBe('所选述职对象不存在'); // as for an id that does not exist (issue 15)
    // One foreign reporter in the selection refuses the whole request.
    expect((await s.adminB.post('/api/reports/reminders', { all: { campaignId } })).statusCode).toBe(404);
    expect((await s.townAdmin.post('/api/reports/reminders', { reporterIds: [rA1, 999999] })).statusCode).toBe(404);
    expect((await s.townAdmin.post('/api/reports/reminders', {})).statusCode).toBe(400);
    expect(
      (await s.townAdmin.post('/api/reports/reminders', { reporterIds: [rA1], message: '催'.repeat(201) })).statusCode,
    ).toBe(400);
    expect([await reminderCount(), await auditCount()]).toEqual(before);
  });
});
