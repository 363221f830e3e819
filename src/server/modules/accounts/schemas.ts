/**
 * Request and response shapes of /api/accounts. The web infers its types from here (`import type`, decision 025); this
 * file imports only zod, src/domain and other schemas.ts files, so the web's program stays free of server code.
 */
import { z } from 'zod';
import { type AccountAction, ROLE_CODES } from '../../../domain/roles';
import { Id } from '../../http/schemas';

/** What the account list may offer on a row, in the order the page shows them. */
export const ROW_ACTIONS = [
  'edit',
  'disable',
  'password',
  'role',
  'unlock',
  'expire',
] as const satisfies readonly AccountAction[];

export const AccountOut = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLE_CODES),
  scopeOrgId: z.number().nullable(),
  scopeOrgName: z.string().nullable(),
  orgId: z.number().nullable(),
  orgName: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  /** What the caller may do to this account (三员分立, decision 019); the page offers exactly these. */
  actions: z.array(z.enum(ROW_ACTIONS)),
});
export const AccountCreateIn = z
  .object({
    username: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为3-32位字母、数字、下划线、点或短横线'),
    displayName: z.string().trim().min(1).max(50),
    password: z.string().min(1).max(128),
    role: z.enum(ROLE_CODES),
    scopeOrgId: Id.nullable().optional(),
    orgId: Id.nullable().optional(),
  })
  .strict();
export const AccountUpdateIn = z
  .object({
    displayName: z.string().trim().min(1).max(50).optional(),
    role: z.enum(ROLE_CODES).optional(),
    scopeOrgId: Id.nullable().optional(),
    orgId: Id.nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
/** The account list's filters and page. */
export const AccountsQuery = z.object({
  q: z.string().trim().max(64).optional(),
  role: z.enum(ROLE_CODES).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const AccountsOut = z.object({ items: z.array(AccountOut), total: z.number() });
/** What creating or changing an account answers. */
export const AccountSavedOut = z.object({ user: AccountOut });
export const PasswordIn = z.object({ password: z.string().min(1).max(128) }).strict();
export const OkOut = z.object({ ok: z.boolean() });
export const SecurityPolicyOut = z.object({
  passwordRule: z.string(),
  passwordMaxAgeDays: z.number(),
  passwordWarnDays: z.number(),
  lockoutAttempts: z.number(),
  lockoutMinutes: z.number(),
  lockoutGlobalAttempts: z.number(),
  idleTimeoutMinutes: z.number(),
  loginRatePerMinute: z.number(),
});
