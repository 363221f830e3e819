/**
 * What the signed-in user may do, for the web to offer (decision 025, Outline's pattern): each module's policy answers
 * for its own part, the page reads `abilities` and never tests a role. The server still checks every request; this
 * only keeps the page from offering what would be refused. One campaign's abilities come with that campaign
 * (campaigns/pages.ts), one report's with that report.
 */
import { accountActionsOf, assignableRoles } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';
import { readsSecuritySettings } from '../accounts/policy';
import { scoresAssessments } from '../assessment/policy';
import { readsAudit } from '../audit/policy';
import { canCreateCampaigns, canReadCampaigns } from '../campaigns/policy';
import { canEditOrgs, canOpenOrgSection, readsOwnOrgOnly } from '../organizations/policy';
import { hasObserverTasks } from '../oversight/policy';
import { canOpenRectification, keepsOwnOrganization } from '../rectification/policy';
import { canOpenReports, publishesReports, reviewsReports, writesReports } from '../reports/policy';
import { receivesSummaries } from '../results/policy';
import { type Abilities, SECTIONS, type Section } from './schemas';

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
