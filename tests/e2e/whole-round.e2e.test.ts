import path from 'node:path';
import { randomUUID } from 'node:crypto';
import mammoth from 'mammoth';
import { eq, sql } from 'drizzle-orm';
import { users } from '../../src/server/db/schema';
import { devices, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { issueCodes } from '../../src/server/modules/ballots/issue-codes';
import { freshDatabase } from '../setup/db';
import {
  buildOrg,
  buildSecretary,
  buildUser,
  openPhases,
  signIn,
  testClock,
  TEST_COST,
  TEST_PASSWORD,
  type Session,
} from '../factories';
import { goodSections, upload } from '../integration/reports-helpers';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

/**
 * Issue 7, "a whole round, end to end": the township template (003) with 20 village reporters, from the campaign's
 * creation to the summary report. Bulk steps go through the HTTP API (app.inject with each role's session); the steps a
 * user must see go through Chromium: a phone vote, the console count, the evaluation override and lock, the 通报, the
 * verification of a rectification item, and the results pages.
 */
let browser: Browser;
let close: (() => Promise<void>) | undefined;
let base: string;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let t: { countyA: Org; townA: Org; countyB: Org };
type Org = Awaited<ReturnType<typeof buildOrg>>;
const villages: Array<{ id: number; name: string }> = [];
const s: Record<string, Session> = {};
const secretaries: Session[] = [];

const WAIT = 60_000;
// The server's clock is injected: reports are due in December 2025, the meeting is in January, an item falls overdue in April.
const clock = testClock(new Date('2025-11-20T02:00:00Z'));
const until = <T>(fn: () => Promise<T> | T, timeout = WAIT) => expect.poll(fn, { timeout });
const ok = async (p: Promise<{ statusCode: number; body: string; json: () => any }>) => {
  const res = await p;
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  db = await freshDatabase();
  app = await buildApp({
    database: db,
    clock,
    config: {
      passwordCost: TEST_COST,
      loginRatePerMinute: 1000,
      idleTimeoutMinutes: 60 * 24 * 365,
      voteWaitMs: 1000,
      webDir: path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web'),
    },
  });
  const countyA = await buildOrg(db.db, {
    name: '甲县委',
    code: 'A',
    kind: 'committee',
    sector: 'organ',
    level: 'county',
  });
  const townA = await buildOrg(db.db, {
    parent: countyA,
    name: '甲一镇党委',
    code: 'A-T1',
    kind: 'committee',
    level: 'township',
  });
  const countyB = await buildOrg(db.db, {
    name: '乙县委',
    code: 'B',
    kind: 'committee',
    sector: 'organ',
    level: 'county',
  });
  t = { countyA, townA, countyB };
  await buildSecretary(db.db, t.townA.id, { name: '镇党委书记' });
  for (let i = 1; i <= 20; i++) {
    const v = await buildOrg(db.db, {
      parent: t.townA,
      name: `甲一镇第${String(i).padStart(2, '0')}村党支部`,
      code: `A-T1-W${String(i).padStart(2, '0')}`,
    });
    await buildSecretary(db.db, v.id, { name: `书记${i}` });
    await buildUser(db.db, { role: 'secretary', username: `wr_sec${i}`, orgId: v.id });
    villages.push(v);
  }
  const accounts: Array<[string, Parameters<typeof buildUser>[1]]> = [
    ['wr_town', { role: 'org_admin', scopeOrgId: t.townA.id }],
    ['wr_town2', { role: 'org_admin', scopeOrgId: t.townA.id }],
    ['wr_county', { role: 'org_admin', scopeOrgId: t.countyA.id }],
    ['wr_countyB', { role: 'org_admin', scopeOrgId: t.countyB.id }],
    ['wr_leader', { role: 'leader', scopeOrgId: t.townA.id }],
    ['wr_observer', { role: 'observer', scopeOrgId: t.townA.id }],
    ['wr_assessor', { role: 'assessor', scopeOrgId: t.townA.id }],
  ];
  for (const [username, o] of accounts) {
    await buildUser(db.db, { ...o, username });
    s[username] = await signIn(app, username);
  }
  for (let i = 1; i <= 20; i++) secretaries.push(await signIn(app, `wr_sec${i}`));
  ({ base, browser, close } = await serveAndLaunch(app, db));
}, 300_000);
afterAll(async () => close?.());

async function signedIn(
  username: string,
  opts: { phone?: boolean } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext(
    opts.phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
      : { viewport: { width: 1600, height: 900 }, acceptDownloads: true },
  );
  const page = await ctx.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { ctx, page };
}

