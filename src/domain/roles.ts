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
