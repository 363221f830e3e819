/**
 * Request and response shapes of /api/campaigns and /api/campaign-templates. The web pages import
 * the inferred types from here (`import type`), so a change shows up in their type check.
 */
import { z } from 'zod';
import { Id } from '../../http/schemas';
import { FILING_STATES, PHASE_ACTIONS, PHASE_KEYS } from '../../../domain/campaign-phases';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { orgMatchSchema } from '../../../domain/routes';
import { KIND_CODES, SECTOR_CODES } from '../../../domain/org-taxonomy';

export const Reason = z.string().trim().min(1, '请填写理由').max(500);
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), '不是有效日期');

export const CAMPAIGN_STATES = ['draft', 'published', 'closed', 'archived'] as const;
export { FILING_STATES, FILING_STATE_LABELS } from '../../../domain/campaign-phases';

const Line = z.object({ label: z.string(), value: z.string() });
const OrgRefOut = z.object({ id: z.number(), name: z.string() });

export const TemplateOut = z.object({
  id: z.string(),
  seedId: z.string(),
  name: z.string(),
  description: z.string(),
  lines: z.array(Line),
});

export const CampaignSummary = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  title: z.string(),
  year: z.number(),
  templateId: z.string(),
  state: z.enum(CAMPAIGN_STATES),
  stateLabel: z.string(),
  organizer: OrgRefOut,
  filingState: z.enum(FILING_STATES),
  filingStateLabel: z.string(),
  /** Deadline for this level from the parent's organizing stages (R-CAMP-2). */
  completeBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type CampaignSummaryT = z.infer<typeof CampaignSummary>;

const PhaseStatus = z.enum(['not_started', 'open', 'ended', 'closed']);
export const PhaseOut = z.object({
  key: z.enum(PHASE_KEYS),
  label: z.string(),
  start: z.string(),
  end: z.string(),
  /** The end in the plan, before any extension. */
  plannedEnd: z.string(),
  /** What the organizer did (stored). */
  state: z.enum(['not_started', 'open', 'closed']),
  stateLabel: z.string(),
  /** What the phase is today: dates decide unless overridden (R-CAMP-8). */
  status: PhaseStatus,
  statusLabel: z.string(),
  openedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  reopenReason: z.string().nullable(),
  overrides: z.array(
    z.object({
      kind: z.enum(['open_early', 'extend', 'reopen']),
      on: z.string(),
      reason: z.string(),
      by: z.string().nullable(),
      end: z.object({ from: z.string(), to: z.string() }).optional(),
    }),
  ),
});

/** On a task list: the phase the task's next step belongs to, and what it waits for (R-CAMP-8). */
export const StepPhaseOut = z.object({
  key: z.enum(PHASE_KEYS),
  label: z.string(),
  start: z.string(),
  end: z.string(),
  status: PhaseStatus,
  statusLabel: z.string(),
  allowed: z.boolean(),
  note: z.string(),
});
export type StepPhaseOutT = z.infer<typeof StepPhaseOut>;

/** The same phases at the other levels of the tree (R-CAMP-8): the level above and the sub-rounds, grouped by dates. */
export const LevelPhasesOut = z.object({
  relation: z.enum(['parent', 'children']),
  label: z.string(),
  organizers: z.array(z.string()),
  completeBy: z.string().nullable(),
  phases: z.array(
    z.object({
      key: z.enum(PHASE_KEYS),
      start: z.string(),
      end: z.string(),
      status: PhaseStatus,
      statusLabel: z.string(),
    }),
  ),
});

const ChildOut = z.object({
  id: z.number(),
  title: z.string(),
  organizer: OrgRefOut,
  state: z.enum(CAMPAIGN_STATES),
  stateLabel: z.string(),
  filingState: z.enum(FILING_STATES),
  filingStateLabel: z.string(),
  completeBy: z.string().nullable(),
});

