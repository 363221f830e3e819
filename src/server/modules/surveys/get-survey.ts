import type { Db } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { canManage, assertRead } from './policy';
import { emptyUnitCounts, getSurvey, listItems, stateLabel, surveyUnits, unitCounts } from './repo';

/** The survey page: questionnaire, seed and per-unit counts (list, sample, links, responses). No names. */
export async function getSurveyDetail(db: Db, user: AuthUser, id: number) {
  const { survey, campaign } = await getSurvey(db, id, { viewer: user });
  assertRead(user, campaign.organizerPath);
  const counts = await unitCounts(db, id);
  const units = await surveyUnits(db, survey.campaignId);
  return {
    survey: {
      id: survey.id,
      campaignId: survey.campaignId,
      title: survey.title,
      state: survey.state,
      stateLabel: stateLabel(survey.state),
      sampleSize: survey.sampleSize,
      seed: survey.seed,
      sampledAt: survey.sampledAt,
      openedAt: survey.openedAt,
      closedAt: survey.closedAt,
    },
    campaign: {
      id: campaign.id,
      title: campaign.title,
      organizerName: campaign.organizerName,
      surveyEnabled: !!campaign.settings.survey?.enabled,
    },
    canManage: canManage(user, campaign.organizerPath),
    items: (await listItems(db, id)).map((i) => ({ id: i.id, position: i.position, text: i.text })),
    units: units.map((u) => {
      const c = counts.get(u.reporterId) ?? emptyUnitCounts(u.reporterId);
      return {
        ...c,
        orgName: u.orgName,
        orgCode: u.orgCode,
        role: u.role,
        needsDraw: c.listed > 0 && c.sampled === 0,
        paperRoom: Math.max(0, c.sampled - c.tokensLive - c.paperResponses),
      };
    }),
  };
}
