import { sql, type SQL } from 'drizzle-orm';
import { PHASE_KEYS, phaseLabel, phaseStatus, type Phase } from '../../../domain/campaign-phases';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { presentCampaign } from './list-observers';
import { assertViewProgress } from './policy';
import { descendantsCte, getCampaignRef } from './repo';
import { shanghaiDate } from '../../../domain/calendar';

export interface ProgressFilter {
  q?: string;
  state?: string;
  filing?: string;
  overdue?: boolean;
}

interface ProgressSqlRow {
  id: number;
  parentId: number | null;
  depth: number;
  title: string;
  year: number;
  state: string;
  filingState: string;
  completeBy: string | null;
  overdue: boolean;
  organizerOrgId: number;
  organizerName: string;
  organizerLevel: string;
  phasesTotal: number;
  phasesClosed: number;
  phases: unknown;
  summaryState: string | null;
  reporters: number;
  observers: number;
}

/**
 * Rows of the campaign and every sub-campaign below it (R-CAMP-2), one query: the recursive CTE
 * walks parent_id, the phase counts come from the jsonb plan, reporters and observers are grouped
 * once for the whole tree. Rows whose organizer lies outside the user's scope are left out.
 */
function progressRows(rootId: number, user: AuthUser, today: string): SQL {
  return sql`
    with recursive ${descendantsCte(rootId)},
    rows as (
      select c.id, c.parent_id as "parentId", t.depth, c.title, c.year, c.state, c.filing_state as "filingState",
        c.complete_by::text as "completeBy",
        (c.complete_by is not null and c.complete_by < ${today}::date and c.state not in ('closed', 'archived')) as overdue,
        o.id as "organizerOrgId", o.name as "organizerName", o.level as "organizerLevel", o.path as "organizerPath",
        ph.total as "phasesTotal", ph.closed as "phasesClosed", c.phases,
        (select sr.state from results_v_summary_states sr where sr.campaign_id = c.id) as "summaryState",
        coalesce(rep.n, 0) as reporters, coalesce(obs.n, 0) as observers
      from tree t
      join campaigns_v_campaigns c on c.id = t.id
      join organizations_v_units o on o.id = c.organizer_org_id
      cross join lateral (
        select count(*)::int as total,
          (count(*) filter (where e->>'state' = 'closed'))::int as closed
        from jsonb_array_elements(case when jsonb_typeof(c.phases) = 'array' then c.phases else '[]'::jsonb end) with ordinality as x(e, i)
      ) ph
      left join (
        select campaign_id, count(*)::int as n from campaigns_v_reporters
        where removed_at is null and campaign_id in (select id from tree) group by campaign_id
      ) rep on rep.campaign_id = c.id
      left join (
        select sub_campaign_id, count(distinct user_id)::int as n from observer_assignments
        where removed_at is null and sub_campaign_id in (select id from tree) group by sub_campaign_id
      ) obs on obs.sub_campaign_id = c.id
      where o.path like ${`${escapeLike(user.scopePath ?? '\u0000')}%`}
    )`;
}

function filterOf(f: ProgressFilter): SQL {
  const conds: SQL[] = [sql`true`];
  if (f.state) conds.push(sql`state = ${f.state}`);
  if (f.filing) conds.push(sql`"filingState" = ${f.filing}`);
  if (f.overdue !== undefined) conds.push(sql`overdue = ${f.overdue}`);
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    conds.push(sql`("organizerName" ilike ${like} or title ilike ${like})`);
  }
  return sql`where ${sql.join(conds, sql` and `)}`;
}

/**
 * Where a level stands today by its own phases (R-CAMP-8): the phases open now, the next one still to begin, and the
 * results it owes upward (R-SUM-2) — due when its 总结 phase ends, overdue while its summary has not gone up.
 */
function levelStatus(phasesCol: unknown, summaryState: string | null, today: string) {
  const phases = (Array.isArray(phasesCol) ? phasesCol : []) as Phase[];
  const withStatus = phases
    .filter((p) => (PHASE_KEYS as string[]).includes(p.key))
    .map((p) => ({ p, status: phaseStatus(p, today) }));
  const openPhases = withStatus
    .filter((x) => x.status === 'open')
    .map(({ p }) => ({ key: p.key, label: phaseLabel(p.key) }));
  const next = withStatus
    .filter((x) => x.status === 'not_started')
    .sort((a, b) => a.p.start.localeCompare(b.p.start))[0];
  const resultsDue = phases.find((p) => p.key === 'summary')?.end ?? null;
  const sent = summaryState === 'submitted' || summaryState === 'received';
  return {
    openPhases,
    waiting: next ? { key: next.p.key, label: phaseLabel(next.p.key), start: next.p.start } : null,
    resultsDue,
    summaryState,
    resultsOverdue: !!resultsDue && resultsDue < today && !sent,
  };
}

export async function loadProgress(
  db: DbOrTx,
  user: AuthUser,
  campaignId: number,
  today: string,
  filter: ProgressFilter,
  page?: { offset: number; limit: number },
) {
  const base = progressRows(campaignId, user, today);
  const paging = page ? sql`offset ${page.offset} limit ${page.limit}` : sql``;
  const rows = await queryRows<ProgressSqlRow & { total: number }>(
    db,
    sql`
    ${base}
    select id, "parentId", depth, title, year, state, "filingState", "completeBy", overdue, "organizerOrgId", "organizerName",
      "organizerLevel", "phasesTotal", "phasesClosed", phases, "summaryState", reporters, observers, count(*) over ()::int as total
    from rows ${filterOf(filter)}
    order by depth, "organizerPath" ${paging}`,
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _t, phases, summaryState, ...r }) => ({
      ...r,
      ...levelStatus(phases, summaryState, today),
    })),
  };
}

/**
 * Counters over the whole tree (not the filtered page), for the header and the chart. Every
 * sub-campaign counter, overdue included, counts depth > 0 only so the figures agree with the bars;
 * the top campaign's own lateness shows on its row.
 */
async function loadSummary(db: DbOrTx, user: AuthUser, campaignId: number, today: string) {
  const s = (
    await queryRows<{
      total: number;
      subCampaigns: number;
      overdue: number;
      byState: Record<string, number>;
      byFiling: Record<string, number>;
      reporters: number;
      observers: number;
    }>(
      db,
      sql`
    ${progressRows(campaignId, user, today)}
    select count(*)::int as total,
      (count(*) filter (where depth > 0))::int as "subCampaigns",
      (count(*) filter (where overdue and depth > 0))::int as overdue,
      coalesce((select jsonb_object_agg(state, n) from (select state, count(*)::int n from rows where depth > 0 group by state) s), '{}'::jsonb) as "byState",
      coalesce((select jsonb_object_agg("filingState", n) from (select "filingState", count(*)::int n from rows where depth > 0 group by "filingState") f), '{}'::jsonb) as "byFiling",
      coalesce(sum(reporters), 0)::int as reporters,
      coalesce(sum(observers), 0)::int as observers
    from rows`,
    )
  )[0]!;
  return s;
}

export interface ProgressQuery extends ProgressFilter {
  offset: number;
  limit: number;
}

export async function getProgress(db: DbOrTx, user: AuthUser, now: Date, campaignId: number, query: ProgressQuery) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewProgress(user, campaign);
  const today = shanghaiDate(now);
  const { offset, limit, ...filter } = query;
  const { items, total } = await loadProgress(db, user, campaignId, today, filter, { offset, limit });
  return {
    campaign: presentCampaign(campaign),
    today,
    summary: await loadSummary(db, user, campaignId, today),
    items,
    total,
  };
}