export const CampaignDetail = z.object({
  campaign: CampaignSummary,
  /** 'summary' for a secretary whose organization reports: no settings, no sub-campaigns. */
  access: z.enum(['full', 'summary']),
  /**
   * CampaignSettings (src/domain/campaign-settings.ts), as stored (validateSettings checked them when saved, so they are
   * sent unchanged, not parsed again); null for summary access. Typed, so neither end casts (decision 025).
   */
  settings: z.custom<CampaignSettings>((v) => typeof v === 'object' && v !== null).nullable(),
  /** describeSettings(): the settings as Chinese label/value lines. */
  lines: z.array(Line),
  phases: z.array(PhaseOut),
  /** Today's date in Asia/Shanghai, against which the phase statuses were computed. */
  today: z.string(),
  levels: z.array(LevelPhasesOut),
  organizingMode: z.enum(['top_down', 'bottom_up']),
  organizingModeLabel: z.string(),
  scopeMatch: orgMatchSchema.nullable(),
  /**
   * Names of the organizations the settings and scope name by id (route targets, listed organizations), so the page
   * shows them without looking up organizations the user may not see (a township's inherited rules point to county
   * bodies outside its subtree).
   */
  orgNames: z.record(z.string(), z.string()),
  /** Route rules (by index) copied from the level above: shown read-only, the level above owns them. */
  inheritedRoutes: z.array(z.number()),
  filing: z.object({
    state: z.enum(FILING_STATES),
    stateLabel: z.string(),
    note: z.string().nullable(),
    returnReason: z.string().nullable(),
    filedAt: z.string().nullable(),
    reviewedAt: z.string().nullable(),
  }),
  /** Only title, organizer and state of the level above (a township admin sees no more of it). */
  parent: z
    .object({ id: z.number(), title: z.string(), organizer: OrgRefOut, state: z.enum(CAMPAIGN_STATES) })
    .nullable(),
  children: z.array(ChildOut),
  counts: z.object({ reporters: z.number(), removed: z.number(), downward: z.number(), subCampaigns: z.number() }),
  permissions: z.object({
    canEdit: z.boolean(),
    canPublish: z.boolean(),
    canFile: z.boolean(),
    canReviewFiling: z.boolean(),
    /** The campaign's pages this user can open (pages.ts); the page offers only these. */
    pages: z.object({
      progress: z.boolean(),
      meetings: z.boolean(),
      evaluation: z.boolean(),
      myResult: z.boolean(),
      observers: z.boolean(),
      visits: z.boolean(),
      surveys: z.boolean(),
      assessment: z.boolean(),
      rectification: z.boolean(),
      results: z.boolean(),
    }),
    /** What the user may do on those pages (pages.ts, decision 025). */
    can: z.object({
      manage: z.boolean(),
      organizeAssessment: z.boolean(),
      manageResults: z.boolean(),
      organizeRectification: z.boolean(),
    }),
  }),
});
export type CampaignDetailT = z.infer<typeof CampaignDetail>;

export const CreateBody = z
  .object({
    templateId: z.string().trim().min(1).max(10),
    year: z.number().int().min(2000).max(2099),
    organizerOrgId: Id,
  })
  .strict();

export const TemplatesQuery = z.object({ year: z.coerce.number().int().min(2000).max(2099).optional() });
export const TemplatesOut = z.object({ items: z.array(TemplateOut) });

export const ListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  year: z.coerce.number().int().min(2000).max(2099).optional(),
  state: z.enum(CAMPAIGN_STATES).optional(),
  /** Only top-level campaigns (no parent), or only sub-campaigns of one campaign. */
  parentId: Id.optional(),
  topLevel: z.enum(['true', 'false']).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const CampaignsOut = z.object({ items: z.array(CampaignSummary), total: z.number() });
/** What creating a campaign, saving its settings, ending it or a filing step answers. */
export const SummaryOut = z.object({ campaign: CampaignSummary });
export const ScopeSavedOut = SummaryOut.extend({ total: z.number() });

