import { z } from 'zod';
import { FILING_STATES } from '../../../domain/campaign-phases';
import { Id } from '../../http/schemas';
import { StepPhaseOut } from '../campaigns/schemas';

/**
 * Request and response shapes of the oversight routes (observers, tasks, research visits, progress). The web client
 * imports the inferred types (`import type`), so a change here shows up in its type check.
 */

const Text = (max: number) => z.string().trim().min(1).max(max);
const IsoDate = z.iso.date('日期格式应为 YYYY-MM-DD');
const Offset = z.coerce.number().int().min(0).max(10_000_000).default(0);
const Limit = (max: number, def: number) => z.coerce.number().int().min(1).max(max).default(def);
const Search = z.string().trim().max(100).optional();
const BoolQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const CAMPAIGN_STATES = ['draft', 'published', 'closed', 'archived'] as const;

export const CampaignOut = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  title: z.string(),
  year: z.number(),
  state: z.string(),
  organizerOrgId: z.number(),
  organizerName: z.string(),
});
export const PhaseWindowOut = z
  .object({ start: z.string().nullable(), end: z.string().nullable(), state: z.string().nullable() })
  .nullable();
export const AssignmentOut = z.object({
  id: z.number(),
  userId: z.number(),
  userName: z.string(),
  username: z.string(),
  role: z.string(),
  groupName: z.string().nullable(),
  isLeader: z.boolean(),
  note: z.string().nullable(),
  subCampaignId: z.number(),
  subCampaignTitle: z.string(),
  organizerName: z.string(),
  organizerLevel: z.string(),
  meeting: PhaseWindowOut,
  completeBy: z.string().nullable(),
  observationNote: z.string().nullable(),
  observedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const GroupOut = z.object({
  groupName: z.string().nullable(),
  leaderName: z.string().nullable(),
  members: z.array(z.string()),
  subCampaigns: z.array(
    z.object({ id: z.number(), organizerName: z.string(), meeting: PhaseWindowOut, completeBy: z.string().nullable() }),
  ),
  assignments: z.number(),
});
export const TaskOut = z.object({
  id: z.number(),
  campaignId: z.number(),
  campaignTitle: z.string(),
  senderName: z.string(),
  subCampaignId: z.number(),
  subCampaignTitle: z.string(),
  subCampaignState: z.string(),
  organizerName: z.string(),
  groupName: z.string().nullable(),
  isLeader: z.boolean(),
  leaderName: z.string().nullable(),
  note: z.string().nullable(),
  meeting: PhaseWindowOut,
  meetings: z.array(z.object({ title: z.string(), date: z.string(), place: z.string() })),
  completeBy: z.string().nullable(),
  observationNote: z.string().nullable(),
  observedAt: z.string().nullable(),
  meetingPhase: StepPhaseOut.nullable(),
});
export const VisitOut = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  visitedOn: z.string(),
  visitors: z.string(),
  seen: z.string(),
  authorId: z.number(),
  authorName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  problems: z.array(z.object({ id: z.number(), text: z.string() })),
  canEdit: z.boolean(),
});
export const ProgressRowOut = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  depth: z.number(),
  title: z.string(),
  year: z.number(),
  state: z.string(),
  filingState: z.string(),
  completeBy: z.string().nullable(),
  overdue: z.boolean(),
  organizerOrgId: z.number(),
  organizerName: z.string(),
  organizerLevel: z.string(),
  phasesTotal: z.number(),
  phasesClosed: z.number(),
  openPhases: z.array(z.object({ key: z.string(), label: z.string() })),
  /** The next phase still to begin by its dates (R-CAMP-8), or null. */
  waiting: z.object({ key: z.string(), label: z.string(), start: z.string() }).nullable(),
  /** Results due upward (R-SUM-2): this level's 总结 phase end, and whether its summary went up. */
  resultsDue: z.string().nullable(),
  summaryState: z.string().nullable(),
  resultsOverdue: z.boolean(),
  reporters: z.number(),
  observers: z.number(),
});
export const ProgressFilterFields = {
  q: Search,
  state: z.enum(CAMPAIGN_STATES).optional(),
  filing: z.enum(FILING_STATES).optional(),
  overdue: BoolQuery,
};
export const ProgressFilterQuery = z.object(ProgressFilterFields);
const Problems = z.array(Text(1000)).max(50);

// —— Observers ——
export const ObserversQuery = z.object({
  q: Search,
  groupName: z.string().trim().max(50).optional(),
  offset: Offset,
  limit: Limit(200, 50),
});
export const ObserversOut = z.object({
  campaign: CampaignOut,
  items: z.array(AssignmentOut),
  total: z.number(),
  groups: z.array(GroupOut),
});
export const CandidatesQuery = z.object({ q: Search });
export const CandidateOut = z.object({
  id: z.number(),
  displayName: z.string(),
  username: z.string(),
  role: z.string(),
  scopeOrgName: z.string().nullable(),
});
export const CandidatesOut = z.object({ items: z.array(CandidateOut) });
export const AssignIn = z
  .object({
    userIds: z.array(Id).min(1).max(50),
    subCampaignIds: z.array(Id).min(1).max(200),
    groupName: z.string().trim().max(50).nullable().optional(),
    leaderUserId: Id.nullable().optional(),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
export const AssignOut = z.object({ created: z.number(), ids: z.array(z.number()) });
export const AssignmentParams = z.object({ id: Id, assignmentId: Id });
export const OkOut = z.object({ ok: z.boolean() });

// —— Tasks ——
export const TasksQuery = z.object({
  q: Search,
  status: z.enum(['pending', 'recorded']).optional(),
  offset: Offset,
  limit: Limit(100, 20),
});
export const TasksOut = z.object({ items: z.array(TaskOut), total: z.number() });
export const ObservationIn = z.object({ note: Text(5000) }).strict();
export const ObservationOut = z.object({ id: z.number(), observationNote: z.string(), observedAt: z.string() });

// —— Research visits ——
export const VisitsQuery = z.object({
  q: Search,
  orgId: Id.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  offset: Offset,
  limit: Limit(100, 20),
});
export const VisitsOut = z.object({
  campaign: CampaignOut.extend({ organizerPath: z.string() }),
  items: z.array(VisitOut),
  total: z.number(),
});
export const VisitIn = z
  .object({ orgId: Id, visitedOn: IsoDate, visitors: Text(200), seen: Text(5000), problems: Problems.default([]) })
  .strict();
export const VisitCreatedOut = z.object({ id: z.number(), problemIds: z.array(z.number()) });
export const VisitParams = z.object({ id: Id, visitId: Id });
export const VisitPatchIn = z
  .object({
    orgId: Id.optional(),
    visitedOn: IsoDate.optional(),
    visitors: Text(200).optional(),
    seen: Text(5000).optional(),
    problems: z
      .array(z.object({ id: Id.optional(), text: Text(1000) }).strict())
      .max(50)
      .optional(),
  })
  .strict();
export const IdOut = z.object({ id: z.number() });

// —— Progress ——
export const ProgressQuery = z.object({ ...ProgressFilterFields, offset: Offset, limit: Limit(1000, 50) });
export const ProgressSummaryOut = z.object({
  total: z.number(),
  subCampaigns: z.number(),
  overdue: z.number(),
  byState: z.record(z.string(), z.number()),
  byFiling: z.record(z.string(), z.number()),
  reporters: z.number(),
  observers: z.number(),
});
export const ProgressOut = z.object({
  campaign: CampaignOut,
  today: z.string(),
  summary: ProgressSummaryOut,
  items: z.array(ProgressRowOut),
  total: z.number(),
});
