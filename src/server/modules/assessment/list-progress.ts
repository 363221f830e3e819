import { sql } from 'drizzle-orm';
import { applicableChecklist, fieldPercent } from '../../../domain/checklist';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertViewProgress, canViewAll } from './policy';
import { type CampaignRef, getCampaignRef, isoTs, listChecklistRows } from './repo';

export type ProgressStatus = 'unassigned' | 'not_started' | 'in_progress' | 'completed';
export const STATUS_LABELS: Record<ProgressStatus, string> = {
  unassigned: '未分组',
  not_started: '未开始',
  in_progress: '评分中',
  completed: '已完成',
};

export interface ProgressRow {
  reporterId: number;
  orgId: number;
  orgName: string;
  secretaryName: string | null;
  tierKey: string;
  sector: string;
  teamId: number | null;
  teamName: string | null;
  checklistId: number | null;
  checklistTitle: string | null;
  items: number;
  scored: number;
  failed: number;
  score: number;
  maxScored: number;
  /** The agreed field component (100 × Σscore / Σmax of scored items), only once completed. */
  percent: number | null;
  status: ProgressStatus;
  completedAt: string | null;
}

export interface ProgressFilter {
  q?: string;
  teamId?: number;
  status?: ProgressStatus;
  offset?: number;
  limit?: number;
}

/**
 * Every reporter of the campaign with its team, checklist and scoring progress. Organizer admins and
 * leaders see all; an assessor only the reporters of the teams they belong to; anyone else is refused.
 */
export async function computeProgress(db: DbOrTx, user: AuthUser, campaign: CampaignRef, filter: ProgressFilter = {}) {
  const all = canViewAll(user, campaign);
  const [member] = all
    ? [{ n: 1 }]
    : await queryRows<{ n: number }>(
        db,
        sql`
    select count(*)::int as n from assessment_team_members m join assessment_teams t on t.id = m.team_id
    where t.campaign_id = ${campaign.id} and m.user_id = ${user.id}`,
      );
  assertViewProgress(user, campaign, member!.n > 0);
  const onlyMine = all
    ? sql`true`
    : sql`exists (select 1 from assessment_team_members m where m.team_id = t.id and m.user_id = ${user.id})`;
  const q = filter.q?.trim();
  const rows = await queryRows<
    Omit<
      ProgressRow,
      'checklistId' | 'checklistTitle' | 'items' | 'scored' | 'failed' | 'score' | 'maxScored' | 'percent' | 'status'
    >
  >(
    db,
    sql`
    select r.id as "reporterId", r.org_id as "orgId", o.name as "orgName", coalesce(s.name, (select cs.name from organizations_v_secretaries cs where cs.org_id = r.org_id and cs.tenure_end is null
             order by cs.tenure_start desc limit 1)) as "secretaryName", r.tier_key as "tierKey",
           o.sector, t.id as "teamId", t.name as "teamName", ${isoTs(sql`a.completed_at`)} as "completedAt"
    from campaigns_v_reporters r
    join organizations_v_units o on o.id = r.org_id
    left join organizations_v_secretaries s on s.id = r.secretary_id
    left join assessment_assignments a on a.reporter_id = r.id
    left join assessment_teams t on t.id = a.team_id and t.removed_at is null
    where r.campaign_id = ${campaign.id} and r.removed_at is null and r.role = 'reporter'
      and ${onlyMine}
      ${q ? sql`and o.name like ${`%${escapeLike(q)}%`}` : sql``}
      ${filter.teamId ? sql`and t.id = ${filter.teamId}` : sql``}
    order by o.path`,
  );
  const lists = await listChecklistRows(db, campaign.id);
  const counts = await queryRows<{ checklistId: number; items: number; points: number }>(
    db,
    sql`
    select i.checklist_id as "checklistId", count(*)::int as items, coalesce(sum(i.max_points), 0)::float8 as points
    from checklist_items i join checklists c on c.id = i.checklist_id
    where c.campaign_id = ${campaign.id} and c.removed_at is null and i.removed_at is null group by i.checklist_id`,
  );
  const scored = await queryRows<{
    reporterId: number;
    checklistId: number;
    scored: number;
    failed: number;
    score: number;
    max: number;
  }>(
    db,
    sql`
    select f.reporter_id as "reporterId", i.checklist_id as "checklistId", count(*)::int as scored,
           count(*) filter (where f.failed)::int as failed, sum(f.score)::float8 as score, sum(i.max_points)::float8 as max
    from field_scores f join checklist_items i on i.id = f.item_id and i.removed_at is null
    join campaigns_v_reporters r on r.id = f.reporter_id
    where r.campaign_id = ${campaign.id}
    group by f.reporter_id, i.checklist_id`,
  );
  const itemCount = new Map(counts.map((c) => [c.checklistId, c.items]));
  const scoreOf = new Map(scored.map((s) => [`${s.reporterId}:${s.checklistId}`, s]));
  let out: ProgressRow[] = rows.map((r) => {
    const list = applicableChecklist(lists, r);
    const s = list ? scoreOf.get(`${r.reporterId}:${list.id}`) : undefined;
    const status: ProgressStatus =
      r.teamId == null ? 'unassigned' : r.completedAt ? 'completed' : s?.scored ? 'in_progress' : 'not_started';
    return {
      ...r,
      checklistId: list?.id ?? null,
      checklistTitle: list?.title ?? null,
      items: list ? (itemCount.get(list.id) ?? 0) : 0,
      scored: s?.scored ?? 0,
      failed: s?.failed ?? 0,
      score: s?.score ?? 0,
      maxScored: s?.max ?? 0,
      percent: r.completedAt && s ? fieldPercent([{ score: s.score, maxPoints: s.max }]) : null,
      status,
    };
  });
  const summary = {
    total: out.length,
    byStatus: Object.fromEntries(
      (Object.keys(STATUS_LABELS) as ProgressStatus[]).map((k) => [k, out.filter((r) => r.status === k).length]),
    ),
  };
  if (filter.status) out = out.filter((r) => r.status === filter.status);
  const total = out.length;
  const offset = filter.offset ?? 0;
  const items = filter.limit ? out.slice(offset, offset + filter.limit) : out;
  return { items, total, summary, canViewAll: all };
}

export async function listProgress(db: DbOrTx, user: AuthUser, campaignId: number, filter: ProgressFilter) {
  const campaign = await getCampaignRef(db, campaignId, user);
  const res = await computeProgress(db, user, campaign, filter);
  return {
    campaign: {
      id: campaign.id,
      title: campaign.title,
      year: campaign.year,
      state: campaign.state,
      organizerName: campaign.organizerName,
    },
    ...res,
  };
}
