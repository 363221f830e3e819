/** Roles of the product. Scope: every role but the auditor is bound to a subtree or an organization. */
export const ROLES = {
  org_admin: '组织部管理员',
  secretary: '书记',
  leader: '领导/审核人',
  assessor: '考评组成员',
  observer: '观察员',
  auditor: '审计员',
} as const;
export type Role = keyof typeof ROLES;
export const ROLE_CODES = Object.keys(ROLES) as [Role, ...Role[]];

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
