/**
 * Response shapes of /api/auth: the signed-in session and what the user may do. The web infers its types from here
 * (`import type`, decision 025); this file imports only zod, src/domain and other schemas.ts files, so the web's
 * program stays free of server code.
 */
import { z } from 'zod';
import { ROLE_CODES } from '../../../domain/roles';

/** The web's sections in menu order; the first one offered is the user's home page. */
export const SECTIONS = [
  'assess',
  'orgs',
  'campaigns',
  'reports',
  'rectification',
  'accounts',
  'audit',
  'tasks',
] as const;
export type Section = (typeof SECTIONS)[number];

const Role = z.enum(ROLE_CODES);
export const AbilitiesOut = z.object({
  /** Sections the menu offers, in menu order. */
  sections: z.array(z.enum(SECTIONS)),
  orgs: z.object({ edit: z.boolean(), ownOnly: z.boolean() }),
  campaigns: z.object({ create: z.boolean(), receiveSummaries: z.boolean() }),
  reports: z.object({ write: z.boolean(), review: z.boolean(), publish: z.boolean() }),
  rectification: z.object({ ownOrganization: z.boolean() }),
  /** Roles this user may give when creating an account / changing a role (decision 019); empty: not their duty. */
  accounts: z.object({ create: z.array(Role), assignRole: z.array(Role), securitySettings: z.boolean() }),
});
export type Abilities = z.infer<typeof AbilitiesOut>;

export const UserOut = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLE_CODES),
  scopeOrgId: z.number().nullable(),
  orgId: z.number().nullable(),
});

export const PasswordStateOut = z.object({
  mustChange: z.boolean(),
  reason: z.enum(['reset', 'expired']).nullable(),
  expiresAt: z.string().nullable(),
  warn: z.boolean(),
});

export const OkOut = z.object({ ok: z.boolean() });

/** A signed-in session as the web receives it: who, the CSRF token, the password's state and what the user may do. */
export const SessionOut = z.object({
  user: UserOut,
  csrfToken: z.string(),
  password: PasswordStateOut,
  abilities: AbilitiesOut,
});
