import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { DEMO_PASSWORD, seedDemo, seedDemoCampaign } from '../../src/server/db/demo-seed';
import { freshDatabase } from '../setup/db';
import { TEST_COST } from '../factories';

let browser: Browser;
let base: string;
let close: () => Promise<void>;
let campaignId: number;

// The machine is shared and slow: waits are generous but always bounded, and always on a locator.
const WAIT = 60_000;
const TEST_TIMEOUT = 300_000;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

beforeAll(async () => {
  const database = await freshDatabase();
  const now = new Date();
  await seedDemo(database.db, { now, passwordCost: TEST_COST });
  campaignId = (await seedDemoCampaign(database.db, { now })).campaignId;
  // Fix the deadlines relative to any run date: 青山镇 is due far ahead, 白水镇 long past.
  await database.db.execute(sql`
    update campaigns c set complete_by = case o.code when 'QH-T01' then '2099-12-31'::date else '2000-01-01'::date end
    from organizations o where o.id = c.organizer_org_id and c.parent_id = ${campaignId} and o.code in ('QH-T01', 'QH-T02')`);
  const app = await buildApp({ database, config: { passwordCost: TEST_COST, webDir: path.resolve('dist/web') } });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

async function login(username: string): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-menu').waitFor();
  return page;
}

/** The open dropdown of an antd Select (closed ones stay in the DOM, hidden). */
const dropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();

describe('oversight pages in the browser', () => {
  it(
    'R-CAMP-2 admin sees every township sub-campaign on the progress page; the overdue filter narrows the rows',
    async () => {
      const page = await login('admin');
      await page.goto(`${base}/campaigns/${campaignId}/progress`);
      const table = page.getByTestId('progress-table');
      await expect.poll(() => table.innerText(), { timeout: WAIT }).toContain('白水镇');
      expect(await table.innerText()).toContain('青山镇');
      // the counter says what it counts (sub-campaigns only)
      await expect
        .poll(() => page.locator('.ant-statistic').filter({ hasText: '逾期未完成（下级方案）' }).count(), {
          timeout: WAIT,
        })
        .toBe(1);

      await page.getByTestId('progress-overdue').click();
      await dropdown(page).locator('.ant-select-item-option[title="逾期"]').click();
      await expect.poll(() => table.innerText(), { timeout: WAIT }).not.toContain('青山镇');
      expect(await table.innerText()).toContain('白水镇');

      await page.getByTestId('progress-overdue').click();
      await dropdown(page).locator('.ant-select-item-option[title="未逾期"]').click();
      await expect.poll(() => table.innerText(), { timeout: WAIT }).not.toContain('白水镇');
      expect(await table.innerText()).toContain('青山镇');
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'R-CAMP-6 admin assigns the demo observer to 青山镇; the observer finds it under 我的任务 and records a note',
    async () => {
      const page = await login('admin');
      await page.goto(`${base}/campaigns/${campaignId}/observers`);
      await page.getByTestId('assign-observers').click();
      const modal = page.locator('.ant-modal').filter({ hasText: '选派观察员' });
      await modal.waitFor();
      await modal.getByTestId('assign-users').click();
      await page.keyboard.type('观察员');
      await dropdown(page).locator('.ant-select-item-option').filter({ hasText: '上级组织部观察员' }).first().click();
      await modal.getByTestId('assign-targets').click();
      await page.keyboard.type('青山镇');
      await dropdown(page).locator('.ant-select-item-option').filter({ hasText: '青山镇' }).first().click();
      await modal.locator('.ant-modal-footer .ant-btn-primary').click();
      await modal.waitFor({ state: 'hidden' });
      const assignments = page.getByTestId('observer-assignments');
      await expect.poll(() => assignments.innerText(), { timeout: WAIT }).toContain('上级组织部观察员');
      expect(await assignments.innerText()).toContain('青山镇');
      await page.close();

      const observer = await login('observer');
      await observer.getByTestId('nav-menu').getByText('我的任务').click();
      const tasks = observer.getByTestId('my-tasks');
      await expect.poll(() => tasks.innerText(), { timeout: WAIT }).toContain('青山镇');
      expect(await tasks.innerText()).toContain('待记录');
      await tasks.getByRole('button', { name: '填写记录' }).first().click();
      const note = observer.locator('.ant-modal').filter({ hasText: '观察记录' });
      await note.locator('textarea').fill('会议程序规范，点评直指问题，测评组织有序。');
      await note.locator('.ant-modal-footer .ant-btn-primary').click();
      await note.waitFor({ state: 'hidden' });
      await expect.poll(() => tasks.innerText(), { timeout: WAIT }).toContain('点评直指问题');
      expect(await tasks.innerText()).not.toContain('待记录');
      await observer.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'R-PREP-2 admin records an unannounced research visit with a problem found',
    async () => {
      const page = await login('admin');
      await page.goto(`${base}/campaigns/${campaignId}/visits`);
      await page.getByTestId('new-visit').click();
      const modal = page.locator('.ant-modal').filter({ hasText: '记录调研走访' });
      await modal.waitFor();
      await modal.locator('.ant-form-item').filter({ hasText: '走访单位' }).locator('.ant-select').click();
      await page.keyboard.type('前进村');
      await dropdown(page).locator('.ant-select-item-option').filter({ hasText: '前进村' }).first().click();
      const date = modal.locator('.ant-form-item').filter({ hasText: '走访日期' }).locator('input');
      await date.click();
      await date.fill(today);
      await date.press('Enter');
      await modal.getByPlaceholder('如：县委组织部 王某、李某').fill('县委组织部 王某、李某');
      await modal
        .getByPlaceholder('多看工作成效、多听群众意见：现场看到、听到的具体情况')
        .fill('村务公开栏内容停留在上季度，群众反映道路维修进展慢。');
      // the form opens with one empty problem line; a second one proves lines are kept apart
      await modal.getByPlaceholder('问题描述').first().fill('村务公开不及时');
      await modal.getByRole('button', { name: '添加问题' }).click();
      await modal.getByPlaceholder('问题描述').nth(1).fill('道路维修群众意见未回应');
      await modal.locator('.ant-modal-footer .ant-btn-primary').click();
      await modal.waitFor({ state: 'hidden' });
      const visits = page.getByTestId('visits-table');
      await expect.poll(() => visits.innerText(), { timeout: WAIT }).toContain('前进村');
      const row = visits.locator('tr.ant-table-row').filter({ hasText: '前进村' });
      expect(await row.innerText()).toContain(today);
      expect(await row.locator('td').nth(5).innerText()).toBe('2'); // 问题数
      await row.locator('.ant-table-row-expand-icon').click();
      await expect.poll(() => visits.innerText(), { timeout: WAIT }).toContain('村务公开不及时');
      expect(await visits.innerText()).toContain('道路维修群众意见未回应');
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'R-CAMP-6 a leader is offered only the tabs a leader may open (no 观察员 tab leading to a 403)',
    async () => {
      const page = await login('leader');
      await page.goto(`${base}/campaigns/${campaignId}/progress`);
      await expect.poll(() => text(page, 'progress-table'), { timeout: WAIT }).toContain('青山镇');
      const tabs = page.locator('.oversight-header .ant-segmented');
      await expect.poll(() => tabs.innerText(), { timeout: WAIT }).toContain('调研走访');
      expect(await tabs.innerText()).not.toContain('观察员');
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'R-CAMP-2 R-CAMP-6 R-PREP-2 北岭县 admin finds no 清河县 progress, observers or visits: not found, no data',
    async () => {
      const page = await login('beiling_admin');
      for (const tab of ['progress', 'observers', 'visits']) {
        await page.goto(`${base}/campaigns/${campaignId}/${tab}`);
        // Another county's campaign answers as one that does not exist (issue 15).
        await page.getByText('方案不存在', { exact: true }).waitFor();
        expect(await page.locator('body').innerText(), tab).not.toContain('青山镇');
      }
      for (const api of ['progress', 'observers', 'visits']) {
        const res = await page.request.get(`${base}/api/campaigns/${campaignId}/${api}`);
        expect(res.status(), api).toBe(404);
      }
      await page.close();
    },
    TEST_TIMEOUT,
  );
});
