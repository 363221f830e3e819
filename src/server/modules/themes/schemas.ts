import { z } from 'zod';

/**
 * Request and response shapes of the comment-themes routes (群众意见归纳, decision 026). The web client imports the
 * inferred types (`import type`), so a change here shows up in its type check.
 */

export const Id = z.coerce.number().int().positive({ message: '编号无效' });
export const IdParams = z.object({ id: Id });
export const ReporterParams = z.object({ id: Id, orgId: Id });
export const RoundQuery = z.object({ roundId: Id.optional() });

export const StartJobIn = z.object({ roundId: Id.nullable().optional() }).default({});
export const DraftIn = z.object({ orgId: Id, themeId: z.number().int().positive(), roundId: Id.nullable().optional() });
export const MergeDraftIn = z.object({ itemId: Id });
export const RejectDraftIn = z.object({ reason: z.string().trim().min(1, '请填写不采纳的理由').max(2000) });

export const JobStartedOut = z.object({ id: z.number(), state: z.literal('running') });
export const DraftOut = z.object({ id: z.number(), key: z.string() });
export const OkOut = z.object({ ok: z.literal(true) });

const CampaignOut = z.object({ id: z.number(), title: z.string(), year: z.number() });
const Tag = z.object({ tag: z.string(), count: z.number() });
const Quotes = z.object({ count: z.number(), quotes: z.array(z.string()) });

export const JobHeadOut = z.object({
  id: z.number(),
  state: z.string(),
  progress: z.number(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const OverviewThemeOut = z.object({
  id: z.number(),
  label: z.string(),
  keywords: z.array(z.string()),
  count: z.number(),
  tags: z.array(Tag),
  quotes: z.array(z.string()),
  reporters: z.array(z.object({ reporterId: z.number(), orgId: z.number(), orgName: z.string(), count: z.number() })),
});

/** The organizer's view: the latest job's progress and the top themes of the newest finished one. */
export const OverviewOut = z.object({
  campaign: CampaignOut,
  rounds: z.array(z.object({ id: z.number(), title: z.string() })),
  job: JobHeadOut.nullable(),
  result: z
    .object({
      jobId: z.number(),
      finishedAt: z.string().nullable(),
      total: z.number(),
      noProblem: z.number(),
      sources: z.object({ ballot: z.number(), comment: z.number(), field: z.number() }),
      themes: z.array(OverviewThemeOut),
      more: z.number(),
      other: Quotes,
      copies: z.array(
        z.object({
          text: z.string(),
          count: z.number(),
          reporters: z.array(z.object({ orgName: z.string(), count: z.number() })),
        }),
      ),
      reporters: z.array(
        z.object({ reporterId: z.number(), orgId: z.number(), orgName: z.string(), total: z.number() }),
      ),
    })
    .nullable(),
});

/** One reporter's themes with its own counts and quotes. */
export const ReporterThemesOut = z.object({
  jobId: z.number(),
  finishedAt: z.string().nullable(),
  campaign: CampaignOut,
  reporterId: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  total: z.number(),
  noProblem: z.number(),
  themes: z.array(
    z.object({
      id: z.number(),
      label: z.string(),
      keywords: z.array(z.string()),
      tags: z.array(Tag),
      count: z.number(),
      quotes: z.array(z.string()),
    }),
  ),
  other: Quotes,
  tags: z.array(Tag),
  copies: z.array(z.object({ text: z.string(), count: z.number(), suspicious: z.boolean() })),
});

export const SuggestionsOut = z.object({
  year: z.number(),
  suggestions: z.array(
    z.object({ themeId: z.number(), label: z.string(), count: z.number(), reporters: z.number(), text: z.string() }),
  ),
});
