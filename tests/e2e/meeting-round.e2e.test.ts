import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { devices, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { issueCodes } from '../../src/server/modules/ballots/issue-codes';
import { freshDatabase } from '../setup/db';
import { TEST_COST, TEST_PASSWORD } from '../factories';
import { type BallotWorld, buildBallotWorld } from '../integration/ballots-fixtures';

/**
 * A whole 测评 at one meeting (issue 5): staff open a real round from the meeting page, the projector console
 * shows the room code, two phone-sized browsers vote from their slips, the console's count follows without a
 * reload, two clerks enter the paper forms (one mismatch resolved), voting closes, the reconciliation asks for an
 * explanation, and the released results show counts and shares.
 */
let browser: Browser;
let close: (() => Promise<void>) | undefined;
let base: string;
let w: BallotWorld;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  db = await freshDatabase();
  // A short wait: a phone learns "pending" quickly and asks again (decision 017).
  app = await buildApp({
    database: db,
    config: { passwordCost: TEST_COST, webDir: path.resolve('dist/web'), voteWaitMs: 1000 },
  });
  w = await buildBallotWorld(db.db, app);
  ({ base, browser, close } = await serveAndLaunch(app, db));
  mkdirSync('.tmp', { recursive: true });
});
afterAll(async () => close?.());

async function signedIn(username: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { ctx, page };
}

/** expect.poll with room for a loaded machine (the default gives up after one second). */
const until = <T>(fn: () => Promise<T> | T, timeout = 15_000) => expect.poll(fn, { timeout });

/**
 * The OK button of the open Popconfirm (its text often repeats the trigger's). A popconfirm that is still fading
 * out (an action that was just refused) is skipped; `title` picks one when two can be on screen at once.
 */
const confirm = (page: Page, title?: string) =>
  page
    .locator('.ant-popconfirm:not(.ant-popover-hidden):not([class*="-leave"])', title ? { hasText: title } : {})
    .last()
    .locator('.ant-popconfirm-buttons .ant-btn')
    .last()
    .click();

async function openBallotsTab(page: Page) {
  await page.goto(`${base}/campaigns/${w.campaign.id}/meetings/${w.meeting.id}`);
  await page.getByRole('tab', { name: '测评' }).click();
  await page.getByTestId('ballots-tab').waitFor();
}

async function enterPaper(page: Page, reporterId: number, counts: Record<string, number>, problems: string[]) {
  await page.getByTestId(`paper-enter-${reporterId}-grassroots`).click();
  for (const [k, v] of Object.entries(counts)) await page.getByTestId(`paper-count-${k}`).fill(String(v));
  await page.getByTestId('paper-problems').fill(problems.join('\n'));
  await page.getByTestId('paper-submit').click();
  await page
    .locator('.ant-modal:visible')
    .waitFor({ state: 'detached' })
    .catch(() => {});
}

async function phoneVote(code: string, roomCode: string, grades: Record<number, string>) {
  const ctx = await browser.newContext({
    ...devices['Galaxy S5'],
    isMobile: true,
    hasTouch: true,
    viewport: { width: 360, height: 640 },
  });
  const phone = await ctx.newPage();
  await phone.goto(`${base}/vote/#c=${code}`);
  await phone.getByTestId('vote-room').fill(roomCode);
  await phone.getByTestId('vote-start').click();
  for (const [id, grade] of Object.entries(grades))
    await phone.getByTestId(`grade-${id}-${grade}`).check({ force: true });
  await phone.locator(`[data-testid="reporter-${w.r2.id}"] textarea`).first().fill('村集体经济增收办法不多');
  await phone.getByTestId('submit-all').click();
  return { ctx, phone };
}

