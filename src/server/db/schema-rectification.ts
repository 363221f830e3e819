import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { organizations, users } from './schema';
import { campaignReporters, campaigns } from './schema-campaigns';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * One problem of an organization and its rectification (R-FIX-1, R-FIX-2). The 问题清单, 责任清单 and
 * 整改清单 are three views of these rows (problem; owner and responsible leader; measures and deadline).
 * `sourceType` + `sourceId` point where it was found: self_review | comment (meeting_comments) |
 * ballot_text | field_item (field_scores) | survey_item (survey_items) | inspection | research_visit
 * (visit_problems) | carry_over (rectification_items of an earlier campaign, also in `carriedFromId`).
 * Status not_started | in_progress | pending_verification | closed; 逾期 is computed from the deadline.
 * Sub-items (`parentId`) roll up into the parent's progress by `weight`.
 */
export const rectificationItems = pgTable(
  'rectification_items',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    reporterId: integer('reporter_id').references(() => campaignReporters.id),
    parentId: integer('parent_id').references((): AnyPgColumn => rectificationItems.id),
    weight: integer('weight').notNull().default(1),
    sourceType: text('source_type').notNull(),
    sourceId: integer('source_id'),
    /** The source's words copied when the item was made, so a later edit of the source does not change it. */
    sourceText: text('source_text'),
    description: text('description').notNull(),
    rootCause: text('root_cause'),
    owner: text('owner'),
    ownerUserId: integer('owner_user_id').references(() => users.id),
    responsibleLeader: text('responsible_leader'),
    measures: text('measures'),
    deadline: date('deadline'),
    status: text('status').notNull().default('not_started'),
    progress: integer('progress').notNull().default(0),
    /** Verification must cite evidence (R-FIX-2); the organizer may waive it per item. */
    evidenceRequired: boolean('evidence_required').notNull().default(true),
    carriedFromId: integer('carried_from_id').references((): AnyPgColumn => rectificationItems.id),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('rectification_items_org_idx').on(t.orgId, t.status),
    index('rectification_items_campaign_idx').on(t.campaignId),
    index('rectification_items_source_idx').on(t.sourceType, t.sourceId),
    index('rectification_items_parent_idx').on(t.parentId),
  ],
);

export const rectificationProgress = pgTable(
  'rectification_progress',
  {
    id: serial('id').primaryKey(),
    itemId: integer('item_id')
      .notNull()
      .references(() => rectificationItems.id),
    note: text('note').notNull(),
    percent: integer('percent'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('rectification_progress_item_idx').on(t.itemId, t.createdAt)],
);

export const rectificationEvidence = pgTable(
  'rectification_evidence',
  {
    id: serial('id').primaryKey(),
    itemId: integer('item_id')
      .notNull()
      .references(() => rectificationItems.id),
    progressId: integer('progress_id').references(() => rectificationProgress.id),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('rectification_evidence_item_idx').on(t.itemId)],
);

/** The upper level's verification (验收): pass closes (销号), fail sends back. Append-only (trigger). */
export const rectificationVerifications = pgTable(
  'rectification_verifications',
  {
    id: serial('id').primaryKey(),
    itemId: integer('item_id')
      .notNull()
      .references(() => rectificationItems.id),
    /** pass | fail | reopen */
    result: text('result').notNull(),
    evidence: text('evidence'),
    note: text('note'),
    verifiedBy: integer('verified_by').references(() => users.id),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rectification_verifications_item_idx').on(t.itemId)],
);

/** 公开承诺 (R-FIX-3): drafted by the secretary, filed with the organization department, then published. */
export const commitments = pgTable(
  'commitments',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    reporterId: integer('reporter_id').references(() => campaignReporters.id),
    content: text('content').notNull(),
    /** draft | filed | acknowledged | returned | published */
    state: text('state').notNull().default('draft'),
    returnReason: text('return_reason'),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    acknowledgedBy: integer('acknowledged_by').references(() => users.id),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('commitments_campaign_org_idx').on(t.campaignId, t.orgId)],
);

/**
 * Flags from a locked grade (R-USE-1…3): no_excellent | talk | rectify | three_years_fair. Derived when
 * grades lock; exported for the cadre assessment.
 */
export const resultFlags = pgTable(
  'result_flags',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    code: text('code').notNull(),
    detail: text('detail').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('result_flags_uq').on(t.reporterId, t.code), index('result_flags_campaign_idx').on(t.campaignId)],
);

