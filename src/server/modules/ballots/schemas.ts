import { z } from 'zod';
import { Id } from '../../http/schemas';

/**
 * Request and response shapes of the ballots routes; the web client imports the inferred types (`import type`).
 * Paper tallies (R-VOTE-4): one reporter × category of paper forms, entered twice by two clerks.
 */

const PaperCount = z.number().int().min(0).max(100_000);
const MAX_PAPER_TEXT = 500;
export const PaperCountsIn = z
  .object({ good: PaperCount, fair: PaperCount, average: PaperCount, poor: PaperCount, invalid: PaperCount })
  .strict();
export const PaperTallyIn = z
  .object({
    reporterId: Id,
    category: z.string().min(1).max(64),
    counts: PaperCountsIn,
    problems: z.array(z.string().max(MAX_PAPER_TEXT)).max(2000).default([]),
    suggestions: z.array(z.string().max(MAX_PAPER_TEXT)).max(2000).default([]),
  })
  .strict();
export const PaperTallyParams = z.object({ id: Id, tallyId: Id });
export const PaperPairOut = z.object({
  reporterId: z.number(),
  category: z.string(),
  status: z.enum(['waiting_second', 'matched', 'mismatch']),
  differences: z.array(z.string()),
  entries: z.array(
    z.object({
      id: z.number(),
      entryNo: z.number(),
      enteredBy: z.string(),
      counts: PaperCountsIn,
      problems: z.array(z.string()),
      suggestions: z.array(z.string()),
    }),
  ),
});
export const PaperTalliesOut = z.object({ items: z.array(PaperPairOut) });
export const PaperTallyEnteredOut = z.object({ id: z.number(), entryNo: z.number() });
export const PaperTallyDeletedOut = z.object({ ok: z.literal(true) });
