import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { DEMO_PASSWORD, seedDemo, seedDemoCampaign } from '../../src/server/db/demo-seed';
import { buildMeeting, openPhases, TEST_COST } from '../factories';
import { freshDatabase } from '../setup/db';
import { serveAndLaunch } from './lib/browser';

let browser: Browser;
let base: string;
let close: () => Promise<void>;
let campaignId: number;
let orgName = '';
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
const WAIT = 60_000;

beforeAll(async () => {
  const database = await freshDatabase();
  db = database.db;
  const now = new Date();
  await seedDemo(database.db, { now, passwordCost: TEST_COST });
  campaignId = (await seedDemoCampaign(database.db, { now })).campaignId;
  await openPhases(database.db, campaignId, ['rectification'], now);
  const [r] = await queryRows<{ id: number; name: string }>(db, sql`
    select r.id, o.name from campaign_reporters r join organizations o on o.id = r.org_id
    where r.campaign_id = ${campaignId} and r.role = 'reporter' and r.removed_at is null order by o.path limit 1`);
  orgName = r.name;
  // A released real round with the texts of a dozen ballots for one reporter (above the minimum group of 5).
  const meeting = await buildMeeting(db, { campaignId, title: '意见归纳测试会' });
  const [round] = await queryRows<{ id: number }>(db, sql`
    insert into ballot_rounds (meeting_id, mode, state, room_code, anonymity)
    values (${meeting.id}, 'real', 'released', 'THEMES', ${JSON.stringify({ minGroupSize: 5, categories: [{ key: 'members', label: '党员' }] })}::jsonb) returning id`);
  const texts = ['三会一课开得不经常', '三会一课记录是补的', '主题党日活动形式单一', '三会一课制度执行打折扣', '垃圾清运不及时', '村里垃圾到处堆放', '生活垃圾乱倒没人管', '无', '继续保持', '垃圾桶满了不清运', '主题党日内容老一套', '没有意见'];
  for (const problems of texts) {
    await db.execute(sql`insert into ballots (round_id, reporter_id, category, grade, problems) values (${round.id}, ${r.id}, 'members', 'good', ${problems})`);
  }
  const app = await buildApp({ database, config: { passwordCost: TEST_COST, webDir: path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web') } });
  ({ base, browser, close } = await serveAndLaunch(app, database));
});
afterAll(async () => close?.());

describe('意见归纳 in the browser', () => {
  it('the organizer groups the texts, reads the chart and one reporter\'s themes, and makes a draft item', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(WAIT);
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
    await page.goto(`${base}/campaigns/${campaignId}/results?tab=themes`);
    await page.getByRole('button', { name: '生成意见归纳' }).click();
    await page.getByTestId('themes-chart').waitFor();
    await page.getByText('其中3条无具体问题').waitFor();
    await page.getByText('选择述职对象').click();
    await page.getByTitle(new RegExp(orgName)).first().click();
    const list = page.getByTestId('reporter-themes');
    await list.getByText(/三会一课/).first().waitFor();
    await list.getByRole('button', { name: '生成整改草稿' }).first().click();
    await page.getByText('已生成整改事项草稿').waitFor();
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from theme_drafts where campaign_id = ${campaignId}`);
    expect(row.n).toBe(1);
    await page.close();
  }, 300_000);
});
