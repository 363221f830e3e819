import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './schema';
import { campaignReporters, campaigns } from './schema-campaigns';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});
/** Points such as 2.5; numeric so sums are exact, read as numbers. */
const points = (name: string) => numeric(name, { precision: 7, scale: 2, mode: 'number' });

/**
 * A campaign's field-assessment checklist (考核细则, R-ASSESS-1) for one kind of reporting organization.
 * `appliesTo` is { tierKeys?: string[], sectors?: string[] } — which reporters it scores (empty = all); one
 * reporter is scored against the first checklist that applies to it.
 */
export const checklists = pgTable(
  'checklists',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    title: text('title').notNull(),
    appliesTo: jsonb('applies_to').notNull().default({}),
    position: integer('position').notNull().default(0),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('checklists_campaign_idx').on(t.campaignId)],
);

/** One item: section, points, guidance and method (R-ASSESS-2: site | documents | interview). */
export const checklistItems = pgTable(
  'checklist_items',
  {
    id: serial('id').primaryKey(),
    checklistId: integer('checklist_id')
      .notNull()
      .references(() => checklists.id),
    section: text('section').notNull(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    maxPoints: points('max_points').notNull(),
    guidance: text('guidance').notNull().default(''),
    /** site (看现场) | documents (查资料) | interview (访群众) */
    method: text('method').notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('checklist_items_checklist_idx').on(t.checklistId, t.position)],
);

/** 考评组: a team with members (assessor accounts) and the reporters it scores. */
export const assessmentTeams = pgTable(
  'assessment_teams',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    name: text('name').notNull(),
    leaderName: text('leader_name'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('assessment_teams_campaign_idx').on(t.campaignId)],
);

export const assessmentTeamMembers = pgTable(
  'assessment_team_members',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => assessmentTeams.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('assessment_team_members_user_idx').on(t.userId)],
);

/** One team per reporter; `completedAt` when the team has submitted the whole checklist for it. */
export const assessmentAssignments = pgTable(
  'assessment_assignments',
  {
    id: serial('id').primaryKey(),
    teamId: integer('team_id')
      .notNull()
      .references(() => assessmentTeams.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: integer('completed_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('assessment_assignments_reporter_uq').on(t.reporterId),
    index('assessment_assignments_team_idx').on(t.teamId),
  ],
);

/**
 * A score for one checklist item of one reporter. `clientId` is generated on the phone, so a score
 * entered offline and re-sent after a dropped connection is stored once (idempotent upsert).
 * A failed item needs a note (R-ASSESS-1); it may raise a rectification item (source 'field_item').
 */
export const fieldScores = pgTable(
  'field_scores',
  {
    id: serial('id').primaryKey(),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    itemId: integer('item_id')
      .notNull()
      .references(() => checklistItems.id),
    score: points('score').notNull(),
    failed: boolean('failed').notNull().default(false),
    note: text('note'),
    clientId: uuid('client_id'),
    scoredBy: integer('scored_by').references(() => users.id),
    /** When the assessor entered it on the phone (may be earlier than receipt when offline). */
    scoredAt: timestamp('scored_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('field_scores_reporter_item_uq').on(t.reporterId, t.itemId),
    uniqueIndex('field_scores_client_uq').on(t.clientId),
  ],
);

export const fieldScorePhotos = pgTable(
  'field_score_photos',
  {
    id: serial('id').primaryKey(),
    scoreId: integer('score_id')
      .notNull()
      .references(() => fieldScores.id),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: createdAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('field_score_photos_score_idx').on(t.scoreId)],
);

/**
 * 满意度调查 (R-ASSESS-3). `seed` is recorded when the sample is drawn so the same draw can be repeated.
 * State: draft → open → closed.
 */
export const surveys = pgTable(
  'surveys',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    title: text('title').notNull(),
    state: text('state').notNull().default('draft'),
    sampleSize: integer('sample_size').notNull(),
    seed: text('seed'),
    sampledAt: timestamp('sampled_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('surveys_campaign_idx').on(t.campaignId)],
);

export const surveyItems = pgTable(
  'survey_items',
  {
    id: serial('id').primaryKey(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    position: integer('position').notNull(),
    text: text('text').notNull(),
  },
  (t) => [index('survey_items_survey_idx').on(t.surveyId, t.position)],
);

/**
 * The respondent list per unit (两代表一委员 and residents). `sampleOrder` is set for those drawn.
 * Responses are never linked to a respondent: the sample decides who gets a link or a paper form only.
 */
export const surveyRespondents = pgTable(
  'survey_respondents',
  {
    id: serial('id').primaryKey(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    name: text('name').notNull(),
    /** two_reps (两代表一委员) | resident (群众) */
    category: text('category').notNull(),
    phone: text('phone'),
    sampleOrder: integer('sample_order'),
  },
  (t) => [index('survey_respondents_survey_idx').on(t.surveyId, t.reporterId)],
);

/** Single-use anonymous link tokens, only a keyed hash kept (as ballot codes); no respondent column. */
export const surveyTokens = pgTable(
  'survey_tokens',
  {
    id: serial('id').primaryKey(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    tokenHash: text('token_hash').notNull(),
    used: boolean('used').notNull().default(false),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('survey_tokens_hash_uq').on(t.tokenHash),
    index('survey_tokens_survey_idx').on(t.surveyId, t.reporterId),
  ],
);

/** One response: random id, no timestamp, token or respondent (anonymous as ballots). answers = { [itemId]: SurveyLevel }. */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    answers: jsonb('answers').notNull(),
    /** link | paper */
    source: text('source').notNull(),
  },
  (t) => [index('survey_responses_survey_idx').on(t.surveyId, t.reporterId)],
);
