import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { organizations, secretaries, users } from './schema';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * One organizing committee's round for one year (R-CAMP-1). A sub-campaign (分级开展, R-CAMP-2) has
 * `parentId`; its organizer files its plan upward (R-CAMP-3) through the filing columns.
 * `settings` holds the validated CampaignSettings (src/domain/campaign-settings.ts) and `phases` the
 * Phase[] with their open/closed state (src/domain/campaign-phases.ts): both are read and written as
 * a whole by the domain rules, so jsonb keeps them in one place instead of a dozen narrow tables.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: serial('id').primaryKey(),
    parentId: integer('parent_id').references((): AnyPgColumn => campaigns.id),
    organizerOrgId: integer('organizer_org_id')
      .notNull()
      .references(() => organizations.id),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    templateId: text('template_id').notNull(),
    /** draft | published | closed | archived */
    state: text('state').notNull().default('draft'),
    settings: jsonb('settings').notNull(),
    phases: jsonb('phases').notNull(),
    /** not_required (top level) | pending | filed | acknowledged | returned */
    filingState: text('filing_state').notNull().default('not_required'),
    filingNote: text('filing_note'),
    /** Deadline by which this level completes its round (from the parent's organizing stages). */
    completeBy: date('complete_by'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /**
     * The OrgMatch (src/domain/routes.ts) that selects the reporting organizations (R-ORG-3). Kept
     * as the organizer's criteria rather than a frozen id list so a draft follows tree edits; the
     * list is frozen into campaign_reporters at publication.
     */
    scopeMatch: jsonb('scope_match').notNull().default({}),
    /** Why the upper level returned the filed plan (R-CAMP-3); cleared on the next filing. */
    filingReturnReason: text('filing_return_reason'),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    filingReviewedAt: timestamp('filing_reviewed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('campaigns_organizer_year_uq').on(t.organizerOrgId, t.year),
    index('campaigns_parent_idx').on(t.parentId),
  ],
);

/**
 * A reporter (述职对象) of a campaign: one organization and its secretary at publication.
 * `role` is 'reporter' for the usual upward report, 'downward' for the organizer's own secretary
 * rated by the lower-level secretaries (下评, R-CAMP-4). Removal after publishing keeps the row
 * (R-ORG-3: nothing in scope disappears silently) with who/why in the audit log.
 */
export const campaignReporters = pgTable(
  'campaign_reporters',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    reportToOrgId: integer('report_to_org_id')
      .notNull()
      .references(() => organizations.id),
    /** Index of the route rule that routed it; null when it reports to its parent (R-ORG-2). */
    routeRuleIndex: integer('route_rule_index'),
    role: text('role').notNull().default('reporter'),
    secretaryId: integer('secretary_id').references(() => secretaries.id),
    /** Key of the reporter tier (char limit, speaking minutes) from the campaign settings. */
    tierKey: text('tier_key').notNull(),
    writtenOnly: boolean('written_only').notNull().default(false),
    /** 向本级党委述职 (R-CAMP-5): the day the reporter reported to its own committee. */
    selfCommitteeReportedOn: date('self_committee_reported_on'),
    /** The committee's rating of that report: { good, fair, average, poor } ballots (004: 评议测评结果). */
    selfCommitteeRatings: jsonb('self_committee_ratings'),
    selfCommitteeParticipants: integer('self_committee_participants'),
    selfCommitteeNote: text('self_committee_note'),
    /** Filed with the organizer's organization department (004: 报市委组织部备案); the record is final from then. */
    selfCommitteeFiledAt: timestamp('self_committee_filed_at', { withTimezone: true }),
    selfCommitteeFiledBy: integer('self_committee_filed_by').references(() => users.id),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removedReason: text('removed_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('campaign_reporters_uq').on(t.campaignId, t.orgId, t.role),
    index('campaign_reporters_report_to_idx').on(t.campaignId, t.reportToOrgId),
    index('campaign_reporters_org_idx').on(t.orgId).where(sql`${t.removedAt} is null`),
  ],
);
