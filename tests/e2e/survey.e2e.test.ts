import path from 'node:path';
import { sql } from 'drizzle-orm';
import { devices, type Browser } from 'playwright-core';
import { serveAndLaunch } from './lib/browser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { issueTokens } from '../../src/server/modules/surveys/issue-tokens';
import { createSurvey, openSurvey, updateSurvey } from '../../src/server/modules/surveys/manage-survey';
import { addRespondent } from '../../src/server/modules/surveys/respondents';
import { drawSurveySample } from '../../src/server/modules/surveys/sample';
import { freshDatabase } from '../setup/db';
import { buildCampaign, buildTwoCounties, buildUser, signIn, TEST_COST } from '../factories';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

let browser: Browser;
let base: string;
let close: () => Promise<void>;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let tokens: string[];
let adminCookie: string;
let pageUrl: string;

beforeAll(async () => {
  db = await freshDatabase();
  // E2E_WEB_DIR lets a build go elsewhere than dist/web while other suites use it.
  const webDir = path.resolve(process.env.E2E_WEB_DIR ?? 'dist/web');
  const app = await buildApp({ database: db, config: { passwordCost: TEST_COST, webDir } });
  const t = await buildTwoCounties(db.db);
  const campaign = await buildCampaign(db.db, {
    organizerOrgId: t.townA.id,
    templateId: '003',
    state: 'published',
    reporterOrgIds: [t.villageA1.id],
    open: ['evaluation'],
    openAt: new Date(),
  });
  const [reporter] = await queryRows<{ id: number }>(
    db.db,
    sql`select id from campaign_reporters where campaign_id = ${campaign.id}`,
  );
  const admin = await buildUser(db.db, { role: 'org_admin', scopeOrgId: t.countyA.id });
  const user = {
    id: admin.id,
    username: admin.username,
    displayName: admin.displayName,
    role: 'org_admin' as const,
    scopeOrgId: t.countyA.id,
    orgId: null,
    scopePath: t.countyA.path,
  };
  const actor = { actorId: admin.id, actorName: 'e2e', ip: null, at: new Date() };
  const survey = await createSurvey(db.db, user, actor, campaign.id, { sampleSize: 3 });
  await updateSurvey(db.db, user, actor, survey.id, {
    items: ['您对本村党组织书记抓党建工作的总体评价', '您对本村党组织联系服务群众情况的评价'],
  });
  for (const name of ['甲', '乙', '丙', '丁'])
    await addRespondent(db.db, user, actor, survey.id, {
      reporterId: reporter!.id,
      name: `村民${name}`,
      category: '群众',
    });
  await drawSurveySample(db.db, user, actor, survey.id, 'e2e');
  tokens = (await issueTokens(db.db, user, actor, survey.id, reporter!.id, 2)).tokens;
  await openSurvey(db.db, user, actor, survey.id);
  adminCookie = (await signIn(app, admin.username)).cookie;
  pageUrl = `/campaigns/${campaign.id}/surveys/${survey.id}`;
  ({ base, browser, close } = await serveAndLaunch(app, db));
});
afterAll(async () => close?.());

it('R-ASSESS-3 a phone opens a survey link, answers every item once and cannot answer again', async () => {
  const ctx = await browser.newContext({
    ...devices['iPhone SE'],
    isMobile: true,
    hasTouch: true,
    viewport: { width: 320, height: 568 },
  });
  const page = await ctx.newPage();
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await page.goto(`${base}/vote/survey.html#t=${tokens[0]}`);
  await page.getByTestId('item-2').waitFor();
  // The token leaves the address bar; no admin (React) bundle is loaded.
  expect(page.url()).not.toContain(tokens[0]!);
  expect(scripts.some((s) => /react|index-|main-/.test(s))).toBe(false);
  await page.screenshot({ path: '.tmp/survey-phone.png' });
  await page.getByTestId('level-1-satisfied').check({ force: true });
  await page.getByTestId('survey-submit').click();
  await expect.poll(() => page.getByTestId('survey-error').textContent()).toContain('第2题尚未选择');
  await page.getByTestId('level-2-basically_satisfied').check({ force: true });
  await page.getByTestId('survey-submit').click();
  await expect.poll(() => page.getByTestId('survey-finished').textContent()).toContain('已提交');
  const [n] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from survey_responses`);
  expect(Number(n!.n)).toBe(1);

  const again = await ctx.newPage();
  await again.goto(`${base}/vote/survey.html#t=${tokens[0]}`);
  await expect.poll(() => again.getByTestId('survey-error').textContent()).toContain('已提交过问卷');
  await ctx.close();
});

it("the organizer's survey page shows units, the drawn list with its seed, and results after the phone answer", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addCookies([{ name: 'sp_sid', value: adminCookie, url: base }]);
  const page = await ctx.newPage();
  await page.goto(`${base}${pageUrl}`);
  await expect.poll(() => page.getByTestId('survey-state').textContent()).toBe('调查中');
  expect(await page.getByTestId('survey-seed').textContent()).toContain('e2e');
  await page.getByRole('tab', { name: '调查对象' }).click();
  await expect.poll(() => page.getByTestId('respondent-table').textContent()).toContain('村民');
  await page.getByRole('tab', { name: '结果' }).click();
  await expect.poll(() => page.getByTestId('survey-results').textContent()).toContain('甲一镇东村党支部');
  // One response: item 1 满意, item 2 基本满意 → 满意 50.0%, score (100 + 60) / 2.
  expect(await page.getByTestId('survey-results').textContent()).toContain('80.00');
  await page.screenshot({ path: '.tmp/survey-admin.png' });
  await ctx.close();
});
