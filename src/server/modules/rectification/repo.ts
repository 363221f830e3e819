import { sql, type SQL } from 'drizzle-orm';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { AppError, notFound } from '../../../domain/errors';
import { rollupProgress, type RectStatus } from '../../../domain/rectification-status';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

/** Deadlines are calendar dates in Asia/Shanghai; the app clock runs in UTC. */
export { shanghaiDate } from '../../../domain/calendar';

/** Timestamps as ISO text so both drivers answer the same shape. */
export const isoTs = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export interface CampaignCtx {
  id: number;
  title: string;
  year: number;
  state: string;
  organizerOrgId: number;
  organizerName: string;
  organizerPath: string;
  settings: CampaignSettings;
}

/** With a `viewer`, a campaign off the viewer's branch is not found, like a missing id (issue 15). */
export async function campaignOf(db: DbOrTx, id: number, viewer?: AuthUser): Promise<CampaignCtx> {
  const [row] = await queryRows<CampaignCtx>(
    db,
    sql`
    select c.id, c.title, c.year, c.state, c.organizer_org_id as "organizerOrgId", o.name as "organizerName",
           o.path as "organizerPath", c.settings
    from campaigns_v_campaigns c join organizations_v_units o on o.id = c.organizer_org_id where c.id = ${id}`,
  );
  if (!row) throw notFound('述职评议考核');
  hideOffBranch(viewer, row.organizerPath, '述职评议考核');
  return row;
}

export interface ReporterCtx {
  id: number;
  campaignId: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  orgParentId: number | null;
  reportToPath: string;
}

/** The organization's reporter row in the campaign (述职对象); its items and commitments hang on it. */
export async function reporterOf(db: DbOrTx, campaignId: number, orgId: number): Promise<ReporterCtx | null> {
  const [row] = await queryRows<ReporterCtx>(
    db,
    sql`
    select r.id, r.campaign_id as "campaignId", r.org_id as "orgId", o.name as "orgName", o.path as "orgPath",
           o.parent_id as "orgParentId", rt.path as "reportToPath"
    from campaigns_v_reporters r join organizations_v_units o on o.id = r.org_id join organizations_v_units rt on rt.id = r.report_to_org_id
    where r.campaign_id = ${campaignId} and r.org_id = ${orgId} and r.removed_at is null
    order by (r.role = 'reporter') desc, r.id limit 1`,
  );
  return row ?? null;
}

export async function requireReporter(db: DbOrTx, campaignId: number, orgId: number): Promise<ReporterCtx> {
  const r = await reporterOf(db, campaignId, orgId);
  if (!r) throw new AppError('VALIDATION', '该党组织不是本次述职评议考核的述职对象', { field: 'orgId' });
  return r;
}

export interface ItemCtx {
  id: number;
  campaignId: number;
  orgId: number;
  orgPath: string;
  orgName: string;
  parentId: number | null;
  status: RectStatus;
  deadline: string | null;
  description: string;
  owner: string | null;
  measures: string | null;
  progress: number;
  evidenceRequired: boolean;
  createdOn: string;
  children: number;
}

/**
 * An item with its organization's place; `forUpdate` locks the row for a transition. With a `viewer`, an item of an
 * organization off the viewer's branch is not found, like a missing id (issue 15).
 */
export async function loadItem(db: DbOrTx, id: number, forUpdate = false, viewer?: AuthUser): Promise<ItemCtx> {
  const [row] = await queryRows<ItemCtx>(
    db,
    sql`
    select i.id, i.campaign_id as "campaignId", i.org_id as "orgId", o.path as "orgPath", o.name as "orgName",
           i.parent_id as "parentId", i.status, i.deadline::text as deadline, i.description, i.owner, i.measures,
           i.progress, i.evidence_required as "evidenceRequired",
           to_char(i.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as "createdOn",
           (select count(*)::int from rectification_items s where s.parent_id = i.id) as children
    from rectification_items i join organizations_v_units o on o.id = i.org_id
    where i.id = ${id} ${forUpdate ? sql`for update of i` : sql``}`,
  );
  if (!row) throw notFound('整改事项');
  hideOffBranch(viewer, row.orgPath, '整改事项');
  return row;
}

/** A parent's progress is its sub-items' weighted progress (rounded to whole percent for the column). */
export async function rollUpParent(tx: DbOrTx, parentId: number | null, at: Date) {
  if (!parentId) return;
  const subs = await queryRows<{ weight: number; status: RectStatus; progress: number }>(
    tx,
    sql`
    select weight, status, progress from rectification_items where parent_id = ${parentId}`,
  );
  const p = rollupProgress(subs);
  if (p === null) return;
  await tx.execute(
    sql`update rectification_items set progress = ${Math.round(p)}, updated_at = ${at} where id = ${parentId}`,
  );
}

/** SQL for "overdue today": not closed and the deadline has passed (R-FIX-2; 待验收 still counts). */
export const overdueSql = (alias: string, today: string) => {
  const a = sql.raw(alias);
  return sql`(${a}.status <> 'closed' and ${a}.deadline is not null and ${a}.deadline < ${today}::date)`;
};
