import JSZip from 'jszip';
import mammoth from 'mammoth';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  auditLog,
  campaignReporters,
  meetingAgendaItems,
  meetings,
  reports,
  reportVersions,
} from '../../src/server/db/schema';
import { computeDueDate } from '../../src/server/modules/reports/due-date';
import { nextState } from '../../src/domain/report-review';
import {
  buildCampaign,
  buildTwoCounties,
  buildSecretary,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';
import { goodSections, makeReportDocx, patchSettings, upload } from './reports-helpers';

/**
 * Every test starts from its own two counties (beforeEach: organizations, secretaries, accounts, sessions and the
 * two townships' 2025 rounds) in the file's database, so tests run in any order. The two that count audit rows of the
 * whole database take a database of their own (ownDatabase).
 */
let shared: Awaited<ReturnType<typeof setupTestApp>>;
let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let campaignId: number;
let reporterA1: number;
let reporterA2: number;
let reporterB1: number;
let s: Record<string, Session> = {};
let worlds = 0;

async function reporterOf(campaign: number, orgId: number) {
  const [r] = await t.db
    .select()
    .from(campaignReporters)
    .where(and(eq(campaignReporters.campaignId, campaign), eq(campaignReporters.orgId, orgId)));
  return r.id;
}
async function open(session: Session, reporterId: number) {
  const res = await session.post('/api/reports/open', { reporterId });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id as number;
}
const auditCount = async (action: string) =>
  (await t.db.select().from(auditLog).where(eq(auditLog.action, action))).length;

/** The two counties, their secretaries and signed-in accounts, and each township's 2025 round, in the database `t`. */
async function buildWorld() {
  const n = ++worlds;
  s = {};
  tree = await buildTwoCounties(t.db, { codePrefix: `W${n}-` });
  await buildSecretary(t.db, tree.villageA1.id, { name: '王前进', tenureStart: '2019-03-01' });
  // In office since October: under three months at the November test date (R-REP-5).
  await buildSecretary(t.db, tree.villageA2.id, { name: '李新任', tenureStart: '2025-10-08' });
  await buildSecretary(t.db, tree.villageB1.id, { name: '赵南村', tenureStart: '2018-01-01' });
  const users = {
    secA1: await buildUser(t.db, { role: 'secretary', orgId: tree.villageA1.id }),
    secA2: await buildUser(t.db, { role: 'secretary', orgId: tree.villageA2.id }),
    secB1: await buildUser(t.db, { role: 'secretary', orgId: tree.villageB1.id }),
    townAdmin: await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.townA.id }),
    countyAdmin: await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.countyA.id }),
    leaderA: await buildUser(t.db, { role: 'leader', scopeOrgId: tree.townA.id }),
    adminB: await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.countyB.id }),
    leaderB: await buildUser(t.db, { role: 'leader', scopeOrgId: tree.townB.id }),
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
  const cb = await buildCampaign(t.db, {
    organizerOrgId: tree.townB.id,
    templateId: '003',
    year: 2025,
    state: 'published',
    reporterOrgIds: [tree.villageB1.id],
    open: ['review'],
  });
  reporterA1 = await reporterOf(c.id, tree.villageA1.id);
  reporterA2 = await reporterOf(c.id, tree.villageA2.id);
  reporterB1 = await reporterOf(cb.id, tree.villageB1.id);
}

const config = {
  // The publication test moves the clock past the meeting; sessions must outlive that jump.
  idleTimeoutMinutes: 60 * 24 * 30,
  // Every test signs its own accounts in: more logins a minute than the production default allows one address.
  loginRatePerMinute: 10_000,
};
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

/** The extra part a secretary under three months in office writes (R-REP-5). */
const ON_BEHALF = {
  key: 'on_behalf',
  title: '调研了解的党建突出问题、履职尽责抓党建的认识体会和思路举措',
  text: '到任后走访调研全部6个村民小组，深刻认识到支部凝聚力不足，下步思路是以项目聚人心。',
};

/** The secretary opens the reporter's report, saves the sections and submits them. */
async function handIn(session: Session, reporterId: number, sections: { key: string; title: string; text: string }[]) {
  const id = await open(session, reporterId);
  expect((await session.put(`/api/reports/${id}/sections`, { sections })).statusCode).toBe(200);
  const sub = await session.post(`/api/reports/${id}/transitions`, { action: 'submit' });
  expect(sub.statusCode, sub.body).toBe(200);
  expect(sub.json().state).toBe('submitted');
  return id;
}

