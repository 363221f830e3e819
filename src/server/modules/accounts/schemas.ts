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
