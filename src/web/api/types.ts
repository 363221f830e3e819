import type { z } from 'zod';
import type { PasswordState } from '../../domain/password-policy';
import type { AccountAction, Role } from '../../domain/roles';
import type { AuditEntryOut } from '../../server/modules/audit/schemas';
import type { SessionOut } from '../../server/modules/auth/schemas';
import type { MetaOut, OptionOut } from '../../server/modules/meta/schemas';
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

/**
 * What a page passes for a route's query string, derived from the route's zod schema: its `z.input`, with two
 * readings the client makes true (it writes each value into the URL as `String(value)`). A key the schema coerces
 * (`z.coerce.number()` takes `unknown` as input) takes what the schema makes of it, a number; a 'true'/'false' flag
 * the schema turns into a boolean takes a boolean. Optional keys stay optional (defaults included).
 */
export type QueryIn<S extends z.ZodType> = {
  [K in keyof z.input<S>]: QueryValueIn<z.input<S>[K], K extends keyof z.output<S> ? z.output<S>[K] : never>;
};
type QueryValueIn<In, Out> = unknown extends In
  ? Out | undefined
  : [Exclude<In, undefined>] extends ['true' | 'false']
    ? boolean | Extract<In, undefined>
    : In;

export type { AccountAction, PasswordState, Role };

export type SessionResponse = z.infer<typeof SessionOut>;
export type SessionUser = SessionResponse['user'];
/** What the signed-in user may do, decided by the server from each module's policy (decision 025). */
export type Abilities = SessionResponse['abilities'];
export type Section = Abilities['sections'][number];

export type SecurityPolicy = z.infer<typeof SecurityPolicyOut>;

type MetaAnswer = z.infer<typeof MetaOut>;
export type Option = z.infer<typeof OptionOut>;
/** /api/meta's lists; `vote` (the vote page's configured address) is absent until /api/meta answered. */
export type Meta = Omit<MetaAnswer, 'vote'> & Partial<Pick<MetaAnswer, 'vote'>>;

// Organizations (organizations/schemas.ts) and accounts (accounts/schemas.ts): inferred from the server's schemas.
export type OrgNode = z.infer<typeof OrgNodeSchema>;
export type OrgSearchHit = z.infer<typeof OrgSearchHitOut>;

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

/** One row the org import refused (the IMPORT_INVALID error's `details.errors`). */
export type { ImportRowError } from '../../domain/org-import';

/** `actions`: what the signed-in user may do to this account (decided by the server, decision 019). */
export type Account = z.infer<typeof AccountOut>;
export type AccountCreateInput = z.input<typeof AccountCreateIn>;
export type AccountUpdateInput = z.input<typeof AccountUpdateIn>;

export type AuditEntry = z.infer<typeof AuditEntryOut>;
