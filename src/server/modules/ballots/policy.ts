import { AppError } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

const SCOPED_READERS = new Set(['org_admin', 'leader', 'assessor', 'observer']);

/** Running the vote (codes, open/close, paper entry, results) is the organizer's organization department. */
export const canManageRounds = (user: AuthUser, organizerPath: string) =>
  user.role === 'org_admin' && pathWithin(organizerPath, user.scopePath);

export function assertManage(user: AuthUser, organizerPath: string) {
  if (!canManageRounds(user, organizerPath)) {
    throw new AppError('FORBIDDEN', '无权管理该述职评议会的测评');
  }
}

/** Live counts and released results: scoped readers of the organizer's subtree. */
export function assertRead(user: AuthUser, organizerPath: string) {
  if (!SCOPED_READERS.has(user.role) || !pathWithin(organizerPath, user.scopePath)) {
    throw new AppError('FORBIDDEN', '无权查看该述职评议会的测评');
  }
}
