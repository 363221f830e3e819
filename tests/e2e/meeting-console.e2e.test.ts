import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { issueCodes } from '../../src/server/modules/ballots/issue-codes';
import { freshDatabase } from '../setup/db';
import {
  buildCampaign,
  buildOrg,
  buildReporter,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  signIn,
  TEST_COST,
  TEST_PASSWORD,
} from '../factories';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

let browser: Browser;
let base: string;
let close: () => Promise<void>;
let campaignId: number;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let admin: Awaited<ReturnType<typeof buildUser>>;
let countyPath: string;

beforeAll(async () => {
  db = await freshDatabase();
  app = await buildApp({ database: db, config: { passwordCost: TEST_COST, webDir: path.resolve('dist/web') } });
  const t = await buildTwoCounties(db.db);
  countyPath = t.countyA.path;
  const general = await buildOrg(db.db, {
    parent: t.townA,
    name: '甲一镇机关党总支',
    code: 'A-T1-G1',
    kind: 'general_branch',
  });
  const campaign = await buildCampaign(db.db, {
    organizerOrgId: t.townA.id,
    templateId: '001',
    state: 'published',
    open: ['meeting'],
    openAt: new Date(),
  });
  campaignId = campaign.id;
  for (const [org, tierKey, name] of [
    [general, 'sub_committees', '周明'],
    [t.villageA1, 'branches', '李建国'],
    [t.villageA2, 'branches', '陈秀英'],
  ] as const) {
    const sec = await buildSecretary(db.db, org.id, { name });
    await buildReporter(db.db, { campaignId, orgId: org.id, reportToOrgId: t.townA.id, tierKey, secretaryId: sec.id });
  }
  await buildReporter(db.db, {
    campaignId,
    orgId: t.townA.id,
    reportToOrgId: t.townA.id,
    tierKey: 'sub_committees',
    role: 'downward',
  });
  admin = await buildUser(db.db, { role: 'org_admin', username: 'e2e_admin', scopeOrgId: t.countyA.id });
  ({ base, browser, close } = await serveAndLaunch(app, db));
});
afterAll(async () => close?.());

it('R-MEET-1 R-REP-8 R-MEET-3 staff builds an agenda; the console shows the speaker and the timer; a comment is recorded', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill('e2e_admin');
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));

  // Staff: a new meeting, then every reporter in the default order, then one moved down.
  await page.goto(`${base}/campaigns/${campaignId}/meetings`);
  await page.getByTestId('meeting-new').click();
  await page.getByTestId('meeting-title').fill('甲一镇2025年度党组织书记抓基层党建工作述职评议会');
  await page.getByTestId('meeting-date').click();
  await page.keyboard.type('2026-01-10');
  await page.keyboard.press('Enter');
  await page.getByTestId('meeting-place').fill('镇三楼会议室');
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await page.getByTestId('meeting-heading').waitFor();
  const meetingId = Number(/meetings\/(\d+)/.exec(page.url())![1]);

  await page.getByTestId('agenda-default').click();
  await page.getByRole('button', { name: /确\s*定/ }).click();
  const rows = page.locator('[data-testid="agenda-table"] tbody tr');
  await expect.poll(() => rows.count()).toBe(4);
  await expect.poll(() => rows.nth(0).textContent()).toContain('甲一镇机关党总支');
  await expect.poll(() => rows.nth(0).textContent()).toContain('8 分钟');
  await rows.nth(0).getByRole('button', { name: '下移' }).click();
  await expect.poll(() => rows.nth(0).textContent()).toContain('东村');
  await expect.poll(() => rows.nth(3).textContent()).toContain('下评');

  // The ballots module's round, opened, so the console shows its room code and QR code.
  const s = await signIn(app, 'e2e_admin');
  const round = (await s.post(`/api/meetings/${meetingId}/ballot-rounds`, { mode: 'real' })).json() as {
    id: number;
    roomCode: string;
  };
  const user = {
    id: admin.id,
    username: admin.username,
    displayName: admin.displayName,
    role: 'org_admin' as const,
    scopeOrgId: admin.scopeOrgId,
    orgId: null,
    scopePath: countyPath,
  };
  await issueCodes(
    db.db,
    user,
    { actorId: admin.id, actorName: 'e2e', ip: null, at: new Date() },
    round.id,
    'committee',
    5,
  );
  expect((await s.post(`/api/ballot-rounds/${round.id}/open`, {})).statusCode).toBe(200);

  // Console: next speaker, start the 5-minute clock, record a comment.
  const consoleUrl = `${base}/campaigns/${campaignId}/meetings/${meetingId}/console`;
  await page.goto(consoleUrl);
  await expect.poll(() => page.getByTestId('console-speaker').textContent()).toContain('尚未开始');
  await page.getByTestId('timer-next').click();
  await expect.poll(() => page.getByTestId('console-speaker').textContent()).toContain('甲一镇东村党支部');
  await expect.poll(() => page.getByTestId('console-clock').textContent()).toBe('5:00');
  await expect.poll(() => page.getByTestId('console-next').textContent()).toContain('甲一镇机关党总支');
  await page.getByTestId('timer-start').click();
  await expect.poll(() => page.getByTestId('console-clock').textContent(), { timeout: 10_000 }).toMatch(/^4:5\d$/);
  await expect.poll(() => page.getByTestId('console-room-code').textContent()).toBe(round.roomCode);

  // A second screen (another tab) shows the same speaker and a running clock from the server's state.
  const second = await ctx.newPage();
  await second.goto(consoleUrl);
  await expect.poll(() => second.getByTestId('console-speaker').textContent()).toContain('甲一镇东村党支部');
  await expect.poll(() => second.getByTestId('console-clock').textContent()).toMatch(/^4:[45]\d$/);
  await second.close();

  await page.getByTestId('console-comment').click();
  await page.getByTestId('comment-author').fill('王建华');
  await page.getByTestId('comment-role').fill('镇党委书记');
  await page.getByTestId('comment-body').fill('党员教育管理抓得实，村级活动场所利用率不高，下一步要补齐短板。');
  await page.getByTestId('comment-submit').click();
  await expect.poll(() => page.locator('.console-agenda').textContent()).toContain('点评 1');

  mkdirSync('.tmp', { recursive: true });
  await page.screenshot({ path: '.tmp/meeting-console.png' });

  const detail = (await s.get(`/api/meetings/${meetingId}`)).json();
  expect(detail.comments).toHaveLength(1);
  expect(detail.comments[0]).toMatchObject({ authorName: '王建华', kindLabel: '点评' });
  expect(detail.timer.status).toBe('running');
  await ctx.close();
});
