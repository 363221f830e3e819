import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, users } from './schema';
import { campaigns } from './schema-campaigns';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * One observer sent to one lower-level sub-campaign (R-CAMP-6): each row is a task of that person.
 * `campaignId` is the upper campaign whose organizer sends the observer, `subCampaignId` the lower
 * round observed. The 分组名单 of 002 is the rows sharing a `groupName`; a flat row per person and
 * sub-campaign (rather than group/member/target tables) keeps every task addressable for its note.
 * Withdrawal keeps the row (removedAt) so a note already written is never lost.
 */
export const observerAssignments = pgTable(
  'observer_assignments',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    subCampaignId: integer('sub_campaign_id')
      .notNull()
      .references(() => campaigns.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    groupName: text('group_name'),
    isLeader: boolean('is_leader').notNull().default(false),
    note: text('note'),
    observationNote: text('observation_note'),
    observedAt: timestamp('observed_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removedBy: integer('removed_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('observer_assignments_active_uq').on(t.subCampaignId, t.userId).where(sql`${t.removedAt} is null`),
    index('observer_assignments_campaign_idx').on(t.campaignId),
    index('observer_assignments_user_idx').on(t.userId),
  ],
);

/** 不打招呼、随机走访 (R-PREP-2): one unannounced research visit to an organization in the campaign's scope. */
export const researchVisits = pgTable(
  'research_visits',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    visitedOn: date('visited_on').notNull(),
    visitors: text('visitors').notNull(),
    seen: text('seen').notNull(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('research_visits_campaign_idx').on(t.campaignId, t.visitedOn),
    index('research_visits_org_idx').on(t.orgId),
  ],
);

/**
 * A problem found on a visit, one row each so that rectification (R-FIX-1) can point at it
 * (`source_type` + `source_id` name where it came from). Corrections withdraw a row instead of
 * deleting it, because a rectification item may already reference it.
 */
export const visitProblems = pgTable(
  'visit_problems',
  {
    id: serial('id').primaryKey(),
    visitId: integer('visit_id')
      .notNull()
      .references(() => researchVisits.id),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    sourceType: text('source_type').notNull().default('research_visit'),
    sourceId: integer('source_id').notNull(),
    createdAt: createdAt(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    index('visit_problems_visit_idx').on(t.visitId),
    index('visit_problems_org_idx').on(t.orgId).where(sql`${t.withdrawnAt} is null`),
  ],
);
