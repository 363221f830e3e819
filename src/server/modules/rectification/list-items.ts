import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { RECT_STATUS_LABELS, RECT_STATUSES, type RectStatus } from '../../../domain/rectification-status';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { SOURCE_LABELS, type SourceType } from './schemas';
import { isoTs, overdueSql } from './repo';

export interface ItemRow {
  id: number;
  campaignId: number;
  campaignTitle: string;
  orgId: number;
  orgName: string;
  upperOrgName: string | null;
  parentId: number | null;
  weight: number;
  sourceType: string;
  sourceLabel: string;
  sourceText: string | null;
  description: string;
  rootCause: string | null;
  owner: string | null;
  responsibleLeader: string | null;
  measures: string | null;
  deadline: string | null;
  status: RectStatus;
  statusLabel: string;
  overdue: boolean;
  progress: number;
  evidenceRequired: boolean;
  children: number;
  carriedFromId: number | null;
  createdAt: string;
  closedAt: string | null;
}

/** The columns every list and the detail show; `overdue` computed for `today` (injected clock). */
export const itemColumns = (today: string) => sql`
  i.id, i.campaign_id as "campaignId", c.title as "campaignTitle", i.org_id as "orgId", o.name as "orgName",
  up.name as "upperOrgName", i.parent_id as "parentId", i.weight, i.source_type as "sourceType",
  i.source_text as "sourceText", i.description, i.root_cause as "rootCause", i.owner,
  i.responsible_leader as "responsibleLeader", i.measures, i.deadline::text as deadline, i.status,
  ${overdueSql('i', today)} as overdue, i.progress, i.evidence_required as "evidenceRequired",
  (select count(*)::int from rectification_items s where s.parent_id = i.id) as children,
  i.carried_from_id as "carriedFromId", ${isoTs(sql`i.created_at`)} as "createdAt",
  case when i.closed_at is null then null else ${isoTs(sql`i.closed_at`)} end as "closedAt"`;

export const itemFrom = sql`
  from rectification_items i join organizations_v_units o on o.id = i.org_id join campaigns_v_campaigns c on c.id = i.campaign_id
  left join organizations_v_units up on up.id = o.parent_id`;

export const presentItem = (r: Omit<ItemRow, 'sourceLabel' | 'statusLabel'>): ItemRow => ({
  ...r,
  sourceLabel: SOURCE_LABELS[r.sourceType as SourceType] ?? r.sourceType,
  statusLabel: r.overdue ? `${RECT_STATUS_LABELS[r.status]}（已逾期）` : RECT_STATUS_LABELS[r.status],
});

/** Which items a user may read at all: a secretary their own organization's, scoped staff their subtree. */
export function visibleTo(user: AuthUser): SQL {
  if (user.role === 'secretary') {
    if (!user.orgId) throw new AppError('FORBIDDEN', '账号未绑定党组织');
    return sql`i.org_id = ${user.orgId}`;
  }
  if (['org_admin', 'leader', 'assessor', 'observer'].includes(user.role) && user.scopePath) {
    return sql`o.path like ${`${escapeLike(user.scopePath)}%`}`;
  }
  throw new AppError('FORBIDDEN', '无权查看整改事项');
}

export interface ItemsQuery {
  campaignId?: number;
  orgId?: number;
  status?: RectStatus;
  overdue?: boolean;
  source?: string;
  q?: string;
  offset: number;
  limit: number;
}

/**
 * The organization list (问题/责任/整改清单 are columns of the same rows), top-level items only, filtered;
 * with `overdue=true` it is the escalation list the upper level watches (R-FIX-2).
 */
export async function listItems(db: DbOrTx, user: AuthUser, today: string, query: ItemsQuery) {
  // Sub-items show under their item, except in the escalation list: an overdue sub-item is escalated itself.
  const base: SQL[] = [visibleTo(user), query.overdue === true ? sql`true` : sql`i.parent_id is null`];
  if (query.campaignId) base.push(sql`i.campaign_id = ${query.campaignId}`);
  if (query.orgId) base.push(sql`i.org_id = ${query.orgId}`);
  if (query.source) base.push(sql`i.source_type = ${query.source}`);
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    base.push(sql`(o.name ilike ${like} or i.description ilike ${like} or i.owner ilike ${like})`);
  }
  const conds = [...base];
  if (query.status) conds.push(sql`i.status = ${query.status}`);
  if (query.overdue !== undefined)
    conds.push(query.overdue ? overdueSql('i', today) : sql`not ${overdueSql('i', today)}`);
  const where = sql`where ${sql.join(conds, sql` and `)}`;
  const rows = await queryRows<Omit<ItemRow, 'sourceLabel' | 'statusLabel'>>(
    db,
    sql`
    select ${itemColumns(today)} ${itemFrom} ${where}
    order by ${overdueSql('i', today)} desc, (i.status = 'closed'), i.deadline nulls last, o.path, i.id
    offset ${query.offset} limit ${query.limit}`,
  );
  const { total } = (
    await queryRows<{ total: number }>(db, sql`select count(*)::int as total ${itemFrom} ${where}`)
  )[0]!;
  // The summary ignores the status/overdue filters so the filter chips show what each would give.
  const counts = await queryRows<{ status: RectStatus; n: number; overdue: number }>(
    db,
    sql`
    select i.status, count(*)::int as n, count(*) filter (where ${overdueSql('i', today)})::int as overdue
    ${itemFrom} where ${sql.join(base, sql` and `)} group by i.status`,
  );
  const byStatus = Object.fromEntries(RECT_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0]));
  return {
    today,
    items: rows.map(presentItem),
    total,
    summary: {
      total: counts.reduce((s, c) => s + c.n, 0),
      overdue: counts.reduce((s, c) => s + c.overdue, 0),
      byStatus,
    },
  };
}
