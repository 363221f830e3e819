import { AppError } from '../../../domain/errors';
import { pathWithin, type Role } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

const SCOPED_READERS = new Set<Role>(['org_admin', 'leader', 'assessor', 'observer', 'sys_admin']);
/** Organization data is kept by the business 组织部管理员 and by the 系统管理员 (三员分立, decision 019). */
export const ORG_WRITERS = new Set<Role>(['org_admin', 'sys_admin']);
/** The 安全管理员 browses the tree (names only) to bind an account whose role they change; no details. */
const TREE_ONLY = new Set<Role>(['security_admin']);

/** Who may read an organization: scoped roles their subtree, a secretary their own organization. */
export function canReadOrg(user: AuthUser, orgPath: string): boolean {
  if (SCOPED_READERS.has(user.role)) return pathWithin(orgPath, user.scopePath);
  if (user.role === 'secretary') return orgPath === user.scopePath;
  return false;
}

export function canWriteOrg(user: AuthUser, orgPath: string): boolean {
  return ORG_WRITERS.has(user.role) && pathWithin(orgPath, user.scopePath);
}

/** Tree nodes (name, code, kind) for browsing and search; more than canReadOrg only for TREE_ONLY roles. */
/** The organization section of the web: scoped readers browse their subtree; a secretary sees only their own. */
export const canOpenOrgSection = (user: Pick<AuthUser, 'role'>) =>
  SCOPED_READERS.has(user.role) || user.role === 'secretary';
/** Reads only its own organization (no tree to browse). */
export const readsOwnOrgOnly = (user: Pick<AuthUser, 'role'>) => user.role === 'secretary';
/** Edits organizations somewhere (canWriteOrg decides for one organization). */
export const canEditOrgs = (user: Pick<AuthUser, 'role'>) => ORG_WRITERS.has(user.role);

export function assertBrowse(user: AuthUser, orgPath: string) {
  if (!canReadOrg(user, orgPath) && !(TREE_ONLY.has(user.role) && pathWithin(orgPath, user.scopePath))) {
    throw new AppError('FORBIDDEN', '无权查看该组织');
  }
}

export function assertRead(user: AuthUser, orgPath: string) {
  if (!canReadOrg(user, orgPath)) throw new AppError('FORBIDDEN', '无权查看该组织');
}
export function assertWrite(user: AuthUser, orgPath: string) {
  if (!canWriteOrg(user, orgPath)) throw new AppError('FORBIDDEN', '无权修改该组织');
}
export function assertTreeReader(user: AuthUser) {
  if (!SCOPED_READERS.has(user.role) && !TREE_ONLY.has(user.role) && user.role !== 'secretary') {
    throw new AppError('FORBIDDEN', '当前角色无权查看组织架构');
  }
  if (!user.scopePath) throw new AppError('FORBIDDEN', '账号未设置管理范围，请联系管理员');
}