describe('authoring and .docx (R-REP-6)', () => {
  it('R-REP-6 a .docx with Heading 1 parts and a table uploads into the right sections; unknown headings are flagged; downloads in 公文 layout', async () => {
    const id = await open(s.secA1, reporterA1);
    const docx = await makeReportDocx({ extraHeading: '五、其他需要说明的事项' });
    const res = await upload(s.secA1, `/api/reports/${id}/docx`, docx, '前进村述职报告.docx');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.sections.map((x: { key: string }) => x.key)).toEqual([
      'preamble',
      'achievements',
      'problems',
      'causes',
      'measures',
    ]);
    expect(body.unknownHeadings).toEqual(['五、其他需要说明的事项']);
    expect(body.versionNo).toBe(1);

    const view = (await s.secA1.get(`/api/reports/${id}`)).json();
    const achievements = view.report.sections.find((x: { key: string }) => x.key === 'achievements');
    expect(achievements.title).toBe('一、工作成效');
    expect(achievements.text).toContain('主题党日　12次'); // the table row, cells joined
    expect(view.report.sections.find((x: { key: string }) => x.key === 'preamble').text).toContain(
      '现将本人抓基层党建工作情况报告如下',
    );
    // The unknown part stays in the text of the part before it, nothing is lost.
    expect(view.report.sections.find((x: { key: string }) => x.key === 'measures').text).toContain(
      '五、其他需要说明的事项',
    );
    expect(view.versions[0]).toMatchObject({
      versionNo: 1,
      reason: 'upload',
      fileName: '前进村述职报告.docx',
      unknownHeadings: ['五、其他需要说明的事项'],
    });
    expect(view.reporter.charLimit).toBe(1500);

    const dl = await s.secA1.get(`/api/reports/${id}/versions/1/docx`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toContain('wordprocessingml');
    const file = dl.rawPayload;
    const text = (await mammoth.extractRawText({ buffer: file })).value;
    expect(text).toContain('述职报告');
    expect(text).toContain('一、工作成效');
    expect(text).toContain('发展党员2名');
    expect(text).toMatch(/全文\d+字/);
    const zip = await JSZip.loadAsync(file);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('仿宋_GB2312');
    expect(xml).toContain('w:top="2098"'); // 37 mm top margin (gongwen.ts rounds 56.7 twips/mm)
    expect(xml).toContain('w:left="1588"'); // 28 mm binding margin
    const footers = Object.keys(zip.files).filter((f) => /footer\d*\.xml$/.test(f));
    expect(footers.length).toBeGreaterThanOrEqual(2); // odd and even page numbers
    expect(await zip.file('word/settings.xml')!.async('string')).toContain('evenAndOddHeaders');
  });

  it('R-REP-6 bad files: not a .docx, a corrupt .docx, an old .doc, an oversized file — clear Chinese 4xx, nothing saved', async () => {
    const id = await open(s.secA1, reporterA1);
    const before = (await t.db.select().from(reports).where(eq(reports.id, id)))[0];
    const uploadsBefore = await auditCount('report.upload_docx');
    const cases: [Buffer, string, number, RegExp][] = [
      [Buffer.from('这不是Word文件'), '报告.docx', 400, /Word 文档（\.docx 格式）/],
      [
        Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]),
        '报告.docx',
        400,
        /已损坏或无法读取/,
      ],
      [Buffer.from('PK'), '报告.doc', 400, /不支持旧版 \.doc/],
      [Buffer.alloc(11 * 1024 * 1024, 1), '报告.docx', 413, /不能超过/],
    ];
    for (const [file, name, status, message] of cases) {
      const res = await upload(s.secA1, `/api/reports/${id}/docx`, file, name);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().message).toMatch(message);
    }
    const after = (await t.db.select().from(reports).where(eq(reports.id, id)))[0];
    expect(after.sections).toEqual(before.sections);
    expect(after.versionNo).toBe(before.versionNo);
    expect(await auditCount('report.upload_docx')).toBe(uploadsBefore);
  });

  it('R-REP-1 the 字数 of the saved report is counted as a word processor counts it, and the checks show numbers and places', async () => {
    const id = await open(s.secA1, reporterA1);
    const res = await s.secA1.put(`/api/reports/${id}/sections`, {
      sections: [{ key: 'achievements', title: '工作成效', text: '2019年发展党员12名' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    // 工作成效 (4) + 2019 (1) + 年发展党员 (5) + 12 (1) + 名 (1)
    expect(res.json().charCount).toBe(12);
    const view = (await s.secA1.get(`/api/reports/${id}`)).json();
    const req = view.checks.results.find((r: { id: string }) => r.id === 'required_sections');
    expect(req.level).toBe('blocker'); // 003 blocks on required sections
    expect(req.message).toContain('缺少必备内容：突出问题、问题根源、破解措施');
    const share = view.checks.results.find((r: { id: string }) => r.id === 'achievements_share');
    expect(share.message).toContain('成绩部分12字，占全文100%');
    expect(share.places[0]).toMatchObject({ sectionKey: 'achievements', offset: 0 });
  });

  it('bad sections: duplicate keys and malformed keys answer 400 and change nothing', async () => {
    const id = await open(s.secA1, reporterA1);
    const before = (await t.db.select().from(reports).where(eq(reports.id, id)))[0];
    const dup = await s.secA1.put(`/api/reports/${id}/sections`, {
      sections: [
        { key: 'problems', title: 'a', text: 'x' },
        { key: 'problems', title: 'b', text: 'y' },
      ],
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().message).toContain('重复');
    const bad = await s.secA1.put(`/api/reports/${id}/sections`, {
      sections: [{ key: 'DROP TABLE', title: 'a', text: 'x' }],
    });
    expect(bad.statusCode).toBe(400);
    expect((await t.db.select().from(reports).where(eq(reports.id, id)))[0].sections).toEqual(before.sections);
  });
});

describe('review (R-REP-4)', () => {
  it('R-REP-4 state machine: pure transitions and refusals', () => {
    const o = { signOffRequired: false };
    expect(nextState('draft', 'submit', o)).toBe('submitted');
    expect(nextState('submitted', 'return', o)).toBe('returned');
    expect(nextState('returned', 'submit', o)).toBe('resubmitted');
    expect(nextState('resubmitted', 'order_rewrite', o)).toBe('rewrite_ordered');
    expect(nextState('rewrite_ordered', 'submit', o)).toBe('resubmitted');
    expect(nextState('resubmitted', 'approve', o)).toBe('approved');
    expect(nextState('approved', 'sign', { signOffRequired: true })).toBe('signed');
    expect(() => nextState('draft', 'approve', o)).toThrow(/当前为「草稿」，不能审核通过/);
    expect(() => nextState('approved', 'submit', o)).toThrow(/不能提交/);
    expect(() => nextState('approved', 'sign', o)).toThrow(/不要求主管领导审阅签字/);
    expect(() => nextState('submitted', 'sign', { signOffRequired: true })).toThrow(/不能审阅签字/);
  });

  it('R-REP-4 submit → return with reasons → resubmit → approve, each with a comment, an event and an audit row; refused steps change nothing', async () => {
    await ownDatabase();
    const id = await open(s.secA1, reporterA1);
    const put = await s.secA1.put(`/api/reports/${id}/sections`, {
      sections: [{ key: 'achievements', title: '工作成效', text: '只写了成绩。' }],
    });
    expect(put.statusCode).toBe(200);
    // A blocking check fails: missing parts.
    const blocked = await s.secA1.post(`/api/reports/${id}/transitions`, { action: 'submit' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ code: 'CHECKS_BLOCKING' });
    expect(blocked.json().message).toContain('缺少必备内容');
    // The reviewer cannot read a draft never handed in.
    expect((await s.townAdmin.get(`/api/reports/${id}`)).statusCode).toBe(403);

    expect((await s.secA1.put(`/api/reports/${id}/sections`, { sections: goodSections() })).statusCode).toBe(200);
    const sub = await s.secA1.post(`/api/reports/${id}/transitions`, { action: 'submit', comment: '请审核' });
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json().state).toBe('submitted');
    const versionAfterSubmit = sub.json().versionNo;
    // Locked while under review.
    expect((await s.secA1.put(`/api/reports/${id}/sections`, { sections: goodSections(1) })).statusCode).toBe(409);
    // The secretary cannot approve their own report; another county's admin and leader cannot either.
    expect((await s.secA1.post(`/api/reports/${id}/transitions`, { action: 'approve' })).statusCode).toBe(403);
    expect((await s.adminB.post(`/api/reports/${id}/transitions`, { action: 'approve' })).statusCode).toBe(404);
    expect(
      (await s.leaderB.post(`/api/reports/${id}/transitions`, { action: 'return', comment: '不行' })).statusCode,
    ).toBe(404);
    // Returning needs reasons.
    const noReason = await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'return', comment: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain('须写明理由');
    const ret = await s.townAdmin.post(`/api/reports/${id}/transitions`, {
      action: 'return',
      comment: '问题查摆不够具体，请补充数据',
    });
    expect(ret.json().state).toBe('returned');
    expect((await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'approve' })).statusCode).toBe(409);

    const edited = goodSections();
    edited[1] = { ...edited[1], text: `${edited[1].text}六是对上年度指出的2个问题整改不彻底。` };
    expect((await s.secA1.put(`/api/reports/${id}/sections`, { sections: edited })).statusCode).toBe(200);
    const re = await s.secA1.post(`/api/reports/${id}/transitions`, { action: 'submit', comment: '已按意见修改' });
    expect(re.json()).toEqual({ state: 'resubmitted', versionNo: versionAfterSubmit + 1 });
    const ok = await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'approve', comment: '同意' });
    expect(ok.json().state).toBe('approved');
    expect((await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'approve' })).statusCode).toBe(409);
    expect((await s.leaderA.post(`/api/reports/${id}/transitions`, { action: 'sign' })).json().code).toBe(
      'TRANSITION_REFUSED',
    );

    const view = (await s.townAdmin.get(`/api/reports/${id}`)).json();
    expect(view.events.map((e: { action: string; comment: string }) => [e.action, e.comment])).toEqual([
      ['submit', '请审核'],
      ['return', '问题查摆不够具体，请补充数据'],
      ['submit', '已按意见修改'],
      ['approve', '同意'],
    ]);
    for (const a of ['report.submit', 'report.return', 'report.approve'])
      expect(await auditCount(a)).toBeGreaterThan(0);

    // Versions are kept and diffable.
    const diff = await s.townAdmin.get(
      `/api/reports/${id}/diff?from=${versionAfterSubmit}&to=${versionAfterSubmit + 1}`,
    );
    expect(diff.statusCode).toBe(200);
    expect(diff.json().changed).toBeGreaterThan(0);
    expect(JSON.stringify(diff.json().rows)).toContain('对上年度指出的2个问题整改不彻底');
  });

  it('R-REP-4 ordering a rewrite: handing back the same text is refused, a rewritten one is taken', async () => {
    const id = await open(s.secA2, reporterA2);
    const sections = [...goodSections(1), ON_BEHALF];
    expect((await s.secA2.put(`/api/reports/${id}/sections`, { sections })).statusCode).toBe(200);
    expect((await s.secA2.post(`/api/reports/${id}/transitions`, { action: 'submit' })).json().state).toBe('submitted');
    expect(
      (
        await s.leaderA.post(`/api/reports/${id}/transitions`, {
          action: 'order_rewrite',
          comment: '照搬模板，责令重写',
        })
      ).json().state,
    ).toBe('rewrite_ordered');
    const same = await s.secA2.post(`/api/reports/${id}/transitions`, { action: 'submit' });
    expect(same.statusCode).toBe(409);
    expect(same.json()).toMatchObject({ code: 'REWRITE_UNCHANGED' });
    const rewritten = goodSections(0).map((x) => ({ ...x }));
    expect(
      (await s.secA2.put(`/api/reports/${id}/sections`, { sections: [...rewritten, sections[4]] })).statusCode,
    ).toBe(200);
    expect((await s.secA2.post(`/api/reports/${id}/transitions`, { action: 'submit' })).json().state).toBe(
      'resubmitted',
    );
  });

  it('R-REP-4 where the plan requires it, the supervising leader signs after approval; an admin cannot sign', async () => {
    await patchSettings(t.db, campaignId, (x) => void (x.report.supervisorSignOffRequired = true));
    // A report handed in and waiting for review.
    const id = await handIn(s.secA2, reporterA2, [...goodSections(1), ON_BEHALF]);
    expect((await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'approve' })).json().state).toBe(
      'approved',
    );
    expect((await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'sign' })).statusCode).toBe(403);
    expect(
      (await s.leaderA.post(`/api/reports/${id}/transitions`, { action: 'sign', comment: '已阅' })).json().state,
    ).toBe('signed');
    await patchSettings(t.db, campaignId, (x) => void (x.report.supervisorSignOffRequired = false));
  });

  it('R-REP-5 a secretary in office under three months reports on behalf of the organization, with the extra section', async () => {
    const id = await open(s.secA2, reporterA2);
    const view = (await s.secA2.get(`/api/reports/${id}`)).json();
    expect(view.report.onBehalf).toBe(true);
    expect(view.slots.map((x: { key: string }) => x.key)).toContain('on_behalf');
    const tenure = view.checks.results.find((r: { id: string }) => r.id === 'short_tenure');
    expect(tenure.message).toContain('不足3个月，可代表党组织述职');
    const other = (await s.secA1.get(`/api/reports/${await open(s.secA1, reporterA1)}`)).json();
    expect(other.report.onBehalf).toBe(false);
    expect(other.slots.map((x: { key: string }) => x.key)).not.toContain('on_behalf');
  });
});

