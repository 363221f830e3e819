/**
 * Issue 15, accounts in the browser: a password an administrator set is changed at the first sign-in before anything
 * else; the expiry warning offers the change dialog; the 安全管理员 sees the security settings and only the actions of
 * its duty (decision 019).
 */
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { DEMO_PASSWORD, seedDemo } from '../../src/server/db/demo-seed';
import { users } from '../../src/server/db/schema';
import { signIn, TEST_COST } from '../factories';
import { freshDatabase } from '../setup/db';
import { serveAndLaunch } from './lib/browser';

let browser: Browser;
let base: string;
let close: () => Promise<void>;
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  const database = await freshDatabase();
  db = database.db;
  await seedDemo(db, { now: new Date(), passwordCost: TEST_COST });
  app = await buildApp({ database, config: { passwordCost: TEST_COST, webDir: path.resolve('dist/web') } });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

async function login(page: Page, username: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

it('a reset password: the first sign-in lands on the change page, and only after the change on the home page', async () => {
  const sys = await signIn(app, 'sysadmin', DEMO_PASSWORD);
  const [leader] = await db.select().from(users).where(eq(users.username, 'leader'));
  expect((await sys.post(`/api/users/${leader!.id}/password`, { password: 'Temp#Pass2026' })).statusCode).toBe(200);

  const page = await browser.newPage();
  await login(page, 'leader', 'Temp#Pass2026');
  await page.getByTestId('pw-reason').waitFor();
  expect(page.url()).toContain('/change-password');
  // Going elsewhere by hand comes back here.
  await page.goto(`${base}/orgs`);
  await page.getByTestId('pw-form').waitFor();
  await page.getByTestId('pw-current').fill('Temp#Pass2026');
  await page.getByTestId('pw-new').fill('Qinghe#Own2026');
  await page.getByTestId('pw-confirm').fill('Qinghe#Own2026');
  await page.getByTestId('pw-submit').click();
  await page.getByTestId('org-tree').waitFor();
  await page.getByTestId('change-password').waitFor();
  await page.close();
});

it('an expiring password: a warning on every page, with the change dialog', async () => {
  await db
    .update(users)
    .set({ passwordChangedAt: new Date(Date.now() - 85 * 86_400_000) })
    .where(eq(users.username, 'observer'));
  const page = await browser.newPage();
  await login(page, 'observer', DEMO_PASSWORD);
  await page.getByTestId('pw-expiry-warning').waitFor();
  await page.getByTestId('pw-expiry-change').click();
  const dialog = page.getByTestId('pw-modal-form');
  await dialog.getByTestId('pw-current').fill(DEMO_PASSWORD);
  await dialog.getByTestId('pw-new').fill('Qinghe#New2026');
  await dialog.getByTestId('pw-confirm').fill('Qinghe#New2026');
  await page.getByRole('button', { name: '确认修改' }).click();
  await expect.poll(() => page.getByTestId('pw-expiry-warning').count()).toBe(0);
  await page.close();
});

it('the security admin sees the settings and changes roles, but creates and resets nothing', async () => {
  const page = await browser.newPage();
  await login(page, 'secadmin', DEMO_PASSWORD);
  await page.getByTestId('security-policy').waitFor();
  await expect.poll(() => page.getByTestId('security-policy').textContent()).toContain('90天');
  await page.getByTestId('accounts-table').waitFor();
  await expect.poll(() => page.getByTestId('account-change-role').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('account-create').count()).toBe(0);
  expect(await page.getByRole('button', { name: '重置密码' }).count()).toBe(0);
  await page.close();
});
