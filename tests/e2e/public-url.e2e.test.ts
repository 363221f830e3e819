import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { devices, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { lanAddresses } from '../../src/server/http/public-url';
import { freshDatabase } from '../setup/db';
import { TEST_COST, TEST_PASSWORD } from '../factories';
import { type BallotWorld, buildBallotWorld, vote } from '../integration/ballots-fixtures';
import { launchChromium } from './lib/browser';

/**
 * The meeting room (README, "会场设置"): the laptop at the projector opens the console at http://127.0.0.1:PORT, the
 * server listens on every interface (HOST=0.0.0.0) and PUBLIC_URL names the laptop's address on the hall network.
 * The slips' QR links and the console's QR code carry PUBLIC_URL, and a phone opening that link votes.
 * Without a network interface (a sealed CI box) the hall address is a name Chromium resolves to this machine.
 */
let browser: Browser;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let w: BallotWorld;
let port: number;
let publicUrl: string;
let laptop: string;
const webDir = path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web');
const HALL_NAME = 'shuping-hall.test';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '0.0.0.0', () => {
      const { port: p } = s.address() as AddressInfo;
      s.close(() => resolve(p));
    });
  });

beforeAll(async () => {
  port = await freePort();
  const lan = lanAddresses()[0];
  publicUrl = `http://${lan ?? HALL_NAME}:${port}`;
  laptop = `http://127.0.0.1:${port}`;
  db = await freshDatabase();
  app = await buildApp({
    database: db,
    config: { passwordCost: TEST_COST, webDir, voteWaitMs: 1000, publicUrl, listen: { host: '0.0.0.0', port } },
  });
  w = await buildBallotWorld(db.db, app);
  await app.listen({ port, host: '0.0.0.0' });
  browser = await launchChromium(lan ? [] : [`--host-resolver-rules=MAP ${HALL_NAME} 127.0.0.1`]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
});

async function consoleOf(base: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.setDefaultTimeout(60_000);
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(w.users.admin.username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${base}/campaigns/${w.campaign.id}/meetings/${w.meeting.id}/console`);
  return page;
}

it('R-VOTE-4 slips printed at the laptop link to PUBLIC_URL; a phone opens the slip link there and votes; the console QR shows it', async () => {
  // The organizer prints the slips from the laptop's own address.
  const round = (
    await w.sessions.admin.post(`/api/meetings/${w.meeting.id}/ballot-rounds`, { mode: 'real' })
  ).json() as { id: number; roomCode: string };
  const pdf = await fetch(`${laptop}/api/ballot-rounds/${round.id}/codes`, {
    method: 'POST',
    headers: {
      cookie: `sp_sid=${w.sessions.admin.cookie}`,
      'x-csrf-token': w.sessions.admin.csrf,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ category: 'committee', count: 5 }),
  });
  expect(pdf.status).toBe(200);
  const links = [
    ...Buffer.from(await pdf.arrayBuffer())
      .toString('latin1')
      .matchAll(/\/URI \(([^)]*)\)/g),
  ].map((m) => m[1]!);
  expect(links).toHaveLength(5);
  for (const l of links) expect(l.startsWith(`${publicUrl}/vote/#c=`)).toBe(true);
  expect((await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/open`, {})).statusCode).toBe(200);

  // The projector: the QR code and the hint name PUBLIC_URL, not the laptop's 127.0.0.1, and nothing is wrong.
  const projector = await consoleOf(laptop);
  await expect.poll(() => projector.getByTestId('console-vote-url').textContent()).toBe(`${publicUrl}/vote/`);
  expect(await projector.locator('img.console-qr').getAttribute('data-vote-url')).toBe(`${publicUrl}/vote/`);
  if (lanAddresses()[0]) expect(await projector.getByTestId('vote-address-warning').count()).toBe(0);

  // A phone opens the first slip's link as its camera would.
  const ctx = await browser.newContext({
    ...devices['iPhone SE'],
    isMobile: true,
    hasTouch: true,
    viewport: { width: 320, height: 568 },
  });
  const phone = await ctx.newPage();
  await phone.goto(links[0]!);
  expect(new URL(phone.url()).origin).toBe(publicUrl);
  await phone.getByTestId('vote-room').fill(round.roomCode);
  await phone.getByTestId('vote-start').click();
  for (const r of [w.r1, w.r2]) await phone.getByTestId(`grade-${r.id}-good`).check({ force: true });
  await phone.getByTestId(`grade-${w.down.id}-fair`).check({ force: true });
  await phone.getByTestId('submit-all').click();
  // A real round stores ballots only in groups of at least five (decision 017): the other four slips vote too.
  const codeOf = (link: string) => new URLSearchParams(new URL(link).hash.slice(1)).get('c')!;
  await Promise.all(
    links.slice(1).map((l) =>
      vote(app, {
        code: codeOf(l),
        roomCode: round.roomCode,
        ballots: [w.r1.id, w.r2.id, w.down.id].map((reporterId) => ({ reporterId, grade: 'good' })),
      }),
    ),
  );
  await expect.poll(() => phone.getByTestId('vote-finished').textContent(), { timeout: 30_000 }).toContain('已提交');
  // The projector's live count follows (5 ballots for each reporter once stored).
  await expect
    .poll(() => projector.locator('.console-counts tbody td:nth-child(2)').allTextContents(), { timeout: 30_000 })
    .toEqual(['5', '5', '5']);
  await ctx.close();
  await projector.close();
});

it('without PUBLIC_URL, a console opened at 127.0.0.1 warns that phones cannot open its QR code', async () => {
  const plain = await buildApp({ database: db, config: { passwordCost: TEST_COST, webDir } });
  try {
    await plain.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(plain.server.address() as AddressInfo).port}`;
    const page = await consoleOf(base);
    await expect.poll(() => page.getByTestId('vote-address-warning').textContent()).toContain('PUBLIC_URL');
    await page.close();
  } finally {
    await plain.close();
  }
});