describe('deadlines (R-REP-4)', () => {
  it('R-REP-4 due date = meeting date − N days; the campaign meeting phase when no meeting is set; overdue only before submission', () => {
    expect(
      computeDueDate({
        meetingDate: '2025-12-18',
        meetingPhaseStart: '2025-12-20',
        dueDaysBeforeMeeting: 7,
        today: '2025-12-10',
        submitted: false,
      }),
    ).toMatchObject({
      meetingDate: '2025-12-18',
      meetingSource: 'meeting',
      dueDate: '2025-12-11',
      daysLeft: 1,
      overdue: false,
    });
    expect(
      computeDueDate({
        meetingDate: null,
        meetingPhaseStart: '2026-01-10',
        dueDaysBeforeMeeting: 10,
        today: '2026-01-01',
        submitted: false,
      }),
    ).toMatchObject({ meetingSource: 'phase', dueDate: '2025-12-31', daysLeft: -1, overdue: true });
    expect(
      computeDueDate({
        meetingDate: null,
        meetingPhaseStart: '2026-01-10',
        dueDaysBeforeMeeting: 10,
        today: '2026-01-01',
        submitted: true,
      }).overdue,
    ).toBe(false);
    expect(
      computeDueDate({
        meetingDate: null,
        meetingPhaseStart: null,
        dueDaysBeforeMeeting: 7,
        today: '2026-01-01',
        submitted: false,
      }).dueDate,
    ).toBeNull();
  });

  it("R-REP-4 the task list shows the due date from the reporter's meeting, and a late first submission is refused where the campaign forbids it", async () => {
    const tasks = (await s.secB1.get('/api/reports/tasks')).json().items;
    expect(tasks).toHaveLength(1);
    // 003: meeting phase starts 2025-12-18, report due a week before.
    expect(tasks[0]).toMatchObject({
      task: '撰写述职报告',
      state: 'none',
      meetingDate: '2025-12-18',
      dueDate: '2025-12-11',
      overdue: false,
    });
    const [b] = await t.db
      .select({ campaignId: campaignReporters.campaignId })
      .from(campaignReporters)
      .where(eq(campaignReporters.id, reporterB1));
    const [m] = await t.db
      .insert(meetings)
      .values({ campaignId: b.campaignId, title: '述职评议会', meetingDate: '2025-11-25', place: '镇会议室' })
      .returning();
    await t.db.insert(meetingAgendaItems).values({ meetingId: m.id, reporterId: reporterB1, position: 1 });
    const after = (await s.secB1.get('/api/reports/tasks')).json().items[0];
    expect(after).toMatchObject({ meetingDate: '2025-11-25', dueDate: '2025-11-18', overdue: true });

    const id = await open(s.secB1, reporterB1);
    expect((await s.secB1.put(`/api/reports/${id}/sections`, { sections: goodSections() })).statusCode).toBe(200);
    const late = await s.secB1.post(`/api/reports/${id}/transitions`, { action: 'submit' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'LATE_SUBMISSION' });
    expect(late.json().message).toContain('2025年11月18日');
    const [row] = await t.db.select().from(reports).where(eq(reports.id, id));
    expect(row.state).toBe('draft');
    expect((await t.db.select().from(reportVersions).where(eq(reportVersions.reportId, id))).length).toBe(0);
    // Where late reports are allowed, the same submission goes through.
    await patchSettings(t.db, b.campaignId, (x) => void (x.report.lateSubmissionAllowed = true));
    expect((await s.secB1.post(`/api/reports/${id}/transitions`, { action: 'submit' })).json().state).toBe('submitted');
  });

  it('an empty report cannot be submitted', async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2024,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
      open: ['review'],
    });
    const id = await open(s.secA1, await reporterOf(c.id, tree.villageA1.id));
    const res = await s.secA1.post(`/api/reports/${id}/transitions`, { action: 'submit' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'EMPTY_REPORT', message: '述职报告内容为空，不能提交' });
  });
});

