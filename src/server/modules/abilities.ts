/**
 * What the signed-in user may do, for the web to offer (decision 025, Outline's pattern): each module's policy answers
 * for its own part, the page reads `abilities` and never tests a role. The server still checks every request; this
 * only keeps the page from offering what would be refused. One campaign's pages and abilities come with that
 * campaign (campaignPages/campaignAbilities below), one report's with that report.
 *
 * This file sits beside the module folders, like events.ts, because it composes every module's policy: a module
 * imports only the modules it depends on (the module-direction rule in .dependency-cruiser.cjs), so auth and campaigns,
 * which everyone depends on, cannot name the policies of meetings or results themselves.
 */
import { accountActionsOf, assignableRoles } from '../../domain/roles';
import type { AuthUser } from '../http/context';
import { readsSecuritySettings } from './accounts/policy';
import { canOrganize as canOrganizeAssessment, canViewAll as canViewAssessment } from './assessment/policy';
import { type CampaignAccess, canWriteCampaign } from './campaigns/policy';
import { canRead as canReadEvaluation } from './evaluation/policy';
import { canRead as canReadMeetings } from './meetings/policy';
import { canManageObservers, canViewProgress, canVisits } from './oversight/policy';
import { isOrganizerAdmin as organizesRectification } from './rectification/policy';
import { canManageResults, canViewResults } from './results/policy';
import { canRead as canReadSurveys } from './surveys/policy';
import { scoresAssessments } from './assessment/policy';
import { readsAudit } from './audit/policy';
import { canCreateCampaigns, canReadCampaigns } from './campaigns/policy';
import { canEditOrgs, canOpenOrgSection, readsOwnOrgOnly } from './organizations/policy';
import { hasObserverTasks } from './oversight/policy';
import { canOpenRectification, keepsOwnOrganization } from './rectification/policy';
import { canOpenReports, publishesReports, reviewsReports, writesReports } from './reports/policy';
import { receivesSummaries } from './results/policy';
import { type Abilities, SECTIONS, type Section } from './auth/schemas';

export function userAbilities(user: Pick<AuthUser, 'role'>): Abilities {
  const opens: Record<Section, boolean> = {
    // 实地考核 on the phone: first for assessors, so it is their home page.
    assess: scoresAssessments(user),
    orgs: canOpenOrgSection(user),
    campaigns: canReadCampaigns(user),
    reports: canOpenReports(user),
    rectification: canOpenRectification(user),
    accounts: accountActionsOf(user.role).length > 0,
    audit: readsAudit(user),
    // Any staff role can be sent as an observer, so 我的任务 is last and never the home page.
    tasks: hasObserverTasks(user),
  };
  return {
    sections: SECTIONS.filter((s) => opens[s]),
    orgs: { edit: canEditOrgs(user), ownOnly: readsOwnOrgOnly(user) },
    campaigns: { create: canCreateCampaigns(user), receiveSummaries: receivesSummaries(user) },
    reports: { write: writesReports(user), review: reviewsReports(user), publish: publishesReports(user) },
    rectification: { ownOrganization: keepsOwnOrganization(user) },
    accounts: {
      create: assignableRoles(user.role, 'create'),
      assignRole: assignableRoles(user.role, 'role'),
      securitySettings: readsSecuritySettings(user),
    },
  };
}

/**
 * Which of a campaign's pages the user can open, from each module's own policy: the page offers only those, so a
 * leader, assessor or observer is never shown a button that leads to 无权访问.
 */
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
