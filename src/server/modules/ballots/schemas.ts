/**
 * Request and response shapes of the ballot rounds (/api/meetings/:id/ballot-rounds, /api/ballot-rounds, /api/vote).
 * The web infers its types from here (`import type`, decision 025); this file imports only zod, src/domain and other
 * schemas.ts files, so the web's program stays free of server code.
 */
import { z } from 'zod';
import { GRADES } from '../../../domain/grades';
import { Id } from '../../http/schemas';

/** Every state a round's row holds (the response schemas and the web's types take them from here). */
export const ROUND_STATES = ['draft', 'open', 'closing', 'closed', 'released', 'void', 'purged'] as const;
export type RoundState = (typeof ROUND_STATES)[number];
/** A rehearsal round (purged afterwards) or the one real round of a meeting. */
export const ROUND_MODES = ['rehearsal', 'real'] as const;
export type RoundMode = (typeof ROUND_MODES)[number];

/** A count of ballots or papers. */
export const TallyCount = z.number().int().min(0).max(100_000);
/** The longest problem or suggestion one ballot may carry. */
export const MAX_BALLOT_TEXT = 500;

export const RoundOut = z.object({
  id: z.number(),
  meetingId: z.number(),
  mode: z.enum(ROUND_MODES),
  state: z.enum(ROUND_STATES),
  stateLabel: z.string(),
  roomCode: z.string(),
  anonymity: z.unknown(),
  attendees: z.number().nullable(),
  paperCounts: z.unknown(),
  mismatches: z.unknown(),
  explanation: z.string().nullable(),
  openedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  releasedAt: z.date().nullable(),
  /** What the close did for ballot secrecy, and what the server keeps regardless (decision 017). */
  secrecy: z
    .object({
      mixed: z.number(),
      walPurged: z.boolean(),
      warnings: z.array(z.string()),
      at: z.string(),
      mixMs: z.number(),
      walMs: z.number(),
    })
    .nullable(),
});
export const RoundsOut = z.object({ items: z.array(RoundOut) });
export const CodeCountOut = z.object({ category: z.string(), issued: z.number(), used: z.number() });
export const RoundDetailOut = RoundOut.extend({ codes: z.array(CodeCountOut) });

/** The console's live counts (`event: counts` on GET /api/meetings/:id/live, R-VOTE-5): per reporter, never grades. */
export const LiveCountsOut = z.object({
  roundId: z.number().nullable(),
  mode: z.enum(ROUND_MODES).nullable(),
  state: z.enum(ROUND_STATES).nullable(),
  codes: z.array(CodeCountOut),
  /** `waiting`: ballots held in the casting process for their batch (mixer.ts), not stored yet. */
  reporters: z.array(z.object({ reporterId: z.number(), name: z.string(), received: z.number(), waiting: z.number() })),
});

// —— The organizer's requests ——
export const RoundCreateIn = z.object({ mode: z.enum(ROUND_MODES) }).strict();
/** A batch of codes for one category (the answer is the PDF of slips). */
export const CodesIn = z
  .object({ category: z.string().min(1).max(64), count: z.number().int().min(1).max(2000) })
  .strict();
export const EmptyIn = z.object({}).strict().optional();
export const CloseIn = z.object({ attendees: TallyCount.optional() }).strict();
export const ReleaseIn = z.object({ explanation: z.string().max(2000).optional() }).strict();
/** Paper forms issued and collected, per category. */
export const RoundPaperCountsIn = z
  .object({ counts: z.record(z.string().max(64), z.object({ issued: TallyCount, collected: TallyCount }).strict()) })
  .strict();
export const PurgeIn = z.object({ confirm: z.literal(true) }).strict();
export const PurgedOut = z.object({ ballots: z.number() });
export const ReconciliationQuery = z.object({ attendees: z.coerce.number().int().min(0).max(100_000).optional() });
export const BallotText = z.string().max(MAX_BALLOT_TEXT, `不能超过${MAX_BALLOT_TEXT}字`).optional();
/** What a voter's phone sends with every request: the printed code and the room's code. */
export const VoteAuth = {
  code: z.string().min(1, '请输入投票码').max(40),
  roomCode: z.string().min(1, '请输入会场码').max(12),
};
/** A refusal as the voter's phone shows it. */
export const Problem = z.object({ code: z.string(), message: z.string() });

