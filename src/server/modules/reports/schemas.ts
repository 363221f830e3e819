/**
 * Request and response shapes of /api/reports. The web infers its types from here (`import type`, decision 025); this
 * file imports only zod, src/domain and other schemas.ts files, so the web's program stays free of server code.
 */
import { z } from 'zod';
import { REPORT_STATES, REVIEW_ACTIONS } from '../../../domain/report-review';
import { Id } from '../../http/schemas';
import { StepPhaseOut } from '../campaigns/schemas';

/** One section's limits, for a save and a .docx import alike (rich-text.ts and upload-docx.ts check them too). */
export const MAX_SECTION_TEXT = 100_000;
/** Editor HTML of one section. */
export const MAX_SECTION_HTML = 1_000_000;

export const Section = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '部分编号格式不正确'),
  title: z.string().trim().max(200),
  text: z.string().max(MAX_SECTION_TEXT, '单个部分不能超过10万字符'),
  /** Editor HTML (decision 009): sanitized on the server, which derives `text` from it. */
  html: z.string().max(MAX_SECTION_HTML, '单个部分内容过长').optional(),
});
export const Sections = z.array(Section).max(30);
/**
 * Sections as stored, in answers: the request limits above are for input; applied to output they turned a report stored
 * over them (a .docx import before issue 15 bounded it) into a 500 on every read.
 */
