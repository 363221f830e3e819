import { sql, type SQL } from 'drizzle-orm';
import { notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

export interface CampaignRef {
  id: number;
  parentId: number | null;
  title: string;
  year: number;
  state: string;
  organizerOrgId: number;
  organizerName: string;
  organizerPath: string;
}

/**
 * With a `viewer`, a campaign off the viewer's branch is not found, exactly as a missing id of `what` (the object the
 * caller named) — issue 15.
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
    select c.id, c.parent_id as "parentId", c.title, c.year, c.state, c.organizer_org_id as "organizerOrgId",
           o.name as "organizerName", o.path as "organizerPath"
    from campaigns_v_campaigns c join organizations_v_units o on o.id = c.organizer_org_id
    where c.id = ${id}`,
  );
  if (!row) throw notFound('述职评议考核');
  hideOffBranch(viewer, row.organizerPath, what);
  return row;
}

/** The campaign and every sub-campaign below it, as a CTE named `tree(id, depth)`. */
export const descendantsCte = (rootId: number): SQL => sql`
  tree(id, depth) as (
    select id, 0 from campaigns_v_campaigns where id = ${rootId}
    union all
    select c.id, t.depth + 1 from campaigns_v_campaigns c join tree t on c.parent_id = t.id
  )`;

/** Ids of the strict descendants of `rootId` among `ids`. */
export async function descendantIds(db: DbOrTx, rootId: number, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
    with recursive ${descendantsCte(rootId)}
    select id from tree where depth > 0 and id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  return new Set(rows.map((r) => r.id));
}

/** Timestamps as ISO text so both drivers answer the same shape. */
export const isoTs = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A phase of the campaign's jsonb plan (start/end/state), or null. */
export const phaseOf = (phasesCol: SQL, key: string) => sql`(
  select jsonb_build_object('start', e->>'start', 'end', e->>'end', 'state', e->>'state')
  from jsonb_array_elements(case when jsonb_typeof(${phasesCol}) = 'array' then ${phasesCol} else '[]'::jsonb end) e
  where e->>'key' = ${key} limit 1)`;
