import { QueryBuilder } from 'drizzle-orm/pg-core';
import { observerAssignments } from '../../db/schema';

/**
 * Row sources the oversight module publishes for other modules' Drizzle queries (decision 022): a typed projection a
 * caller joins like a table, so a join stays one statement while the column names stay the owner's. PostgreSQL
 * inlines such a plain subquery.
 */
const qb = new QueryBuilder();

/** Observers sent to lower-level sub-campaigns (R-CAMP-6): who, to which round, in which group; withdrawn ones too. */
export const observerRowsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: observerAssignments.id,
      campaignId: observerAssignments.campaignId,
      subCampaignId: observerAssignments.subCampaignId,
      userId: observerAssignments.userId,
      groupName: observerAssignments.groupName,
      isLeader: observerAssignments.isLeader,
      removedAt: observerAssignments.removedAt,
    })
    .from(observerAssignments)
    .as(name);
export const observerRows = observerRowsAs('observer_rows');