describe('access', () => {
  it("a secretary cannot open or read a neighbour's report; a reviewer sees only reports routed within their scope; cross-county denied", async () => {
    const a1 = await open(s.secA1, reporterA1);
    expect((await s.secA2.get(`/api/reports/${a1}`)).statusCode).toBe(403);
    expect((await s.secA2.post('/api/reports/open', { reporterId: reporterA1 })).statusCode).toBe(403);
    expect((await s.secA2.put(`/api/reports/${a1}/sections`, { sections: goodSections() })).statusCode).toBe(403);
    expect((await s.secA2.get(`/api/reports/${a1}/versions/1/docx`)).statusCode).toBe(403);
    expect((await s.secA2.get('/api/reports/tasks')).json().items.map((i: { orgId: number }) => i.orgId)).toEqual([
      tree.villageA2.id,
    ]);

    const queue = (await s.townAdmin.get('/api/reports/queue')).json();
    expect(queue.items.map((i: { orgId: number }) => i.orgId).sort()).toEqual(
      expect.arrayContaining([tree.villageA1.id, tree.villageA2.id]),
    );
    expect(queue.items.every((i: { orgId: number }) => i.orgId !== tree.villageB1.id)).toBe(true);
    expect((await s.countyAdmin.get('/api/reports/queue')).json().total).toBe(queue.total);
    const bQueue = (await s.adminB.get('/api/reports/queue')).json();
    expect(bQueue.items.map((i: { orgId: number }) => i.orgId)).toEqual([tree.villageB1.id]);
    expect((await s.adminB.get(`/api/reports/${a1}`)).statusCode).toBe(404);
    expect((await s.leaderB.get(`/api/reports/${a1}/diff?from=1&to=2`)).statusCode).toBe(404);
    expect((await s.secA1.get('/api/reports/queue')).statusCode).toBe(403);
    // Filters: waiting for review, by name.
    const pending = (await s.townAdmin.get('/api/reports/queue?state=pending')).json();
    expect(pending.items.every((i: { state: string }) => ['submitted', 'resubmitted'].includes(i.state))).toBe(true);
    expect(
      (await s.townAdmin.get(`/api/reports/queue?q=${encodeURIComponent('西村')}`))
        .json()
        .items.map((i: { orgId: number }) => i.orgId),
    ).toEqual([tree.villageA2.id]);
  });
});

