import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { DEMO_PASSWORD, seedDemo, seedDemoCampaign } from '../../src/server/db/demo-seed';
import { users } from '../../src/server/db/schema';
import { hashPassword } from '../../src/server/modules/auth/password-hash';
import { freshDatabase } from '../setup/db';
import { openPhases, TEST_COST } from '../factories';

let browser: Browser;
let base: string;
let close: () => Promise<void>;
let campaignId: number;
let orgName: string;
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];

// The machine is shared and slow: waits are generous but always bounded, and always on a locator.
const WAIT = 60_000;
const TEST_TIMEOUT = 300_000;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const later = (days: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  const database = await freshDatabase();
  db = database.db;
  const now = new Date();
  await seedDemo(database.db, { now, passwordCost: TEST_COST });
  campaignId = (await seedDemoCampaign(database.db, { now })).campaignId;
  // The lists are drawn up in the 整改 phase (R-CAMP-8): the organizer opens it for this round.
  await openPhases(database.db, campaignId, ['rectification'], now);
  // A secretary of one of the round's reporting organizations.
  const [r] = await queryRows<{ orgId: number; name: string }>(
    db,
    sql`
    select r.org_id as "orgId", o.name from campaign_reporters r join organizations o on o.id = r.org_id
    where r.campaign_id = ${campaignId} and r.role = 'reporter' and r.removed_at is null order by o.path limit 1`,
  );
  orgName = r.name;
  await db.insert(users).values({
    username: 'rect_sec',
    displayName: `${r.name}书记`,
    role: 'secretary',
    orgId: r.orgId,
    passwordHash: await hashPassword(DEMO_PASSWORD, TEST_COST),
  });
  const app = await buildApp({
    database,
    config: { passwordCost: TEST_COST, webDir: path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web') },
  });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

async function login(username: string, phone = false): Promise<Page> {
  const page = await browser.newPage(
    phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {},
  );
  page.setDefaultTimeout(WAIT);
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

describe('问题整改 in the browser', () => {
  let itemId = 0;

  it(
    'a secretary on a phone enters 巡察 feedback, completes the three lists, starts, reports progress with evidence and submits',
    async () => {
      const page = await login('rect_sec', true);
      await page.goto(`${base}/rectification?campaignId=${campaignId}&tab=inbox`);
      await page.getByRole('button', { name: '录入巡视巡察反馈问题' }).click();
      await page.locator('.ant-modal textarea').fill('巡察反馈：党员发展工作断档');
      await page
        .locator('.ant-modal')
        .getByRole('button', { name: /确\s*定|OK/ })
        .click();
      const entry = page.getByTestId('inbox-entry').filter({ hasText: '党员发展工作断档' });
      await entry.getByRole('link', { name: '查看整改事项' }).click();
      await page.waitForURL(/\/rectification\/items\/\d+/);
      itemId = Number(page.url().split('/').pop());

      await page.getByRole('button', { name: /^修\s*改$/ }).click();
      await page.getByLabel('责任人').fill('张书记');
      await page.getByLabel('责任领导').fill('李镇长');
      await page.getByLabel('整改措施').fill('制定三年发展党员规划');
      await page.getByLabel('整改时限').fill(later(30));
      await page.getByLabel('整改时限').press('Enter');
      await page
        .locator('.ant-modal')
        .getByRole('button', { name: /确\s*定|OK/ })
        .click();
      await expect
        .poll(() => page.locator('.ant-descriptions').innerText(), { timeout: WAIT })
        .toContain('制定三年发展党员规划');

      await page.getByRole('button', { name: '开始整改' }).click();
      await expect.poll(() => page.getByTestId('rect-status').first().innerText(), { timeout: WAIT }).toBe('整改中');
      await page.getByPlaceholder('本次整改进展').fill('已确定培养对象2名');
      await page.getByPlaceholder('完成进度').fill('50');
      await page.getByRole('button', { name: '填报进展' }).click();
      await expect
        .poll(() => page.locator('.ant-timeline').innerText(), { timeout: WAIT })
        .toContain('已确定培养对象2名');
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: '培养对象名单.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 名单') });
      await expect.poll(() => page.getByText('培养对象名单.pdf').count(), { timeout: WAIT }).toBeGreaterThan(0);
      await page.getByRole('button', { name: '提交验收' }).click();
      await expect.poll(() => page.getByTestId('rect-status').first().innerText(), { timeout: WAIT }).toBe('待验收');
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'the county admin sees the item and an overdue one in red, filters overdue, verifies with the evidence and closes it',
    async () => {
      // A second item, overdue since yesterday (dates set directly: the API never accepts a past deadline).
      const [{ id: overdueId }] = await queryRows<{ id: number }>(
        db,
        sql`
      insert into rectification_items (campaign_id, org_id, reporter_id, source_type, description, owner, measures, deadline, status)
      select campaign_id, org_id, reporter_id, 'inspection', '活动阵地挪作他用', '王委员', '清理腾退', ${later(-1)}::date, 'in_progress'
      from rectification_items where id = ${itemId} returning id`,
      );
      const page = await login('admin');
      await page.goto(`${base}/rectification?campaignId=${campaignId}`);
      const table = page.getByTestId('rect-table');
      await expect.poll(() => table.innerText(), { timeout: WAIT }).toContain('党员发展工作断档');
      expect(await table.innerText()).toContain('整改中（已逾期）');
      expect(await table.innerText()).toContain(orgName);
      await page.getByTestId('rect-filter-overdue').click();
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="已逾期"]')
        .click();
      await expect.poll(() => table.innerText(), { timeout: WAIT }).not.toContain('党员发展工作断档');
      expect(await table.innerText()).toContain('活动阵地挪作他用');
      expect(overdueId).toBeGreaterThan(itemId);

      await page.goto(`${base}/rectification/items/${itemId}`);
      await page.getByTestId('verify').click();
      await page.locator('.ant-modal').getByText('培养对象名单.pdf').click();
      await page.getByLabel('验收意见').fill('名单与规划已核实');
      await page
        .locator('.ant-modal')
        .getByRole('button', { name: /确\s*定|OK/ })
        .click();
      await expect.poll(() => page.getByTestId('rect-status').first().innerText(), { timeout: WAIT }).toBe('已销号');
      expect(await page.locator('.ant-timeline').innerText()).toContain('验收通过，销号');
      await page.close();
    },
    TEST_TIMEOUT,
  );
});
