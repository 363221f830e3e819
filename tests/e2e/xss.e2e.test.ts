// Issue 8, fuzzing: script payloads stored in free texts (organization name, campaign title, 点评, report text,
// rectification item texts) stay inert text in the admin pages, the public report page, the phone vote sheet and the
// .docx documents. A payload that ran would set window.__xss.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import mammoth from 'mammoth';
import type { Browser, Page } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { freshDatabase } from '../setup/db';
import { TEST_COST, TEST_PASSWORD } from '../factories';
import { type BallotWorld, buildBallotWorld, roundWithCodes } from '../integration/ballots-fixtures';

/** Every payload carries a marker so the test can find it as text; none may execute. */
// Kept under 100 characters: organization names are limited to 100.
const payload = (marker: string) =>
  `${marker}<img src=x onerror="window.__xss=1">"><svg onload=__xss=1><script>__xss=1</script>`;
const LITERAL = '<img src=x onerror="window.__xss=1">';
const ORG = payload('村XSS');
const TITLE = payload('方案XSS');
const COMMENT = payload('点评XSS');
const ITEM = payload('整改XSS');
const REPORT = payload('报告XSS');
const TOKEN = 'xssPublicToken12345';

let browser: Browser;
let base: string;
let w: BallotWorld;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let close: () => Promise<void>;
let itemId: number;
let code: string;
let roomCode: string;

beforeAll(async () => {
  db = await freshDatabase();
  const app = await buildApp({
    database: db,
    config: { passwordCost: TEST_COST, webDir: path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web') },
  });
  w = await buildBallotWorld(db.db, app);
  const admin = w.sessions.admin;
  // Through the API where a form stores the text, so the stored form is what users would store.
  const org = await admin.patch(`/api/orgs/${w.villageA1.id}`, { name: ORG });
  expect(org.statusCode, org.body).toBe(200);
  const [agenda] = await queryRows<{ id: number }>(
    db.db,
    sql`select id from meeting_agenda_items where meeting_id = ${w.meeting.id} order by position limit 1`,
  );
  const comment = await admin.post(`/api/meetings/${w.meeting.id}/comments`, {
    agendaItemId: agenda!.id,
    kind: 'comment',
    authorName: '王部长',
    authorRole: '组织部长',
    body: COMMENT,
  });
  expect(comment.statusCode, comment.body).toBe(200);
  // Directly where the text comes from a long flow tested elsewhere (campaign creation, report approval and publication).
  // The public link is served only where the campaign publishes to everyone.
  await db.db.execute(
    sql`update campaigns set title = ${TITLE}, settings = jsonb_set(settings, '{report,publicationAudience}', '"public"') where id = ${w.campaign.id}`,
  );
  [{ id: itemId }] = await queryRows<{ id: number }>(
    db.db,
    sql`
    insert into rectification_items (campaign_id, org_id, reporter_id, source_type, description, owner, measures, status)
    values (${w.campaign.id}, ${w.villageA1.id}, ${w.r1.id}, 'inspection', ${ITEM}, ${ITEM}, ${ITEM}, 'in_progress') returning id`,
  );
  const sections = JSON.stringify([{ key: 'preamble', title: REPORT, text: REPORT, html: `<p>${REPORT}</p>` }]);
  await db.db.execute(sql`
    insert into reports (reporter_id, campaign_id, org_id, state, sections, char_count, published_at, public_token)
    values (${w.r1.id}, ${w.campaign.id}, ${w.villageA1.id}, 'approved', ${sections}::jsonb, 100, now(), ${TOKEN})`);
  const { round, codes } = await roundWithCodes(db.db, w, { codes: { committee: 2 } });
  code = codes.committee![0]!;
  roomCode = round.roomCode;

  ({ base, browser, close } = await serveAndLaunch(app, db));
});
afterAll(async () => close?.());

async function login(): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(w.users.admin.username);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

/** The marker is visible as text, the tag characters with it, and nothing ran. */
async function assertInert(page: Page, marker: string) {
  await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).toContain(marker);
  expect(await page.locator('body').innerText()).toContain(LITERAL);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('svg[onload], img[onerror]').count()).toBe(0);
}

describe('stored script payloads render inert', () => {
  it('admin pages: organization, campaign, meeting 点评, rectification list and item', async () => {
    const page = await login();
    await page.goto(`${base}/orgs/${w.villageA1.id}`);
    await assertInert(page, '村XSS');
    await page.goto(`${base}/campaigns/${w.campaign.id}`);
    await assertInert(page, '方案XSS');
    await page.goto(`${base}/campaigns/${w.campaign.id}/meetings/${w.meeting.id}`);
    await page.getByRole('tab', { name: /点评及问答/ }).click();
    await assertInert(page, '点评XSS');
    await page.goto(`${base}/rectification?campaignId=${w.campaign.id}`);
    await assertInert(page, '整改XSS');
    await page.goto(`${base}/rectification/items/${itemId}`);
    await assertInert(page, '整改XSS');
    await page.close();
  }, 120_000);

  it('the public report page /p/reports/<token> and the phone vote sheet', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/p/reports/${TOKEN}`);
    await assertInert(page, '报告XSS');
    expect(await page.locator('script').count()).toBe(0);
    await page.close();

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.goto(`${base}/vote/#c=${code}`);
    await phone.getByTestId('vote-room').fill(roomCode);
    await phone.getByTestId('vote-start').click();
    await phone.getByTestId(`reporter-${w.r1.id}`).waitFor();
    await assertInert(phone, '村XSS');
    await phone.close();
  }, 120_000);

  it('documents carry the payload as literal text: 会议记录 and 整改通报 .docx', async () => {
    const record = await w.sessions.admin.get(`/api/meetings/${w.meeting.id}/record.docx`);
    expect(record.statusCode, record.body.slice(0, 300)).toBe(200);
    const recordText = (await mammoth.extractRawText({ buffer: record.rawPayload })).value;
    expect(recordText).toContain(COMMENT);

    const bulletin = await w.sessions.admin.get(`/api/campaigns/${w.campaign.id}/rectification/bulletin.docx`);
    expect(bulletin.statusCode, bulletin.body.slice(0, 300)).toBe(200);
    const bulletinText = (await mammoth.extractRawText({ buffer: bulletin.rawPayload })).value;
    expect(bulletinText).toContain('村XSS<img src=x onerror=');
  }, 60_000);
});
