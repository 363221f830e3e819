import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { seedDemo, DEMO_PASSWORD } from '../../src/server/db/demo-seed';
import { users } from '../../src/server/db/schema';
import { freshDatabase } from '../setup/db';
import { buildCampaign, TEST_COST } from '../factories';
import { goodSections, makeReportDocx } from '../integration/reports-helpers';

let browser: Browser;
let base: string;
let close: () => Promise<void>;
let docxPath: string;

beforeAll(async () => {
  const database = await freshDatabase();
  await seedDemo(database.db, { now: new Date(), passwordCost: TEST_COST });
  // Test-only setup: a published township round in which 前进村 reports to 青山镇 (the campaigns UI is tested elsewhere).
  const [secretary] = await database.db.select().from(users).where(eq(users.username, 'secretary'));
  const [townAdmin] = await database.db.select().from(users).where(eq(users.username, 'town_admin'));
  await buildCampaign(database.db, {
    organizerOrgId: townAdmin.scopeOrgId!,
    templateId: '003',
    year: new Date().getUTCFullYear() + 1,
    state: 'published',
    reporterOrgIds: [secretary.orgId!],
    open: ['review'],
    openAt: new Date(),
  });
  // The secretary's Word file lacks the measures part (破解措施): a blocking check fails after upload.
  const parts = goodSections()
    .slice(0, 3)
    .map((s, i) => ({ title: `${'一二三'[i]}、${s.title}`, text: s.text }));
  docxPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'e2e-rep-')), '前进村述职报告.docx');
  writeFileSync(docxPath, await makeReportDocx({ sections: parts }));

  const app = await buildApp({ database, config: { passwordCost: TEST_COST, webDir: path.resolve('dist/web') } });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

async function login(username: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext(viewport ? { viewport, isMobile: true, hasTouch: true } : {})).newPage();
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}
const state = (page: Page) => page.getByTestId('report-state').first().getAttribute('data-state');

it('R-REP-6 R-REP-4 secretary uploads a .docx, sees a check fail, fixes it and submits; the reviewer returns it; resubmitted; approved', async () => {
  const sec = await login('secretary');
  await sec.goto(`${base}/reports`);
  await sec.getByTestId('report-task-open').first().click();
  await sec.waitForURL(/\/reports\/\d+$/);
  const reportUrl = sec.url();
  await sec.locator('input[type=file][accept=".docx"]').setInputFiles(docxPath);
  await expect
    .poll(() => sec.getByTestId('section-text-achievements').textContent(), { timeout: 20_000 })
    .toContain('发展党员2名');
  // The uploaded table is a table in the rich-text editor, not a line of text.
  expect(await sec.getByTestId('section-text-achievements').locator('table td').first().textContent()).toBe('指标');
  expect(await sec.getByTestId('check-required_sections').getAttribute('data-level')).toBe('blocker');
  expect(await sec.getByTestId('check-required_sections').textContent()).toMatch(/缺少必备内容：破解措施[^、]/);

  // On a phone the editor and its toolbar fit the screen and take typing (decision 009).
  const phone = await login('secretary', { width: 390, height: 844 });
  await phone.goto(reportUrl);
  await phone.getByTestId('section-text-preamble').waitFor();
  expect(await phone.getByTestId('section-text-measures-toolbar').isVisible()).toBe(true);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.getByTestId('section-text-preamble').tap();
  await phone.keyboard.type('本村有党员36名。');
  await expect.poll(() => phone.getByTestId('report-save').isDisabled()).toBe(false);
  await phone.screenshot({ path: path.join(os.tmpdir(), 'reports-e2e-phone.png'), fullPage: false });
  await phone.context().close();

  const measures = sec.getByTestId('section-text-measures');
  await measures.fill(goodSections()[3].text);
  // A numbered list from the toolbar: stored as a list, and the 字数 does not count the numbers.
  await measures.click();
  await sec.getByTestId('section-text-measures-toolbar').getByRole('button', { name: '编号列表' }).click();
  await expect.poll(() => measures.locator('ol li').count()).toBe(1);
  await expect
    .poll(() => sec.getByTestId('check-required_sections').getAttribute('data-level'), { timeout: 20_000 })
    .toBe('pass');
  await sec.getByTestId('report-save').click();
  await expect.poll(() => sec.getByTestId('report-save').isDisabled()).toBe(true);
  await sec.getByTestId('report-submit').click();
  await sec.getByTestId('confirm-submit').click();
  await expect.poll(() => state(sec), { timeout: 20_000 }).toBe('submitted');

  const reviewer = await login('town_admin');
  await reviewer.goto(`${base}/reports`);
  await reviewer.getByTestId('queue-open').first().click();
  await reviewer.getByTestId('review-comment').fill('问题查摆不够具体，请补充数据');
  await reviewer.getByTestId('review-return').click();
  await expect.poll(() => state(reviewer), { timeout: 20_000 }).toBe('returned');

  await sec.goto(reportUrl);
  await expect
    .poll(() => sec.getByTestId('review-feedback').textContent(), { timeout: 20_000 })
    .toContain('问题查摆不够具体');
  const problems = sec.getByTestId('section-text-problems');
  await problems.fill(`${await problems.textContent()}六是对上年度点评指出的2个问题整改不彻底。`);
  await sec.getByTestId('report-save').click();
  await expect.poll(() => sec.getByTestId('report-save').isDisabled()).toBe(true);
  await sec.getByTestId('report-submit').click();
  await sec.getByTestId('confirm-submit').click();
  await expect.poll(() => state(sec), { timeout: 20_000 }).toBe('resubmitted');

  await reviewer.reload();
  await reviewer.getByTestId('review-comment').fill('同意');
  await reviewer.getByTestId('review-approve').click();
  await expect.poll(() => state(reviewer), { timeout: 20_000 }).toBe('approved');
  await reviewer.screenshot({ path: path.join(os.tmpdir(), 'reports-e2e-approved.png'), fullPage: true });
}, 240_000); // the phone pass and a loaded shared machine push it past the default 120 s
