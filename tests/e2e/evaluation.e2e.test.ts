import path from 'node:path';
import type { Browser } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { GRADES, type Grade } from '../../src/domain/grades';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { ballotRounds, ballots } from '../../src/server/db/schema';
import { freshDatabase } from '../setup/db';
import {
  buildCampaign,
  buildMeeting,
  buildOrg,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  TEST_COST,
  TEST_PASSWORD,
} from '../factories';

let browser: Browser;
let base: string;
let close: () => Promise<void>;
let campaignId: number;
let db: Awaited<ReturnType<typeof freshDatabase>>;

/**
 * A township of the 003 seed with 6 village reporters and a released real round (ballots inserted directly):
 * 第5村 has 一般+差 above 10% (automatic 差).
 */
beforeAll(async () => {
  db = await freshDatabase();
  const webDir = path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web');
  const app = await buildApp({ database: db, config: { passwordCost: TEST_COST, webDir } });
  const t = await buildTwoCounties(db.db);
  const villages = [];
  for (let i = 1; i <= 6; i++) {
    const v = await buildOrg(db.db, { parent: t.townA, name: `甲一镇第${i}村党支部`, code: `A-T1-E${i}` });
    await buildSecretary(db.db, v.id, { name: `书记${i}` });
    villages.push(v);
  }
  const campaign = await buildCampaign(db.db, {
    organizerOrgId: t.townA.id,
    templateId: '003',
    state: 'published',
    reporterOrgIds: villages.map((v) => v.id),
    open: ['evaluation'],
    openAt: new Date(),
  });
  campaignId = campaign.id;
  const reporters = await queryRows<{ id: number }>(
    db.db,
    sql`select id from campaign_reporters where campaign_id = ${campaignId} order by id`,
  );
  const meeting = await buildMeeting(db.db, { campaignId });
  const [round] = await db.db
    .insert(ballotRounds)
    .values({
      meetingId: meeting.id,
      mode: 'real',
      state: 'released',
      roomCode: '123456',
      anonymity: { minGroupSize: 5, categories: [{ key: 'committee', label: '党委（扩大）会议成员' }] },
    })
    .returning();
  const rows: Array<typeof ballots.$inferInsert> = [];
  reporters.forEach((r, i) => {
    const counts: Record<Grade, number> =
      i === 4 ? { good: 15, fair: 2, average: 2, poor: 1 } : { good: 20 - i, fair: i, average: 0, poor: 0 };
    for (const g of GRADES)
      for (let k = 0; k < counts[g]; k++)
        rows.push({ roundId: round!.id, reporterId: r.id, category: 'committee', grade: g });
  });
  await db.db.insert(ballots).values(rows);
  await buildUser(db.db, { role: 'org_admin', username: 'e2e_eval', scopeOrgId: t.countyA.id });
  ({ base, browser, close } = await serveAndLaunch(app, db));
});
afterAll(async () => close?.());

it('R-GRADE-1…4 the organizer computes, overrides one grade with a reason, locks, and downloads the 通报', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill('e2e_eval');
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));

  // From the campaign to its evaluation page.
  await page.goto(`${base}/campaigns/${campaignId}`);
  await page.getByTestId('campaign-link-evaluation').click();
  await page.waitForURL((u) => u.pathname.endsWith('/evaluation'));
  await page.getByTestId('recompute').click();
  await page
    .getByRole('button', { name: /计\s*算/ })
    .last()
    .click();
  const rows = page.locator('[data-testid="evaluation-table"] tbody tr.ant-table-row');
  await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(6);
  await expect.poll(() => page.getByTestId('bins-text').textContent(), { timeout: 10_000 }).toBe('符合等次比例要求');
  await expect.poll(() => page.getByTestId('auto-poor').count()).toBe(1);
  await expect.poll(() => rows.nth(0).textContent()).toContain('第1村');

  // Override the best-ranked reporter's 好 to 较好: saving is disabled until a reason is given.
  await rows.nth(0).getByTestId('decide').click();
  await page.getByTestId('decision-grade').click();
  await page
    .locator('.ant-select-item-option')
    .filter({ hasText: /^较好$/ })
    .click();
  // expect.poll's default is one second, too short for a loaded CI machine (a clean-clone run failed here).
  await expect.poll(() => page.getByTestId('decision-save').isDisabled(), { timeout: 10_000 }).toBe(true);
  await page.getByTestId('decision-reason').fill('党委会议研究认为其软弱涣散整顿进度滞后');
  await page.getByTestId('decision-save').click();
  await expect
    .poll(() => rows.nth(0).textContent(), { timeout: 10_000 })
    .toContain('理由：党委会议研究认为其软弱涣散整顿进度滞后');
  await expect.poll(() => rows.nth(0).textContent()).toContain('已调整');

  // Lock with the confirmation.
  await page.getByTestId('lock').click();
  await page.getByTestId('lock-note').fill('2026年1月15日镇党委会议');
  await page.getByTestId('lock-check').click();
  await page.getByTestId('lock-confirm').click();
  await page.getByTestId('locked-banner').waitFor({ timeout: 15_000 });
  expect(await page.getByTestId('eval-state').textContent()).toContain('已锁定');
  expect(await page.getByTestId('decide').count()).toBe(0);
  expect(await page.getByTestId('recompute').count()).toBe(0);
  const [locked] = await queryRows<{ state: string }>(
    db.db,
    sql`select state from evaluations where campaign_id = ${campaignId}`,
  );
  expect(locked!.state).toBe('locked');
  const [change] = await queryRows<{ new_grade: string; reason: string }>(
    db.db,
    sql`select new_grade, reason from grade_changes`,
  );
  expect(change).toEqual({ new_grade: 'fair', reason: '党委会议研究认为其软弱涣散整顿进度滞后' });

  // The outputs engineer's 通报 download (R-GRADE-6), from the same page.
  const noticeButton = page.getByRole('button', { name: /下载结果通报/ });
  await expect.poll(() => noticeButton.isEnabled(), { timeout: 10_000 }).toBe(true);
  await noticeButton.click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /生成并下载/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.docx$/);
  const file = await download.path();
  expect(file).toBeTruthy();
  await ctx.close();
});
