import { z } from 'zod';
import { Id } from '../../http/schemas';

/** Request and response shapes of the results routes; the web client infers its types from them. */
const Text = (max: number) => z.string().trim().min(1).max(max);
const IsoDate = z.iso.date('日期格式应为 YYYY-MM-DD');
const Search = z.string().trim().max(100).optional();

export const FlagsQuery = z.object({
  code: z.enum(['no_excellent', 'talk', 'rectify', 'three_years_fair']).optional(),
  q: Search,
});
export const FollowUpsQuery = z.object({
  kind: z.enum(['talk', 'rectify', 'strengthen', 'accountability']).optional(),
  state: z.enum(['open', 'done']).optional(),
  q: Search,
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export const FollowUpRecordIn = z
  .object({
    recordDate: IsoDate,
    recordBy: Text(200),
    recordContent: Text(5000),
    done: z.boolean().default(false),
  })
  .strict();
export const AccountabilityIn = z
  .object({ reporterId: Id, note: Text(5000), dueDate: IsoDate.nullable().default(null) })
  .strict();
export const KeysQuery = z.object({
  state: z.enum(['proposed', 'listed', 'removed', 'upgraded']).optional(),
  sector: z.string().max(40).optional(),
});
export const KeyAddIn = z.object({ orgId: Id, reason: Text(2000) }).strict();
export const KeyActionIn = z.discriminatedUnion('action', [
  z.object({ action: z.literal('remove'), reason: Text(2000) }).strict(),
  z.object({ action: z.literal('confirm') }).strict(),
  z.object({ action: z.literal('upgrade'), note: Text(2000) }).strict(),
]);

export const FlagOut = z.object({
  id: z.number(),
  reporterId: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  orgCode: z.string(),
  secretaryName: z.string().nullable(),
  grade: z.string().nullable(),
  code: z.string(),
  label: z.string(),
  detail: z.string(),
});
export const FollowUpOut = z.object({
  id: z.number(),
  campaignId: z.number(),
  reporterId: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  assigneeOrgId: z.number(),
  assigneeName: z.string(),
  kind: z.string(),
  dueDate: z.string().nullable(),
  state: z.string(),
  overdue: z.boolean(),
  recordDate: z.string().nullable(),
  recordBy: z.string().nullable(),
  recordContent: z.string().nullable(),
});
export const KeyItemOut = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  sector: z.string(),
  sectorLabel: z.string(),
  compositeRank: z.number().nullable(),
  state: z.string(),
  stateLabel: z.string(),
  addedManually: z.boolean(),
  reason: z.string().nullable(),
  upgradeNote: z.string().nullable(),
  grade: z.string().nullable(),
  composite: z.number().nullable(),
  /** The round the organization reported in (a lower round's, when the list is decided across them). */
  roundName: z.string().nullable(),
});
/** Which organizations the list is chosen from (R-USE-4): this round, or every lower round on one scale (004). */
export const KeyScopeOut = z.object({
  mode: z.string(),
  label: z.string(),
  rounds: z.number(),
  unlocked: z.array(z.string()),
  decidedAbove: z.string().nullable(),
});
export const KeySectorOut = z.object({
  sector: z.string(),
  sectorLabel: z.string(),
  total: z.number(),
  required: z.number(),
  listed: z.number(),
  onList: z.number(),
  short: z.number(),
});
export const HonoursBody = z
  .object({
    places: z.record(z.string().max(64), z.number().int('名额应为整数').min(0, '名额不能为负').max(100_000)),
  })
  .strict();
export const HonourOut = z.object({
  key: z.string(),
  label: z.string(),
  places: z.number(),
  margin: z.number(),
  candidates: z.number(),
});
export const ParallelRowOut = z.object({
  orgId: z.number(),
  orgCode: z.string(),
  name: z.string(),
  partyRank: z.number().nullable(),
  partyScore: z.number().nullable(),
  grade: z.string().nullable(),
  gradeLabel: z.string().nullable(),
  performanceRank: z.number().nullable(),
  performanceScore: z.number().nullable(),
  converted: z.number().nullable(),
  /** Per honour key: candidate within 1:margin by performance, honoured after the veto, and why. */
  honours: z.record(z.string(), z.object({ candidate: z.boolean(), honour: z.boolean(), note: z.string() })),
});
/** The keys of SUMMARY_SECTIONS (summary-report.ts), repeated here so the web client imports no server code. */
export const SectionKeys = ['overview', 'achievements', 'problems', 'nextSteps'] as const;
/** Saving the summary: any of its sections' texts. */
export const SummaryIn = z
  .object(
    Object.fromEntries(SectionKeys.map((k) => [k, z.string().max(20_000).optional()])) as Record<
      (typeof SectionKeys)[number],
      z.ZodOptional<z.ZodString>
    >,
  )
  .strict();
