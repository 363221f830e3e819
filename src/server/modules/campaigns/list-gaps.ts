import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { today } from './guards';
import { assertFullRead } from './policy';
import { countGaps } from './preview-scope';
import { getCampaign } from './repo';
import { computeScope, draftGaps, gapsOf, type Gap, type GapType } from './scope';

/**
 * Who in scope is not ready to report (R-ORG-3): before publication every organization in scope,
 * afterwards this campaign's reporters including the removed ones.
 */
export async function listGaps(
  db: DbOrTx,
  user: AuthUser,
  id: number,
  f: { type?: GapType; q?: string; offset: number; limit: number },
  now: Date,
) {
  const { campaign: c, organizer } = await getCampaign(db, id, { viewer: user });
  assertFullRead(user, organizer.path);
  let gaps: Gap[];
  if (c.state === 'draft') {
    const scope = await computeScope(
      db,
      { settings: c.settings, scopeMatch: c.scopeMatch, organizer },
      { strict: false },
    );
    gaps = await draftGaps(db, c.settings, scope, today(now));
  } else {
    const rows = await queryRows<{
      org_id: number;
      name: string;
      sector: string;
      kind: string;
      sec_name: string | null;
      tenure_start: string | null;
      report_to: string;
      removed_reason: string | null;
      removed: boolean;
    }>(
      db,
      sql`
      select o.id as org_id, o.name, o.sector, o.kind, s.name as sec_name, s.tenure_start::text as tenure_start,
             t.name as report_to, r.removed_reason, r.removed_at is not null as removed
      from campaign_reporters r
      join organizations_v_units o on o.id = r.org_id
      join organizations_v_units t on t.id = r.report_to_org_id
      left join organizations_v_secretaries s on s.id = r.secretary_id
      where r.campaign_id = ${c.id}
      order by o.depth, o.code`,
    );
    const accounts = await queryRows<{ org_id: number }>(
      db,
      sql`
      select distinct u.org_id from auth_v_users u join campaign_reporters r on r.org_id = u.org_id
      where r.campaign_id = ${c.id} and u.role = 'secretary' and not u.disabled`,
    );
    gaps = gapsOf(
      rows.map((r) => ({
        org: { id: r.org_id, name: r.name, sector: r.sector, kind: r.kind },
        secretary: r.sec_name ? { name: r.sec_name, tenureStart: r.tenure_start! } : null,
        reportToName: r.report_to,
        removedReason: r.removed ? (r.removed_reason ?? '') : null,
      })),
      new Set(accounts.map((a) => a.org_id)),
      today(now),
    );
  }
  const counts = countGaps(gaps);
  const filtered = gaps.filter((g) => (!f.type || g.type === f.type) && (!f.q || g.orgName.includes(f.q)));
  return { items: filtered.slice(f.offset, f.offset + f.limit), total: filtered.length, counts };
}
