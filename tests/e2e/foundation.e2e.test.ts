import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { seedDemo, DEMO_PASSWORD } from '../../src/server/db/demo-seed';
import { freshDatabase } from '../setup/db';
import { TEST_COST } from '../factories';
import { ORG_COLUMNS } from '../../src/server/modules/organizations/spreadsheet-columns';

let browser: Browser;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const database = await freshDatabase();
  await seedDemo(database.db, { now: new Date(), passwordCost: TEST_COST });
  const app = await buildApp({ database, config: { passwordCost: TEST_COST, webDir: path.resolve('dist/web') } });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

it('admin logs in, searches the tree, opens an organization, imports a spreadsheet; the auditor sees the audit row', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('org-tree').waitFor();

  // R-ORG-1 lazy tree: a township opens and shows its villages (child counts drive the expander).
  const town = page.locator('.ant-tree-treenode', {
    has: page.locator('.org-tree-title', { hasText: '中共青山镇委员会' }),
  });
  await town.locator('.ant-tree-switcher').click();
  await expect
    .poll(() => page.locator('.org-tree-title', { hasText: '前进村' }).count(), { timeout: 20_000 })
    .toBeGreaterThan(0);

  await page.getByTestId('org-search').fill('前进村');
  await page.locator('.org-search-hit').first().click();
  await expect.poll(() => page.getByTestId('org-detail-name').textContent()).toContain('前进村');
  await expect
    .poll(async () => (await page.getByTestId('secretary-name').textContent())?.trim().length ?? 0)
    .toBeGreaterThan(1);

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('组织与书记');
  ws.addRow(ORG_COLUMNS.map((c) => c.header));
  ws.addRow([
    'E2E-V1',
    '青山镇测试新村党支部',
    'QH-T01',
    '党支部',
    '农村',
    '基层',
    '测试书记',
    '书记',
    '2024-03-15',
    '',
  ]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'e2e-')), 'import.xlsx');
  await wb.xlsx.writeFile(file);
  await page.getByTestId('import-button').setInputFiles(file);
  await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 20_000 }).toContain('1');
  await page.close();

  const auditor = await browser.newPage();
  await auditor.goto(`${base}/login`);
  await auditor.getByTestId('login-username').fill('auditor');
  await auditor.getByTestId('login-password').fill(DEMO_PASSWORD);
  await auditor.getByTestId('login-submit').click();
  await auditor.getByTestId('audit-table').waitFor();
  await expect
    .poll(() => auditor.getByTestId('audit-table').textContent(), { timeout: 20_000 })
    .toContain('org.import');
});
