import { AppError } from '../../../domain/errors';
import { pathWithin, type Role } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

/** Running a survey (questionnaire, respondent lists, sampling, links, paper entry) is the organizer's department. */
export const canManage = (user: AuthUser, organizerPath: string) =>
  user.role === 'org_admin' && pathWithin(organizerPath, user.scopePath);

/** Counts and results (never respondent names): scoped readers of the organizer's subtree. */
const READERS: readonly Role[] = ['org_admin', 'leader', 'assessor', 'observer'];
export const canRead = (user: AuthUser, organizerPath: string) =>
  READERS.includes(user.role) && pathWithin(organizerPath, user.scopePath);

export function assertManage(user: AuthUser, organizerPath: string) {
  if (!canManage(user, organizerPath)) throw new AppError('FORBIDDEN', '无权管理该满意度调查');
}

export function assertRead(user: AuthUser, organizerPath: string) {
  if (!canRead(user, organizerPath)) throw new AppError('FORBIDDEN', '无权查看该满意度调查');
}