/**
 * Follow-up tasks from the flags: talk (约谈提醒, with its record: date, who, content), rectify (限期整改 deadline),
 * strengthen (三年较好 → the upper level strengthens the organization), accountability (问责 note).
 * `assigneeOrgId` is the organization whose staff do it. State open → done.
 */
export const resultFollowUps = pgTable(
  'result_follow_ups',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    assigneeOrgId: integer('assignee_org_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind').notNull(),
    dueDate: date('due_date'),
    state: text('state').notNull().default('open'),
    recordDate: date('record_date'),
    recordBy: text('record_by'),
    recordContent: text('record_content'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneBy: integer('done_by').references(() => users.id),
  },
  (t) => [
    index('result_follow_ups_campaign_idx').on(t.campaignId, t.kind),
    index('result_follow_ups_assignee_idx').on(t.assigneeOrgId, t.state),
  ],
);

/**
 * 重点管理 (R-USE-4): proposed from the weakest by composite rank per sector, adjusted with reasons, tracked
 * until 晋位升级. State proposed | listed | removed | upgraded.
 */
export const keyManagement = pgTable(
  'key_management',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    reporterId: integer('reporter_id').references(() => campaignReporters.id),
    sector: text('sector').notNull(),
    compositeRank: integer('composite_rank'),
    state: text('state').notNull().default('proposed'),
    addedManually: boolean('added_manually').notNull().default(false),
    reason: text('reason'),
    upgradeNote: text('upgrade_note'),
    upgradedAt: timestamp('upgraded_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('key_management_uq').on(t.campaignId, t.orgId)],
);

/** 平行考核 (R-USE-5): the performance score and rank imported per organization beside the party-building one. */
export const performanceScores = pgTable(
  'performance_scores',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    performanceScore: numeric('performance_score', { precision: 7, scale: 2, mode: 'number' }),
    performanceRank: integer('performance_rank'),
    importedBy: integer('imported_by').references(() => users.id),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('performance_scores_uq').on(t.campaignId, t.orgId)],
);

/** 差额否决 (R-USE-5, 004): the places of each honour of the campaign's settings, set by the organizer. */
export const performanceHonours = pgTable(
  'performance_honours',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    honourKey: text('honour_key').notNull(),
    places: integer('places').notNull(),
    updatedBy: integer('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('performance_honours_uq').on(t.campaignId, t.honourKey)],
);

/**
 * The summary report upward (R-SUM-1, R-SUM-2): draft (sections edited by the organizer) → submitted to the
 * level above → received. `content` holds the edited sections; the .docx is generated from it and the data.
 */
export const summaryReports = pgTable(
  'summary_reports',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    state: text('state').notNull().default('draft'),
    dueDate: date('due_date'),
    /** { overview, achievements, problems, nextSteps, … } edited text per section. */
    sections: jsonb('sections').notNull().default({}),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: integer('submitted_by').references(() => users.id),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    receivedBy: integer('received_by').references(() => users.id),
    /**
     * The upper body outside this deployment the report was sent to (000 §8: the top organizer reports upward too);
     * null when the level above is in the deployment and receives it here.
     */
    recipient: text('recipient'),
    /** The .docx and .xlsx exactly as submitted or sent: later record changes do not rewrite what went upward. */
    sentDocx: bytea('sent_docx'),
    sentXlsx: bytea('sent_xlsx'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('summary_reports_campaign_uq').on(t.campaignId)],
);
