import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows, type Database } from '../../src/server/db/connect';
import { DEMO_PASSWORD, seedDemo, seedDemoCampaign } from '../../src/server/db/demo-seed';
import { freshDatabase } from '../setup/db';
import { TEST_COST } from '../factories';

let browser: Browser;
let database: Database;
let base: string;
let close: () => Promise<void>;
let campaignId: number;

const WAIT = 60_000;
const TEST_TIMEOUT = 400_000;

beforeAll(async () => {
  database = await freshDatabase();
  const now = new Date();
  await seedDemo(database.db, { now, passwordCost: TEST_COST });
  // Also seeds the demo checklist and 第一考评组 with the `assessor` account (seedDemoAssessment).
  campaignId = (await seedDemoCampaign(database.db, { now })).campaignId;
  const app = await buildApp({ database, config: { passwordCost: TEST_COST, webDir: path.resolve('dist/web') } });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

async function login(username: string, phone: boolean): Promise<Page> {
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
      : { viewport: { width: 1366, height: 900 } },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

describe('实地考核 on a phone (R-ASSESS-1)', () => {
  it(
    'the assessor scores a checklist, one item failed with a note and one while offline; it syncs; the organizer sees it completed',
    async () => {
      const page = await login('assessor', true);
      // Assessors land on their scoring list.
      await page.waitForURL(/\/assess$/);
      await page.getByText('第一考评组', { exact: false }).first().waitFor();
      const first = page.locator('[data-testid^="reporter-"]').first();
      const orgName = (await first.locator('strong').innerText()).trim();
      await first.click();
      await page.waitForURL(/\/assess\/\d+$/);
      const reporterId = Number(new URL(page.url()).pathname.split('/').pop());

      const cards = page.locator('[data-testid^="item-"]');
      await cards.first().waitFor();
      const n = await cards.count();
      expect(n).toBeGreaterThan(3);
      // Nothing sticks out of a 360 px screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      for (let i = 0; i < n - 1; i++) {
        const card = cards.nth(i);
        await card.getByLabel('得分').fill(i === 1 ? '2' : '8');
        if (i === 1) {
          await card.getByRole('switch', { name: '不合格' }).click();
          // A failed item without a note is refused on the phone already.
          await card.getByRole('button', { name: '保存本项' }).click();
          await card.getByText('须填写问题说明').waitFor();
          await card.getByLabel('问题说明').fill('党群服务中心未按时开放');
        }
        await card.getByRole('button', { name: '保存本项' }).click();
        await card.getByText('已保存').waitFor();
      }

      // The connection drops for the last item: it is kept on the phone.
      await page.context().setOffline(true);
      const last = cards.nth(n - 1);
      await last.getByLabel('得分').fill('9');
      await last.getByRole('button', { name: '保存本项' }).click();
      await last.getByText('待同步').waitFor();
      await expect.poll(() => page.getByTestId('sync-pending').innerText(), { timeout: WAIT }).toContain('待同步 1 条');
      const stored = async () =>
        (
          await queryRows<{ n: number }>(
            database.db,
            sql`select count(*)::int as n from field_scores where reporter_id = ${reporterId}`,
          )
        )[0].n;
      expect(await stored()).toBe(n - 1);

      // Back online: the queued score is sent, once.
      await page.context().setOffline(false);
      await page.getByTestId('sync-pending').waitFor({ state: 'detached' });
      await last.getByText('已保存').waitFor();
      await expect.poll(stored, { timeout: WAIT }).toBe(n);
      const [failed] = await queryRows<{ note: string; score: number }>(
        database.db,
        sql`
      select note, score::float8 as score from field_scores where reporter_id = ${reporterId} and failed`,
      );
      expect(failed).toEqual({ note: '党群服务中心未按时开放', score: 2 });

      await page.getByRole('button', { name: '提交考核' }).click();
      await page.getByTestId('completed-banner').waitFor();
      await page.context().close();

      // The organizer sees the completed assessment in the progress table and opens the sheet.
      const admin = await login('admin', false);
      await admin.goto(`${base}/campaigns/${campaignId}/assessment?tab=progress`);
      const row = admin.locator('tr', { hasText: orgName });
      await expect.poll(() => row.innerText(), { timeout: WAIT }).toContain('已完成');
      expect(await row.innerText()).toContain(`${n}/${n}`);
      await row.getByRole('link', { name: orgName }).click();
      await admin.getByTestId('completed-banner').waitFor();
      expect(await admin.getByTestId('completed-banner').innerText()).toContain('1 项不合格');
      // The checklist editor shows the demo checklist with its total; the team lists the assessor.
      await admin.goto(`${base}/campaigns/${campaignId}/assessment?tab=checklists`);
      await admin.getByText('合计 100 分').waitFor();
      await admin.goto(`${base}/campaigns/${campaignId}/assessment?tab=teams`);
      const team = admin.locator('tr', { hasText: '第一考评组' });
      await expect.poll(() => team.innerText(), { timeout: WAIT }).toContain('清河县考评组成员');
      expect(await team.innerText()).toContain('1/3');
      await admin.context().close();
    },
    TEST_TIMEOUT,
  );
});
