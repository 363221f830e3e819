import { AppError } from '../../../domain/errors';
import { pathWithin, type Role } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';
import type { CampaignRef } from '../oversight/repo';

const deny = (message: string) => new AppError('FORBIDDEN', message);
const covers = (user: AuthUser, c: Pick<CampaignRef, 'organizerPath'>) => pathWithin(c.organizerPath, user.scopePath);
const READ_ROLES: readonly Role[] = ['org_admin', 'leader'];

/** The organizing level's organization department applies the results (R-USE-1…5) and writes the summary (R-SUM-1). */
export const canManageResults = (user: AuthUser, c: Pick<CampaignRef, 'organizerPath'>) =>
  user.role === 'org_admin' && covers(user, c);
export function assertManageResults(user: AuthUser, c: CampaignRef) {
  if (!canManageResults(user, c)) throw deny('无权办理该述职评议考核的结果运用');
}

export const canViewResults = (user: AuthUser, c: Pick<CampaignRef, 'organizerPath'>) =>
  READ_ROLES.includes(user.role) && covers(user, c);
export function assertViewResults(user: AuthUser, c: CampaignRef) {
  if (!canViewResults(user, c)) throw deny('无权查看该述职评议考核的结果运用');
}

/**
 * The level above receives the summary report (R-SUM-2): an organization-department account whose subtree holds
 * the organizer's upper organization — so the organizer's own staff cannot mark their own report as received.
 */
/** Receives summary reports from lower levels somewhere (assertReceiveSummary decides for one report). */
export const receivesSummaries = (user: Pick<AuthUser, 'role'>) => user.role === 'org_admin';
export function assertReceiveSummary(user: AuthUser, parentPath: string | null) {
  if (user.role !== 'org_admin' || !parentPath || !pathWithin(parentPath, user.scopePath)) {
    throw deny('只有上级组织部门可以接收总结报告');
  }
}
