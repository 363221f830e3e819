/**
 * Roles of the product (decision 019). The business roles run the 述职评议考核; the three 三员 roles (等保 2.0 separation
 * of duties) run the system: 系统管理员 manages accounts and organization data, 安全管理员 roles, lockouts and forced
 * password changes, 安全审计员 reads the audit log only. Scope: every role is bound to a subtree or an organization,
 * except that a 三员 account without a scope works at system level (every subtree, and the rows of no subtree).
 */
export const ROLES = {
  org_admin: '组织部管理员',
  secretary: '书记',
  leader: '领导/审核人',
  assessor: '考评组成员',
  observer: '观察员',
  sys_admin: '系统管理员',
  security_admin: '安全管理员',
  auditor: '安全审计员',
} as const;
export type Role = keyof typeof ROLES;
export const ROLE_CODES = Object.keys(ROLES) as [Role, ...Role[]];

/** The 三员: peers at the top, so none of them can manage another's account (nor any 三员 account) in the app. */
export const SYSTEM_ROLES: readonly Role[] = ['sys_admin', 'security_admin', 'auditor'];
export const BUSINESS_ROLES: readonly Role[] = ['org_admin', 'secretary', 'leader', 'assessor', 'observer'];

/**
 * Rank for "no role may manage accounts of its own kind or above": the 三员 3, the business 组织部管理员 2, the other
 * business roles 1. An actor acts only on accounts of a lower rank, so two admins of one scope cannot reset each
 * other and nobody in the app can reset, disable or impersonate a 三员 account (the operator's CLI can, audited).
 */
const RANK: Record<Role, number> = {
  secretary: 1,
  leader: 1,
  assessor: 1,
  observer: 1,
  org_admin: 2,
  sys_admin: 3,
  security_admin: 3,
  auditor: 3,
};

/** Account actions, split between who keeps the accounts and who keeps their security. */
export type AccountAction =
  | 'create' // new account with its first role and binding; the password it gets must be changed at first sign-in
  | 'edit' // name and binding (scope / own organization)
  | 'disable' // disable or enable
  | 'password' // set a password (the user must change it at first sign-in)
  | 'role' // change the role
  | 'unlock' // lift sign-in locks
  | 'expire'; // force a password change at next sign-in

const ACCOUNT_DUTIES: Partial<Record<Role, readonly AccountAction[]>> = {
  // The business 组织部管理员 keeps the business accounts below it (secretaries, leaders, assessors, observers).
  org_admin: ['create', 'edit', 'disable', 'password'],
  sys_admin: ['create', 'edit', 'disable', 'password'],
  security_admin: ['role', 'unlock', 'expire'],
};

/** The account actions a role performs at all (on some account). */
export const accountActionsOf = (actor: Role): readonly AccountAction[] => ACCOUNT_DUTIES[actor] ?? [];

/** Whether `actor` may perform `action` on an account whose role is `target` (scope is checked separately). */
export function mayActOnAccount(actor: Role, action: AccountAction, target: Role): boolean {
  return accountActionsOf(actor).includes(action) && RANK[target] < RANK[actor];
}

/** Roles `actor` may give an account (create, or change a role to): strictly below its own rank. */
export function assignableRoles(actor: Role, action: 'create' | 'role'): Role[] {
  if (!accountActionsOf(actor).includes(action)) return [];
  return ROLE_CODES.filter((r) => RANK[r] < RANK[actor]);
}

export const isSystemRole = (role: Role) => SYSTEM_ROLES.includes(role);

/** A subtree `scopePath` contains `path` when path starts with it (paths look like "/1/7/42/"). */
export function pathWithin(path: string, scopePath: string | null | undefined): boolean {
  return !!scopePath && path.startsWith(scopePath);
}

/**
 * Whether `path` lies on the branch of the tree a scope stands on: inside the subtree, or above it (the scope's own
 * superiors, whose campaigns a township or a village takes part in). Anything else is another county's (issue 15).
 */
export function onBranch(path: string, scopePath: string | null | undefined): boolean {
  return !!scopePath && (path.startsWith(scopePath) || scopePath.startsWith(path));
}