/** The upper body outside this deployment, for a top organizer (000 §8); the settings' value when not given. */
export const SummarySubmitIn = z
  .object({ recipient: z.string().trim().max(100, '上级党组织名称不能超过100字').optional() })
  .strict();
export const SummaryOut = z.object({
  campaignId: z.number(),
  title: z.string(),
  organizerName: z.string(),
  state: z.string(),
  dueDate: z.string().nullable(),
  /** Who signs: a township's own committee (中共××镇委员会), from the county up its organization department. */
  signature: z.string(),
  /** Where the report goes: the parent organization here, or an upper body outside this deployment (000 §8). */
  upperLevel: z.object({ name: z.string().nullable(), inDeployment: z.boolean() }),
  resultsDueDate: z.string().nullable(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  sections: z.record(z.string(), z.string()),
  submittedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  figures: z.object({
    reporters: z.number(),
    meetings: z.number(),
    ballots: z.number(),
    ballotForms: z.object({ phone: z.number(), paper: z.number() }),
    ballotRatings: z.object({ phone: z.number(), paper: z.number(), valid: z.number() }),
    fieldDone: z.number(),
    surveyResponses: z.number(),
    items: z.number(),
    closed: z.number(),
    grades: z.record(z.string(), z.number()),
  }),
});

const Count = z.number();
export const DashboardOut = z.object({
  campaign: z.object({
    id: z.number(),
    title: z.string(),
    year: z.number(),
    parentId: z.number().nullable(),
    organizerName: z.string(),
  }),
  locked: z.boolean(),
  gradeBySector: z.array(
    z.object({
      sector: z.string(),
      sectorLabel: z.string(),
      good: Count,
      fair: Count,
      average: Count,
      poor: Count,
      ungraded: Count,
    }),
  ),
  rectification: z.array(
    z.object({ orgId: z.number(), orgName: z.string(), total: Count, closed: Count, pending: Count, overdue: Count }),
  ),
  keyManagement: z.array(z.object({ sector: z.string(), sectorLabel: z.string(), listed: Count, upgraded: Count })),
  subCampaigns: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      organizerName: z.string(),
      state: z.string(),
      reporters: Count,
      graded: Count,
      items: Count,
      closed: Count,
      overdue: Count,
    }),
  ),
  years: z.array(z.number()),
  rankChanges: z.array(
    z.object({
      orgId: z.number(),
      orgName: z.string(),
      ranks: z.record(z.string(), z.number()),
      change: z.number().nullable(),
    }),
  ),
});

// —— Small answers of the results routes ——
export const FlagsOut = z.object({ items: z.array(FlagOut) });
export const FollowUpsOut = z.object({ items: z.array(FollowUpOut) });
export const DeriveOut = z.object({ flags: z.number(), followUps: z.number() });
export const IdStateOut = z.object({ id: z.number(), state: z.string() });
export const IdOut = z.object({ id: z.number() });
export const ProposeOut = z.object({
  added: z.number(),
  sectors: z.array(z.object({ sector: z.string(), total: z.number(), required: z.number(), listed: z.number() })),
});
export const KeysOut = z.object({ scope: KeyScopeOut, items: z.array(KeyItemOut), sectors: z.array(KeySectorOut) });
export const PerformanceImportOut = z.object({ imported: z.number(), rankedFromScores: z.boolean() });
export const SavedCountOut = z.object({ saved: z.number() });
export const ParallelOut = z.object({
  locked: z.boolean(),
  ratio: z.number(),
  imported: z.number(),
  honours: z.array(HonourOut),
  rows: z.array(ParallelRowOut),
});
export const SavedOut = z.object({ saved: z.boolean() });
export const SubmittedOut = z.object({ state: z.string(), recipient: z.string().nullable() });
export const StateOut = z.object({ state: z.string() });
export const InboxOut = z.object({
  items: z.array(
    z.object({
      campaignId: z.number(),
      title: z.string(),
      year: z.number(),
      organizerName: z.string(),
      state: z.string(),
      submittedAt: z.string(),
    }),
  ),
});
