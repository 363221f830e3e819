import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { getOrg } from '../organizations/repo';
import { presentCampaign } from './list-observers';
import { isoTs } from './repo';
import { visitCampaign } from './visit-rules';

export interface VisitQuery {
  q?: string;
  orgId?: number;
  from?: string;
  to?: string;
  offset: number;
  limit: number;
}

export interface VisitRow {
  id: number;
  orgId: number;
  orgName: string;
  visitedOn: string;
  visitors: string;
  seen: string;
  authorId: number;
  authorName: string;
  createdAt: string;
  updatedAt: string;
  problems: { id: number; text: string }[];
}

/** Visits of a campaign, newest first; `orgId` narrows to that organization's subtree. */
export async function listVisits(db: DbOrTx, user: AuthUser, campaignId: number, query: VisitQuery) {
  const campaign = await visitCampaign(db, user, campaignId);
  const conds: SQL[] = [sql`v.campaign_id = ${campaignId}`];
  if (query.orgId) {
    const org = await getOrg(db, query.orgId).catch(() => null);
    // An organization outside the campaign filters to nothing rather than leaking whether it exists.
    conds.push(
      org?.path.startsWith(campaign.organizerPath) ? sql`o.path like ${`${escapeLike(org.path)}%`}` : sql`false`,
    );
  }
  if (query.from) conds.push(sql`v.visited_on >= ${query.from}::date`);
  if (query.to) conds.push(sql`v.visited_on <= ${query.to}::date`);
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    conds.push(sql`(o.name ilike ${like} or v.visitors ilike ${like} or v.seen ilike ${like}
      or exists (select 1 from visit_problems p where p.visit_id = v.id and p.withdrawn_at is null and p.text ilike ${like}))`);
  }
  const where = sql`where ${sql.join(conds, sql` and `)}`;
  const from = sql`from research_visits v join organizations_v_units o on o.id = v.org_id join auth_v_users u on u.id = v.author_id`;
  const items = await queryRows<VisitRow>(
    db,
    sql`
    select v.id, v.org_id as "orgId", o.name as "orgName", v.visited_on::text as "visitedOn", v.visitors, v.seen,
      v.author_id as "authorId", u.display_name as "authorName",
      ${isoTs(sql`v.created_at`)} as "createdAt", ${isoTs(sql`v.updated_at`)} as "updatedAt",
      (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'text', p.text) order by p.position, p.id), '[]'::jsonb)
        from visit_problems p where p.visit_id = v.id and p.withdrawn_at is null) as problems
    ${from} ${where}
    order by v.visited_on desc, v.id desc
    offset ${query.offset} limit ${query.limit}`,
  );
  const { total } = (await queryRows<{ total: number }>(db, sql`select count(*)::int as total ${from} ${where}`))[0]!;
  return {
    campaign: { ...presentCampaign(campaign), organizerPath: campaign.organizerPath },
    items: items.map((v) => ({ ...v, canEdit: v.authorId === user.id })),
    total,
  };
}
