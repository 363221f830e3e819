import { sql } from 'drizzle-orm';
import { SURVEY_LEVELS } from '../../../domain/grades';
import { type Db, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { createSurvey, openSurvey } from './manage-survey';
import { enterPaperResponse } from './respond';
import { addRespondent } from './respondents';
import { drawSurveySample } from './sample';
import { listItems } from './repo';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '建国秀英志强丽华海燕文军桂兰德明春梅永红俊杰晓东';

/**
 * Demo data for 满意度调查: 清河县's survey of the year under way of one township (the first one), 40 people listed, 20 drawn with a
 * published seed, opened (when its round is in the 综合评价 phase), 12 paper questionnaires entered — 8 sampled
 * respondents are left for links issued from the page. Through the use cases, so it is audited like real work.
 */
export async function seedDemoSurvey(db: Db, opts: { now: Date; campaignId: number }) {
  const [admin] = await queryRows<{ id: number; display_name: string; scope_org_id: number; path: string }>(
    db,
    sql`
    select u.id, u.display_name, u.scope_org_id, o.path from auth_v_users u join organizations_v_units o on o.id = u.scope_org_id where u.username = 'admin'`,
  );
  const [town] = await queryRows<{ id: number }>(
    db,
    sql`
    select r.id from campaigns_v_reporters r join organizations_v_units o on o.id = r.org_id
    where r.campaign_id = ${opts.campaignId} and r.role = 'reporter' and r.removed_at is null and o.level = 'township'
    order by o.code limit 1`,
  );
  if (!admin || !town) return { surveyId: null };
  const user: AuthUser = {
    id: admin.id,
    username: 'admin',
    displayName: admin.display_name,
    role: 'org_admin',
    scopeOrgId: admin.scope_org_id,
    orgId: null,
    scopePath: admin.path,
  };
  const actor = { actorId: admin.id, actorName: `${admin.display_name}(admin)`, ip: null, at: opts.now };
  const { year } = (
    await queryRows<{ year: number }>(db, sql`select year from campaigns_v_campaigns where id = ${opts.campaignId}`)
  )[0]!;
  const survey = await createSurvey(db, user, actor, opts.campaignId, {
    title: `${year}年度青山镇基层党建工作满意度调查`,
    sampleSize: 20,
  });
  for (let i = 0; i < 40; i++) {
    await addRespondent(db, user, actor, survey.id, {
      reporterId: town.id,
      category: i < 12 ? '两代表一委员' : '群众',
      phone: `139${String(10_000_000 + i * 7919).padStart(8, '0')}`,
      name: SURNAMES[(i * 7) % SURNAMES.length]! + GIVEN.slice((i * 2) % GIVEN.length, ((i * 2) % GIVEN.length) + 2),
    });
  }
  await drawSurveySample(db, user, actor, survey.id, `${year}-清河县-满意度`);
  // A survey opens in its round's 综合评价 phase (decision 018): a round not there yet keeps it listed and drawn.
  try {
    await openSurvey(db, user, actor, survey.id);
  } catch (e) {
    if ((e as { code?: string }).code === 'PHASE_NOT_OPEN') return { surveyId: survey.id };
    throw e;
  }
  const items = await listItems(db, survey.id);
  // Mostly 满意/比较满意 with a few lower answers, so the 得票率 columns all show something.
  for (let f = 0; f < 12; f++) {
    const answers = Object.fromEntries(
      items.map((it, k) => [String(it.id), SURVEY_LEVELS[[0, 0, 1, 0, 2, 1, 0, 3][(f + k) % 8]!]!]),
    );
    await enterPaperResponse(db, user, actor, survey.id, { reporterId: town.id, answers });
  }
  return { surveyId: survey.id };
}