it('R-VOTE-1…5 R-MEET-1 a whole 测评: open, console, phones, live count, paper double entry, close, reconcile, release', async () => {
  const clerk1 = await signedIn(w.users.admin.username);
  const page = clerk1.page;

  // Staff create a real round on the meeting page's 测评 tab.
  await openBallotsTab(page);
  await page.getByTestId('ballots-tab').locator('.ant-select').first().click();
  await page.locator('.ant-select-item-option[title="正式测评"]').click();
  await page.getByTestId('create-round').click();
  await until(() => page.getByTestId('room-code').textContent()).toMatch(/^\d{6}$/);
  const roomCode = (await page.getByTestId('room-code').textContent())!.trim();
  const rounds = await w.sessions.admin.get(`/api/meetings/${w.meeting.id}/ballot-rounds`);
  const roundId = rounds.json().items[0].id as number;
  expect(rounds.json().items[0]).toMatchObject({ mode: 'real', state: 'draft', roomCode });

  // Code slips: the plaintext exists only in the printed PDF, so the test takes it from the use case.
  const admin = { ...w.users.admin, role: 'org_admin' as const, scopePath: w.countyA.path };
  const codes = (
    await issueCodes(
      db.db,
      admin as never,
      { actorId: admin.id, actorName: 'e2e', ip: null, at: new Date() },
      roundId,
      'committee',
      5,
    )
  ).codes;
  await page.getByRole('button', { name: /刷\s*新/ }).click();
  const committeeRow = page.locator('.ant-table-row', { hasText: '党委（扩大）会议成员' }).first();
  await until(() => committeeRow.textContent()).toContain('5');

  // Paper forms handed out to those without phones.
  await page.getByTestId('paper-issued-grassroots').fill('2');
  await page.getByTestId('paper-collected-grassroots').fill('2');
  await page.getByTestId('paper-counts-save').click();
  await until(
    async () => (await w.sessions.admin.get(`/api/ballot-rounds/${roundId}`)).json().paperCounts,
  ).toMatchObject({ grassroots: { issued: 2, collected: 2 } });

  await page.getByTestId('open-voting').click();
  await confirm(page);
  await until(() => page.getByTestId('ballots-tab').textContent()).toContain('投票中');

  // The projector console: room code and zero received per reporter.
  const projector = await clerk1.ctx.newPage();
  await projector.goto(`${base}/campaigns/${w.campaign.id}/meetings/${w.meeting.id}/console`);
  await until(() => projector.getByTestId('console-room-code').textContent()).toBe(roomCode);
  const countOf = async (name: string) => {
    const row = projector.getByTestId('console-ballots').locator('tbody tr', { hasText: name });
    return (await row.locator('td').nth(1).textContent())?.trim();
  };
  await until(() => countOf(w.villageA1.name)).toBe('0');
  await projector.evaluate(() => {
    (window as unknown as { stayed: boolean }).stayed = true;
  });

  // Phones (360×640) scan their slips and rate every reporter on one page.
  // Two phones are fewer than the minimum group (5): their ballots wait, shown apart, and are stored at the close.
  const p1 = await phoneVote(codes[0]!, roomCode, { [w.r1.id]: 'good', [w.r2.id]: 'fair', [w.down.id]: 'good' });
  await until(() => countOf(w.villageA1.name), 5000).toBe('0（另有1张待成批保存）');
  await until(() => p1.phone.getByTestId('vote-waiting').textContent()).toContain('保护匿名');
  await p1.phone.screenshot({ path: '.tmp/meeting-round-phone.png' });
  const p2 = await phoneVote(codes[1]!, roomCode, { [w.r1.id]: 'fair', [w.r2.id]: 'good', [w.down.id]: 'average' });
  await until(() => countOf(w.villageA1.name), 5000).toBe('0（另有2张待成批保存）');
  await until(() => countOf(w.villageA2.name)).toBe('0（另有2张待成批保存）');
  await until(() => countOf(w.townA.name)).toBe('0（另有2张待成批保存）');
  // Counts only, never the distribution, and no reload happened.
  expect(await projector.getByTestId('console-ballots').textContent()).not.toMatch(/较好|一般|差/);
  expect(await projector.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await projector.screenshot({ path: '.tmp/meeting-round-console.png' });

  // Close voting with the number signed in: the two waiting phones are stored by the close and say so.
  await page.getByTestId('close-attendees').fill('12');
  await page.getByTestId('close-voting').click();
  await confirm(page);
  await until(() => page.getByTestId('reconciliation').isVisible()).toBe(true);
  await until(() => p1.phone.getByTestId('vote-finished').textContent()).toContain('已提交');
  await until(() => p2.phone.getByTestId('vote-finished').textContent()).toContain('已提交');
  await p1.ctx.close();
  await p2.ctx.close();

  // Paper double entry: clerk 1, then clerk 2 mistypes one count; the mismatch is shown side by side.
  await enterPaper(page, w.r1.id, { good: 1, fair: 1 }, ['阵地建设滞后']);
  await until(() => page.getByTestId(`paper-status-${w.r1.id}-grassroots`).textContent()).toBe('待第二次录入');
  const clerk2 = await signedIn(w.users.admin2.username);
  await openBallotsTab(clerk2.page);
  await enterPaper(clerk2.page, w.r1.id, { good: 2, fair: 0 }, ['阵地建设滞后']);
  const mismatch = clerk2.page.getByTestId(`paper-mismatch-${w.r1.id}-grassroots`);
  await until(() => mismatch.textContent()).toContain('「好」票数不一致：1 与 2');
  await until(() => clerk2.page.getByTestId(`paper-status-${w.r1.id}-grassroots`).textContent()).toBe(
    '两次不一致，未计入',
  );
  await clerk2.page.screenshot({ path: '.tmp/meeting-round-paper-mismatch.png', fullPage: true });
  // Clerk 1 sees the mismatch too, without reloading.
  await until(() => page.getByTestId('paper-mismatch-count').textContent()).toBe('不一致 1');

  // Releasing now is refused: the mismatch must be resolved first.
  await clerk2.page.getByTestId('release-explanation').fill('备用投票码未发放，纸质表由两人录入。');
  await clerk2.page.getByTestId('release-results').click();
  await confirm(clerk2.page);
  await until(() => clerk2.page.locator('.ant-message').textContent()).toContain('尚未经两人一致确认');

  // Clerk 2 checks the forms, deletes the wrong entry and enters it again.
  await clerk2.page.getByTestId(`paper-delete-${w.r1.id}-grassroots-2`).click();
  await confirm(clerk2.page, '删除第二次录入');
  await until(() => clerk2.page.getByTestId(`paper-status-${w.r1.id}-grassroots`).textContent()).toBe('待第二次录入');
  await enterPaper(clerk2.page, w.r1.id, { good: 1, fair: 1 }, ['阵地建设滞后']);
  await until(() => clerk2.page.getByTestId(`paper-status-${w.r1.id}-grassroots`).textContent()).toBe(
    '两次一致，已计入',
  );
  await until(() => clerk2.page.getByTestId('paper-mismatch-count').textContent()).toBe('不一致 0');
  await clerk2.ctx.close();

  // Clerk 1's screen followed clerk 2's entries without a reload (server-sent events).
  await until(() => page.getByTestId(`paper-status-${w.r1.id}-grassroots`).textContent()).toBe('两次一致，已计入');

  // Back at clerk 1: the reconciliation lists the count mismatches; release needs the explanation.
  await page.getByRole('button', { name: /刷\s*新/ }).click();
  const recon = page.getByTestId('reconciliation');
  await until(() => recon.locator('tbody tr', { hasText: w.villageA1.name }).locator('td').nth(1).textContent()).toBe(
    '4',
  );
  await until(() => recon.textContent()).toMatch(/计票数|发放/);
  await page.getByTestId('release-explanation').fill('');
  await page.getByTestId('release-results').click();
  await confirm(page);
  await until(() => page.locator('.ant-message').textContent()).toContain('须书面说明原因');
  await page.getByTestId('release-explanation').fill('投票码按委员人数多印3张备用，未发放；其余类别以纸质表参评。');
  await page.getByTestId('release-results').click();
  await confirm(page);

  // Results: counts and shares per grade.
  const results = page.getByTestId('ballot-results');
  await results.waitFor();
  const r1 = results.locator('tbody tr', { hasText: w.villageA1.name });
  await until(() => r1.textContent()).toContain('2（50.0%）');
  const cells = await r1.locator('td').allTextContents();
  expect(cells).toContain('4');
  expect(cells.filter((c) => c === '2（50.0%）')).toHaveLength(2);
  expect(cells).toContain('0（0.0%）');
  const down = results.locator('tbody tr', { hasText: w.townA.name });
  await until(() => down.textContent()).toContain('下评');
  expect(await down.locator('td').allTextContents()).toContain('1（50.0%）');
  await page.screenshot({ path: '.tmp/meeting-round-results.png', fullPage: true });

  const final = (await w.sessions.admin.get(`/api/ballot-rounds/${roundId}`)).json();
  expect(final.state).toBe('released');
  expect(final.explanation).toContain('多印3张备用');
  await clerk1.ctx.close();
}, 300_000);
