import { sql } from 'drizzle-orm';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { isoTs, phaseOf } from './repo';
import type { PhaseWindow } from './list-observers';
import { stepPhase } from '../campaigns/phase-gate';
import { shanghaiDate } from '../../../domain/calendar';

export interface TaskRow {
  id: number;
  campaignId: number;
  campaignTitle: string;
  senderName: string;
  subCampaignId: number;
  subCampaignTitle: string;
  subCampaignState: string;
  organizerName: string;
  groupName: string | null;
  isLeader: boolean;
  leaderName: string | null;
  note: string | null;
  meeting: PhaseWindow | null;
  meetings: { title: string; date: string; place: string }[];
  completeBy: string | null;
  observationNote: string | null;
  observedAt: string | null;
  /** The sub-round's meeting phase today: what the observer waits for (R-CAMP-8). */
  meetingPhase: ReturnType<typeof stepPhase> | null;
}

export interface MyTasksQuery {
  q?: string;
  status?: 'pending' | 'recorded';
  offset: number;
  limit: number;
}

/**
 * The signed-in person's observer assignments as tasks (R-CAMP-6). Any role may have some, so the
 * only check is that the rows are theirs.
 */
export async function listMyTasks(db: DbOrTx, user: AuthUser, query: MyTasksQuery, now: Date) {
  const today = shanghaiDate(now);
  const conds = [sql`a.user_id = ${user.id}`, sql`a.removed_at is null`];
  if (query.status === 'pending') conds.push(sql`a.observation_note is null`);
  if (query.status === 'recorded') conds.push(sql`a.observation_note is not null`);
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    conds.push(sql`(o.name ilike ${like} or sc.title ilike ${like} or pc.title ilike ${like})`);
  }
  const where = sql`where ${sql.join(conds, sql` and `)}`;
  const from = sql`
    from observer_assignments a
    join campaigns_v_campaigns sc on sc.id = a.sub_campaign_id
    join organizations_v_units o on o.id = sc.organizer_org_id
    join campaigns_v_campaigns pc on pc.id = a.campaign_id
    join organizations_v_units po on po.id = pc.organizer_org_id`;
  const rows = await queryRows<Omit<TaskRow, 'meetingPhase'> & { phases: unknown }>(
    db,
    sql`
    select a.id, pc.id as "campaignId", pc.title as "campaignTitle", po.name as "senderName",
      sc.id as "subCampaignId", sc.title as "subCampaignTitle", sc.state as "subCampaignState", o.name as "organizerName",
      a.group_name as "groupName", a.is_leader as "isLeader",
      (select lu.display_name from observer_assignments l join auth_v_users lu on lu.id = l.user_id
        where l.campaign_id = a.campaign_id and l.group_name = a.group_name and l.is_leader and l.removed_at is null
        limit 1) as "leaderName",
      a.note, ${phaseOf(sql`sc.phases`, 'meeting')} as meeting, sc.phases,
      (select coalesce(jsonb_agg(jsonb_build_object('title', m.title, 'date', m.meeting_date::text, 'place', m.place)
                 order by m.meeting_date), '[]'::jsonb)
        from meetings_v_schedule m where m.campaign_id = sc.id) as meetings,
      sc.complete_by::text as "completeBy", a.observation_note as "observationNote", ${isoTs(sql`a.observed_at`)} as "observedAt"
    ${from} ${where}
    order by sc.complete_by nulls last, o.path, a.id
    offset ${query.offset} limit ${query.limit}`,
  );
  const items: TaskRow[] = rows.map(({ phases, ...r }) => ({
    ...r,
    meetingPhase: Array.isArray(phases) ? stepPhase(phases, 'meeting.run', today) : null,
  }));
  const { total } = (await queryRows<{ total: number }>(db, sql`select count(*)::int as total ${from} ${where}`))[0]!;
  return { items, total };
}
