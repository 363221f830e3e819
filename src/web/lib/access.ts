import type { Role } from '../api/types';

export type Section = 'assess' | 'orgs' | 'campaigns' | 'reports' | 'rectification' | 'accounts' | 'audit' | 'tasks';

/**
 * Which sections each role opens. Mirrors the server's policies (the server decides; this only
 * hides what would be refused). 三员分立 (decision 019): the 安全审计员 reads the audit log and nothing
 * else; the 系统管理员 keeps accounts and the organization tree; the 安全管理员 roles, unlocking and
 * forced password changes on the accounts page; the business 组织部管理员 keeps the business accounts
 * below it. Every business role reads the organization tree within its scope (a secretary: their own).
 */
const SECTIONS: Record<Section, readonly Role[]> = {
  // 实地考核 on the phone: first for assessors, so it is their home page.
  assess: ['assessor'],
  orgs: ['org_admin', 'secretary', 'leader', 'assessor', 'observer', 'sys_admin'],
  // 述职评议考核: organized by the department admin, followed by leaders, assessors and observers;
  // a secretary sees the campaigns its organization reports in (phases and requirements only).
  campaigns: ['org_admin', 'leader', 'assessor', 'observer', 'secretary'],
  // 述职报告: secretaries write, leaders and admins review, everyone in scope reads what is published (R-REP-7).
  reports: ['org_admin', 'secretary', 'leader', 'assessor', 'observer'],
  // 问题整改 (R-FIX): secretaries keep their own lists, the upper level verifies, observers read.
  rectification: ['org_admin', 'secretary', 'leader', 'assessor', 'observer'],
  accounts: ['org_admin', 'sys_admin', 'security_admin'],
  audit: ['auditor'],
  // 我的任务: observer assignments (R-CAMP-6); any staff role can be sent, so it is last and never the home page.
  tasks: ['org_admin', 'leader', 'assessor', 'observer'],
};

export const SECTION_PATHS: Record<Section, string> = {
  orgs: '/orgs',
  campaigns: '/campaigns',
  reports: '/reports',
  rectification: '/rectification',
  assess: '/assess',
  accounts: '/accounts',
  audit: '/audit',
  tasks: '/my-tasks',
};

export const canOpen = (role: Role, section: Section) => SECTIONS[section].includes(role);

export const sectionsFor = (role: Role): Section[] =>
  (Object.keys(SECTIONS) as Section[]).filter((s) => canOpen(role, s));

export function homePath(role: Role): string {
  const first = sectionsFor(role)[0];
  return first ? SECTION_PATHS[first] : '/no-access';
}

/** The organization department admin and the 系统管理员 change organizations, secretaries and members. */
export const canEditOrgs = (role: Role) => role === 'org_admin' || role === 'sys_admin';

/** Creating a campaign, editing its plan, publishing, phases, scope and filings: the department admin. */
export const canCreateCampaigns = (role: Role) => role === 'org_admin';
export const canManageCampaigns = (role: Role) => role === 'org_admin';
