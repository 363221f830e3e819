import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations, users } from './schema';
import { campaignReporters, campaigns } from './schema-campaigns';
import { rectificationItems } from './schema-rectification';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * One grouping of a campaign's free texts into themes (R-VOTE-6, decision 026), run in the background. `roundId` null:
 * every released real round of the campaign plus 点评 and field notes; else that round's ballot texts only. `result`
 * holds themes, counts and quotes only — texts that the results page already shows (released, at or above the
 * minimum group), in a shuffled order, without any ballot id, code or time. state running | done | failed.
 */
export const commentThemeJobs = pgTable(
  'comment_theme_jobs',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    roundId: integer('round_id'),
    state: text('state').notNull().default('running'),
    /** 0–100. */
    progress: integer('progress').notNull().default(0),
    error: text('error'),
    result: jsonb('result'),
    requestedBy: integer('requested_by').references(() => users.id),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('comment_theme_jobs_campaign_idx').on(t.campaignId, t.id)],
);

/**
 * A theme proposed as a problem of an organization (R-FIX-1): it shows in the organization's problem inbox, where the
 * secretary turns it into an item (accept), folds it into an existing item (merge) or rejects it with a reason.
 * state pending | merged | rejected (an accepted one is found by its item's source, as every inbox entry).
 */
export const themeDrafts = pgTable(
  'theme_drafts',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    jobId: integer('job_id')
      .notNull()
      .references(() => commentThemeJobs.id),
    themeId: integer('theme_id').notNull(),
    label: text('label').notNull(),
    commentCount: integer('comment_count').notNull(),
    /** The theme's quotes as shown, shuffled. */
    quotes: jsonb('quotes').notNull(),
    state: text('state').notNull().default('pending'),
    mergedItemId: integer('merged_item_id').references(() => rectificationItems.id),
    decisionNote: text('decision_note'),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('theme_drafts_org_idx').on(t.campaignId, t.orgId)],
);
