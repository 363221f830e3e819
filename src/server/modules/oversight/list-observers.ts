import { sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertManageObservers, OBSERVER_ROLES } from './policy';
import { type CampaignRef, getCampaignRef, isoTs, phaseOf } from './repo';

export interface PhaseWindow {
  start: string;
  end: string;
  state: string;
}

export interface AssignmentRow {
  id: number;
  userId: number;
  userName: string;
  username: string;
  role: string;
  groupName: string | null;
  isLeader: boolean;
  note: string | null;
  subCampaignId: number;
  subCampaignTitle: string;
  organizerName: string;
  organizerLevel: string;
  meeting: PhaseWindow | null;
  completeBy: string | null;
  observationNote: string | null;
  observedAt: string | null;
  createdAt: string;
}

export interface ObserverGroup {
  groupName: string | null;
  leaderName: string | null;
  members: string[];
  subCampaigns: { id: number; organizerName: string; meeting: PhaseWindow | null; completeBy: string | null }[];
  assignments: number;
}

const assignmentColumns = sql`
  a.id, a.user_id as "userId", u.display_name as "userName", u.username, u.role, a.group_name as "groupName",
  a.is_leader as "isLeader", a.note, a.sub_campaign_id as "subCampaignId", sc.title as "subCampaignTitle",
  o.name as "organizerName", o.level as "organizerLevel", ${phaseOf(sql`sc.phases`, 'meeting')} as meeting,
  sc.complete_by::text as "completeBy", a.observation_note as "observationNote",
  ${isoTs(sql`a.observed_at`)} as "observedAt", ${isoTs(sql`a.created_at`)} as "createdAt"`;

const assignmentFrom = sql`
  from observer_assignments a
  join auth_v_users u on u.id = a.user_id
  join campaigns_v_campaigns sc on sc.id = a.sub_campaign_id
  join organizations_v_units o on o.id = sc.organizer_org_id`;

export interface ListObserversQuery {
  q?: string;
  groupName?: string;
  offset: number;
  limit: number;
}

function whereOf(campaignId: number, query: { q?: string; groupName?: string }): SQL {
  const conds: SQL[] = [sql`a.campaign_id = ${campaignId}`, sql`a.removed_at is null`];
  if (query.groupName) conds.push(sql`a.group_name = ${query.groupName}`);
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    conds.push(sql`(u.display_name ilike ${like} or o.name ilike ${like} or a.group_name ilike ${like})`);
  }
  return sql`where ${sql.join(conds, sql` and `)}`;
}

export async function loadAssignments(
  db: DbOrTx,
  campaignId: number,
  query: { q?: string; groupName?: string },
  page?: { offset: number; limit: number },
) {
  const paging = page ? sql`offset ${page.offset} limit ${page.limit}` : sql``;
  return queryRows<AssignmentRow>(
    db,
    sql`
    select ${assignmentColumns} ${assignmentFrom} ${whereOf(campaignId, query)}
    order by a.group_name nulls last, o.path, a.is_leader desc, u.display_name, a.id ${paging}`,
  );
}

/** The 分组名单: one entry per group (ungrouped assignments under null), leader first. */
export async function loadGroups(db: DbOrTx, campaignId: number): Promise<ObserverGroup[]> {
  return queryRows<ObserverGroup>(
    db,
    sql`
    select a.group_name as "groupName",
      max(u.display_name) filter (where a.is_leader) as "leaderName",
      coalesce(jsonb_agg(distinct u.display_name) filter (where not a.is_leader), '[]'::jsonb) as members,
      (select coalesce(jsonb_agg(jsonb_build_object('id', sc.id, 'organizerName', o.name,
                'meeting', ${phaseOf(sql`sc.phases`, 'meeting')}, 'completeBy', sc.complete_by::text) order by o.path), '[]'::jsonb)
       from campaigns_v_campaigns sc join organizations_v_units o on o.id = sc.organizer_org_id
       where sc.id in (select b.sub_campaign_id from observer_assignments b
                       where b.campaign_id = ${campaignId} and b.removed_at is null
                         and b.group_name is not distinct from a.group_name)) as "subCampaigns",
      count(*)::int as assignments
    from observer_assignments a join auth_v_users u on u.id = a.user_id
    where a.campaign_id = ${campaignId} and a.removed_at is null
    group by a.group_name
    order by a.group_name nulls last`,
  );
}

export async function listObservers(db: DbOrTx, user: AuthUser, campaignId: number, query: ListObserversQuery) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageObservers(user, campaign);
  const items = await loadAssignments(db, campaignId, query, query);
  const { total } = (
    await queryRows<{ total: number }>(
      db,
      sql`
    select count(*)::int as total ${assignmentFrom} ${whereOf(campaignId, query)}`,
    )
  )[0]!;
  return { campaign: presentCampaign(campaign), items, total, groups: await loadGroups(db, campaignId) };
}

export const presentCampaign = (c: CampaignRef) => ({
  id: c.id,
  parentId: c.parentId,
  title: c.title,
  year: c.year,
  state: c.state,
  organizerOrgId: c.organizerOrgId,
  organizerName: c.organizerName,
});

/** Accounts the admin may send: staff roles whose scope lies within the admin's own. */
export async function listObserverCandidates(db: DbOrTx, user: AuthUser, campaignId: number, q: string | undefined) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageObservers(user, campaign);
  const like = q ? `%${escapeLike(q)}%` : null;
  const items = await queryRows<{
    id: number;
    displayName: string;
    username: string;
    role: string;
    scopeOrgName: string | null;
  }>(
    db,
    sql`
    select u.id, u.display_name as "displayName", u.username, u.role, o.name as "scopeOrgName"
    from auth_v_users u join organizations_v_units o on o.id = u.scope_org_id
    where not u.disabled
      and u.role in (${sql.join(
        OBSERVER_ROLES.map((r) => sql`${r}`),
        sql`, `,
      )})
      and o.path like ${`${escapeLike(user.scopePath!)}%`}
      ${like ? sql`and (u.display_name ilike ${like} or u.username ilike ${like})` : sql``}
    order by (u.role = 'observer') desc, u.display_name
    limit 50`,
  );
  return { items };
}
