import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { AppError, notFound } from '../../../domain/errors';
import { SURVEY_STATE_LABELS, type SurveyState } from '../../../domain/surveys';
import { type DbOrTx, queryRows } from '../../db/connect';
import { surveyItems, surveys } from '../../db/schema';
import { campaignRows, reporterRows } from '../campaigns/row-sources';
import { orgUnits } from '../organizations/row-sources';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

export type SurveyRow = typeof surveys.$inferSelect;

export interface SurveyCampaign {
  id: number;
  title: string;
  year: number;
  settings: CampaignSettings;
  organizerName: string;
  organizerPath: string;
}

/** With a `viewer`, a campaign off the viewer's branch is not found, like a missing id (issue 15). */
export async function getSurveyCampaign(db: DbOrTx, campaignId: number, viewer?: AuthUser): Promise<SurveyCampaign> {
  const [row] = await db
    .select({
      id: campaignRows.id,
      title: campaignRows.title,
      year: campaignRows.year,
      settings: campaignRows.settings,
      organizerName: orgUnits.name,
      organizerPath: orgUnits.path,
    })
    .from(campaignRows)
    .innerJoin(orgUnits, eq(orgUnits.id, campaignRows.organizerOrgId))
    .where(eq(campaignRows.id, campaignId));
  if (!row) throw notFound('述职评议考核');
  hideOffBranch(viewer, row.organizerPath, '述职评议考核');
  return { ...row, settings: row.settings as CampaignSettings };
}

/** The survey with its campaign; `lock` serializes state changes, sampling, link issuing and paper entry. */
export async function getSurvey(db: DbOrTx, id: number, opts: { lock?: boolean; viewer?: AuthUser } = {}) {
  const q = db.select().from(surveys).where(eq(surveys.id, id));
  const [survey] = opts.lock ? await q.for('no key update') : await q;
  if (!survey) throw notFound('满意度调查');
  const campaign = await getSurveyCampaign(db, survey.campaignId);
  hideOffBranch(opts.viewer, campaign.organizerPath, '满意度调查');
  return { survey, campaign };
}

export const stateLabel = (state: string) => SURVEY_STATE_LABELS[state as SurveyState] ?? state;

export function assertState(survey: SurveyRow, allowed: SurveyState[], what: string) {
  if (!allowed.includes(survey.state as SurveyState)) {
    throw new AppError('SURVEY_STATE', `满意度调查${stateLabel(survey.state)}，不能${what}`);
  }
}

export async function listItems(db: DbOrTx, surveyId: number) {
  return db
    .select({ id: surveyItems.id, position: surveyItems.position, text: surveyItems.text })
    .from(surveyItems)
    .where(eq(surveyItems.surveyId, surveyId))
    .orderBy(asc(surveyItems.position), asc(surveyItems.id));
}

export interface SurveyUnit {
  reporterId: number;
  orgId: number;
  orgName: string;
  orgCode: string;
  role: string;
}

/** The campaign's current reporters: the units a survey may cover. */
export async function surveyUnits(db: DbOrTx, campaignId: number): Promise<SurveyUnit[]> {
  return db
    .select({
      reporterId: reporterRows.id,
      orgId: orgUnits.id,
      orgName: orgUnits.name,
      orgCode: orgUnits.code,
      role: reporterRows.role,
    })
    .from(reporterRows)
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .where(and(eq(reporterRows.campaignId, campaignId), isNull(reporterRows.removedAt)))
    .orderBy(asc(orgUnits.code), asc(reporterRows.id));
}

export async function getUnit(db: DbOrTx, campaignId: number, reporterId: number): Promise<SurveyUnit> {
  const unit = (await surveyUnits(db, campaignId)).find((u) => u.reporterId === reporterId);
  if (!unit) throw new AppError('UNKNOWN_UNIT', '该单位不是本次考核的述职对象', { field: 'reporterId' });
  return unit;
}

