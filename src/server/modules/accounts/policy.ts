import { AppError, notFound } from '../../../domain/errors';
import {
  type AccountAction,
  accountActionsOf,
  mayActOnAccount,
  onBranch,
  pathWithin,
  type Role,
  ROLES,
} from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

/**
 * 三员分立 for accounts (decision 019): what each role may do is in src/domain/roles.ts (duties and ranks); here the
 * scope and self rules. A target is within reach when its tree path lies in the actor's subtree (a system-level 三员
 * account, scope '/', reaches every account, also those bound to no organization).
 */
export interface AccountTarget {
  id: number;
  role: Role;
  path: string | null;
}

/** The security settings (read-only) are the 安全管理员's (decision 019). */
export const SECURITY_SETTINGS_READER: Role = 'security_admin';
export const readsSecuritySettings = (user: Pick<AuthUser, 'role'>) => user.role === SECURITY_SETTINGS_READER;

export function assertAccountDuty(user: AuthUser, ...actions: AccountAction[]) {
  const mine = accountActionsOf(user.role);
  if (!user.scopePath || !actions.some((a) => mine.includes(a)))
    throw new AppError('FORBIDDEN', '当前角色无权管理账号');
}

export const withinReach = (actor: AuthUser, path: string | null) =>
  actor.scopePath === '/' || (!!path && pathWithin(path, actor.scopePath));

/**
 * An account (or organization, `what`) of another county is answered as a missing id, so the answer does not tell
 * which exist (issue 15); one on the actor's own branch but out of reach (a superior's) keeps the 403.
 */
export function assertAccountInScope(actor: AuthUser, path: string | null, what = '账号') {
  if (actor.scopePath !== '/' && path && !onBranch(path, actor.scopePath)) throw notFound(what);
  if (!withinReach(actor, path)) throw new AppError('FORBIDDEN', '该账号不在您的管理范围内');
}

/** Whether `actor` may perform `action` on `target`: in scope, not their own account, and of a lower rank. */
export function mayAct(actor: AuthUser, action: AccountAction, target: AccountTarget): boolean {
  return target.id !== actor.id && withinReach(actor, target.path) && mayActOnAccount(actor.role, action, target.role);
}

export function assertMayAct(actor: AuthUser, action: AccountAction, target: AccountTarget) {
  assertAccountInScope(actor, target.path);
  if (target.id === actor.id) {
    throw new AppError('FORBIDDEN', '不能在账号管理中修改自己的账号（修改本人密码请使用“修改密码”）');
  }
  if (!mayActOnAccount(actor.role, action, target.role)) {
    throw new AppError(
      'FORBIDDEN',
      `${ROLES[actor.role]}无权对${ROLES[target.role]}账号进行此操作（三员分立：不能管理同级或更高级别的账号）`,
    );
  }
}

/** Roles `actor` may give a new account or change an account to (strictly below its own rank). */
export function assertMayAssign(actor: AuthUser, role: Role, action: 'create' | 'role') {
  if (!mayActOnAccount(actor.role, action, role)) {
    throw new AppError('FORBIDDEN', `${ROLES[actor.role]}不能授予「${ROLES[role]}」角色`, { field: 'role' });
  }
}