describe('checks against the database (R-REP-3, R-PREP-1)', () => {
  it("R-REP-3 last year's open rectification items must be answered: unmatched ones listed, blocking where the campaign says so", async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2023,
      state: 'published',
      reporterOrgIds: [tree.villageA2.id],
      open: ['review'],
    });
    const reporter = await reporterOf(c.id, tree.villageA2.id);
    // Only the admin of the body heard enters them; not the secretary, not another county.
    expect(
      (await s.secA2.post(`/api/reporters/${reporter}/rectification-items`, { text: '村务公开不及时' })).statusCode,
    ).toBe(403);
    expect(
      (await s.adminB.post(`/api/reporters/${reporter}/rectification-items`, { text: '村务公开不及时' })).statusCode,
    ).toBe(404);
    expect((await s.townAdmin.post(`/api/reporters/${reporter}/rectification-items`, { text: '' })).statusCode).toBe(
      400,
    );
    const item = await s.townAdmin.post(`/api/reporters/${reporter}/rectification-items`, {
      reference: 'ZG-2022-03',
      text: '流动党员管理松散，长期不参加组织生活',
    });
    expect(item.statusCode).toBe(200);
    await s.townAdmin.post(`/api/reporters/${reporter}/rectification-items`, {
      text: '软弱涣散问题突出，班子凝聚力不强',
    });
    const id = await open(s.secA2, reporter);
    const sections = goodSections(0);
    expect((await s.secA2.put(`/api/reports/${id}/sections`, { sections })).statusCode).toBe(200);
    const checks = (await s.secA2.get(`/api/reports/${id}`)).json().checks.results;
    const rect = checks.find((r: { id: string }) => r.id === 'rectification_items');
    expect(rect.level).toBe('blocker');
    expect(rect.message).toContain('2项上年度整改事项中有2项未在报告中回应');
    expect(rect.message).toContain('ZG-2022-03');
    const res = await s.secA2.post(`/api/reports/${id}/transitions`, { action: 'submit' });
    expect(res.statusCode).toBe(409);
    // Answer one by its reference and the other in words.
    sections[3] = {
      ...sections[3],
      text: `${sections[3].text}针对ZG-2022-03，建立流动党员联系台账。针对软弱涣散问题，调整充实班子，增强凝聚力。`,
    };
    expect((await s.secA2.put(`/api/reports/${id}/sections`, { sections })).statusCode).toBe(200);
    const again = (await s.secA2.get(`/api/reports/${id}`))
      .json()
      .checks.results.find((r: { id: string }) => r.id === 'rectification_items');
    expect(again.level).toBe('pass');
  });

  it('near-copy: a lightly edited copy of another submitted report of the campaign is flagged', async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2022,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id, tree.villageA2.id],
      open: ['review'],
    });
    await patchSettings(t.db, c.id, (x) => void (x.report.lateSubmissionAllowed = true));
    const idA1 = await open(s.secA1, await reporterOf(c.id, tree.villageA1.id));
    expect((await s.secA1.put(`/api/reports/${idA1}/sections`, { sections: goodSections(0) })).statusCode).toBe(200);
    expect((await s.secA1.post(`/api/reports/${idA1}/transitions`, { action: 'submit' })).statusCode).toBe(200);
    const idA2 = await open(s.secA2, await reporterOf(c.id, tree.villageA2.id));
    const copy = goodSections(0).map((x) => ({ ...x, text: x.text.replace('12次', '11次').replace('前进', '新华') }));
    const check = await s.secA2.post(`/api/reports/${idA2}/check`, { sections: copy });
    const near = check.json().results.find((r: { id: string }) => r.id === 'near_copy');
    expect(near.level).toBe('advice');
    expect(near.message).toContain('疑似照搬照抄');
    expect(near.message).toContain(tree.villageA1.name);
    const different = (await s.secA2.post(`/api/reports/${idA2}/check`, { sections: goodSections(1) }))
      .json()
      .results.find((r: { id: string }) => r.id === 'near_copy');
    expect(different.level).toBe('pass');
    // The check endpoint is the author's only.
    expect((await s.secA1.post(`/api/reports/${idA2}/check`, { sections: copy })).statusCode).toBe(403);
  });
});

