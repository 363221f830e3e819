/**
 * Request and response shapes of the rectification routes (R-FIX-1…4). The web pages import the inferred
 * types from here (`import type`), so a change shows up in their type check.
 */
import { z } from 'zod';
import { Id } from '../../http/schemas';
import { RECT_STATUSES } from '../../../domain/rectification-status';

/** Where a problem was found (R-FIX-1); the labels are what the inbox and lists show. */
export const SOURCE_LABELS = {
  self_review: '自我查摆（述职报告）',
  comment: '会议点评',
  ballot_text: '测评意见',
  field_item: '实地考核',
  survey_item: '满意度调查',
  research_visit: '调研走访',
  inspection: '巡视巡察反馈',
  comment_theme: '群众意见归纳',
  carry_over: '上年度结转',
  reopen: '重新整改',
  sub_item: '子项',
} as const;
export type SourceType = keyof typeof SOURCE_LABELS;
export const SOURCE_TYPES = Object.keys(SOURCE_LABELS) as [SourceType, ...SourceType[]];

const IsoDate = z.iso.date('日期格式应为 YYYY-MM-DD');
const Opt = (max: number) => z.string().trim().max(max).nullable().optional();
const BoolQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const COMMITMENT_STATES = ['draft', 'filed', 'acknowledged', 'returned', 'published'] as const;
export const COMMITMENT_STATE_LABELS: Record<(typeof COMMITMENT_STATES)[number], string> = {
  draft: '草稿',
  filed: '已报组织部门',
  acknowledged: '组织部门已确认',
  returned: '已退回修改',
  published: '已公开',
};

export const IdOut = z.object({ id: z.number() });
export const OkOut = z.object({ ok: z.literal(true) });

export const InboxQuery = z.object({ orgId: Id.optional() });
export const InboxEntryOut = z.object({
  key: z.string(),
  sourceType: z.enum(SOURCE_TYPES),
  sourceLabel: z.string(),
  sourceId: z.number().nullable(),
  text: z.string(),
  detail: z.string().nullable(),
  itemId: z.number().nullable(),
});
export const InboxOut = z.object({
  campaign: z.object({ id: z.number(), title: z.string(), year: z.number() }),
  org: z.object({ id: z.number(), name: z.string() }),
  entries: z.array(InboxEntryOut),
  pending: z.number(),
});

export const ItemCreate = z
  .object({
    orgId: Id,
    /** An inbox entry's key; absent for manually entered 巡视/巡察 feedback and for sub-items. */
    fromKey: z.string().max(200).optional(),
    parentId: Id.optional(),
    description: z.string().trim().max(2000).optional(),
    rootCause: Opt(2000),
    owner: Opt(100),
    responsibleLeader: Opt(100),
    measures: Opt(5000),
    deadline: IsoDate.nullable().optional(),
    weight: z.number().int().min(1).max(100).optional(),
    evidenceRequired: z.boolean().optional(),
  })
  .strict();

export const ItemUpdate = z
  .object({
    description: z.string().trim().min(1, '问题不能为空').max(2000).optional(),
    rootCause: Opt(2000),
    owner: Opt(100),
    responsibleLeader: Opt(100),
    measures: Opt(5000),
    deadline: IsoDate.nullable().optional(),
    weight: z.number().int().min(1).max(100).optional(),
    evidenceRequired: z.boolean().optional(),
  })
  .strict();

