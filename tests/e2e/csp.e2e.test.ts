// Issue 15: the built app under its Content-Security-Policy in Chromium. The policy is enforced (an injected inline
// script does not run) and the real pages — antd with its CSS-in-JS, echarts, the meeting console, the phone vote
// page — render with no CSP violation at all.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { TEST_COST, TEST_PASSWORD } from '../factories';
import { type BallotWorld, buildBallotWorld, roundWithCodes } from '../integration/ballots-fixtures';
import { freshDatabase } from '../setup/db';
import { serveAndLaunch } from './lib/browser';

let browser: Browser;
let base: string;
let w: BallotWorld;
let close: () => Promise<void>;
let code: string;
let roomCode: string;

beforeAll(async () => {
  const db = await freshDatabase();
  const app = await buildApp({
    database: db,
    config: { passwordCost: TEST_COST, webDir: path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web') },
  });
  w = await buildBallotWorld(db.db, app);
  const { round, codes } = await roundWithCodes(db.db, w, { codes: { committee: 2 } });
  code = codes.committee![0]!;
  roomCode = round.roomCode;
  ({ base, browser, close } = await serveAndLaunch(app, db));
});
afterAll(async () => close?.());

/** Every CSP violation the page reports, from the DOM event and from the console. */
async function watch(page: Page) {
  const seen: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => void seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

describe('Content-Security-Policy in Chromium (issue 15)', () => {
  it('is enforced: an inline script injected into the admin app does not run', async () => {
    const page = await browser.newPage();
    const seen = await watch(page);
    const res = await page.goto(`${base}/login`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByTestId('login-username').waitFor();
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.append(s);
    });
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    expect(seen.join('\n')).toContain('script-src');
    await page.close();
  });

  it('the admin pages (antd, echarts, the meeting console) render with no violation', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    const seen = await watch(page);
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill(w.users.admin.username);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
    const c = w.campaign.id,
      m = w.meeting.id;
    for (const url of [
      `/orgs/${w.villageA1.id}`,
      `/campaigns/${c}`,
      `/campaigns/${c}/progress`,
      `/campaigns/${c}/meetings/${m}`,
      `/campaigns/${c}/assessment`,
      `/rectification?campaignId=${c}`,
      '/reports',
      '/assess',
    ]) {
      await page.goto(`${base}${url}`);
      await page.getByTestId('current-user').waitFor();
      await page.waitForLoadState('networkidle');
    }
    // The projector console is a page of its own (no menu frame).
    await page.goto(`${base}/campaigns/${c}/meetings/${m}/console`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('body').innerText()).not.toContain('页面不存在');
    // The progress page's chart is drawn on a canvas by echarts.
    await page.goto(`${base}/campaigns/${c}/progress`);
    await page.locator('canvas').first().waitFor();
    expect(seen).toEqual([]);
    await page.close();
  }, 120_000);

  it('the phone vote page works under the policy, with no violation', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const seen = await watch(phone);
    const res = await phone.goto(`${base}/vote/#c=${code}`);
    expect(res!.headers()['referrer-policy']).toBe('no-referrer');
    await phone.getByTestId('vote-room').fill(roomCode);
    await phone.getByTestId('vote-start').click();
    await phone.getByTestId(`reporter-${w.r1.id}`).waitFor();
    expect(seen).toEqual([]);
    await phone.close();
  }, 60_000);
});
