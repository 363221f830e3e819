import path from 'node:path';
import { devices, type Browser } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { freshDatabase } from '../setup/db';
import { TEST_COST } from '../factories';
import { type BallotWorld, buildBallotWorld, roundWithCodes, vote } from '../integration/ballots-fixtures';

let browser: Browser;
let base: string;
let w: BallotWorld;
let close: () => Promise<void>;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  db = await freshDatabase();
  // A short wait: the phone learns "pending" quickly and asks again (decision 017).
  app = await buildApp({
    database: db,
    config: { passwordCost: TEST_COST, webDir: path.resolve('dist/web'), voteWaitMs: 1000 },
  });
  w = await buildBallotWorld(db.db, app);
  ({ base, browser, close } = await serveAndLaunch(app, db));
});
afterAll(async () => close?.());

it('R-VOTE-1 a phone-sized browser opens a code URL, rates every reporter and sees 已提交; the live count follows', async () => {
  const { round, codes } = await roundWithCodes(db.db, w, { codes: { committee: 5 } });
  const ctx = await browser.newContext({
    ...devices['iPhone SE'],
    isMobile: true,
    hasTouch: true,
    viewport: { width: 320, height: 568 },
  });
  const page = await ctx.newPage();
  const transferred: number[] = [];
  page.on('response', async (r) => {
    transferred.push((await r.body().catch(() => Buffer.alloc(0))).length);
  });
  await page.goto(`${base}/vote/#c=${codes.committee![0]}`);
  expect(page.url()).not.toContain(codes.committee![0]!);
  await page.getByTestId('vote-room').fill(round.roomCode === '000000' ? '111111' : '000000');
  await page.getByTestId('vote-start').click();
  await expect.poll(() => page.getByTestId('vote-error').textContent()).toContain('会场码不正确');
  await page.getByTestId('vote-room').fill(round.roomCode);
  await page.getByTestId('vote-start').click();
  await page.getByTestId(`reporter-${w.r1.id}`).waitFor();
  await page.screenshot({ path: '.tmp/vote-phone.png', fullPage: false });
  // One reporter alone: a real round stores it only with at least the minimum group (5), so the phone says it waits.
  await page.getByTestId(`grade-${w.r1.id}-good`).check({ force: true });
  await page.getByTestId(`submit-${w.r1.id}`).click();
  await expect.poll(() => page.getByTestId('vote-waiting').textContent(), { timeout: 10_000 }).toContain('保护匿名');
  await page.screenshot({ path: '.tmp/vote-phone-waiting.png' });
  // Four others vote for the same reporter: the five are stored together and the phone, asking again, shows it.
  const others = codes.committee!.slice(1);
  await Promise.all(
    others.map((code) =>
      vote(app, { code, roomCode: round.roomCode, ballots: [{ reporterId: w.r1.id, grade: 'fair' }] }),
    ),
  );
  await expect
    .poll(() => page.getByTestId(`reporter-${w.r1.id}`).textContent(), { timeout: 10_000 })
    .toContain('已提交');
  // Then the rest at once, again with four others.
  await page.getByTestId(`grade-${w.r2.id}-fair`).check({ force: true });
  await page.getByTestId(`grade-${w.down.id}-good`).check({ force: true });
  await page.locator(`[data-testid="reporter-${w.r2.id}"] textarea`).first().fill('活动阵地利用不够充分');
  await page.getByTestId('submit-all').click();
  await Promise.all(
    others.map((code) =>
      vote(app, {
        code,
        roomCode: round.roomCode,
        ballots: [w.r2.id, w.down.id].map((reporterId) => ({ reporterId, grade: 'good' })),
      }),
    ),
  );
  await expect.poll(() => page.getByTestId('vote-finished').textContent(), { timeout: 10_000 }).toContain('已提交');
  await page.screenshot({ path: '.tmp/vote-phone-done.png' });

  const res = await fetch(`${base}/api/ballot-rounds/${round.id}`, {
    headers: { cookie: `sp_sid=${w.sessions.admin.cookie}` },
  });
  expect((await res.json()).codes[0].used).toBe(5);
  const totalKb = transferred.reduce((s, n) => s + n, 0) / 1024;
  expect(totalKb).toBeGreaterThan(0);
  await ctx.close();
});
