import { QueryBuilder } from 'drizzle-orm/pg-core';
import { campaignReporters, campaigns } from '../../db/schema';

/**
 * Row sources the campaigns module publishes for other modules' Drizzle queries (decision 022): typed projections a
 * caller joins like a table, so a join stays one statement while the column names stay the owner's. PostgreSQL
 * inlines such a plain subquery, so the plans read the same base tables and indexes as before. The SQL counterpart
 * of the reporters is the view campaigns_v_reporters.
 */
const qb = new QueryBuilder();

/** A campaign as other modules read it: its organizer, year, title, state, settings, phases and place in the levels. */
export const campaignRowsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: campaigns.id,
      parentId: campaigns.parentId,
      organizerOrgId: campaigns.organizerOrgId,
      year: campaigns.year,
      title: campaigns.title,
      templateId: campaigns.templateId,
      state: campaigns.state,
      settings: campaigns.settings,
      phases: campaigns.phases,
      filingState: campaigns.filingState,
      completeBy: campaigns.completeBy,
      scopeMatch: campaigns.scopeMatch,
      publishedAt: campaigns.publishedAt,
    })
    .from(campaigns)
    .as(name);
export const campaignRows = campaignRowsAs('campaign_rows');

/** Every reporter row of a campaign, removed ones and 下评 rows included (callers filter role and removedAt). */
export const reporterRowsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: campaignReporters.id,
      campaignId: campaignReporters.campaignId,
      orgId: campaignReporters.orgId,
      reportToOrgId: campaignReporters.reportToOrgId,
      role: campaignReporters.role,
      secretaryId: campaignReporters.secretaryId,
      tierKey: campaignReporters.tierKey,
      writtenOnly: campaignReporters.writtenOnly,
      removedAt: campaignReporters.removedAt,
    })
    .from(campaignReporters)
    .as(name);
export const reporterRows = reporterRowsAs('reporter_rows');