describe('attachments (R-REP-6)', () => {
  it('R-REP-6 slides upload within the campaign limit; oversized or unknown types are refused and nothing is stored', async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2021,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
      open: ['review'],
    });
    const id = await open(s.secA1, await reporterOf(c.id, tree.villageA1.id));
    const ok = await upload(s.secA1, `/api/reports/${id}/attachments`, Buffer.alloc(2048, 3), '汇报幻灯片.pptx');
    expect(ok.statusCode, ok.body).toBe(200);
    const got = await s.secA1.get(`/api/reports/${id}/attachments/${ok.json().id}`);
    expect(got.rawPayload.length).toBe(2048);
    expect((await s.secA2.get(`/api/reports/${id}/attachments/${ok.json().id}`)).statusCode).toBe(403);
    expect((await upload(s.secA1, `/api/reports/${id}/attachments`, Buffer.alloc(10, 1), '病毒.exe')).statusCode).toBe(
      400,
    );
    await patchSettings(t.db, c.id, (x) => void (x.report.attachments.maxSizeMb = 0.01));
    const big = await upload(s.secA1, `/api/reports/${id}/attachments`, Buffer.alloc(20_000, 1), '视频.mp4');
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toContain('不能超过');
    const view = (await s.secA1.get(`/api/reports/${id}`)).json();
    expect(view.attachments.map((a: { fileName: string }) => a.fileName)).toEqual(['汇报幻灯片.pptx']);
  });
});

