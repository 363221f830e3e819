import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { type Db, queryRows } from '../../src/server/db/connect';
import { DEMO_PASSWORD, seedDemo, seedDemoRounds } from '../../src/server/db/demo-seed';
import { buildMeeting, buildUser, openPhases, TEST_COST, TEST_PASSWORD } from '../factories';
import { freshDatabase } from '../setup/db';
import { serveAndLaunch, signInPage } from './lib/browser';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

/**
 * 意见归纳 (R-VOTE-6) in the browser on the demo as `npm start` loads it: the county organizer groups released texts,
 * reads the chart and one reporter's themes and turns a theme into a draft item; a secretary of 柳河镇 (evaluation
 * locked) reads the themes of their own organization under 综合评价, without the organizer's actions.
 */
let browser: Browser;
let base: string;
let close: () => Promise<void>;
let db: Db;
let countyCampaign: number;
let countyOrg = '';
let liuheCampaign: number;
let liuheOrgId: number;
const WAIT = 60_000;
const TEXTS = [
  '三会一课开得不经常',
  '三会一课记录是补的',
  '主题党日活动形式单一',
  '三会一课制度执行打折扣',
  '垃圾清运不及时',
  '村里垃圾到处堆放',
  '生活垃圾乱倒没人管',
  '无',
  '继续保持',
  '垃圾桶满了不清运',
  '主题党日内容老一套',
  '没有意见',
];

/** A released real round whose texts for one reporter are known (twelve ballots, above the minimum group of 5). */
async function releasedTexts(campaignId: number, reporterId: number, roomCode: string) {
  const meeting = await buildMeeting(db, { campaignId, title: '意见归纳测试会' });
  const [round] = await queryRows<{ id: number }>(
    db,
    sql`
    insert into ballot_rounds (meeting_id, mode, state, room_code, anonymity)
    values (${meeting.id}, 'real', 'released', ${roomCode}, ${JSON.stringify({ minGroupSize: 5, categories: [{ key: 'members', label: '党员' }] })}::jsonb) returning id`,
  );
  for (const problems of TEXTS) {
    await db.execute(
      sql`insert into ballots (round_id, reporter_id, category, grade, problems) values (${round!.id}, ${reporterId}, 'members', 'good', ${problems})`,
    );
  }
}

beforeAll(async () => {
  const database = await freshDatabase();
  db = database.db;
  const now = new Date();
  await seedDemo(db, { now, passwordCost: TEST_COST });
  const seeded = await seedDemoRounds(database, { now });
  countyCampaign = seeded.campaignId;
  await openPhases(db, countyCampaign, ['rectification'], now);
  const [r] = await queryRows<{ id: number; name: string }>(
    db,
    sql`
    select r.id, o.name from campaign_reporters r join organizations o on o.id = r.org_id
    where r.campaign_id = ${countyCampaign} and r.role = 'reporter' and r.removed_at is null order by o.path limit 1`,
  );
  countyOrg = r!.name;
  await releasedTexts(countyCampaign, r!.id, 'THEMES1');

  // 柳河镇's round of this year: evaluation locked by the demo. One of its villages gets known texts and a secretary account.
  liuheCampaign = seeded.liuhe;
  const [l] = await queryRows<{ reporter_id: number; org_id: number }>(
    db,
    sql`
    select r.id as reporter_id, r.org_id from campaign_reporters r join evaluations e on e.campaign_id = r.campaign_id and e.state = 'locked'
    where r.campaign_id = ${liuheCampaign} and r.role = 'reporter' and r.removed_at is null order by r.id limit 1`,
  );
  liuheOrgId = l!.org_id;
  await releasedTexts(liuheCampaign, l!.reporter_id, 'THEMES2');
  await buildUser(db, { role: 'secretary', username: 'liuhe_village_sec', orgId: liuheOrgId });

  const app = await buildApp({
    database,
    config: { passwordCost: TEST_COST, webDir: path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web') },
  });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

const login = (username: string, password: string) =>
  signInPage(browser, base, username, password, { timeout: WAIT, viewport: { width: 1400, height: 900 } });

/** The organizer's 生成意见归纳 on the results page, waited until the chart shows. */
async function group(page: Page, campaignId: number) {
  await page.goto(`${base}/campaigns/${campaignId}/results?tab=themes`);
  await page.getByRole('button', { name: '生成意见归纳' }).click();
  await page.getByTestId('themes-chart').waitFor();
}

describe('意见归纳 in the browser', () => {
  it("the organizer groups the texts, reads the chart and one reporter's themes, and makes a draft item", async () => {
    const page = await login('admin', DEMO_PASSWORD);
    await group(page, countyCampaign);
    // The county's grouping takes in its townships' rounds too (柳河镇's demo ballots): the total is theirs and ours.
    await page.getByText(/其中\d+条无具体问题/).waitFor();
    // The reporter picker is a searchable select: type the name, pick the option (its title is the label).
    const picker = page.locator('.ant-card', { hasText: '各述职对象的意见归纳' }).last().getByRole('combobox');
    await picker.click();
    await picker.fill(countyOrg);
    await page.getByTitle(countyOrg, { exact: false }).first().click();
    const list = page.getByTestId('reporter-themes');
    await list
      .getByText(/三会一课/)
      .first()
      .waitFor();
    await list.getByText('12条意见，3条无具体问题').waitFor();
    await list.getByRole('button', { name: '生成整改草稿' }).first().click();
    await page.getByText('已生成整改事项草稿').waitFor();
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from theme_drafts where campaign_id = ${countyCampaign}`,
    );
    expect(row!.n).toBe(1);
    await page.close();
  }, 300_000);

  it("a secretary reads their own organization's themes under 综合评价 once it is locked, with no organizer action", async () => {
    const secretary = await login('liuhe_village_sec', TEST_PASSWORD);
    await secretary.goto(`${base}/campaigns/${liuheCampaign}/evaluation`);
    const card = secretary.getByTestId('my-themes');
    await card.getByText('组织部门尚未进行意见归纳').waitFor();

    const organizer = await login('admin', DEMO_PASSWORD);
    await group(organizer, liuheCampaign);
    await organizer.close();

    await secretary.reload();
    const list = secretary.getByTestId('my-themes').getByTestId('reporter-themes');
    await list
      .getByText(/三会一课/)
      .first()
      .waitFor();
    await expect.poll(() => list.innerText()).toMatch(/\d+条意见，\d+条无具体问题/);
    expect(await list.getByRole('button', { name: '生成整改草稿' }).count()).toBe(0);
    await expect.poll(() => secretary.locator('.ant-message-notice').count()).toBe(0);
    await secretary.close();
  }, 300_000);
});
