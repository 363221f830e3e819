/**
 * Which of a campaign's pages the user can open, from each module's own policy: the page offers only those, so a
 * leader, assessor or observer is never shown a button that leads to 无权访问 (decision: the server tells the page
 * what the user may do; the page does not guess from the role).
 */
import type { AuthUser } from '../../http/context';
import { canViewAll as canViewAssessment } from '../assessment/policy';
import { canRead as canReadEvaluation } from '../evaluation/policy';
import { canRead as canReadMeetings } from '../meetings/policy';
import { canManageObservers, canViewProgress, canVisits } from '../oversight/policy';
import { canViewResults } from '../results/policy';
import { canRead as canReadSurveys } from '../surveys/policy';
import type { CampaignAccess } from './policy';

export function campaignPages(user: AuthUser, organizerPath: string, access: CampaignAccess) {
  const c = { organizerPath };
  const full = access === 'full';
  return {
    progress: full && canViewProgress(user, c),
    meetings: full && canReadMeetings(user, organizerPath),
    evaluation: full && canReadEvaluation(user, organizerPath),
    /** A reporting organization's secretary: its own grade and opinion once locked (evaluation/my-result.ts). */
    myResult: access === 'summary',
    observers: full && canManageObservers(user, c),
    visits: full && canVisits(user, c),
    surveys: full && canReadSurveys(user, organizerPath),
    assessment: full && canViewAssessment(user, c),
    /** Scoped readers see every item in their subtree; a secretary its own organization's. */
    rectification: access !== null,
    results: full && canViewResults(user, c),
  };
}
export type CampaignPages = ReturnType<typeof campaignPages>;