describe('publication (R-REP-7)', () => {
  it("R-REP-7 after the meeting approved reports are published to the campaign's audience, read-only", async () => {
    await ownDatabase();
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2020,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id, tree.villageA2.id],
      open: ['review'],
    });
    await patchSettings(t.db, c.id, (x) => void (x.report.lateSubmissionAllowed = true));
    const r1 = await reporterOf(c.id, tree.villageA1.id);
    const id = await open(s.secA1, r1);
    await s.secA1.put(`/api/reports/${id}/sections`, { sections: goodSections() });
    expect((await s.secA1.post(`/api/reports/${id}/transitions`, { action: 'submit' })).statusCode).toBe(200);
    expect((await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'approve' })).statusCode).toBe(200);
    const [m] = await t.db
      .insert(meetings)
      .values({ campaignId: c.id, title: '述职评议会', meetingDate: '2025-11-28', place: '镇会议室' })
      .returning();
    await t.db.insert(meetingAgendaItems).values({ meetingId: m.id, reporterId: r1, position: 1 });

    expect((await s.secA1.post('/api/reports/publish', { campaignId: c.id })).statusCode).toBe(403);
    expect((await s.adminB.post('/api/reports/publish', { campaignId: c.id })).statusCode).toBe(404);
    const early = (await s.townAdmin.post('/api/reports/publish', { campaignId: c.id })).json();
    expect(early.published).toEqual([]);
    expect(early.skipped[0].reason).toContain('尚未召开');
    // Before publication a neighbour in the campaign cannot read it.
    expect((await s.secA2.get(`/api/reports/${id}`)).statusCode).toBe(403);

    t.clock.set(new Date('2025-11-29T02:00:00Z'));
    const doneRes = await s.townAdmin.post('/api/reports/publish', { campaignId: c.id });
    expect(doneRes.statusCode, doneRes.body).toBe(200);
    const done = doneRes.json();
    expect(done.published).toEqual([tree.villageA1.name]);
    expect(done.audience).toContain('参加述职评议考核');
    // campaign_scope: another reporting organization's secretary reads it; another county does not.
    const read = await s.secA2.get(`/api/reports/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().checks).toBeNull();
    expect(read.json().can.edit).toBe(false);
    expect((await s.secB1.get(`/api/reports/${id}`)).statusCode).toBe(404);
    expect((await s.secA2.get('/api/reports/published')).json().items.map((i: { id: number }) => i.id)).toContain(id);
    expect((await s.secB1.get('/api/reports/published')).json().items.map((i: { id: number }) => i.id)).not.toContain(
      id,
    );
    expect((await s.secA1.put(`/api/reports/${id}/sections`, { sections: goodSections(1) })).statusCode).toBe(409);
    expect(await auditCount('report.publish')).toBeGreaterThan(0);
    t.clock.set(new Date('2025-11-20T02:00:00Z'));
  });
});

describe('public link (R-REP-7)', () => {
  it('R-REP-7 a public link exists only where the campaign publishes to the public, and reads without signing in', async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2019,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
      open: ['review'],
    });
    await patchSettings(t.db, c.id, (x) => {
      x.report.lateSubmissionAllowed = true;
      x.report.publicationAudience = 'public';
    });
    const r1 = await reporterOf(c.id, tree.villageA1.id);
    const id = await open(s.secA1, r1);
    await s.secA1.put(`/api/reports/${id}/sections`, { sections: goodSections() });
    expect((await s.secA1.post(`/api/reports/${id}/transitions`, { action: 'submit' })).statusCode).toBe(200);
    expect((await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'approve' })).statusCode).toBe(200);
    const [m] = await t.db
      .insert(meetings)
      .values({ campaignId: c.id, title: '述职评议会', meetingDate: '2019-12-20', place: '镇会议室' })
      .returning();
    await t.db.insert(meetingAgendaItems).values({ meetingId: m.id, reporterId: r1, position: 1 });
    expect((await s.townAdmin.post('/api/reports/publish', { campaignId: c.id })).json().published).toEqual([
      tree.villageA1.name,
    ]);
    const token = (await s.townAdmin.get(`/api/reports/${id}`)).json().report.publicToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const anon = await t.app.inject({ method: 'GET', url: `/api/public/reports/${token}` });
    expect(anon.statusCode).toBe(200);
    expect(anon.json().orgName).toBe(tree.villageA1.name);
    expect(anon.json().sections.map((x: { key: string }) => x.key)).toEqual([
      'achievements',
      'problems',
      'causes',
      'measures',
    ]);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/public/reports/AAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode,
    ).toBe(404);
    // Any signed-in user may read a report published to the public, even in another county.
    expect((await s.secB1.get(`/api/reports/${id}`)).statusCode).toBe(200);
  });
});

describe('near-copy of last year (R-REP-3)', () => {
  it("a report copied from the same organization's report of last year is flagged with the similarity; a rewritten one is not", async () => {
    // villageA1 hands in its 2025 report (as in the review test above); this is its 2026 round.
    await handIn(s.secA1, reporterA1, goodSections());
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2026,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
      open: ['review'],
    });
    const id = await open(s.secA1, await reporterOf(c.id, tree.villageA1.id));
    const copied = (await s.secA1.post(`/api/reports/${id}/check`, { sections: goodSections(0) }))
      .json()
      .results.find((r: { id: string }) => r.id === 'near_copy');
    expect(copied.level).toBe('advice');
    expect(copied.message).toMatch(/与本组织上年度述职报告的相似度为\d+%/);
    const fresh = (await s.secA1.post(`/api/reports/${id}/check`, { sections: goodSections(1) }))
      .json()
      .results.find((r: { id: string }) => r.id === 'near_copy');
    expect(fresh.level).toBe('pass');
    expect(fresh.message).toMatch(/与上年度报告相似度\d+%/);
  });
});
