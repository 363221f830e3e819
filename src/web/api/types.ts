import type { z } from 'zod';
import type { PasswordState } from '../../domain/password-policy';
import type { AccountAction, Role } from '../../domain/roles';
import type { AuditEntryOut } from '../../server/modules/audit/routes';
import type { SessionOut } from '../../server/modules/auth/routes';

export type { AccountAction, PasswordState, Role };

export type SessionResponse = z.infer<typeof SessionOut>;
export type SessionUser = SessionResponse['user'];
/** What the signed-in user may do, decided by the server from each module's policy (decision 025). */
export type Abilities = SessionResponse['abilities'];
export type Section = Abilities['sections'][number];

export interface SecurityPolicy {
  passwordRule: string;
  passwordMaxAgeDays: number;
  passwordWarnDays: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  lockoutGlobalAttempts: number;
  idleTimeoutMinutes: number;
  loginRatePerMinute: number;
}

export interface Option {
  code: string;
  label: string;
}

export interface Meta {
  kinds: Option[];
  sectors: Option[];
  levels: Option[];
  roles: Option[];
  /** The vote page's configured address (PUBLIC_URL) and what is wrong with it; absent until /api/meta answered. */
  vote?: { publicUrl: string | null; warning: string | null };
}

export interface OrgNode {
  id: number;
  parentId: number | null;
  name: string;
  code: string;
  kind: string;
  sector: string;
  level: string;
  childCount: number;
}

export interface OrgSearchHit extends OrgNode {
  pathNames: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Secretary {
  id: number;
  name: string;
  position: string;
  /** YYYY-MM-DD */
  tenureStart: string;
  tenureEnd: string | null;
  phone: string | null;
}

export interface Member {
  id: number;
  name: string;
  position: string;
  phone: string | null;
}

export interface OrgDetail {
  org: OrgNode & { createdAt?: string };
  ancestors: { id: number; name: string }[];
  secretary: Secretary | null;
  secretaryHistory: Secretary[];
  members: Member[];
}

export interface OrgInput {
  name: string;
  code: string;
  kind: string;
  sector: string;
  level: string;
}

export interface SecretaryInput {
  name: string;
  position: string;
  tenureStart: string;
  phone?: string | null;
}

export interface MemberInput {
  name: string;
  position: string;
  phone?: string | null;
}

export interface ImportResult {
  orgs: number;
  secretaries: number;
}

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scopeOrgId: number | null;
  scopeOrgName: string | null;
  orgId: number | null;
  orgName: string | null;
  lockedUntil: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
  /** What the signed-in user may do to this account (decided by the server, decision 019). */
  actions: Exclude<AccountAction, 'create'>[];
}

export interface AccountCreateInput {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  scopeOrgId?: number | null;
  orgId?: number | null;
}

export interface AccountUpdateInput {
  displayName?: string;
  role?: Role;
  scopeOrgId?: number | null;
  orgId?: number | null;
  disabled?: boolean;
}

export type AuditEntry = z.infer<typeof AuditEntryOut>;

export interface AuditQuery {
  q?: string;
  action?: string;
  actor?: string;
  result?: 'success' | 'failure';
  from?: string;
  to?: string;
  offset: number;
  limit: number;
}
