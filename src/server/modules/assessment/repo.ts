import { sql, type SQL } from 'drizzle-orm';
import { applicableChecklist, type AppliesTo } from '../../../domain/checklist';
import { notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

export interface CampaignRef {
  id: number;
  title: string;
  year: number;
  state: string;
  organizerOrgId: number;
  organizerName: string;
  organizerPath: string;
  settings: unknown;
}

/**
 * With a `viewer`, a campaign off the viewer's branch is not found, exactly as a missing id of `what` (the object the
 * caller named: the campaign itself, or a checklist, item or team of it) — issue 15.
 */
export async function getCampaignRef(
  db: DbOrTx,
  id: number,
  viewer?: AuthUser,
  what = '述职评议考核',
): Promise<CampaignRef> {
  const [row] = await queryRows<CampaignRef>(
    db,
    sql`
    select c.id, c.title, c.year, c.state, c.organizer_org_id as "organizerOrgId", o.name as "organizerName",
           o.path as "organizerPath", c.settings
    from campaigns_v_campaigns c join organizations_v_units o on o.id = c.organizer_org_id
    where c.id = ${id}`,
  );
  if (!row) throw notFound('述职评议考核');
  hideOffBranch(viewer, row.organizerPath, what);
  return row;
}

/** Timestamps as ISO text so both drivers answer the same shape. */
export const isoTs = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export interface ChecklistRow {
  id: number;
  campaignId: number;
  title: string;
  appliesTo: AppliesTo;
  position: number;
}

export async function getChecklist(db: DbOrTx, id: number): Promise<ChecklistRow> {
  const [row] = await queryRows<ChecklistRow>(
    db,
    sql`
    select id, campaign_id as "campaignId", title, applies_to as "appliesTo", position
    from checklists where id = ${id} and removed_at is null`,
  );
  if (!row) throw notFound('考核细则');
  return row;
}

export async function listChecklistRows(db: DbOrTx, campaignId: number): Promise<ChecklistRow[]> {
  return queryRows<ChecklistRow>(
    db,
    sql`
    select id, campaign_id as "campaignId", title, applies_to as "appliesTo", position
    from checklists where campaign_id = ${campaignId} and removed_at is null
    order by position, id`,
  );
}

export interface ItemRow {
  id: number;
  checklistId: number;
  section: string;
  position: number;
  title: string;
  maxPoints: number;
  guidance: string;
  method: string;
}

export async function listItems(db: DbOrTx, checklistIds: number[]): Promise<ItemRow[]> {
  if (!checklistIds.length) return [];
  return queryRows<ItemRow>(
    db,
    sql`
    select id, checklist_id as "checklistId", section, position, title, max_points::float8 as "maxPoints", guidance, method
    from checklist_items
    where removed_at is null and checklist_id in (${sql.join(
      checklistIds.map((i) => sql`${i}`),
      sql`, `,
    )})
    order by checklist_id, position, id`,
  );
}

/** A reporter with what access and scoring need: campaign, organization, its team and completion. */
export interface ReporterCtx {
  reporterId: number;
  campaignId: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  sector: string;
  tierKey: string;
  secretaryName: string | null;
  campaign: CampaignRef;
  assignmentId: number | null;
  teamId: number | null;
  teamName: string | null;
  completedAt: string | null;
}

export async function getReporterCtx(db: DbOrTx, reporterId: number, viewer?: AuthUser): Promise<ReporterCtx> {
  const [row] = await queryRows<Omit<ReporterCtx, 'campaign'>>(
    db,
    sql`
    select r.id as "reporterId", r.campaign_id as "campaignId", r.org_id as "orgId", o.name as "orgName", o.path as "orgPath",
           o.sector, r.tier_key as "tierKey", coalesce(s.name, (select cs.name from organizations_v_secretaries cs where cs.org_id = r.org_id and cs.tenure_end is null
             order by cs.tenure_start desc limit 1)) as "secretaryName",
           a.id as "assignmentId", t.id as "teamId", t.name as "teamName", ${isoTs(sql`a.completed_at`)} as "completedAt"
    from campaigns_v_reporters r
    join organizations_v_units o on o.id = r.org_id
    left join organizations_v_secretaries s on s.id = r.secretary_id
    left join assessment_assignments a on a.reporter_id = r.id
    left join assessment_teams t on t.id = a.team_id and t.removed_at is null
    where r.id = ${reporterId} and r.removed_at is null`,
  );
  if (!row) throw notFound('述职对象');
  const campaign = await getCampaignRef(db, row.campaignId, viewer, '述职对象');
  return { ...row, teamId: row.teamName == null ? null : row.teamId, campaign };
}

export async function isTeamMember(db: DbOrTx, teamId: number | null, userId: number): Promise<boolean> {
  if (teamId == null) return false;
  const [row] = await queryRows<{ ok: boolean }>(
    db,
    sql`
    select exists(select 1 from assessment_team_members m join assessment_teams t on t.id = m.team_id
                  where m.team_id = ${teamId} and m.user_id = ${userId} and t.removed_at is null) as ok`,
  );
  return row!.ok;
}

/** The checklist a reporter is scored against with its live items, or null when none applies. */
export async function checklistFor(db: DbOrTx, ctx: { campaignId: number; tierKey: string; sector: string }) {
  const lists = await listChecklistRows(db, ctx.campaignId);
  const list = applicableChecklist(lists, ctx);
  if (!list) return null;
  return { ...list, items: await listItems(db, [list.id]) };
}

export interface ScoreRow {
  id: number;
  itemId: number;
  score: number;
  failed: boolean;
  note: string | null;
  clientId: string | null;
  scoredByName: string | null;
  scoredAt: string;
  photos: { id: number; fileName: string; size: number }[];
}

export async function listScores(db: DbOrTx, reporterId: number): Promise<ScoreRow[]> {
  return queryRows<ScoreRow>(
    db,
    sql`
    select f.id, f.item_id as "itemId", f.score::float8 as score, f.failed, f.note, f.client_id::text as "clientId",
           u.display_name as "scoredByName", ${isoTs(sql`f.scored_at`)} as "scoredAt",
           coalesce((select json_agg(json_build_object('id', p.id, 'fileName', p.file_name, 'size', p.size) order by p.id)
                     from field_score_photos p where p.score_id = f.id and p.removed_at is null), '[]'::json) as photos
    from field_scores f left join auth_v_users u on u.id = f.scored_by
    where f.reporter_id = ${reporterId}
    order by f.item_id`,
  );
}
