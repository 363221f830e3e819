/**
 * Request and response shapes of /api/audit. The web infers its types from here (`import type`, decision 025); this
 * file imports only zod, src/domain and other schemas.ts files, so the web's program stays free of server code.
 */
import { z } from 'zod';

/** The audit page's filters (search and export take the same). */
export const AuditFilters = {
  q: z.string().trim().max(100).optional(),
  action: z.string().trim().max(64).optional(),
  actor: z.string().trim().max(64).optional(),
  result: z.enum(['success', 'failure']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

/** One row of the audit log as the auditor's page shows it (the web infers its type from this). */
export const AuditEntryOut = z.object({
  id: z.number(),
  at: z.string(),
  actorName: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  result: z.string(),
  ip: z.string().nullable(),
  detail: z.unknown(),
});
