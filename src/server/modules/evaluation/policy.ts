import { AppError } from '../../../domain/errors';
import { pathWithin, type Role } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

/**
 * Who sees the composite evaluation of a campaign (R-GRADE-4: grades stay hidden from reporters until the lock).
 * The organizer's staff and the committee members (leader) and observers of the organizer's level or above read
 * everything; assessors score on site but do not see grades; secretaries see only their own final grade and
 * opinion, and only after the lock (see my-result.ts).
 */
const READERS: readonly Role[] = ['org_admin', 'leader', 'observer'];

const covers = (user: AuthUser, organizerPath: string) => pathWithin(organizerPath, user.scopePath);

export const canRead = (user: AuthUser, organizerPath: string) =>
  READERS.includes(user.role) && covers(user, organizerPath);
export const canManage = (user: AuthUser, organizerPath: string) =>
  user.role === 'org_admin' && covers(user, organizerPath);
/** Committee members mark 同意/有疑问 before the meeting; in the product they sign in as 领导/审核人. */
export const canReview = (user: AuthUser, organizerPath: string) =>
  user.role === 'leader' && covers(user, organizerPath);

export function assertRead(user: AuthUser, organizerPath: string) {
  if (!canRead(user, organizerPath)) throw new AppError('FORBIDDEN', '无权查看该考核的综合评价');
}
export function assertManage(user: AuthUser, organizerPath: string) {
  if (!canManage(user, organizerPath)) throw new AppError('FORBIDDEN', '无权管理该考核的综合评价');
}
export function assertReview(user: AuthUser, organizerPath: string) {
  if (!canReview(user, organizerPath)) throw new AppError('FORBIDDEN', '只有党委（党组）成员可以对建议等次表态');
}
