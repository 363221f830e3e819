/**
 * What the signed-in user may do, for the web to offer (decision 025, Outline's pattern): each module's policy answers
 * for its own part, the page reads `abilities` and never tests a role. The server still checks every request; this
 * only keeps the page from offering what would be refused. One campaign's abilities come with that campaign
 * (campaigns/pages.ts), one report's with that report.
 */
import { z } from 'zod';
import { accountActionsOf, assignableRoles, ROLE_CODES } from '../../../domain/roles';
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

/** The web's sections in menu order; the first one offered is the user's home page. */
export const SECTIONS = ['assess', 'orgs', 'campaigns', 'reports', 'rectification', 'accounts', 'audit', 'tasks'] as const;
export type Section = (typeof SECTIONS)[number];

const Role = z.enum(ROLE_CODES);
export const AbilitiesOut = z.object({
  /** Sections the menu offers, in menu order. */
  sections: z.array(z.enum(SECTIONS)),
  orgs: z.object({ edit: z.boolean(), ownOnly: z.boolean() }),
  campaigns: z.object({ create: z.boolean(), receiveSummaries: z.boolean() }),
  reports: z.object({ write: z.boolean(), review: z.boolean(), publish: z.boolean() }),
  rectification: z.object({ ownOrganization: z.boolean() }),
  /** Roles this user may give when creating an account / changing a role (decision 019); empty: not their duty. */
  accounts: z.object({ create: z.array(Role), assignRole: z.array(Role), securitySettings: z.boolean() }),
});
export type Abilities = z.infer<typeof AbilitiesOut>;

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