export interface UnitCounts {
  reporterId: number;
  listed: number;
  twoReps: number;
  residents: number;
  sampled: number;
  sampledTwoReps: number;
  sampledResidents: number;
  tokensLive: number;
  tokensUsed: number;
  linkResponses: number;
  paperResponses: number;
}

/** Per unit: list size, sample, links issued/used and responses — counted in SQL, one row per unit. */
export async function unitCounts(db: DbOrTx, surveyId: number): Promise<Map<number, UnitCounts>> {
  const rows = await queryRows<Record<string, number | string>>(
    db,
    sql`
    with r as (
      select reporter_id, count(*) as listed,
             count(*) filter (where category = 'two_reps') as two_reps,
             count(*) filter (where category = 'resident') as residents,
             count(sample_order) as sampled,
             count(sample_order) filter (where category = 'two_reps') as sampled_two_reps,
             count(sample_order) filter (where category = 'resident') as sampled_residents
      from survey_respondents where survey_id = ${surveyId} group by reporter_id
    ), t as (
      select reporter_id, count(*) filter (where voided_at is null) as tokens_live,
             count(*) filter (where used) as tokens_used
      from survey_tokens where survey_id = ${surveyId} group by reporter_id
    ), s as (
      select reporter_id, count(*) filter (where source = 'link') as link_responses,
             count(*) filter (where source = 'paper') as paper_responses
      from survey_responses where survey_id = ${surveyId} group by reporter_id
    )
    select coalesce(r.reporter_id, t.reporter_id, s.reporter_id) as reporter_id,
           coalesce(listed, 0) as listed, coalesce(two_reps, 0) as two_reps, coalesce(residents, 0) as residents,
           coalesce(sampled, 0) as sampled, coalesce(sampled_two_reps, 0) as sampled_two_reps,
           coalesce(sampled_residents, 0) as sampled_residents,
           coalesce(tokens_live, 0) as tokens_live, coalesce(tokens_used, 0) as tokens_used,
           coalesce(link_responses, 0) as link_responses, coalesce(paper_responses, 0) as paper_responses
    from r full join t on t.reporter_id = r.reporter_id full join s on s.reporter_id = coalesce(r.reporter_id, t.reporter_id)`,
  );
  const n = (v: unknown) => Number(v ?? 0);
  return new Map(
    rows.map((r) => [
      n(r.reporter_id),
      {
        reporterId: n(r.reporter_id),
        listed: n(r.listed),
        twoReps: n(r.two_reps),
        residents: n(r.residents),
        sampled: n(r.sampled),
        sampledTwoReps: n(r.sampled_two_reps),
        sampledResidents: n(r.sampled_residents),
        tokensLive: n(r.tokens_live),
        tokensUsed: n(r.tokens_used),
        linkResponses: n(r.link_responses),
        paperResponses: n(r.paper_responses),
      },
    ]),
  );
}

export const emptyUnitCounts = (reporterId: number): UnitCounts => ({
  reporterId,
  listed: 0,
  twoReps: 0,
  residents: 0,
  sampled: 0,
  sampledTwoReps: 0,
  sampledResidents: 0,
  tokensLive: 0,
  tokensUsed: 0,
  linkResponses: 0,
  paperResponses: 0,
});

/**
 * A unit's list changed: its draw no longer matches the list, so the draw and its unused links go. A unit with a
 * list and nobody sampled is then "not drawn" and opening waits for a new draw (the same seed redraws the other
 * units identically, since each unit is drawn from its own list with its own seed).
 */
export async function clearUnitSample(db: DbOrTx, surveyId: number, reporterId: number, at: Date) {
  await db.execute(
    sql`update survey_respondents set sample_order = null where survey_id = ${surveyId} and reporter_id = ${reporterId}`,
  );
  await db.execute(
    sql`update survey_tokens set voided_at = ${at} where survey_id = ${surveyId} and reporter_id = ${reporterId} and voided_at is null and not used`,
  );
}
