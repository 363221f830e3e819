import { AppError, notFound } from '../../../domain/errors';
import { onBranch, pathWithin } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

/** Only an organization-department admin manages accounts, and only inside their own subtree. */
export function assertAccountAdmin(user: AuthUser) {
  if (user.role !== 'org_admin' || !user.scopePath) throw new AppError('FORBIDDEN', '只有组织部管理员可以管理账号', 403);
}

/**
 * An account (or organization, `what`) of another county is answered as a missing id, so the answer does not tell
 * which exist (issue 15); one on the admin's own branch but outside the subtree (a superior's) keeps the 403.
 */
export function assertAccountInScope(admin: AuthUser, targetPath: string | null, what = '账号') {
  if (targetPath && !onBranch(targetPath, admin.scopePath)) throw notFound(what);
  if (!targetPath || !pathWithin(targetPath, admin.scopePath)) {
    throw new AppError('FORBIDDEN', '该账号不在您的管理范围内', 403);
  }
}
