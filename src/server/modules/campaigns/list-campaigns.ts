import { and, desc, eq, ilike, inArray, isNull, like, sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, escapeLike } from '../../db/connect';
import { campaignReporters, campaigns } from '../../db/schema';
import { orgUnits } from '../organizations/row-sources';
import type { AuthUser } from '../../http/context';
import { assertCampaignReader } from './policy';
import { asCampaign } from './repo';
import { presentSummary } from './present';

export interface ListInput {
  q?: string;
  year?: number;
  state?: string;
  parentId?: number;
  topLevel?: 'true' | 'false';
  offset: number;
  limit: number;
}

/** Campaigns organized within the user's subtree; a secretary's, those its organization reports in. */
export async function listCampaigns(db: DbOrTx, user: AuthUser, input: ListInput) {
  assertCampaignReader(user);
  const conds: SQL[] = [];
  if (user.role === 'secretary') {
    const mine = db
      .select({ id: campaignReporters.campaignId })
      .from(campaignReporters)
      .where(and(eq(campaignReporters.orgId, user.orgId ?? -1), isNull(campaignReporters.removedAt)));
    conds.push(inArray(campaigns.id, mine));
  } else {
    conds.push(like(orgUnits.path, `${escapeLike(user.scopePath!)}%`));
  }
  if (input.q)
    conds.push(
      sql`(${ilike(campaigns.title, `%${escapeLike(input.q)}%`)} or ${ilike(orgUnits.name, `%${escapeLike(input.q)}%`)})`,
    );
  if (input.year) conds.push(eq(campaigns.year, input.year));
  if (input.state) conds.push(eq(campaigns.state, input.state));
  if (input.parentId) conds.push(eq(campaigns.parentId, input.parentId));
  if (input.topLevel === 'true') conds.push(isNull(campaigns.parentId));
  const where = and(...conds);
  const rows = await db
    .select({ c: campaigns, orgName: orgUnits.name })
    .from(campaigns)
    .innerJoin(orgUnits, eq(orgUnits.id, campaigns.organizerOrgId))
    .where(where)
    .orderBy(desc(campaigns.year), orgUnits.depth, orgUnits.code)
    .offset(input.offset)
    .limit(input.limit);
  const { total } = (
    await db
      .select({ total: sql<number>`count(*)::int` })
      .from(campaigns)
      .innerJoin(orgUnits, eq(orgUnits.id, campaigns.organizerOrgId))
      .where(where)
  )[0]!;
  return {
    total,
    items: rows.map((r) => presentSummary(asCampaign(r.c), { id: r.c.organizerOrgId, name: r.orgName })),
  };
}
