/**
 * Which of a campaign's pages the user can open, from each module's own policy: the page offers only those, so a
 * leader, assessor or observer is never shown a button that leads to 无权访问 (decision: the server tells the page
 * what the user may do; the page does not guess from the role).
 */
import type { AuthUser } from '../../http/context';
import { canOrganize as canOrganizeAssessment, canViewAll as canViewAssessment } from '../assessment/policy';
import { canRead as canReadEvaluation } from '../evaluation/policy';
import { canRead as canReadMeetings } from '../meetings/policy';
import { canManageObservers, canViewProgress, canVisits } from '../oversight/policy';
import { isOrganizerAdmin as organizesRectification } from '../rectification/policy';
import { canManageResults, canViewResults } from '../results/policy';
import { canRead as canReadSurveys } from '../surveys/policy';
import { type CampaignAccess, canWriteCampaign } from './policy';

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

/**
 * What the user may do on the campaign's pages beyond opening them, from the same policies the routes check (decision
 * 025): the pages offer these actions instead of testing the role.
 */
export function campaignAbilities(user: AuthUser, organizerPath: string, access: CampaignAccess) {
  const c = { organizerPath };
  const full = access === 'full';
  return {
    /** Plan, scope, publication, phases, reporters and filings (the buttons of the detail page). */
    manage: full && canWriteCampaign(user, organizerPath),
    /** Checklists and teams of 实地考核. */
    organizeAssessment: full && canOrganizeAssessment(user, c),
    /** Flags, follow-ups, 重点管理, 平行考核 and the summary report of 结果运用. */
    manageResults: full && canManageResults(user, c),
    /** Carry-over, 通报 and the publication of 公开承诺 of 问题整改. */
    organizeRectification: full && organizesRectification(user, organizerPath),
  };
}
export type CampaignAbilities = ReturnType<typeof campaignAbilities>;
