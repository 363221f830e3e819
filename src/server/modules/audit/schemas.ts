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

/** The export: the filters, every matching row. */
export const AuditExportQuery = z.object(AuditFilters);
/** The search: the filters and a page. */
export const AuditQuery = z.object({
  ...AuditFilters,
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const AuditPageOut = z.object({ items: z.array(AuditEntryOut), total: z.number() });

/** The chain check (decision 013) and this process's anchors (decision 016), as `npm run audit:verify` reports them. */
export const ChainReportOut = z.object({
  ok: z.boolean(),
  checked: z.number(),
  head: z.number().nullable(),
  tail: z.object({ seq: z.number(), hash: z.string().nullable() }).nullable(),
  algs: z.record(z.string(), z.number()),
  /** Signed anchors of the chain head kept outside the database (decision 016); null when not set up. */
  anchors: z
    .object({
      total: z.number(),
      purged: z.number(),
      lastSeq: z.number().nullable(),
      lastAt: z.string().nullable(),
      unanchoredFrom: z.number().nullable(),
      keyId: z.string().nullable(),
    })
    .nullable(),
  breakCount: z.number(),
  /** Breaks per reason (unsealed, anchor_mismatch, …). */
  reasons: z.record(z.string(), z.number()),
  breaks: z.array(z.object({ seq: z.number(), reason: z.string(), message: z.string() })),
});