// —— The phone page (public) ——
export const VoteSheetIn = z.object(VoteAuth).strict();
/** The ballot form of one code: the reporters to rate, and each one's form wording. */
export const VoteSheetOut = z.object({
  meetingTitle: z.string(),
  categoryLabel: z.string(),
  rehearsal: z.boolean(),
  reporters: z.array(
    z.object({
      reporterId: z.number(),
      name: z.string(),
      secretaryName: z.string().nullable(),
      downward: z.boolean(),
      done: z.boolean(),
      form: z.object({
        title: z.string(),
        overall: z.string(),
        problems: z.string(),
        suggestions: z.string(),
        note: z.string(),
      }),
    }),
  ),
});
export const CastIn = z
  .object({
    ...VoteAuth,
    ballots: z
      .array(
        z
          .object({
            reporterId: Id,
            grade: z.enum(GRADES),
            problems: BallotText,
            suggestions: BallotText,
          })
          .strict(),
      )
      .min(1, '请至少评价一位述职对象')
      .max(200),
  })
  .strict();
/** What a cast answers (200, or 202 while some ballots wait for their group): reporter ids by outcome. */
export const CastOut = z.object({
  accepted: z.array(z.number()),
  alreadyVoted: z.array(z.number()),
  pending: z.array(z.number()),
});
export const ReconciliationOut = z.object({
  codes: z.array(CodeCountOut),
  reporters: z.array(
    z.object({
      reporterId: z.number(),
      name: z.string(),
      ballotsCounted: z.number(),
      void: z.boolean(),
      mismatches: z.array(Problem),
    }),
  ),
});
/** One tally line (src/domain/tally.ts): counts and percentages for every grade. */
export const TallyRowOut = z.object({
  valid: z.number(),
  invalid: z.number(),
  counts: z.record(z.enum(GRADES), z.number()),
  percents: z.record(z.enum(GRADES), z.number()),
  averageOrPoor: z.number(),
  averageOrPoorPercent: z.number(),
});
export const RoundResultsOut = z.object({
  round: z.object({
    id: z.number(),
    mode: z.enum(ROUND_MODES),
    state: z.enum(ROUND_STATES),
    explanation: z.string().nullable(),
    mismatches: z.unknown(),
  }),
  meetingTitle: z.string(),
  minGroupSize: z.number(),
  note: z.string(),
  scoreFormula: z.object({ unweighted: z.string(), weighted: z.string() }),
  results: z.array(
    z.object({
      reporterId: z.string(),
      name: z.string(),
      downward: z.boolean(),
      rank: z.number(),
      score: z.number(),
      overall: TallyRowOut,
      byCategory: z.array(TallyRowOut.extend({ category: z.string(), label: z.string() })),
      pooled: z.object({ labels: z.array(z.string()), row: TallyRowOut.nullable() }).nullable(),
      problems: z.array(z.string()).nullable(),
      suggestions: z.array(z.string()).nullable(),
    }),
  ),
});
export const PaperCounts = z
  .object({ good: TallyCount, fair: TallyCount, average: TallyCount, poor: TallyCount, invalid: TallyCount })
  .strict();

/** Paper tallies (R-VOTE-4): one reporter × category of paper forms, entered twice by two clerks. */
export const PaperCountsIn = PaperCounts;
export const PaperTallyIn = z
  .object({
    reporterId: Id,
    category: z.string().min(1).max(64),
    counts: PaperCountsIn,
    problems: z.array(z.string().max(MAX_BALLOT_TEXT)).max(2000).default([]),
    suggestions: z.array(z.string().max(MAX_BALLOT_TEXT)).max(2000).default([]),
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
