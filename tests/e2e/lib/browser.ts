import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium as every spec launches it. Its pages report prefers-reduced-motion, so the app turns antd's
 * motion off (src/web/app.tsx): a click then lands on a popconfirm or modal that is fully there, not one still fading
 * in or out — the cause of the e2e flakes seen on loaded CI machines. Chromium has no working switch for this
 * (--force-prefers-reduced-motion does not change the media query here), so every context gets Playwright's
 * reducedMotion option unless a spec asks otherwise.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  const newContext = browser.newContext.bind(browser);
  const newPage = browser.newPage.bind(browser);
  browser.newContext = (options = {}) => newContext({ reducedMotion: 'reduce', ...options });
  browser.newPage = (options = {}) => newPage({ reducedMotion: 'reduce', ...options });
  // Guard the assumption above: without it the specs would silently fall back to animated popups.
  const page = await browser.newPage();
  const reduced = await page.evaluate(() => window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  await page.close();
  if (!reduced) {
    await browser.close();
    throw new Error('Chromium did not report prefers-reduced-motion: reduce');
  }
  return browser;
}

/**
 * Every spec's start: the app on a free local port, Chromium, and one close that stops them in reverse order and
 * closes the spec's database.
 */
export async function serveAndLaunch(app: FastifyInstance, database: { close(): Promise<void> }) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const close = async () => {
    await browser.close();
    await app.close();
    await database.close();
  };
  return { base, browser, close };
}

/** A new page signed in through the login form, waited until the signed-in shell shows. */
export async function signInPage(
  browser: Browser,
  base: string,
  username: string,
  password: string,
  o: { timeout?: number; viewport?: { width: number; height: number } } = {},
) {
  const page = await browser.newPage(o.viewport ? { viewport: o.viewport } : {});
  if (o.timeout) page.setDefaultTimeout(o.timeout);
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}
