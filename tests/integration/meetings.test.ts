import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { Role } from '../../src/domain/roles';
import { queryRows } from '../../src/server/db/connect';
import { observerAssignments } from '../../src/server/db/schema';
import { buildApp } from '../../src/server/app';
import {
  buildCampaign,
  buildMeeting,
  buildOrg,
  buildReporter,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  TEST_COST,
  type Session,
} from '../factories';

/**
 * Every test starts from its own two counties (beforeEach: organizations, the two townships' 001 rounds with their
 * reporters, accounts and sessions) in the file's database and builds the meetings it needs, so tests run in any order.
 * The tests that count audit rows of the whole database take a database of their own (ownDatabase).
 */
let shared: Awaited<ReturnType<typeof setupTestApp>>;
let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let s: Record<string, Session> = {};
let campaignId: number;
let otherCampaignId: number;
let rep: Record<string, number> = {};
let worlds = 0;

const count = async (table: string, where = 'true') =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`)))[0].n;
const audits = async (action: string) => count('audit_log', `action = '${action}'`);

/** The two counties, both townships' published 001 rounds with their reporters, and the signed-in accounts. */
async function buildWorld() {
  const n = ++worlds;
  s = {};
  rep = {};
  tree = await buildTwoCounties(t.db, { codePrefix: `W${n}-` });
  // A university-style round (001): 分党委 speak 8 minutes and must report on site; 党支部 speak 5 and may report in writing.
  const subCommittee = await buildOrg(t.db, {
    parent: tree.townA,
    name: '甲一镇机关总支',
    code: `W${n}-A-T1-G1`,
    kind: 'general_branch',
  });
  const c = await buildCampaign(t.db, {
    organizerOrgId: tree.townA.id,
    templateId: '001',
    state: 'published',
    open: ['meeting'],
  });
  campaignId = c.id;
  const sec1 = await buildSecretary(t.db, tree.villageA1.id, { name: '李建国' });
  rep.v1 = (
    await buildReporter(t.db, {
      campaignId,
      orgId: tree.villageA1.id,
      reportToOrgId: tree.townA.id,
      tierKey: 'branches',
      secretaryId: sec1.id,
    })
  ).id;
  rep.v2 = (
    await buildReporter(t.db, {
      campaignId,
      orgId: tree.villageA2.id,
      reportToOrgId: tree.townA.id,
      tierKey: 'branches',
      writtenOnly: true,
    })
  ).id;
  rep.sub = (
    await buildReporter(t.db, {
      campaignId,
      orgId: subCommittee.id,
      reportToOrgId: tree.townA.id,
      tierKey: 'sub_committees',
    })
  ).id;
  rep.down = (
    await buildReporter(t.db, {
      campaignId,
      orgId: tree.townA.id,
      reportToOrgId: tree.townA.id,
      tierKey: 'sub_committees',
      role: 'downward',
    })
  ).id;
  const other = await buildCampaign(t.db, {
    organizerOrgId: tree.townB.id,
    templateId: '001',
    state: 'published',
    open: ['meeting'],
  });
  otherCampaignId = other.id;
  rep.foreign = (
    await buildReporter(t.db, {
      campaignId: other.id,
      orgId: tree.villageB1.id,
      reportToOrgId: tree.townB.id,
      tierKey: 'branches',
    })
  ).id;

  const accounts: [string, Role, { scopeOrgId?: number; orgId?: number }][] = [
    ['adminA', 'org_admin', { scopeOrgId: tree.countyA.id }],
    ['townA', 'org_admin', { scopeOrgId: tree.townA.id }],
    ['adminB', 'org_admin', { scopeOrgId: tree.countyB.id }],
    ['leaderA', 'leader', { scopeOrgId: tree.countyA.id }],
    ['assessorA', 'assessor', { scopeOrgId: tree.countyA.id }],
    ['observerA', 'observer', { scopeOrgId: tree.countyA.id }],
    ['leaderB', 'leader', { scopeOrgId: tree.countyB.id }],
    ['secA1', 'secretary', { orgId: tree.villageA1.id }],
    ['auditorA', 'auditor', { scopeOrgId: tree.countyA.id }],
  ];
  for (const [name, role, scope] of accounts) {
    const username = `${name}_${n}`;
    const u = await buildUser(t.db, { role, username, ...scope });
    s[name] = await signIn(t.app, username);
    if (name === 'observerA') {
      await t.db
        .insert(observerAssignments)
        .values({ campaignId, subCampaignId: campaignId, userId: u.id, groupName: '第一指导组', isLeader: true });
    }
  }
}

// Every test signs its own accounts in: more logins a minute than the production default allows one address.
const config = { loginRatePerMinute: 10_000 };
beforeAll(async () => {
  shared = await setupTestApp({ config });
});
afterAll(async () => shared?.close());
beforeEach(async () => {
  t = shared;
  await buildWorld();
});

/** For a test that counts rows of the whole database: a fresh one with the same world, closed after the test. */
async function ownDatabase() {
  t = await setupTestApp({ config });
  const own = t;
  onTestFinished(() => own.close());
  await buildWorld();
}

const newMeeting = async (title = '甲一镇述职评议会') => {
  const res = await s.townA.post(`/api/campaigns/${campaignId}/meetings`, {
    title,
    meetingDate: '2026-01-10',
    place: '镇三楼会议室',
    chair: '王书记',
    recorder: '赵干事',
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id as number;
};

/** The meeting's default agenda (every reporter, 下评 last); its items. */
const defaultAgenda = async (id: number) => {
  const res = await s.townA.post(`/api/meetings/${id}/agenda/default`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().agenda as { id: number; speakingMinutes: number | null; writtenOnly: boolean }[];
};

describe('R-MEET-1 meetings of a campaign: access per role', () => {
  it("the organizer's admin (and the county above) create; others, and another county, are denied", async () => {
    await ownDatabase();
    const body = { title: '述职评议会', meetingDate: '2026-01-10', place: '会议室' };
    const got: Record<string, number> = {};
    for (const u of ['adminA', 'townA', 'adminB', 'leaderA', 'assessorA', 'observerA', 'secA1', 'auditorA']) {
      got[u] = (await s[u].post(`/api/campaigns/${campaignId}/meetings`, body)).statusCode;
    }
    expect(got).toEqual({
      adminA: 200,
      townA: 200,
      adminB: 404,
      leaderA: 403,
      assessorA: 403,
      observerA: 403,
      secA1: 403,
      auditorA: 403,
    });
    expect(await count('meetings', `campaign_id = ${campaignId}`)).toBe(2);
    expect(await audits('meeting.create')).toBe(2);
  });

  it('several meetings per campaign are listed with search and paging; readers of the county read, 北岭 (county B) does not', async () => {
    // The campaign's two meetings, created by the county's and the township's admin as in the test above.
    for (const u of ['adminA', 'townA']) {
      const made = await s[u].post(`/api/campaigns/${campaignId}/meetings`, {
        title: '述职评议会',
        meetingDate: '2026-01-10',
        place: '会议室',
      });
      expect(made.statusCode, made.body).toBe(200);
    }
    const got: Record<string, number> = {};
    for (const u of ['adminA', 'leaderA', 'assessorA', 'observerA', 'adminB', 'leaderB', 'secA1', 'auditorA']) {
      got[u] = (await s[u].get(`/api/campaigns/${campaignId}/meetings`)).statusCode;
    }
    expect(got).toEqual({
      adminA: 200,
      leaderA: 200,
      assessorA: 200,
      observerA: 200,
      adminB: 404,
      leaderB: 404,
      secA1: 403,
      auditorA: 403,
    });
    const page = (await s.adminA.get(`/api/campaigns/${campaignId}/meetings?limit=1`)).json();
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    expect(page.canManage).toBe(true);
    expect((await s.leaderA.get(`/api/campaigns/${campaignId}/meetings`)).json().canManage).toBe(false);
    expect((await s.adminA.get(`/api/campaigns/${campaignId}/meetings?q=不存在`)).json().total).toBe(0);
  });

  it('bad input answers 400 with a Chinese message and changes nothing; unknown ids 404', async () => {
    const before = await count('meetings');
    for (const body of [
      { title: '', meetingDate: '2026-01-10', place: '会议室' },
      { title: '会', meetingDate: '2026-13-45', place: '会议室' },
      { title: '会', meetingDate: '2026-01-10' },
      { title: '会', meetingDate: '2026-01-10', place: '会议室', extra: 1 },
      { title: 'x'.repeat(101), meetingDate: '2026-01-10', place: '会议室' },
    ]) {
      const res = await s.townA.post(`/api/campaigns/${campaignId}/meetings`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await count('meetings')).toBe(before);
    expect(
      (await s.townA.post('/api/campaigns/999999/meetings', { title: '会', meetingDate: '2026-01-10', place: '室' }))
        .statusCode,
    ).toBe(404);
    expect((await s.townA.get('/api/meetings/999999')).statusCode).toBe(404);
    expect((await s.townA.get('/api/meetings/abc')).statusCode).toBe(400);
  });

  it('edits date/place/title and deletes an untouched meeting; each audited', async () => {
    await ownDatabase();
    const id = await newMeeting('待删除的会议');
    const patched = await s.townA.patch(`/api/meetings/${id}`, { place: '党群服务中心' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().meeting.place).toBe('党群服务中心');
    expect((await s.adminB.patch(`/api/meetings/${id}`, { place: '乙' })).statusCode).toBe(404);
    expect((await s.leaderA.delete(`/api/meetings/${id}`)).statusCode).toBe(403);
    expect((await s.townA.delete(`/api/meetings/${id}`)).statusCode).toBe(200);
    expect((await s.townA.get(`/api/meetings/${id}`)).statusCode).toBe(404);
    expect(await audits('meeting.update')).toBeGreaterThanOrEqual(1);
    expect(await audits('meeting.delete')).toBe(1);
  });

  it('keeps a meeting that has a ballot round (MEETING_HAS_BALLOTS, counted through ballots_v_rounds)', async () => {
    const id = await newMeeting('已设置测评的会议');
    await t.db.execute(
      sql`insert into ballot_rounds (meeting_id, mode, room_code) values (${id}, 'rehearsal', '0000')`,
    );
    const res = await s.townA.delete(`/api/meetings/${id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('MEETING_HAS_BALLOTS');
    expect((await s.townA.get(`/api/meetings/${id}`)).statusCode).toBe(200);
  });
});