/** The settings are validated by validateSettings() in the use case, for its Chinese messages. */
export const SettingsBody = z
  .object({
    settings: z.record(z.string(), z.unknown()),
    title: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export const ScopeBody = z.object({ match: orgMatchSchema.strict() }).strict();

const Count = z.object({ code: z.string(), label: z.string(), count: z.number() });
export const GapOut = z.object({
  orgId: z.number(),
  orgName: z.string(),
  sector: z.string(),
  kind: z.string(),
  type: z.enum(['no_secretary', 'no_account', 'short_tenure', 'no_route', 'no_tier', 'removed']),
  label: z.string(),
  detail: z.string(),
  reportToName: z.string().nullable(),
});
export const GapCount = z.object({ type: GapOut.shape.type, label: z.string(), count: z.number() });

export const ScopePreview = z.object({
  total: z.number(),
  bySector: z.array(Count),
  byKind: z.array(Count),
  planGaps: z.array(z.string()),
  /** How many report to each body: the organizer itself, and each lower body that gets a sub-campaign. */
  byReportTo: z.array(
    z.object({
      orgId: z.number(),
      name: z.string(),
      isOrganizer: z.boolean(),
      direct: z.number(),
      total: z.number(),
      ruleLabels: z.array(z.string()),
    }),
  ),
  unboundRules: z.array(z.string()),
  gapCounts: z.array(GapCount),
});

export const GapsQuery = z.object({
  type: GapOut.shape.type.optional(),
  q: z.string().trim().max(100).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const GapsOut = z.object({ items: z.array(GapOut), total: z.number(), counts: z.array(GapCount) });

export const PublishOut = z.object({
  campaign: CampaignSummary,
  reporters: z.number(),
  downward: z.number(),
  subCampaigns: z.array(
    z.object({ id: z.number(), organizer: OrgRefOut, completeBy: z.string().nullable(), orgCount: z.number() }),
  ),
});

export const PhaseParams = z.object({ id: Id, key: z.enum(PHASE_KEYS), action: z.enum(PHASE_ACTIONS) });
export const PhaseBody = z
  .object({
    reason: z.string().trim().max(500).optional(),
    /** New end date: extend, or reopen after the end has passed. */
    end: IsoDate.optional(),
    /** Close although work is still open (the warning was shown). */
    confirm: z.boolean().optional(),
  })
  .strict();
export const PhasesOut = z.object({ phases: z.array(PhaseOut) });
export const PhaseKeyParams = z.object({ id: Id, key: z.enum(PHASE_KEYS) });
export const PendingWorkOut = z.object({
  items: z.array(z.object({ count: z.number(), text: z.string() })),
  message: z.string().nullable(),
});

const Votes = z.number().int().min(0).max(100_000);
export const SelfCommitteeRatings = z.object({ good: Votes, fair: Votes, average: Votes, poor: Votes }).strict();

export const ROLE_LABELS = { reporter: '述职', downward: '下评' } as const;
export const ReporterOut = z.object({
  id: z.number(),
  org: z.object({
    id: z.number(),
    name: z.string(),
    code: z.string(),
    sector: z.string(),
    sectorLabel: z.string(),
    kind: z.string(),
    kindLabel: z.string(),
  }),
  role: z.enum(['reporter', 'downward']),
  roleLabel: z.string(),
  reportTo: OrgRefOut,
  routeRuleLabel: z.string().nullable(),
  secretary: z
    .object({ id: z.number(), name: z.string(), tenureStart: z.string(), shortTenure: z.boolean() })
    .nullable(),
  hasAccount: z.boolean(),
  tierKey: z.string(),
  tierLabel: z.string(),
  charLimit: z.number().nullable(),
  speakingMinutes: z.number().nullable(),
  writtenOnly: z.boolean(),
  selfCommitteeReportedOn: z.string().nullable(),
  /** 向本级党委述职 (R-CAMP-5): the committee's rating results and whether they were filed upward. */
  selfCommittee: z
    .object({
      date: z.string(),
      ratings: SelfCommitteeRatings.nullable(),
      participants: z.number().nullable(),
      note: z.string().nullable(),
      late: z.boolean(),
      filedAt: z.string().nullable(),
    })
    .nullable(),
  removedAt: z.string().nullable(),
  removedReason: z.string().nullable(),
});
export type ReporterOutT = z.infer<typeof ReporterOut>;

export const ReportersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  sector: z.enum(SECTOR_CODES).optional(),
  kind: z.enum(KIND_CODES).optional(),
  reportTo: Id.optional(),
  role: z.enum(['reporter', 'downward']).optional(),
  status: z.enum(['active', 'removed', 'all']).default('all'),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ReportersOut = z.object({ items: z.array(ReporterOut), total: z.number() });

export const AddReporterBody = z.object({ orgId: Id, reason: Reason }).strict();
export const RemoveReporterBody = z.object({ reason: Reason }).strict();
export const ReporterParams = z.object({ id: Id, rid: Id });
export const SelfCommitteeBody = z
  .object({
    date: IsoDate,
    ratings: SelfCommitteeRatings,
    participants: z.number().int().min(1).max(100_000).nullish(),
    note: z.string().trim().max(2000).nullish(),
  })
  .strict();

export const IdOut = z.object({ id: z.number() });
export const SelfCommitteeOut = z.object({ id: z.number(), selfCommitteeReportedOn: z.string(), late: z.boolean() });
export const SelfCommitteeFiledOut = z.object({ id: z.number(), filedAt: z.string() });
/** The reporter list's export: the list's filters, every row. */
export const ReportersExportQuery = ReportersQuery.omit({ offset: true, limit: true });

export const FilingSubmitBody = z.object({ note: z.string().trim().max(2000).optional() }).strict();
export const FilingReturnBody = z.object({ reason: Reason }).strict();
