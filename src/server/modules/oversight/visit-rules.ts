import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { getOrg } from '../organizations/repo';
import { assertVisits } from './policy';
import { getCampaignRef } from './repo';

/** The visited organization lies below the organizer, inside the campaign's subtree. */
export async function visitedOrgIn(db: DbOrTx, organizerPath: string, orgId: number) {
  const org = await getOrg(db, orgId).catch(() => null);
  if (!org?.path.startsWith(organizerPath) || org.path === organizerPath) {
    throw new AppError('ORG_OUT_OF_SCOPE', '走访对象须是本次述职评议考核范围内的下级党组织', { field: 'orgId' });
  }
  return org;
}

export function assertVisitDate(visitedOn: string, today: string) {
  if (visitedOn > today) throw new AppError('VALIDATION', '走访日期不能晚于今天', { field: 'visitedOn' });
}

export async function visitCampaign(db: DbOrTx, user: AuthUser, campaignId: number) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertVisits(user, campaign);
  return campaign;
}
