import { sql } from 'drizzle-orm';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertOrganize, assertViewAll } from './policy';
import { getCampaignRef } from './repo';

export interface TeamRow {
  id: number;
  name: string;
  leaderName: string | null;
  members: { id: number; displayName: string; username: string }[];
  reporters: { id: number; orgName: string; completed: boolean }[];
  assigned: number;
  completed: number;
}

/** Teams with members and assigned reporters; `q` matches the team name, a member or a reporter. */
export async function listTeams(
  db: DbOrTx,
  user: AuthUser,
  campaignId: number,
  filter: { q?: string; offset?: number; limit?: number },
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewAll(user, campaign);
  const q = filter.q?.trim();
  const like = q ? `%${escapeLike(q)}%` : null;
  const where = sql`t.campaign_id = ${campaignId} and t.removed_at is null ${
    like
      ? sql`and (
    t.name like ${like} or t.leader_name like ${like}
    or exists (select 1 from assessment_team_members m join auth_v_users u on u.id = m.user_id where m.team_id = t.id and (u.display_name like ${like} or u.username like ${like}))
    or exists (select 1 from assessment_assignments a join campaigns_v_reporters r on r.id = a.reporter_id join organizations_v_units o on o.id = r.org_id where a.team_id = t.id and o.name like ${like}))`
      : sql``
  }`;
  const { total } = (
    await queryRows<{ total: number }>(db, sql`select count(*)::int as total from assessment_teams t where ${where}`)
  )[0]!;
  const items = await queryRows<TeamRow>(
    db,
    sql`
    select t.id, t.name, t.leader_name as "leaderName",
      coalesce((select json_agg(json_build_object('id', u.id, 'displayName', u.display_name, 'username', u.username) order by u.display_name)
                from assessment_team_members m join auth_v_users u on u.id = m.user_id where m.team_id = t.id), '[]'::json) as members,
      coalesce((select json_agg(json_build_object('id', r.id, 'orgName', o.name, 'completed', a.completed_at is not null) order by o.path)
                from assessment_assignments a join campaigns_v_reporters r on r.id = a.reporter_id join organizations_v_units o on o.id = r.org_id
                where a.team_id = t.id), '[]'::json) as reporters,
      (select count(*)::int from assessment_assignments a where a.team_id = t.id) as assigned,
      (select count(*)::int from assessment_assignments a where a.team_id = t.id and a.completed_at is not null) as completed
    from assessment_teams t where ${where}
    order by t.id offset ${filter.offset ?? 0} limit ${filter.limit ?? 50}`,
  );
  return { items, total };
}

/** Assessor accounts that may join a team: enabled, inside the organizer's subtree. */
export async function listTeamCandidates(db: DbOrTx, user: AuthUser, campaignId: number, q?: string) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertOrganize(user, campaign);
  const like = q?.trim() ? `%${escapeLike(q.trim())}%` : null;
  const items = await queryRows<{ id: number; displayName: string; username: string; scopeOrgName: string | null }>(
    db,
    sql`
    select u.id, u.display_name as "displayName", u.username, o.name as "scopeOrgName"
    from auth_v_users u join organizations_v_units o on o.id = u.scope_org_id
    where u.role = 'assessor' and not u.disabled and o.path like ${`${escapeLike(campaign.organizerPath)}%`}
      ${like ? sql`and (u.display_name like ${like} or u.username like ${like})` : sql``}
    order by u.display_name limit 100`,
  );
  return { items };
}