it('R-USE R-FIX R-SUM a township round with 20 reporters from creation to the summary report', async () => {
  const town = s.wr_town!;
  // ---- campaign from template 003, published ----------------------------------------------------------------
  const created = await ok(town.post('/api/campaigns', { templateId: '003', year: 2025, organizerOrgId: t.townA.id }));
  const campaignId = created.campaign.id as number;
  expect(created.campaign.state).toBe('draft');
  const published = await ok(town.post(`/api/campaigns/${campaignId}/publish`));
  expect(published.campaign.state).toBe('published');
  // R-CAMP-8: the round runs ahead of 003's dates here, so the organizer opens each phase early (or extends it) with a reason.
  await openPhases(db.db, campaignId, ['review'], clock.now());
  const roster = (await ok(town.get(`/api/campaigns/${campaignId}/reporters`))).items as Array<{
    id: number;
    org: { id: number; name: string };
    role: string;
  }>;
  const reporterOf = new Map(roster.filter((r) => r.role === 'reporter').map((r) => [r.org.id, r.id]));
  const rid = villages.map((v) => reporterOf.get(v.id)!);
  expect(rid.every((id) => typeof id === 'number')).toBe(true);
  // The county admin of another county cannot open the round.
  expect([403, 404]).toContain((await s.wr_countyB!.get(`/api/campaigns/${campaignId}`)).statusCode);

  // ---- reports: each secretary writes and submits, the township approves --------------------------------------
  for (let i = 0; i < 20; i++) {
    const sec = secretaries[i]!;
    const reportId = (await ok(sec.post('/api/reports/open', { reporterId: rid[i] }))).id as number;
    await ok(sec.put(`/api/reports/${reportId}/sections`, { sections: goodSections(i % 2) }));
    expect(
      (await ok(sec.post(`/api/reports/${reportId}/transitions`, { action: 'submit', comment: '请审核' }))).state,
    ).toBe('submitted');
    expect(
      (await ok(town.post(`/api/reports/${reportId}/transitions`, { action: 'approve', comment: '同意' }))).state,
    ).toBe('approved');
  }
  // A secretary cannot read another's report (a 403: it is heard by their own township, on their branch of the tree).
  const [otherReport] = await queryRows<{ id: number }>(
    db.db,
    sql`select id from reports where reporter_id = ${rid[1]}`,
  );
  expect((await secretaries[0]!.get(`/api/reports/${otherReport!.id}`)).statusCode).toBe(403);

  clock.set(new Date('2026-01-10T01:00:00Z'));
  await openPhases(db.db, campaignId, ['evaluation'], clock.now());
  // ---- meeting, ballots: phones (API + one real phone page), paper with double entry ----------------------------
  const meeting = await ok(
    town.post(`/api/campaigns/${campaignId}/meetings`, {
      title: '甲一镇2025年度述职评议会',
      meetingDate: '2026-01-10',
      place: '镇会议室',
    }),
  );
  const meetingId = meeting.id as number;
  await ok(town.post(`/api/meetings/${meetingId}/agenda/default`));
  const round = await ok(town.post(`/api/meetings/${meetingId}/ballot-rounds`, { mode: 'real' }));
  const [townUser] = await db.db.select().from(users).where(eq(users.username, 'wr_town'));
  const codes = (
    await issueCodes(
      db.db,
      { ...townUser!, scopePath: t.townA.path } as never,
      { actorId: townUser!.id, actorName: 'e2e', ip: null, at: new Date() },
      round.id,
      'committee',
      20,
    )
  ).codes;
  await ok(town.post(`/api/ballot-rounds/${round.id}/open`, {}));
  // 19 phones through the API: 第05村 gets one 差 and two 一般 out of 20 (15 % ≥ the automatic-差 line);
  // the others get fewer 好 the further down the roster, so the ranks are distinct.
  const gradeFor = (voter: number, i: number) => {
    if (i === 4) return voter < 2 ? 'average' : voter === 2 ? 'poor' : 'good';
    return voter < i ? 'fair' : 'good';
  };
  // Sent together, as a room votes: ballots are stored in batches of at least the minimum group (decision 017); a
  // remainder smaller than that waits (202) and is stored with later ballots or at the close.
  const phones = await Promise.all(
    Array.from({ length: 19 }, (_, voter) =>
      app.inject({
        method: 'POST',
        url: '/api/vote/ballots',
        payload: {
          code: codes[voter],
          roomCode: round.roomCode,
          ballots: rid.map((reporterId, i) => ({
            reporterId,
            grade: gradeFor(voter, i),
            ...(i === 4 && voter === 2 ? { problems: '村务公开不及时' } : {}),
          })),
        },
      }),
    ),
  );
  for (const res of phones) expect([200, 202], res.body).toContain(res.statusCode);
  // The console (projector) shows the count; the 20th phone votes on its own page.
  const admin = await signedIn('wr_town');
  const projector = admin.page;
  await projector.goto(`${base}/campaigns/${campaignId}/meetings/${meetingId}/console`);
  await until(() => projector.getByTestId('console-room-code').textContent()).toBe(round.roomCode);
  // Received plus waiting ("15（另有4张待成批保存）" → 19).
  const countOf = async (name: string) => {
    const text =
      (await projector
        .getByTestId('console-ballots')
        .locator('tbody tr', { hasText: name })
        .locator('td')
        .nth(1)
        .textContent()) ?? '';
    return String((text.match(/\d+/g) ?? []).reduce((sum, n) => sum + Number(n), 0));
  };
  await until(() => countOf(villages[0]!.name)).toBe('19');
  const phoneCtx = await browser.newContext({
    ...devices['Galaxy S5'],
    isMobile: true,
    hasTouch: true,
    viewport: { width: 360, height: 640 },
  });
  const phone = await phoneCtx.newPage();
  phone.setDefaultTimeout(WAIT);
  await phone.goto(`${base}/vote/#c=${codes[19]}`);
  await phone.getByTestId('vote-room').fill(round.roomCode);
  await phone.getByTestId('vote-start').click();
  for (const [i, id] of rid.entries()) await phone.getByTestId(`grade-${id}-${gradeFor(19, i)}`).check({ force: true });
  // The 下评 card (the township's own secretary) is on the same sheet.
  const down = roster.find((r) => r.role === 'downward');
  if (down) await phone.getByTestId(`grade-${down.id}-good`).check({ force: true });
  await phone.getByTestId('submit-all').click();
  await until(() => countOf(villages[0]!.name)).toBe('20');
  expect(await projector.getByTestId('console-ballots').textContent()).not.toMatch(/较好|一般|差/);
  // The 下评 has this phone's ballot only: it waits for the close, which stores it, and the phone then says so.
  await ok(town.post(`/api/ballot-rounds/${round.id}/close`, { attendees: 22 }));
  await until(() => phone.getByTestId('vote-finished').textContent()).toContain('已提交');
  await phoneCtx.close();
  // Paper forms of the 下评 category: two clerks enter the same counts; only matched entries count.
  if (down) {
    await ok(
      town.post(`/api/ballot-rounds/${round.id}/paper-counts`, { counts: { grassroots: { issued: 2, collected: 2 } } }),
    );
    const entry = {
      reporterId: down.id,
      category: 'grassroots',
      counts: { good: 2, fair: 0, average: 0, poor: 0, invalid: 0 },
      problems: [],
      suggestions: [],
    };
    await ok(town.post(`/api/ballot-rounds/${round.id}/paper-tallies`, entry));
    const same = await town.post(`/api/ballot-rounds/${round.id}/paper-tallies`, entry);
    expect(same.statusCode).toBe(409);
    await ok(s.wr_town2!.post(`/api/ballot-rounds/${round.id}/paper-tallies`, entry));
    const tallies = (await ok(town.get(`/api/ballot-rounds/${round.id}/paper-tallies`))).items;
    expect(tallies).toMatchObject([{ reporterId: down.id, status: 'matched' }]);
  }
  const released = await town.post(`/api/ballot-rounds/${round.id}/release`, {
    explanation: '签到22人，投票码20张全部使用，纸质表2份由两人录入。',
  });
  expect(released.statusCode, released.body).toBe(200);
  expect(released.json().state).toBe('released');
  // 20 phone ballots per village; 第05村: 17 好, 2 一般, 1 差.
  const results = (await ok(town.get(`/api/ballot-rounds/${round.id}/results`))).results as Array<{
    reporterId: string;
    overall: any;
  }>;
  const row5 = results.find((r) => Number(r.reporterId) === rid[4])!;
  expect(row5.overall).toMatchObject({ valid: 20, averageOrPoor: 3, counts: { good: 17, average: 2, poor: 1 } });
  // Only the browser phone rated the 下评; with the two matched paper forms that is three 好.
  if (down)
    expect(results.find((r) => Number(r.reporterId) === down.id)!.overall).toMatchObject({
      valid: 3,
      counts: { good: 3 },
    });

  // ---- field scores: the village checklist, one team, two reporters scored and completed ------------------------
  await ok(town.post(`/api/campaigns/${campaignId}/checklists/from-template`, { kind: 'village' }));
  const [assessor] = await queryRows<{ id: number }>(db.db, sql`select id from users where username = 'wr_assessor'`);
  await ok(
    town.post(`/api/campaigns/${campaignId}/assessment-teams`, {
      name: '第一考评组',
      memberIds: [assessor!.id],
      reporterIds: [rid[0], rid[4]],
    }),
  );
  for (const [k, reporterId] of [rid[0]!, rid[4]!].entries()) {
    const sheet = await ok(s.wr_assessor!.get(`/api/assessment/reporters/${reporterId}`));
    expect(sheet.items.length).toBeGreaterThan(0);
    for (const item of sheet.items as Array<{ id: number; maxPoints: number }>) {
      const failed = k === 1 && item === sheet.items[0];
      await ok(
        s.wr_assessor!.put(`/api/assessment/reporters/${reporterId}/scores`, {
          clientId: randomUUID(),
          itemId: item.id,
          score: failed ? 0 : item.maxPoints,
          failed,
          ...(failed ? { note: '党群服务中心大门紧锁' } : {}),
        }),
      );
    }
    await ok(s.wr_assessor!.post(`/api/assessment/reporters/${reporterId}/complete`));
  }

  // ---- before the lock: the secretary sees no grade; other county denied ------------------------------------
  const evalUrl = `/api/campaigns/${campaignId}/evaluation`;
  const mineBefore = await ok(secretaries[4]!.get(`${evalUrl}/mine`));
  expect(mineBefore.locked).toBe(false);
  expect(JSON.stringify(mineBefore)).not.toMatch(/good|fair|average|poor|rank/);
  expect((await secretaries[4]!.get(evalUrl)).statusCode).toBe(403);
  expect((await s.wr_countyB!.get(evalUrl)).statusCode).toBe(404);
  // In the browser too: the secretary's evaluation page says the grade is not out yet.
  const sec5Browser = await signedIn('wr_sec5');
  await sec5Browser.page.goto(`${base}/campaigns/${campaignId}/evaluation`);
  await until(() => sec5Browser.page.getByTestId('mine-hidden').innerText()).toContain(
    '综合评价等次经党委研究确定后公布',
  );
  expect(await sec5Browser.page.locator('body').innerText()).not.toMatch(/较好|一般|差/);

  // ---- evaluation page: recompute, automatic 差, override with a reason, lock, 通报 ---------------------------
  const page = admin.page;
  await page.goto(`${base}/campaigns/${campaignId}`);
  await page.getByTestId('campaign-link-evaluation').click();
  await page.waitForURL((u) => u.pathname.endsWith('/evaluation'));
  await page.getByTestId('recompute').click();
  await page
    .getByRole('button', { name: /计\s*算/ })
    .last()
    .click();
  const rows = page.locator('[data-testid="evaluation-table"] tbody tr.ant-table-row');
  await until(() => rows.count()).toBeGreaterThanOrEqual(20);
  await until(() => page.getByTestId('auto-poor').count()).toBe(1);
  const poorRow = rows.filter({ hasText: villages[4]!.name });
  await until(() => poorRow.getByTestId('auto-poor').count()).toBe(1);
  const top = rows.nth(0);
  await until(() => top.textContent()).toContain(villages[0]!.name);
  await top.getByTestId('decide').click();
  await page.getByTestId('decision-grade').click();
  await page
    .locator('.ant-select-item-option')
    .filter({ hasText: /^较好$/ })
    .click();
  await until(() => page.getByTestId('decision-save').isDisabled()).toBe(true);
  await page.getByTestId('decision-reason').fill('党委会议研究认为其阵地建设整改滞后');
  await page.getByTestId('decision-save').click();
  await until(() => top.textContent()).toContain('理由：党委会议研究认为其阵地建设整改滞后');
  // The leader and the observer of the township read the table; the observer cannot decide.
  expect((await s.wr_leader!.get(evalUrl)).statusCode).toBe(200);
  expect((await s.wr_observer!.get(evalUrl)).statusCode).toBe(200);
  expect(
    (await s.wr_observer!.put(`${evalUrl}/results/${rid[1]}/decision`, { grade: 'good', reason: '观察员' })).statusCode,
  ).toBe(403);

  await page.getByTestId('lock').click();
  await page.getByTestId('lock-note').fill('2026年1月15日镇党委会议');
  await page.getByTestId('lock-check').click();
  await page.getByTestId('lock-confirm').click();
  await page.getByTestId('locked-banner').waitFor({ timeout: WAIT });
  expect(await page.getByTestId('eval-state').textContent()).toContain('已锁定');
  const noticeButton = page.getByRole('button', { name: /下载结果通报/ });
  await until(() => noticeButton.isEnabled()).toBe(true);
  await noticeButton.click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /生成并下载/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.docx$/);
  const notice = (await mammoth.extractRawText({ path: (await download.path())! })).value;
  expect(notice).toContain(villages[4]!.name);

  // After the lock the secretary sees their own grade, and only that.
  const mineAfter = await ok(secretaries[4]!.get(`${evalUrl}/mine`));
  expect(mineAfter).toMatchObject({ locked: true, finalGrade: 'poor', orgName: villages[4]!.name });
  const mineTop = await ok(secretaries[0]!.get(`${evalUrl}/mine`));
  expect(mineTop.finalGrade).toBe('fair');
  expect((await secretaries[4]!.get(evalUrl)).statusCode).toBe(403);
  await sec5Browser.page.reload();
  await until(() => sec5Browser.page.getByTestId('mine-result').innerText()).toContain('差');
  expect(await sec5Browser.page.locator('body').innerText()).not.toContain(villages[0]!.name);
  await sec5Browser.ctx.close();

  clock.set(new Date('2026-01-20T02:00:00Z'));
  await openPhases(db.db, campaignId, ['summary'], clock.now());
  // ---- rectification: two items of 第05村; one verified and closed in the browser, one overdue ---------------
  const item = (description: string) =>
    town.post(`/api/campaigns/${campaignId}/rectification/items`, {
      orgId: villages[4]!.id,
      description,
      owner: '书记5',
      responsibleLeader: '李镇长',
      measures: '逐月检查',
      deadline: '2026-03-31',
    });
  const closeId = (await ok(item('村务公开不及时'))).id as number;
  const lateId = (await ok(item('党群服务中心大门紧锁'))).id as number;
  const sec5 = secretaries[4]!;
  await ok(sec5.post(`/api/rectification/items/${closeId}/actions`, { action: 'start' }));
  await ok(sec5.post(`/api/rectification/items/${closeId}/progress`, { note: '每月5日公开', percent: 100 }));
  await ok(
    upload(
      sec5,
      `/api/rectification/items/${closeId}/evidence`,
      Buffer.from('%PDF-1.4 公开栏照片'),
      '公开栏.pdf',
      'application/pdf',
    ) as never,
  );
  await ok(sec5.post(`/api/rectification/items/${closeId}/actions`, { action: 'submit' }));
  await ok(sec5.post(`/api/rectification/items/${lateId}/actions`, { action: 'start' }));
  // A secretary of another village sees neither item: another organization's item is not found for them (issue 15).
  expect((await secretaries[0]!.get(`/api/rectification/items/${closeId}`)).statusCode).toBe(404);

  await page.goto(`${base}/rectification/items/${closeId}`);
  await page.getByTestId('verify').click();
  await page.locator('.ant-modal').getByText('公开栏.pdf').click();
  await page.getByLabel('验收意见').fill('公开栏已核实');
  await page
    .locator('.ant-modal')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  await until(() => page.getByTestId('rect-status').first().innerText()).toBe('已销号');
  // April: the second item is past its deadline and still 整改中.
  clock.set(new Date('2026-04-05T02:00:00Z'));
  expect((await ok(town.get(`/api/rectification/items/${lateId}`))).item).toMatchObject({
    status: 'in_progress',
    overdue: true,
  });
  expect((await ok(town.get(`/api/rectification/items/${closeId}`))).item).toMatchObject({
    status: 'closed',
    overdue: false,
  });
  // The secretary sees their own two items, and the county (upper level) sees the township's subtree.
  const own = await ok(sec5.get(`/api/rectification/items?campaignId=${campaignId}`));
  expect(own.items.map((i: { id: number }) => i.id).sort()).toEqual([closeId, lateId].sort());
  expect(own.summary.overdue).toBe(1);
  expect((await ok(secretaries[0]!.get(`/api/rectification/items?campaignId=${campaignId}`))).items).toHaveLength(0);
  expect((await ok(s.wr_county!.get(`/api/rectification/items?campaignId=${campaignId}`))).total).toBe(2);
  await page.goto(`${base}/rectification?campaignId=${campaignId}`);
  const table = page.getByTestId('rect-table');
  await until(() => table.innerText()).toContain('党群服务中心大门紧锁');
  expect(await table.innerText()).toContain('已逾期');

  // ---- results: flags, follow-ups, key management --------------------------------------------------------
  await ok(town.post(`/api/campaigns/${campaignId}/results/derive`, {}));
  const flags = (await ok(town.get(`/api/campaigns/${campaignId}/results/flags`))).items as Array<{
    orgId?: number;
    orgName?: string;
    code: string;
  }>;
  expect(JSON.stringify(flags)).toContain(villages[4]!.name);
  const talks = (await ok(town.get(`/api/campaigns/${campaignId}/results/follow-ups?kind=talk`))).items;
  expect(JSON.stringify(talks)).toContain(villages[4]!.name);
  expect((await secretaries[4]!.get(`/api/campaigns/${campaignId}/results/flags`)).statusCode).toBe(403);
  expect((await s.wr_countyB!.get(`/api/campaigns/${campaignId}/results/flags`)).statusCode).toBe(404);
  expect((await s.wr_leader!.get(`/api/campaigns/${campaignId}/results/flags`)).statusCode).toBe(200);
  await ok(town.post(`/api/campaigns/${campaignId}/key-management/propose`));
  // 10 % of 20 rural organizations: the two lowest composite ranks are proposed, and the 差 village whatever its rank.
  const key = await ok(town.get(`/api/campaigns/${campaignId}/key-management`));
  expect(key.items.map((k: { orgName: string }) => k.orgName).sort()).toEqual(
    [villages[4]!.name, villages[18]!.name, villages[19]!.name].sort(),
  );
  expect(key.items.find((k: { orgId: number }) => k.orgId === villages[4]!.id)).toMatchObject({
    addedManually: false,
    grade: 'poor',
  });
  // One more added by hand needs a reason.
  await ok(
    town.post(`/api/campaigns/${campaignId}/key-management`, {
      orgId: villages[17]!.id,
      reason: '群众反映问题较多，列入重点管理',
    }),
  );
  const keyAfter = await ok(town.get(`/api/campaigns/${campaignId}/key-management`));
  expect(keyAfter.items.find((k: { orgId: number }) => k.orgId === villages[17]!.id)).toMatchObject({
    addedManually: true,
  });

  // ---- summary report: written, downloaded and read back -----------------------------------------------
  const summary = await ok(town.get(`/api/campaigns/${campaignId}/summary`));
  expect(summary.figures).toMatchObject({ items: 2, closed: 1 });
  expect(summary.figures).toMatchObject({ reporters: 20, meetings: 1, fieldDone: 2, grades: { poor: 1 } });
  // R-SUM-1: a report goes upward with its narrative sections written (the problems section starts from the record).
  await ok(
    town.put(`/api/campaigns/${campaignId}/summary`, {
      achievements: '20名村党组织书记全部述职，压实了书记抓党建责任。',
      nextSteps: '抓好问题整改，开展“回头看”。',
    }),
  );
  // The results page: the flags tab lists the 差 village, the summary tab downloads the report.
  await page.goto(`${base}/campaigns/${campaignId}/results?tab=flags`);
  await until(() => page.getByTestId('flags-table').innerText()).toContain(villages[4]!.name);
  await page.goto(`${base}/campaigns/${campaignId}/results?tab=summary`);
  await until(() => page.getByTestId('summary-tab').innerText()).toContain('差1');
  const [summaryDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('summary-docx').click()]);
  expect(summaryDl.suggestedFilename()).toMatch(/\.docx$/);
  const text = (await mammoth.extractRawText({ path: (await summaryDl.path())! })).value;
  expect(text).toContain('压实了书记抓党建责任。');
  expect(text).toContain('差1个');
  expect(text).toContain(villages[4]!.name);
  expect(text).toContain('党群服务中心大门紧锁');
  expect(text).toContain('未销号问题1个，其中逾期1个：党群服务中心大门紧锁');
  // Submitted upward: the county sees it in its inbox, the other county does not.
  await ok(town.post(`/api/campaigns/${campaignId}/summary/submit`));
  expect(JSON.stringify(await ok(s.wr_county!.get('/api/summary-reports/inbox')))).toContain(String(campaignId));
  expect(JSON.stringify((await s.wr_countyB!.get('/api/summary-reports/inbox')).json())).not.toContain('甲一镇');
  await admin.ctx.close();
}, 600_000);
