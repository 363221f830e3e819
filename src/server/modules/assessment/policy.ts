import { AppError } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';
import type { CampaignRef } from './repo';

const deny = (message: string) => new AppError('FORBIDDEN', message);

/** The campaign belongs to the user's level or below: its organizer lies in the user's subtree. */
const covers = (user: AuthUser, c: Pick<CampaignRef, 'organizerPath'>) => pathWithin(c.organizerPath, user.scopePath);

/** Checklists, teams, reopening: the organization department of the organizing level (or above). */
export const canOrganize = (user: AuthUser, c: Pick<CampaignRef, 'organizerPath'>) =>
  user.role === 'org_admin' && covers(user, c);
export function assertOrganize(user: AuthUser, c: CampaignRef) {
  if (!canOrganize(user, c)) throw deny('无权管理该述职评议考核的实地考核');
}

/** Reading every team's scores and progress: the organizer's admins and leaders. Never a secretary (grades before lock). */
export function canViewAll(user: AuthUser, c: Pick<CampaignRef, 'organizerPath'>) {
  return (user.role === 'org_admin' || user.role === 'leader') && covers(user, c);
}

export function assertViewAll(user: AuthUser, c: CampaignRef) {
  if (!canViewAll(user, c)) throw deny('无权查看该述职评议考核的实地考核情况');
}

/**
 * Scoring progress: those who see all, or an assessor who sits on one of this campaign's teams. Another county's
 * assessor used to get a 200 with an empty list for any campaign (found by the access matrix).
 */
export function assertViewProgress(user: AuthUser, c: CampaignRef, memberOfCampaignTeam: boolean) {
  if (canViewAll(user, c)) return;
  if (user.role === 'assessor' && memberOfCampaignTeam) return;
  throw deny('无权查看该述职评议考核的实地考核情况');
}

/** One reporter's sheet: those who see all, or an assessor of the team assigned to it. */
export function assertViewReporter(user: AuthUser, c: CampaignRef, isMember: boolean) {
  if (canViewAll(user, c)) return;
  if (user.role === 'assessor' && isMember) return;
  throw deny('无权查看该述职对象的实地考核评分');
}

/** The phone scoring section of the web (which sheets: the teams the assessor sits on). */
export const scoresAssessments = (user: Pick<AuthUser, 'role'>) => user.role === 'assessor';

/** Scoring: only an assessor who is a member of the team the reporter is assigned to. */
export function assertScore(user: AuthUser, isMember: boolean) {
  if (user.role !== 'assessor' || !isMember) throw deny('只有负责该述职对象的考评组成员可以评分');
}

export function assertNotArchived(c: CampaignRef) {
  if (c.state === 'archived') throw new AppError('CAMPAIGN_ARCHIVED');
}
