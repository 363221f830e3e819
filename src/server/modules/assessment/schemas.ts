import { z } from 'zod';
import { SECTOR_CODES } from '../../../domain/org-taxonomy';
import { Id } from '../../http/schemas';
import { StepPhaseOut } from '../campaigns/schemas';

/**
 * Request and response shapes of the assessment routes (checklists, teams, progress, scoring). The web client imports
 * the inferred types (`import type`), so a change here shows up in its type check.
 */

const Text = (max: number) => z.string().trim().min(1).max(max);
const Search = z.string().trim().max(100).optional();
const Offset = z.coerce.number().int().min(0).max(10_000_000).default(0);
const Limit = (max: number, def: number) => z.coerce.number().int().min(1).max(max).default(def);
export const Ok = z.object({ ok: z.literal(true) });
export const IdOut = z.object({ id: z.number() });

export const AppliesTo = z
  .object({
    tierKeys: z.array(Text(50)).max(50).optional(),
    sectors: z.array(z.enum(SECTOR_CODES)).max(20).optional(),
  })
  .strict();
// Points and methods are checked by the domain (src/domain/checklist.ts) so the messages are the organizers' words.
export const Item = z
  .object({
    section: z.string().max(50),
    title: z.string().max(200),
    maxPoints: z.number(),
    guidance: z.string().max(1000).optional(),
    method: z.string().max(20),
  })
  .strict();
export const ItemPatch = Item.partial()
  .extend({ position: z.number().int().min(0).max(1000).optional() })
  .strict();
export const ChecklistIn = z
  .object({ title: Text(100), appliesTo: AppliesTo.default({}), items: z.array(Item).max(200).default([]) })
  .strict();
