import type { z } from 'zod';
import type { PasswordState } from '../../domain/password-policy';
import type { AccountAction, Role } from '../../domain/roles';
import type { AuditEntryOut } from '../../server/modules/audit/schemas';
import type { SessionOut } from '../../server/modules/auth/schemas';
import type {
  AccountCreateIn,
  AccountOut,
  AccountUpdateIn,
  SecurityPolicyOut,
} from '../../server/modules/accounts/schemas';
import type {
  ImportJobOut,
  ImportResult as ImportResultSchema,
  MemberIn,
  MemberOut,
  OrgDetailOut,
  OrgIn,
  OrgNode as OrgNodeSchema,
  OrgSearchHitOut,
  SecretaryIn,
  SecretaryOut,
} from '../../server/modules/organizations/schemas';

/** What JSON makes of a response type the server's schema declares: dates arrive as ISO strings. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type { AccountAction, PasswordState, Role };

export type SessionResponse = z.infer<typeof SessionOut>;
export type SessionUser = SessionResponse['user'];
/** What the signed-in user may do, decided by the server from each module's policy (decision 025). */
export type Abilities = SessionResponse['abilities'];
export type Section = Abilities['sections'][number];

export type SecurityPolicy = z.infer<typeof SecurityPolicyOut>;

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

// Organizations (organizations/schemas.ts) and accounts (accounts/schemas.ts): inferred from the server's schemas.
export type OrgNode = z.infer<typeof OrgNodeSchema>;
export type OrgSearchHit = z.infer<typeof OrgSearchHitOut>;

export interface Page<T> {
  items: T[];
  total: number;
}

/** `tenureStart` and `tenureEnd` are YYYY-MM-DD. */
export type Secretary = z.infer<typeof SecretaryOut>;
export type Member = z.infer<typeof MemberOut>;
export type OrgDetail = z.infer<typeof OrgDetailOut>;
/** The codes are the strings of /api/meta's option lists; the server's schema checks them against its enums. */
export type OrgInput = Omit<z.input<typeof OrgIn>, 'kind' | 'sector' | 'level'> & {
  kind: string;
  sector: string;
  level: string;
};
export type SecretaryInput = z.input<typeof SecretaryIn>;
export type MemberInput = z.input<typeof MemberIn>;
export type ImportResult = z.infer<typeof ImportResultSchema>;
export type ImportJob = z.infer<typeof ImportJobOut>;

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

/** `actions`: what the signed-in user may do to this account (decided by the server, decision 019). */
export type Account = z.infer<typeof AccountOut>;
export type AccountCreateInput = z.input<typeof AccountCreateIn>;
export type AccountUpdateInput = z.input<typeof AccountUpdateIn>;

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