export const ItemsQuery = z.object({
  campaignId: Id.optional(),
  orgId: Id.optional(),
  status: z.enum(RECT_STATUSES).optional(),
  overdue: BoolQuery,
  source: z.enum(SOURCE_TYPES).optional(),
  q: z.string().trim().max(100).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const ItemRowOut = z.object({
  id: z.number(),
  campaignId: z.number(),
  campaignTitle: z.string(),
  orgId: z.number(),
  orgName: z.string(),
  upperOrgName: z.string().nullable(),
  parentId: z.number().nullable(),
  weight: z.number(),
  sourceType: z.string(),
  sourceLabel: z.string(),
  sourceText: z.string().nullable(),
  description: z.string(),
  rootCause: z.string().nullable(),
  owner: z.string().nullable(),
  responsibleLeader: z.string().nullable(),
  measures: z.string().nullable(),
  deadline: z.string().nullable(),
  status: z.enum(RECT_STATUSES),
  statusLabel: z.string(),
  overdue: z.boolean(),
  progress: z.number(),
  evidenceRequired: z.boolean(),
  children: z.number(),
  carriedFromId: z.number().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});

export const ItemsOut = z.object({
  today: z.string(),
  items: z.array(ItemRowOut),
  total: z.number(),
  summary: z.object({ total: z.number(), overdue: z.number(), byStatus: z.record(z.string(), z.number()) }),
});

export const TimelineOut = z.object({
  kind: z.enum(['progress', 'verification']),
  id: z.number(),
  at: z.string(),
  by: z.string().nullable(),
  note: z.string().nullable(),
  percent: z.number().nullable(),
  result: z.string().nullable(),
  evidence: z.string().nullable(),
});
export const EvidenceOut = z.object({
  id: z.number(),
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number(),
  progressId: z.number().nullable(),
  createdAt: z.string(),
});
export const ItemDetailOut = z.object({
  today: z.string(),
  item: ItemRowOut,
  subItems: z.array(ItemRowOut),
  timeline: z.array(TimelineOut),
  evidence: z.array(EvidenceOut),
  reopenedAs: z.array(z.number()),
  can: z.object({ edit: z.boolean(), verify: z.boolean() }),
});

export const ActionIn = z
  .object({ action: z.enum(['start', 'submit']), note: z.string().trim().max(2000).optional() })
  .strict();
export const ActionOut = z.object({ id: z.number(), status: z.enum(RECT_STATUSES), statusLabel: z.string() });
export const ProgressIn = z
  .object({
    note: z.string().trim().min(1, '请填写进展情况').max(5000),
    percent: z.number().int().min(0).max(100).optional(),
  })
  .strict();
export const VerifyIn = z
  .object({
    result: z.enum(['pass', 'fail', 'reopen']),
    note: z.string().trim().max(2000).optional(),
    evidence: z.string().trim().max(2000).optional(),
    evidenceIds: z.array(Id).max(50).optional(),
  })
  .strict();
export const VerifiedOut = z.object({
  verificationId: z.number(),
  status: z.enum(RECT_STATUSES),
  statusLabel: z.string(),
  newItemId: z.number().nullable(),
});
/** What uploading an evidence file answers. */
export const EvidenceAddedOut = z.object({ id: z.number(), fileName: z.string(), size: z.number() });

const Content = z.string().trim().min(1, '承诺内容不能为空').max(10000);
export const CommitmentIn = z.object({ orgId: Id.optional(), content: Content }).strict();
export const CommitmentPatchIn = z.object({ content: Content }).strict();
export const CommitmentFiledOut = z.object({ id: z.number(), state: z.literal('filed') });
export const CommitmentReviewIn = z.discriminatedUnion('action', [
  z.object({ action: z.literal('acknowledge') }).strict(),
  z.object({ action: z.literal('return'), reason: z.string().trim().min(1, '请填写退回理由').max(500) }).strict(),
]);
export const CommitmentReviewedOut = z.object({ id: z.number(), state: z.enum(['acknowledged', 'returned']) });
export const CommitmentsPublishedOut = z.object({ published: z.number() });
export const PublishedProgressOut = z.object({
  campaign: z.object({ id: z.number(), title: z.string(), audience: z.string() }),
  units: z.array(
    z.object({
      orgId: z.number(),
      orgName: z.string(),
      total: z.number(),
      closed: z.number(),
      commitments: z.array(z.object({ content: z.string(), publishedAt: z.string().nullable() })),
      items: z.array(
        z.object({
          description: z.string(),
          measures: z.string().nullable(),
          deadline: z.string().nullable(),
          status: z.string(),
          statusLabel: z.string(),
          progress: z.number(),
          overdue: z.boolean(),
        }),
      ),
    }),
  ),
});

export const CommitmentOut = z.object({
  id: z.number(),
  campaignId: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  content: z.string(),
  state: z.enum(COMMITMENT_STATES),
  stateLabel: z.string(),
  returnReason: z.string().nullable(),
  filedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  canEdit: z.boolean(),
  canReview: z.boolean(),
});
export const CommitmentsOut = z.object({
  campaign: z.object({ id: z.number(), title: z.string(), audience: z.string() }),
  items: z.array(CommitmentOut),
});

export const CarryOverOut = z.object({
  fromCampaign: z.object({ id: z.number(), title: z.string(), year: z.number() }),
  carried: z.number(),
  priorItems: z.number(),
  skipped: z.array(z.object({ itemId: z.number(), orgName: z.string(), reason: z.string() })),
});