export const StoredSections = z.array(
  z.object({ key: z.string(), title: z.string(), text: z.string(), html: z.string().optional() }),
);
export const Place = z.object({ sectionKey: z.string(), offset: z.number(), length: z.number(), excerpt: z.string() });
export const CheckResult = z.object({
  id: z.string(),
  level: z.enum(['pass', 'advice', 'blocker']),
  message: z.string(),
  places: z.array(Place).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export const Checks = z.object({ results: z.array(CheckResult), blocking: z.boolean() });
export const Deadline = z.object({
  meetingDate: z.string().nullable(),
  meetingSource: z.enum(['meeting', 'phase']).nullable(),
  dueDate: z.string().nullable(),
  daysLeft: z.number().nullable(),
  overdue: z.boolean(),
  meetingHeld: z.boolean(),
});
const Share = z.union([z.object({ num: z.number(), den: z.number() }), z.number()]).nullable();
export const ReportView = z.object({
  report: z.object({
    id: z.number(),
    reporterId: z.number(),
    state: z.enum(REPORT_STATES),
    stateLabel: z.string(),
    onBehalf: z.boolean(),
    charCount: z.number(),
    versionNo: z.number(),
    submittedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    signedAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
    publicToken: z.string().nullable(),
    updatedAt: z.string(),
    sections: StoredSections,
  }),
  reporter: z.object({
    campaignId: z.number(),
    campaignTitle: z.string(),
    year: z.number(),
    orgId: z.number(),
    orgName: z.string(),
    reportToName: z.string(),
    secretaryName: z.string().nullable(),
    tenureStart: z.string().nullable(),
    tierLabel: z.string().nullable(),
    charLimit: z.number().nullable(),
    speakingMinutes: z.number().nullable(),
  }),
  slots: z.array(z.object({ key: z.string(), title: z.string(), required: z.boolean(), minChars: z.number() })),
  rules: z.object({
    achievementsMaxShare: Share,
    blockingChecks: z.array(z.string()),
    lateSubmissionAllowed: z.boolean(),
    supervisorSignOffRequired: z.boolean(),
    attachments: z.object({ allowed: z.boolean(), maxSizeMb: z.number() }),
    publicationAudience: z.string(),
    keyContentItems: z.array(z.object({ id: z.string(), title: z.string() })),
    rectificationItems: z.array(z.object({ id: z.number(), reference: z.string().nullable(), text: z.string() })),
  }),
  deadline: Deadline,
  checks: Checks.nullable(),
  events: z.array(
    z.object({
      id: z.number(),
      action: z.string(),
      fromState: z.string(),
      toState: z.string(),
      comment: z.string(),
      versionNo: z.number(),
      actorName: z.string(),
      at: z.string(),
    }),
  ),
  versions: z.array(
    z.object({
      versionNo: z.number(),
      reason: z.string(),
      charCount: z.number(),
      fileName: z.string().nullable(),
      unknownHeadings: z.array(z.string()),
      createdAt: z.string(),
    }),
  ),
  attachments: z.array(
    z.object({ id: z.number(), fileName: z.string(), mimeType: z.string(), size: z.number(), createdAt: z.string() }),
  ),
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    review: z.boolean(),
    sign: z.boolean(),
    publish: z.boolean(),
    final: z.boolean(),
    /** Set the prior year's rectification items to answer (the hearing body's admin, before the report is final). */
    manageItems: z.boolean(),
  }),
});
export const TaskItem = z.object({
  task: z.string(),
  reporterId: z.number(),
  campaignId: z.number(),
  campaignTitle: z.string(),
  orgId: z.number(),
  orgName: z.string(),
  reportToName: z.string(),
  reportId: z.number().nullable(),
  state: z.enum([...REPORT_STATES, 'none']),
  stateLabel: z.string(),
  charCount: z.number(),
  submittedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  meetingDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  daysLeft: z.number().nullable(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  lateSubmissionAllowed: z.boolean(),
  lastRemindedAt: z.string().nullable(),
  /** The phase the report's next step belongs to (R-CAMP-8): what it waits for, or until when it runs. */
  phase: StepPhaseOut.nullable(),
  /** 催报 received (the secretary's own task list only), newest first. */
  reminders: z
    .array(
      z.object({ id: z.number(), at: z.string(), senderName: z.string(), message: z.string(), overdue: z.boolean() }),
    )
    .optional(),
});
export const RectItem = z.object({ id: z.number(), reference: z.string().nullable(), text: z.string() });

export const OkOut = z.object({ ok: z.literal(true) });
const Search = z.string().trim().max(100).optional();
const Offset = z.coerce.number().int().min(0).max(10_000_000).default(0);
const Limit = z.coerce.number().int().min(1).max(100).default(20);

export const TasksOut = z.object({ items: z.array(TaskItem) });
/** The reviewer's queue: `state` also takes 'none' (not started) and 'pending' (waiting for this reviewer). */
export const QueueQuery = z.object({
  campaignId: Id.optional(),
  state: z.enum([...REPORT_STATES, 'none', 'pending']).optional(),
  q: Search,
  overdue: z.enum(['true', 'false']).optional(),
  offset: Offset,
  limit: Limit,
});
export const QueueOut = z.object({ items: z.array(TaskItem), total: z.number() });

/** The longest list of reporters one reminder may name. */
export const MAX_REMINDERS = 500;
/** 催报: the reporters named, or every one of the reviewer's queue matching `all` (the list as shown). */
export const RemindIn = z
  .object({
    reporterIds: z.array(Id).min(1).max(MAX_REMINDERS).optional(),
    all: z
      .object({
        campaignId: Id.optional(),
        q: Search,
        overdue: z.boolean().optional(),
        state: z.enum(['none', 'draft', 'returned', 'rewrite_ordered']).optional(),
      })
      .strict()
      .optional(),
    message: z.string().trim().max(200, '催报内容不能超过200字').optional(),
  })
  .strict();
/** Org names reminded, and those skipped with why. */
export const RemindOut = z.object({
  sent: z.array(z.string()),
  skipped: z.array(z.object({ orgName: z.string(), reason: z.string() })),
});

export const PublishedQuery = z.object({ campaignId: Id.optional(), q: Search, offset: Offset, limit: Limit });
export const PublishedReportOut = z.object({
  id: z.number(),
  reporterId: z.number(),
  campaignId: z.number(),
  orgName: z.string(),
  campaignTitle: z.string(),
  publishedAt: z.string(),
  charCount: z.number(),
});
export const PublishedOut = z.object({ items: z.array(PublishedReportOut), total: z.number() });

export const OpenIn = z.object({ reporterId: Id }).strict();
export const IdOut = z.object({ id: z.number() });
export const PublishIn = z.object({ campaignId: Id }).strict();
export const PublishOut = z.object({
  published: z.array(z.string()),
  skipped: z.array(z.object({ orgName: z.string(), reason: z.string() })),
  audience: z.string(),
});

export const SectionsIn = z.object({ sections: Sections }).strict();
export const SavedOut = z.object({ charCount: z.number() });
/** A .docx read into a new version: the headings it did not recognise, and the sections it filled. */
export const DocxOut = z.object({
  versionNo: z.number(),
  charCount: z.number(),
  unknownHeadings: z.array(z.string()),
  sections: z.array(z.object({ key: z.string(), title: z.string() })),
});
export const TransitionIn = z
  .object({ action: z.enum(REVIEW_ACTIONS), comment: z.string().max(2000).default('') })
  .strict();
export const TransitionOut = z.object({ state: z.enum(REPORT_STATES), versionNo: z.number() });

export const DiffQuery = z.object({
  from: z.coerce.number().int().min(0).max(100_000),
  to: z.coerce.number().int().min(0).max(100_000),
});
export const DiffRowOut = z.object({
  kind: z.enum(['same', 'changed', 'removed', 'added']),
  left: z.string().nullable(),
  right: z.string().nullable(),
});
export const DiffOut = z.object({ from: z.number(), to: z.number(), changed: z.number(), rows: z.array(DiffRowOut) });

export const AttachmentOut = z.object({ id: z.number(), fileName: z.string(), size: z.number() });
export const RectItemsOut = z.object({ items: z.array(RectItem) });
export const RectItemIn = z
  .object({
    reference: z.string().trim().max(50).nullable().optional(),
    text: z.string().trim().min(2, '请填写整改事项内容').max(2000),
  })
  .strict();

/** A published report as anyone with its link reads it. */
export const PublicReportOut = z.object({
  orgName: z.string(),
  campaignTitle: z.string(),
  publishedAt: z.string(),
  charCount: z.number(),
  sections: StoredSections,
});
