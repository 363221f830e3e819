import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateProse, shanghaiDate } from '../../src/domain/calendar';
import { buildApp } from '../../src/server/app';
import { DEMO_PASSWORD, seedDemo, seedDemoRounds } from '../../src/server/db/demo-seed';
import { freshDatabase } from '../setup/db';
import { TEST_COST } from '../factories';
import { serveAndLaunch } from './lib/browser';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

/**
 * A newcomer on the first start (README, "Demo"): the demo as `npm start` loads it, seen in the browser by the demo
 * accounts — what each is offered, what a refusal looks like, a township's own plan without refused lookups.
 */
let browser: Browser;
let base: string;
let close: () => Promise<void>;
let seeded: Awaited<ReturnType<typeof seedDemoRounds>>;
const WAIT = 60_000;

beforeAll(async () => {
  const database = await freshDatabase();
  const now = new Date();
  await seedDemo(database.db, { now, passwordCost: TEST_COST });
  seeded = await seedDemoRounds(database, { now });
  const app = await buildApp({
    database,
    config: { passwordCost: TEST_COST, webDir: path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web') },
  });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

/** Signs in; records every refused API request and every error toast of the page. */
async function login(username: string) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(WAIT);
  const refused: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 403) refused.push(new URL(r.url()).pathname);
  });
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return { page, refused, toasts: () => page.locator('.ant-message-notice').count() };
}
const links = (page: Page) => page.getByTestId('campaign-links').locator('button').allInnerTexts();

describe('the demo on the first start, in the browser', () => {
  it('the secretary has a report to write, due in five days', async () => {
    const { page } = await login('secretary');
    await page.goto(`${base}/reports`);
    const card = page.getByTestId('report-tasks');
    await expect.poll(() => card.innerText(), { timeout: WAIT }).toContain('撰写述职报告');
    expect(await card.innerText()).toContain(
      `截止${new Date(Date.parse(`${shanghaiDate(new Date())}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10)}`,
    );
    expect(await card.innerText()).not.toContain('逾期');
    await page.close();
  }, 300_000);

  it("an observer is offered only what it can open; typing a withheld page's address shows 无权访问, without a toast", async () => {
    const { page, refused, toasts } = await login('observer');
    await page.goto(`${base}/campaigns/${seeded.campaignId}`);
    await page.getByTestId('campaign-links').waitFor();
    await expect.poll(() => links(page), { timeout: WAIT }).toContain('述职评议会');
    expect(await links(page)).toEqual(['述职评议会', '综合评价', '调研走访', '满意度调查', '问题整改', '下级方案 18']);
    await page.goto(`${base}/campaigns/${seeded.campaignId}/progress`);
    await page.getByTestId('no-access').waitFor();
    expect(await page.getByTestId('no-access').innerText()).toContain('无权访问');
    expect(await toasts()).toBe(0);
    expect(refused).toEqual([]);
    await page.close();
  }, 300_000);

  it('the 青山镇 admin opens its own plan: inherited routes read-only with their names, nothing refused', async () => {
    const { page, refused, toasts } = await login('town_admin');
    await page.goto(`${base}/campaigns/${seeded.qingshan}?tab=settings`);
    const rule = page.getByTestId('route-rule-0');
    await expect.poll(() => rule.innerText(), { timeout: WAIT }).toContain('中共清河县社区工作委员会');
    expect(await rule.innerText()).toContain('上级方案规定');
    await page.goto(`${base}/campaigns/${seeded.qingshan}?tab=scope`);
    await page.waitForLoadState('networkidle');
    expect(refused).toEqual([]);
    expect(await toasts()).toBe(0);
    await page.close();
  }, 300_000);

  it("柳河镇's evaluation reads as locked, dated in words", async () => {
    const { page } = await login('liuhe_admin');
    await page.goto(`${base}/campaigns/${seeded.liuhe}/evaluation`);
    await expect.poll(() => page.getByTestId('eval-state').textContent(), { timeout: WAIT }).toContain('已锁定');
    const locked = formatDateProse(shanghaiDate(new Date(Date.now() - 12 * 86_400_000)));
    expect(await page.locator('.ant-alert').first().innerText()).toContain(`已于${locked}`);
    await page.close();
  }, 300_000);
});
