import { randomBytes } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { drawSample } from '../../../domain/sampling';
import { unitSeed } from '../../../domain/surveys';
import type { Db } from '../../db/connect';
import { surveyRespondents, surveys } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { assertState, getSurvey, surveyUnits } from './repo';

/** A seed anyone can read aloud and type: date-free, 12 digits from the CSPRNG. */
export const generateSeed = () => {
  const n = randomBytes(6).readUIntBE(0, 6) % 1e12;
  return String(n).padStart(12, '0');
};

export interface UnitDraw {
  reporterId: number;
  orgName: string;
  listed: number;
  sampled: number;
  /** Fewer on the list than the sample size: everybody listed is taken. */
  shortfall: number;
}

/**
 * Draws every unit (R-ASSESS-3): the unit's list in id order, drawSample stratified by category (两代表一委员 /
 * 群众 in proportion to the list), seeded with unitSeed(seed, org code). The seed is stored on the survey, so the
 * same seed and the same lists give the same respondents. Only before opening; each draw is audited with its seed.
 */
export async function drawSurveySample(db: Db, user: AuthUser, actor: AuditActor, surveyId: number, seedIn?: string) {
  const seed = (seedIn ?? '').trim() || generateSeed();
  if (seed.length > 64) throw new AppError('VALIDATION', '随机种子不能超过64个字符', { field: 'seed' });
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, surveyId, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['draft'], '重新抽样');
    const units = await surveyUnits(tx, survey.campaignId);
    const rows = await tx
      .select({
        id: surveyRespondents.id,
        reporterId: surveyRespondents.reporterId,
        category: surveyRespondents.category,
      })
      .from(surveyRespondents)
      .where(eq(surveyRespondents.surveyId, surveyId))
      .orderBy(asc(surveyRespondents.id));
    if (rows.length === 0) throw new AppError('NO_RESPONDENTS');
    const byUnit = new Map<number, typeof rows>();
    for (const r of rows) byUnit.set(r.reporterId, [...(byUnit.get(r.reporterId) ?? []), r]);
    const draws: UnitDraw[] = [];
    const chosen: Array<{ id: number; ord: number }> = [];
    for (const unit of units) {
      const list = byUnit.get(unit.reporterId);
      if (!list) continue;
      const size = Math.min(survey.sampleSize, list.length);
      const picked = drawSample(list, size, unitSeed(seed, unit.orgCode), (r) => r.category);
      picked.forEach((r, i) => chosen.push({ id: r.id, ord: i + 1 }));
      draws.push({
        reporterId: unit.reporterId,
        orgName: unit.orgName,
        listed: list.length,
        sampled: size,
        shortfall: survey.sampleSize - size,
      });
    }
    // Links printed for an earlier draw go with it (nothing has been answered: the survey is a draft).
    await tx.execute(
      sql`update survey_tokens set voided_at = ${actor.at} where survey_id = ${surveyId} and voided_at is null`,
    );
    await tx.execute(sql`update survey_respondents set sample_order = null where survey_id = ${surveyId}`);
    const payload = JSON.stringify(chosen);
    await tx.execute(sql`
      update survey_respondents r set sample_order = x.ord
      from jsonb_to_recordset(${payload}::jsonb) as x(id int, ord int) where r.id = x.id`);
    await tx.update(surveys).set({ seed, sampledAt: actor.at }).where(eq(surveys.id, surveyId));
    await writeAudit(tx, actor, {
      action: 'survey.sample',
      targetType: 'survey',
      targetId: surveyId,
      scopePath: campaign.organizerPath,
      detail: {
        seed,
        previousSeed: survey.seed,
        sampleSize: survey.sampleSize,
        units: draws.length,
        sampled: chosen.length,
      },
    });
    return { seed, units: draws };
  });
}
