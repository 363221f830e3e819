import { AppError } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

const SCOPED_READERS = new Set(['org_admin', 'leader', 'assessor', 'observer']);

/**
 * 'full' for scoped roles whose subtree contains the organizer (a county admin therefore reads its
 * townships' sub-campaigns); 'summary' for a secretary whose organization reports in the campaign;
 * null otherwise. The auditor reads the audit log, not campaigns.
 */
export type CampaignAccess = 'full' | 'summary' | null;

export function campaignAccess(user: AuthUser, organizerPath: string, isReporterOrg: boolean): CampaignAccess {
  if (SCOPED_READERS.has(user.role)) return pathWithin(organizerPath, user.scopePath) ? 'full' : null;
  if (user.role === 'secretary') return isReporterOrg ? 'summary' : null;
  return null;
}

export function canWriteCampaign(user: AuthUser, organizerPath: string): boolean {
  return user.role === 'org_admin' && pathWithin(organizerPath, user.scopePath);
}

/** Reads campaigns at all (which ones: campaignAccess). */
export const canReadCampaigns = (user: Pick<AuthUser, 'role'>) =>
  SCOPED_READERS.has(user.role) || user.role === 'secretary';
/** Creates campaigns (for which organizer: assertCreate). */
export const canCreateCampaigns = (user: Pick<AuthUser, 'role'>) => user.role === 'org_admin';

export function assertCampaignReader(user: AuthUser) {
  if (!SCOPED_READERS.has(user.role) && user.role !== 'secretary') {
    throw new AppError('FORBIDDEN', '当前角色无权查看述职评议考核');
  }
  if (!user.scopePath) throw new AppError('FORBIDDEN', '账号未设置管理范围，请联系管理员');
}

export function assertFullRead(user: AuthUser, organizerPath: string) {
  if (campaignAccess(user, organizerPath, false) !== 'full') {
    throw new AppError('FORBIDDEN', '无权查看该述职评议考核');
  }
}

export function assertWrite(user: AuthUser, organizerPath: string) {
  if (!canWriteCampaign(user, organizerPath)) throw new AppError('FORBIDDEN', '无权修改该述职评议考核');
}

/** The organizer may create a campaign for itself or any body in its subtree. */
export function assertCreate(user: AuthUser, organizerPath: string) {
  if (!canWriteCampaign(user, organizerPath)) {
    throw new AppError('FORBIDDEN', '只能为本级或下级党组织创建述职评议考核');
  }
}
