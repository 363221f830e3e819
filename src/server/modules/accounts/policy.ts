import { AppError } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

/** Only an organization-department admin manages accounts, and only inside their own subtree. */
export function assertAccountAdmin(user: AuthUser) {
  if (user.role !== 'org_admin' || !user.scopePath) throw new AppError('FORBIDDEN', '只有组织部管理员可以管理账号', 403);
}

export function assertAccountInScope(admin: AuthUser, targetPath: string | null) {
  if (!targetPath || !pathWithin(targetPath, admin.scopePath)) {
    throw new AppError('FORBIDDEN', '该账号不在您的管理范围内', 403);
  }
}
