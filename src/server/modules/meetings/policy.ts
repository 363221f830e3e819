import { AppError } from '../../../domain/errors';
import { pathWithin, type Role } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

const READERS: readonly Role[] = ['org_admin', 'leader', 'assessor', 'observer'];
/** The presiding secretary and committee members comment (R-MEET-3); in the product they sign in as 领导/审核人. */
const COMMENTERS: readonly Role[] = ['org_admin', 'leader'];

/** The meeting belongs to the user's level or below: the campaign's organizer lies in the user's subtree. */
const covers = (user: AuthUser, organizerPath: string) => pathWithin(organizerPath, user.scopePath);

export const canManage = (user: AuthUser, organizerPath: string) =>
  user.role === 'org_admin' && covers(user, organizerPath);
export const canComment = (user: AuthUser, organizerPath: string) =>
  COMMENTERS.includes(user.role) && covers(user, organizerPath);
export const canRead = (user: AuthUser, organizerPath: string) =>
  READERS.includes(user.role) && covers(user, organizerPath);

export function assertManage(user: AuthUser, organizerPath: string) {
  if (!canManage(user, organizerPath)) throw new AppError('FORBIDDEN', '无权管理该述职评议会');
}
export function assertComment(user: AuthUser, organizerPath: string) {
  if (!canComment(user, organizerPath)) throw new AppError('FORBIDDEN', '无权记录该述职评议会的点评');
}
export function assertRead(user: AuthUser, organizerPath: string) {
  if (!canRead(user, organizerPath)) throw new AppError('FORBIDDEN', '无权查看该述职评议会');
}
