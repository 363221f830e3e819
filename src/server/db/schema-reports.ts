import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { campaignReporters, campaigns } from './schema-campaigns';
import { organizations, users } from './schema';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * The 述职报告 of one campaign reporter (R-REP-1…7). `sections` is the working copy the secretary
 * edits ([{ key, title, text }]); every submission and every .docx upload is frozen into
 * report_versions so reviewers diff what was actually handed in. `signature` is the MinHash of the
 * working copy (src/domain/similarity.ts), kept so a campaign's other reports compare against it
 * without re-reading their text.
 */
export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    /** draft | submitted | returned | rewrite_ordered | resubmitted | approved | signed */
    state: text('state').notNull().default('draft'),
    /** R-REP-5: the secretary has been in office < 3 months and reports on behalf of the organization. */
    onBehalf: boolean('on_behalf').notNull().default(false),
    sections: jsonb('sections').notNull().default([]),
    charCount: integer('char_count').notNull().default(0),
    signature: jsonb('signature'),
    /** Number of the latest frozen version (0: none yet). */
    versionNo: integer('version_no').notNull().default(0),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedBy: integer('signed_by').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Random token of the public link; only set where the campaign's audience is 'public'. */
    publicToken: text('public_token'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reports_reporter_uq').on(t.reporterId),
    index('reports_campaign_idx').on(t.campaignId, t.state),
    index('reports_org_idx').on(t.orgId),
    uniqueIndex('reports_public_token_uq').on(t.publicToken).where(sql`${t.publicToken} is not null`),
  ],
);

/** A frozen copy of a report: at each submission and each .docx upload. */
export const reportVersions = pgTable(
  'report_versions',
  {
    id: serial('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    versionNo: integer('version_no').notNull(),
    /** submission | upload */
    reason: text('reason').notNull(),
    sections: jsonb('sections').notNull(),
    charCount: integer('char_count').notNull(),
    /** Headings of an uploaded .docx that matched no section (shown as flags). */
    unknownHeadings: jsonb('unknown_headings').notNull().default([]),
    fileName: text('file_name'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('report_versions_uq').on(t.reportId, t.versionNo)],
);

/** Every review transition (R-REP-4) with its comment; the audit log holds the same as a trail. */
export const reportReviewEvents = pgTable(
  'report_review_events',
  {
    id: serial('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    action: text('action').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    comment: text('comment').notNull(),
    versionNo: integer('version_no').notNull(),
    actorId: integer('actor_id').references(() => users.id),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('report_review_events_report_idx').on(t.reportId, t.at)],
);

/**
 * Slides, videos (R-REP-6). The bytes are a file on disk named by `sha256` (FILES_DIR, decision 021); `content` only
 * holds rows written before that, until the first start moves them out (uploads/legacy-attachments.ts).
 */
export const reportAttachments = pgTable(
  'report_attachments',
  {
    id: serial('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256'),
    content: bytea('content'),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: createdAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    index('report_attachments_report_idx').on(t.reportId),
    check('report_attachments_stored_ck', sql`${t.sha256} is not null or ${t.content} is not null`),
  ],
);

/**
 * Last year's open rectification items a reporter must answer (R-PREP-1, R-REP-3), entered by the
 * reviewer until the rectification module (issue 7) supplies them.
 */
export const priorRectificationItems = pgTable(
  'prior_rectification_items',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    reference: text('reference'),
    text: text('text').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('prior_rect_items_idx').on(t.campaignId, t.orgId)],
);

/**
 * 催报: a reviewer or the organizer reminds a reporter whose report is not handed in (or is overdue).
 * The secretary of the reporting organization sees it on their task list with the time and sender.
 */
export const reportReminders = pgTable(
  'report_reminders',
  {
    id: serial('id').primaryKey(),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    /** The report's state when reminded ('none' before it was opened), and whether it was overdue. */
    reportState: text('report_state').notNull(),
    overdue: boolean('overdue').notNull().default(false),
    dueDate: text('due_date'),
    message: text('message').notNull(),
    senderId: integer('sender_id').references(() => users.id),
    senderName: text('sender_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('report_reminders_reporter_idx').on(t.reporterId, t.createdAt),
    index('report_reminders_org_idx').on(t.orgId, t.createdAt),
  ],
);
