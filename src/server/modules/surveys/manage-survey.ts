import { assertPhaseOpen } from '../campaigns/phase-gate';
import { asc, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { checkItems, DEFAULT_SURVEY_ITEMS } from '../../../domain/surveys';
import { type Db, queryRows } from '../../db/connect';
import { surveyItems, surveys } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage, assertRead } from './policy';
import { assertState, getSurvey, getSurveyCampaign, surveyUnits, unitCounts } from './repo';
import { announce } from '../events';

const DEFAULT_SAMPLE_SIZE = 100;
const checkSampleSize = (n: number) => {
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new AppError('VALIDATION', '每单位样本数应为1至10000之间的整数', { field: 'sampleSize' });
  return n;
};

/** Surveys of a campaign, newest first. */
export async function listSurveys(db: Db, user: AuthUser, campaignId: number) {
  const campaign = await getSurveyCampaign(db, campaignId, user);
  assertRead(user, campaign.organizerPath);
  const rows = await db.select().from(surveys).where(eq(surveys.campaignId, campaignId)).orderBy(asc(surveys.id));
  return { campaign, items: rows };
}

/**
 * A new survey in draft with the default questionnaire and the campaign's sample size per unit
 * (settings survey.sampleSize, else 100).
 */
export async function createSurvey(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: { title?: string; sampleSize?: number },
) {
  return db.transaction(async (tx) => {
    const campaign = await getSurveyCampaign(tx, campaignId, user);
    assertManage(user, campaign.organizerPath);
    const sampleSize = checkSampleSize(
      input.sampleSize ?? (campaign.settings.survey?.sampleSize || DEFAULT_SAMPLE_SIZE),
    );
    const title = input.title?.trim() || `${campaign.year}年度基层党建工作满意度调查`;
    const [survey] = await tx.insert(surveys).values({ campaignId, title, sampleSize, createdBy: user.id }).returning();
    await tx
      .insert(surveyItems)
      .values(DEFAULT_SURVEY_ITEMS.map((text, i) => ({ surveyId: survey!.id, position: i + 1, text })));
    await writeAudit(tx, actor, {
      action: 'survey.create',
      targetType: 'survey',
      targetId: survey!.id,
      scopePath: campaign.organizerPath,
      detail: { campaignId, title, sampleSize },
    });
    return survey!;
  });
}

/** Title, sample size and questionnaire; only while a draft, so every answer refers to the same questions. */
export async function updateSurvey(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  input: { title?: string; sampleSize?: number; items?: string[] },
) {
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['draft'], '修改问卷');
    const title = input.title === undefined ? survey.title : input.title.trim();
    if (!title) throw new AppError('VALIDATION', '调查名称不能为空', { field: 'title' });
    const sampleSize = input.sampleSize === undefined ? survey.sampleSize : checkSampleSize(input.sampleSize);
    const items = input.items === undefined ? undefined : checkItems(input.items);
    // A new sample size makes the draw stale: it is cleared (and its unused links voided) and must be redrawn.
    const clearDraw = sampleSize !== survey.sampleSize && !!survey.sampledAt;
    if (clearDraw) {
      await tx.execute(sql`update survey_respondents set sample_order = null where survey_id = ${id}`);
      await tx.execute(
        sql`update survey_tokens set voided_at = ${actor.at} where survey_id = ${id} and voided_at is null and not used`,
      );
    }
    const [saved] = await tx
      .update(surveys)
      .set({ title, sampleSize, ...(clearDraw ? { sampledAt: null } : {}) })
      .where(eq(surveys.id, id))
      .returning();
    if (items) {
      // Drafts have no answers, so the questionnaire is simply replaced.
      await tx.delete(surveyItems).where(eq(surveyItems.surveyId, id));
      await tx.insert(surveyItems).values(items.map((text, i) => ({ surveyId: id, position: i + 1, text })));
    }
    await writeAudit(tx, actor, {
      action: 'survey.update',
      targetType: 'survey',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { title, sampleSize, items: items?.length, drawCleared: clearDraw },
    });
    return saved!;
  });
}

/** draft → open: a questionnaire and a draw for every unit with a list (R-ASSESS-3). */
export async function openSurvey(db: Db, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['draft'], '开始调查');
    // Answers then come in until the organizer closes it; closing 实地考核 warns while it is open.
    await assertPhaseOpen(tx, survey.campaignId, 'survey.collect', actor.at);
    const [items] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from survey_items where survey_id = ${id}`,
    );
    if (!Number(items?.n)) throw new AppError('NO_ITEMS');
    const counts = [...(await unitCounts(tx, id)).values()];
    if (!counts.some((c) => c.sampled > 0)) throw new AppError('NOT_SAMPLED');
    const names = new Map((await surveyUnits(tx, survey.campaignId)).map((u) => [u.reporterId, u.orgName]));
    const undrawn = counts
      .filter((c) => c.listed > 0 && c.sampled === 0)
      .map((c) => names.get(c.reporterId) ?? String(c.reporterId));
    if (undrawn.length)
      throw new AppError('NOT_SAMPLED', `以下单位的名单在抽样后有变动，请重新抽样：${undrawn.join('、')}`);
    const [saved] = await tx
      .update(surveys)
      .set({ state: 'open', openedAt: actor.at })
      .where(eq(surveys.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'survey.open',
      targetType: 'survey',
      targetId: id,
      scopePath: campaign.organizerPath,
    });
    return saved!;
  });
}

/** open → closed. The row lock waits for link answers in flight (they hold the survey row FOR SHARE). */
export async function closeSurvey(db: Db, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['open'], '结束调查');
    const [saved] = await tx
      .update(surveys)
      .set({ state: 'closed', closedAt: actor.at })
      .where(eq(surveys.id, id))
      .returning();
    // Closed is final: evaluation sums the points per unit once, for the composite evaluation.
    await announce(tx, 'surveys.survey_closed', { campaignId: survey.campaignId, surveyId: id });
    const [n] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from survey_responses where survey_id = ${id}`,
    );
    await writeAudit(tx, actor, {
      action: 'survey.close',
      targetType: 'survey',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { responses: Number(n?.n) },
    });
    return saved!;
  });
}