export const ChecklistPatch = z
  .object({
    title: Text(100).optional(),
    appliesTo: AppliesTo.optional(),
    position: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

export const ItemOut = z.object({
  id: z.number(),
  checklistId: z.number(),
  section: z.string(),
  position: z.number(),
  title: z.string(),
  maxPoints: z.number(),
  guidance: z.string(),
  method: z.string(),
  methodLabel: z.string(),
});
export const SectionOut = z.object({ section: z.string(), items: z.number(), points: z.number() });
export const CampaignOut = z.object({
  id: z.number(),
  title: z.string(),
  year: z.number(),
  state: z.string(),
  organizerName: z.string(),
});
export const STATUSES = ['unassigned', 'not_started', 'in_progress', 'completed'] as const;
export type ProgressStatus = (typeof STATUSES)[number];

export const ChecklistOut = z.object({
  id: z.number(),
  title: z.string(),
  appliesTo: z.object({ tierKeys: z.array(z.string()).optional(), sectors: z.array(z.string()).optional() }),
  position: z.number(),
  total: z.number(),
  sections: z.array(SectionOut),
  items: z.array(ItemOut),
});
export const ChecklistsOut = z.object({
  campaign: CampaignOut,
  tiers: z.array(z.object({ key: z.string(), label: z.string() })),
  templateKinds: z.array(z.object({ code: z.string(), label: z.string() })),
  checklists: z.array(ChecklistOut),
});

// —— Teams ——
export const TeamBody = z
  .object({
    name: Text(50),
    leaderName: z.string().trim().max(50).nullable().optional(),
    memberIds: z.array(Id).max(50).default([]),
    reporterIds: z.array(Id).max(2000).default([]),
  })
  .strict();
export const TeamPatch = z
  .object({
    name: Text(50).optional(),
    leaderName: z.string().trim().max(50).nullable().optional(),
    memberIds: z.array(Id).max(50).optional(),
    reporterIds: z.array(Id).max(2000).optional(),
  })
  .strict();
export const TeamsQuery = z.object({ q: Search, offset: Offset, limit: Limit(200, 50) });
export const TeamOut = z.object({
  id: z.number(),
  name: z.string(),
  leaderName: z.string().nullable(),
  members: z.array(z.object({ id: z.number(), displayName: z.string(), username: z.string() })),
  reporters: z.array(z.object({ id: z.number(), orgName: z.string(), completed: z.boolean() })),
  assigned: z.number(),
  completed: z.number(),
});
export const TeamsOut = z.object({ items: z.array(TeamOut), total: z.number() });
export const CandidatesQuery = z.object({ q: Search });
export const CandidateOut = z.object({
  id: z.number(),
  displayName: z.string(),
  username: z.string(),
  scopeOrgName: z.string().nullable(),
});
export const CandidatesOut = z.object({ items: z.array(CandidateOut) });

// —— Progress ——
export const ProgressRowOut = z.object({
  reporterId: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  secretaryName: z.string().nullable(),
  tierKey: z.string(),
  sector: z.string(),
  teamId: z.number().nullable(),
  teamName: z.string().nullable(),
  checklistId: z.number().nullable(),
  checklistTitle: z.string().nullable(),
  items: z.number(),
  scored: z.number(),
  failed: z.number(),
  score: z.number(),
  maxScored: z.number(),
  percent: z.number().nullable(),
  status: z.enum(STATUSES),
  completedAt: z.string().nullable(),
});
const ProgressFilterFields = { q: Search, teamId: Id.optional(), status: z.enum(STATUSES).optional() };
export const ProgressFilterQuery = z.object(ProgressFilterFields);
export const ProgressQuery = z.object({ ...ProgressFilterFields, offset: Offset, limit: Limit(1000, 50) });
export const ProgressOut = z.object({
  campaign: CampaignOut,
  items: z.array(ProgressRowOut),
  total: z.number(),
  canViewAll: z.boolean(),
  summary: z.object({ total: z.number(), byStatus: z.record(z.string(), z.number()) }),
});

// —— Scoring (phone) ——
export const MyAssignmentsOut = z.object({
  teams: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      leaderName: z.string().nullable(),
      campaignId: z.number(),
      campaignTitle: z.string(),
      /** The phase scoring belongs to (R-CAMP-8): what the team waits for, or until when it scores. */
      phase: StepPhaseOut.nullable(),
      reporters: z.array(
        z.object({
          reporterId: z.number(),
          orgName: z.string(),
          secretaryName: z.string().nullable(),
          items: z.number(),
          scored: z.number(),
          failed: z.number(),
          status: z.enum(STATUSES),
          completedAt: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export const PhotoOut = z.object({ id: z.number(), fileName: z.string(), size: z.number() });
export const ScoreOut = z.object({
  id: z.number(),
  itemId: z.number(),
  score: z.number(),
  failed: z.boolean(),
  note: z.string().nullable(),
  clientId: z.string().nullable(),
  scoredByName: z.string().nullable(),
  scoredAt: z.string(),
  photos: z.array(PhotoOut),
});
export const SheetOut = z.object({
  reporter: z.object({
    id: z.number(),
    orgName: z.string(),
    secretaryName: z.string().nullable(),
    tierKey: z.string(),
    teamId: z.number().nullable(),
    teamName: z.string().nullable(),
    completedAt: z.string().nullable(),
    completedByName: z.string().nullable(),
  }),
  campaign: z.object({ id: z.number(), title: z.string(), year: z.number(), state: z.string() }),
  checklist: z
    .object({ id: z.number(), title: z.string(), total: z.number(), sections: z.array(SectionOut) })
    .nullable(),
  items: z.array(ItemOut),
  scores: z.array(ScoreOut),
  summary: z.object({ items: z.number(), scored: z.number(), failed: z.number(), score: z.number() }),
  canScore: z.boolean(),
  canReopen: z.boolean(),
});
export const ScoreIn = z
  .object({
    itemId: Id,
    score: z.number(),
    failed: z.boolean().default(false),
    note: z.string().max(2000).nullable().optional(),
    clientId: z.uuid(),
    scoredAt: z.iso.datetime().optional(),
  })
  .strict();
export const SavedScoreOut = z.object({
  id: z.number(),
  itemId: z.number(),
  score: z.number(),
  failed: z.boolean(),
  note: z.string().nullable(),
  clientId: z.string(),
  scoredAt: z.string(),
  duplicate: z.boolean(),
});
export const CompletedOut = z.object({ completedAt: z.string() });
export const ReopenIn = z.object({ reason: Text(500) }).strict();