describe('R-MEET-1 agenda and R-REP-8 speaking minutes', () => {
  let id: number;
  beforeEach(async () => {
    id = await newMeeting('议程测试');
  });

  it("adds every reporter in default order, the organizer's 下评 (R-CAMP-4) last, minutes from the tier (8 / 5)", async () => {
    const res = await s.townA.post(`/api/meetings/${id}/agenda/default`);
    expect(res.statusCode, res.body).toBe(200);
    const agenda = res.json().agenda as {
      reporterId: number;
      role: string;
      speakingMinutes: number | null;
      writtenOnly: boolean;
    }[];
    // Roster (tree code) order: 甲一镇机关总支 A-T1-G1, 东村 A-T1-V1, 西村 A-T1-V2; then 下评.
    expect(agenda.map((a) => a.reporterId)).toEqual([rep.sub, rep.v1, rep.v2, rep.down]);
    expect(agenda.at(-1)!.role).toBe('downward');
    expect(agenda.map((a) => a.speakingMinutes)).toEqual([8, 5, null, 8]);
    expect(agenda[2].writtenOnly).toBe(true);
    expect(res.json().availableReporters).toEqual([]);
  });

  it('reorders (up/down) keeping each item, and refuses duplicates or a reporter of another campaign', async () => {
    await defaultAgenda(id);
    const before = (await s.townA.get(`/api/meetings/${id}`)).json().agenda as { id: number; reporterId: number }[];
    const order = [rep.sub, rep.v1, rep.down];
    const res = await s.townA.put(`/api/meetings/${id}/agenda`, {
      items: order.map((r) => ({ reporterId: r, writtenOnly: false })),
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json().agenda as { id: number; reporterId: number; position: number }[];
    expect(after.map((a) => a.reporterId)).toEqual(order);
    expect(after.map((a) => a.position)).toEqual([1, 2, 3]);
    expect(after.find((a) => a.reporterId === rep.v1)!.id).toBe(before.find((b) => b.reporterId === rep.v1)!.id);
    expect(res.json().availableReporters.map((r: { id: number }) => r.id)).toEqual([rep.v2]);

    for (const items of [
      [
        { reporterId: rep.v1, writtenOnly: false },
        { reporterId: rep.v1, writtenOnly: false },
      ],
      [{ reporterId: rep.foreign, writtenOnly: false }],
    ]) {
      const bad = await s.townA.put(`/api/meetings/${id}/agenda`, { items });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toMatch(/重复|不是本次/);
    }
    expect(
      (await s.townA.get(`/api/meetings/${id}`)).json().agenda.map((a: { reporterId: number }) => a.reporterId),
    ).toEqual(order);
  });

  it("only the organizer's admins set the agenda", async () => {
    const items = [{ reporterId: rep.v1, writtenOnly: false }];
    for (const u of ['leaderA', 'observerA', 'adminB', 'secA1']) {
      expect((await s[u].put(`/api/meetings/${id}/agenda`, { items })).statusCode, u).toBe(u === 'adminB' ? 404 : 403);
    }
  });
});

describe('R-MEET-4 written-only reporting', () => {
  it('is accepted where the tier allows it (党支部) and refused where the tier must speak (分党委)', async () => {
    const id = await newMeeting('书面述职测试');
    const ok = await s.townA.put(`/api/meetings/${id}/agenda`, { items: [{ reporterId: rep.v1, writtenOnly: true }] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().agenda[0]).toMatchObject({ writtenOnly: true, speakingMinutes: null, writtenOnlyAllowed: true });
    const bad = await s.townA.put(`/api/meetings/${id}/agenda`, {
      items: [{ reporterId: rep.sub, writtenOnly: true }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'WRITTEN_ONLY_NOT_ALLOWED' });
    expect(bad.json().message).toContain('须现场述职');
    // The refused change left the agenda as it was.
    expect(
      (await s.townA.get(`/api/meetings/${id}`)).json().agenda.map((a: { reporterId: number }) => a.reporterId),
    ).toEqual([rep.v1]);
    // A written-only reporter is never put on the projector.
    const itemId = ok.json().agenda[0].id;
    expect((await s.townA.post(`/api/meetings/${id}/timer`, { action: 'select', itemId })).statusCode).toBe(409);
  });
});

describe('R-MEET-2 attendance by category and observers', () => {
  it("lists the campaign's ballot categories with expected and signed-in counts, and the observers sent (R-CAMP-6)", async () => {
    await ownDatabase();
    const id = await newMeeting('参会人员测试');
    const detail = (await s.townA.get(`/api/meetings/${id}`)).json();
    const keys = detail.attendance.map((a: { categoryKey: string }) => a.categoryKey);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(detail.observers).toEqual([{ name: expect.any(String), groupName: '第一指导组', isLeader: true }]);

    const rows = keys.map((k: string, i: number) => ({
      categoryKey: k,
      expected: 10 + i,
      present: 9 + i,
      names: i === keys.length - 1 ? '县委组织部 张三' : null,
    }));
    const res = await s.townA.put(`/api/meetings/${id}/attendance`, { rows });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().attendance.map((a: { expected: number; present: number }) => [a.expected, a.present])).toEqual(
      rows.map((r: { expected: number; present: number }) => [r.expected, r.present]),
    );

    for (const bad of [
      [{ categoryKey: keys[0], expected: 3, present: 4 }],
      [{ categoryKey: 'nope', expected: 3, present: 1 }],
      [{ categoryKey: keys[0], expected: -1, present: 0 }],
      [
        { categoryKey: keys[0], expected: 3, present: 1 },
        { categoryKey: keys[0], expected: 3, present: 1 },
      ],
    ]) {
      const r = await s.townA.put(`/api/meetings/${id}/attendance`, { rows: bad });
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await s.townA.get(`/api/meetings/${id}`)).json().attendance[0]).toMatchObject({ expected: 10, present: 9 });
    expect((await s.leaderA.put(`/api/meetings/${id}/attendance`, { rows })).statusCode).toBe(403);
    expect(await audits('meeting.attendance')).toBe(1);
  });
});

describe('R-MEET-3 comments and Q&A per reporter', () => {
  let id: number;
  let itemId: number;
  /** A meeting with the default agenda; itemId is its first speaker. */
  async function setUp() {
    id = await newMeeting('点评测试');
    itemId = (await defaultAgenda(id))[0].id;
  }
  beforeEach(setUp);

  /** The presiding secretary's comment, a question and its answer on the first speaker, and a general comment. */
  async function recordComments() {
    const post = (u: string, body: object) => s[u].post(`/api/meetings/${id}/comments`, body);
    const comment = {
      agendaItemId: itemId,
      kind: 'comment',
      authorName: '王书记',
      authorRole: '镇党委书记',
      body: '党员发展工作抓得实，但村级组织活动场所利用率不高，下一步要补齐短板。',
    };
    expect((await post('townA', comment)).statusCode).toBe(200);
    expect(
      (
        await post('leaderA', {
          ...comment,
          kind: 'question',
          authorName: '李代表',
          authorRole: '人大代表',
          body: '集体经济收入来源有哪些？',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await post('townA', {
          ...comment,
          kind: 'answer',
          authorName: '李建国',
          authorRole: '村党支部书记',
          body: '主要是光伏和土地流转。',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await post('townA', { ...comment, agendaItemId: null, authorName: '王书记', body: '集中点评：整体较好。' }))
        .statusCode,
    ).toBe(200);
    return comment;
  }

  it("the presiding secretary's comment, a question and its answer are recorded by admin or leader; observers read only", async () => {
    const post = (u: string, body: object) => s[u].post(`/api/meetings/${id}/comments`, body);
    const comment = await recordComments();
    const denied: Record<string, number> = {};
    for (const u of ['observerA', 'assessorA', 'adminB', 'leaderB', 'secA1'])
      denied[u] = (await post(u, comment)).statusCode;
    expect(denied).toEqual({ observerA: 403, assessorA: 403, adminB: 404, leaderB: 404, secA1: 403 });

    const read = await s.observerA.get(`/api/meetings/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().permissions).toEqual({ manage: false, comment: false, ballots: false });
    // The 测评 tab follows the ballots module's policy: the organizer's admin runs the vote, a leader does not.
    expect((await s.townA.get(`/api/meetings/${id}`)).json().permissions.ballots).toBe(true);
    expect((await s.leaderA.get(`/api/meetings/${id}`)).json().permissions).toMatchObject({
      comment: true,
      ballots: false,
    });
    expect(read.json().comments.map((c: { kindLabel: string }) => c.kindLabel)).toEqual([
      '点评',
      '提问',
      '回答',
      '点评',
    ]);
    expect(read.json().agenda[0].commentCount).toBe(3);
    expect((await s.adminB.get(`/api/meetings/${id}`)).statusCode).toBe(404);
    expect((await s.leaderB.get(`/api/meetings/${id}`)).statusCode).toBe(404);
  });

  it('refuses an empty text, an unknown kind and an item of another meeting', async () => {
    const other = await newMeeting('另一会议');
    const otherItem = (await s.townA.post(`/api/meetings/${other}/agenda/default`)).json().agenda[0].id;
    const base = {
      agendaItemId: itemId,
      kind: 'comment',
      authorName: '王书记',
      authorRole: '镇党委书记',
      body: '内容',
    };
    for (const body of [
      { ...base, body: '  ' },
      { ...base, kind: 'praise' },
      { ...base, agendaItemId: otherItem },
      { ...base, authorName: '' },
    ]) {
      const res = await s.townA.post(`/api/meetings/${id}/comments`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('edits and deletes are audited; a commented reporter cannot be dropped from the agenda', async () => {
    await ownDatabase();
    await setUp();
    await recordComments();
    const list = (await s.townA.get(`/api/meetings/${id}`)).json().comments as { id: number; body: string }[];
    const edit = await s.leaderA.patch(`/api/meetings/${id}/comments/${list[0].id}`, { body: '修改后的点评。' });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json().body).toBe('修改后的点评。');
    expect((await s.observerA.patch(`/api/meetings/${id}/comments/${list[0].id}`, { body: 'x' })).statusCode).toBe(403);
    expect((await s.townA.delete(`/api/meetings/${id}/comments/${list[1].id}`)).statusCode).toBe(200);
    expect((await s.townA.delete(`/api/meetings/${id}/comments/${list[1].id}`)).statusCode).toBe(404);
    expect(await audits('meeting.comment.edit')).toBe(1);
    expect(await audits('meeting.comment.delete')).toBe(1);
    const drop = await s.townA.put(`/api/meetings/${id}/agenda`, {
      items: [{ reporterId: rep.down, writtenOnly: false }],
    });
    expect(drop.statusCode).toBe(409);
    expect(drop.json().code).toBe('AGENDA_ITEM_HAS_COMMENTS');
    expect((await s.townA.delete(`/api/meetings/${id}`)).statusCode).toBe(409);
  });

  it('after the meeting closes the record is final: no comment, edit, attendance or timer change', async () => {
    await recordComments();
    const list = (await s.townA.get(`/api/meetings/${id}`)).json().comments as { id: number }[];
    expect((await s.leaderA.post(`/api/meetings/${id}/close`)).statusCode).toBe(403);
    const closed = await s.townA.post(`/api/meetings/${id}/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json().meeting.state).toBe('closed');
    const attempts = [
      await s.townA.post(`/api/meetings/${id}/comments`, {
        agendaItemId: itemId,
        kind: 'comment',
        authorName: '王',
        authorRole: '书记',
        body: '迟到的点评',
      }),
      await s.townA.patch(`/api/meetings/${id}/comments/${list[0].id}`, { body: '改' }),
      await s.townA.delete(`/api/meetings/${id}/comments/${list[0].id}`),
      await s.townA.put(`/api/meetings/${id}/step`, { step: 'summary' }),
      await s.townA.post(`/api/meetings/${id}/timer`, { action: 'next' }),
      await s.townA.patch(`/api/meetings/${id}`, { place: '别处' }),
      await s.townA.put(`/api/meetings/${id}/attendance`, { rows: [] }),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([409, 409, 409, 409, 409, 409, 409]);
    expect(attempts[0].json().message).toContain('会议已结束');
  });
});

describe('R-REP-8 console timer and agenda step (R-MEET-1)', () => {
  let id: number;
  let items: { id: number; speakingMinutes: number | null; writtenOnly: boolean }[];
  /** A meeting with the default agenda. */
  async function setUp() {
    id = await newMeeting('计时测试');
    items = await defaultAgenda(id);
  }
  beforeEach(setUp);

  /** The first speaker is called, timed for 9 minutes and paused. */
  async function timeFirstSpeaker() {
    expect((await s.townA.post(`/api/meetings/${id}/timer`, { action: 'start' })).statusCode).toBe(409);
    const next = await s.townA.post(`/api/meetings/${id}/timer`, { action: 'next' });
    expect(next.json()).toMatchObject({ itemId: items[0].id, status: 'idle', elapsedMs: 0 });
    const started = await s.townA.post(`/api/meetings/${id}/timer`, { action: 'start' });
    expect(started.json()).toMatchObject({ status: 'running' });
    t.clock.advance(9 * 60_000);
    const paused = await s.townA.post(`/api/meetings/${id}/timer`, { action: 'pause' });
    // 9 minutes of an 8-minute slot (分党委): the console shows the overrun in red.
    expect(paused.json()).toMatchObject({ status: 'paused', elapsedMs: 540_000 });
  }

  /** `next` through the rest of the agenda, past the written-only reporter, to its end. */
  async function callTheRest() {
    const res = await s.townA.post(`/api/meetings/${id}/timer`, { action: 'next' });
    const expected = items.find((i, k) => k > 0 && !i.writtenOnly)!;
    expect(res.json()).toMatchObject({ itemId: expected.id, status: 'idle', elapsedMs: 0 });
    expect((await s.townA.get(`/api/meetings/${id}`)).json().agenda[0].speechEndedAt).not.toBeNull();
    const afterWritten = await s.townA.post(`/api/meetings/${id}/timer`, { action: 'next' });
    expect(items[2].writtenOnly).toBe(true);
    expect(afterWritten.json().itemId).toBe(items[3].id);
    const end = await s.townA.post(`/api/meetings/${id}/timer`, { action: 'next' });
    expect(end.statusCode).toBe(409);
    expect(end.json().message).toContain('最后一位');
  }

  it('the timer state lives on the server: a second screen sees the same speaker and elapsed time', async () => {
    await timeFirstSpeaker();
    expect(items[0].speakingMinutes).toBe(8);

    const other = (await s.observerA.get(`/api/meetings/${id}`)).json();
    expect(other.timer).toMatchObject({ itemId: items[0].id, status: 'paused', elapsedMs: 540_000 });
    expect(other.meeting).toMatchObject({ state: 'in_progress', currentStep: 'reports' });
    expect(other.agenda[0].speechStartedAt).not.toBeNull();
  });

  it('next skips written-only reporters and records when the previous speaker finished; the end is reported', async () => {
    await timeFirstSpeaker();
    await callTheRest();
  });

  it('the step moves through reports → questions → comments → rating → guidance → summary; bad steps are refused', async () => {
    // Counts audit rows of the whole database: its own, with the timer run of the two tests above.
    await ownDatabase();
    await setUp();
    await timeFirstSpeaker();
    await callTheRest();
    for (const step of ['questions', 'comments', 'rating', 'guidance', 'summary']) {
      const res = await s.townA.put(`/api/meetings/${id}/step`, { step });
      expect(res.statusCode).toBe(200);
      expect(res.json().meeting.currentStep).toBe(step);
    }
    expect((await s.townA.put(`/api/meetings/${id}/step`, { step: 'party' })).statusCode).toBe(400);
    expect((await s.leaderA.put(`/api/meetings/${id}/step`, { step: 'rating' })).statusCode).toBe(403);
    expect((await s.leaderA.post(`/api/meetings/${id}/timer`, { action: 'start' })).statusCode).toBe(403);
    expect((await s.adminB.post(`/api/meetings/${id}/timer`, { action: 'start' })).statusCode).toBe(404);
    expect(await audits('meeting.step')).toBe(5);
    expect(await audits('meeting.timer')).toBeGreaterThanOrEqual(5);
  });
});

/** Reads server-sent events from a fetch body; `next(ms)` resolves with the next event or null after `ms`. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  let buf = '';
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  return async (ms: number): Promise<{ event: string; data: any } | null> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = buf.indexOf('\n\n');
      if (i >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) return { event, data: JSON.parse(data) };
        continue;
      }
      pending ??= reader.read();
      const left = deadline - Date.now();
      if (left <= 0) return null;
      const got = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (got === null) return null;
      pending = null;
      if (got.done) throw new Error('stream ended');
      buf += new TextDecoder().decode(got.value);
    }
  };
}

describe('live console: changes pushed by server-sent events (decision 007)', () => {
  it('a timer, step or ballot round change reaches a screen on another app process within a second; refusals send nothing', async () => {
    const id = await newMeeting('推送测试');
    await s.townA.post(`/api/meetings/${id}/agenda/default`);
    // A second app on the same database hears changes made through the first only via LISTEN/NOTIFY.
    const other = await buildApp({ database: t.database, clock: t.clock, config: { passwordCost: TEST_COST } });
    await other.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    try {
      const port = (other.server.address() as { port: number }).port;
      const denied = await fetch(`http://127.0.0.1:${port}/api/meetings/${id}/events`, {
        headers: { cookie: `sp_sid=${s.adminB.cookie}` },
      });
      expect(denied.status).toBe(404);
      const res = await fetch(`http://127.0.0.1:${port}/api/meetings/${id}/events`, {
        headers: { cookie: `sp_sid=${s.observerA.cookie}` },
        signal: ctrl.signal,
      });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const next = sseReader(res.body!);
      expect((await next(5000))?.event).toBe('ready');

      const changes: Array<[string, () => Promise<{ statusCode: number }>]> = [
        ['timer', () => s.townA.post(`/api/meetings/${id}/timer`, { action: 'next' })],
        ['step', () => s.townA.put(`/api/meetings/${id}/step`, { step: 'questions' })],
        ['ballot round', () => s.townA.post(`/api/meetings/${id}/ballot-rounds`, { mode: 'rehearsal' })],
      ];
      for (const [name, change] of changes) {
        expect((await change()).statusCode, name).toBe(200);
        // Within a second of the change being acknowledged (the request itself is not the push's latency).
        const started = Date.now();
        const ev = await next(1000);
        expect(ev, name).toEqual({ event: 'changed', data: { meetingId: id } });
        expect(Date.now() - started, name).toBeLessThan(1000);
      }
      expect((await s.leaderA.put(`/api/meetings/${id}/step`, { step: 'rating' })).statusCode).toBe(403);
      expect((await s.townA.put(`/api/meetings/${id}/step`, { step: 'party' })).statusCode).toBe(400);
      expect(await next(400)).toBeNull();
    } finally {
      ctrl.abort();
      await other.close();
    }
  });
});

describe('meeting record exports', () => {
  let id: number;
  beforeEach(async () => {
    id = await newMeeting('2025年度述职评议会');
    const item = (await s.townA.post(`/api/meetings/${id}/agenda/default`)).json().agenda[0].id;
    await s.townA.post(`/api/meetings/${id}/comments`, {
      agendaItemId: item,
      kind: 'comment',
      authorName: '王书记',
      authorRole: '镇党委书记',
      body: '组织生活会质量有待提高。',
    });
    const keys = (await s.townA.get(`/api/meetings/${id}`))
      .json()
      .attendance.map((a: { categoryKey: string }) => a.categoryKey);
    await s.townA.put(`/api/meetings/${id}/attendance`, {
      rows: [{ categoryKey: keys[0], expected: 12, present: 11 }],
    });
  });

  it('会议记录 .docx in 公文 layout: title, attendance, comments, fonts and margins named in the file', async () => {
    const res = await s.observerA.get(`/api/meetings/${id}/record.docx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('会议记录'));
    const text = (await mammoth.extractRawText({ buffer: res.rawPayload })).value;
    expect(text).toContain('2025年度述职评议会会议记录');
    expect(text).toContain('一、会议基本情况');
    expect(text).toContain('应到12人，实到11人');
    expect(text).toContain('王书记（镇党委书记）点评：组织生活会质量有待提高。');
    expect(text).toContain('2026年1月10日');
    expect(text).toContain('测评结果尚未发布');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('仿宋_GB2312');
    expect(xml).toContain('方正小标宋简体');
    expect(xml).toContain('黑体');
    // A4 with 37 mm top and 28 mm left margins (twips).
    expect(xml).toMatch(/w:pgSz[^>]*w:w="11907"/);
    expect(xml).toMatch(/w:top="2098"/);
    expect(xml).toMatch(/w:left="1588"/);
    const footers = Object.keys(zip.files).filter((f) => f.startsWith('word/footer'));
    expect(footers.length).toBe(2);
    expect((await s.adminB.get(`/api/meetings/${id}/record.docx`)).statusCode).toBe(404);
  });

  it('agenda and attendance .xlsx: Chinese headers frozen, numbers as numbers', async () => {
    const res = await s.leaderA.get(`/api/meetings/${id}/sheet.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['会议', '议程', '参会人员', '参会人员名单', '点评及问答']);
    const agenda = wb.getWorksheet('议程')!;
    expect(agenda.getRow(1).values).toContain('述职党组织');
    expect(agenda.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(typeof agenda.getRow(2).getCell(1).value).toBe('number');
    const att = wb.getWorksheet('参会人员')!;
    expect(att.getRow(2).getCell(2).value).toBe(12);
    expect(att.getRow(2).getCell(3).value).toBe(11);
    expect((await s.secA1.get(`/api/meetings/${id}/sheet.xlsx`)).statusCode).toBe(403);
  });
});

it("another county's campaign is out of reach for county A staff", async () => {
  const m = await buildMeeting(t.db, { campaignId: otherCampaignId });
  expect((await s.adminA.get(`/api/meetings/${m.id}`)).statusCode).toBe(404);
  expect((await s.adminA.post(`/api/meetings/${m.id}/agenda/default`)).statusCode).toBe(404);
  expect((await s.adminB.post(`/api/meetings/${m.id}/agenda/default`)).statusCode).toBe(200);
});
