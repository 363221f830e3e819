import { AppError } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

const SCOPED_READERS = new Set(['org_admin', 'leader', 'assessor', 'observer']);

/** Who may read an organization: scoped roles their subtree, a secretary their own organization. */
export function canReadOrg(user: AuthUser, orgPath: string): boolean {
  if (SCOPED_READERS.has(user.role)) return pathWithin(orgPath, user.scopePath);
  if (user.role === 'secretary') return orgPath === user.scopePath;
  return false;
}

export function canWriteOrg(user: AuthUser, orgPath: string): boolean {
  return user.role === 'org_admin' && pathWithin(orgPath, user.scopePath);
}

export function assertRead(user: AuthUser, orgPath: string) {
  if (!canReadOrg(user, orgPath)) throw new AppError('FORBIDDEN', '无权查看该组织', 403);
}
export function assertWrite(user: AuthUser, orgPath: string) {
  if (!canWriteOrg(user, orgPath)) throw new AppError('FORBIDDEN', '无权修改该组织', 403);
}
export function assertTreeReader(user: AuthUser) {
  if (!SCOPED_READERS.has(user.role) && user.role !== 'secretary') {
    throw new AppError('FORBIDDEN', '当前角色无权查看组织架构', 403);
  }
  if (!user.scopePath) throw new AppError('FORBIDDEN', '账号未设置管理范围，请联系管理员', 403);
}
