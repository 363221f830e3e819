import { sql, type SQL } from 'drizzle-orm';
import { kindLabel, sectorLabel } from '../../../domain/org-taxonomy';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { today } from './guards';
import { assertFullRead } from './policy';
import { getCampaign, type Campaign } from './repo';
import { shortTenure } from './scope';
import { ROLE_LABELS, type ReporterOutT } from './schemas';

export interface ReporterFilter {
  q?: string;
  sector?: string;
  kind?: string;
  reportTo?: number;
  role?: 'reporter' | 'downward';
  status: 'active' | 'removed' | 'all';
}

interface Row {
  id: number;
  org_id: number;
  org_name: string;
  org_code: string;
  sector: string;
  kind: string;
  role: 'reporter' | 'downward';
  report_to_id: number;
  report_to_name: string;
  route_rule_index: number | null;
  secretary_id: number | null;
  secretary_name: string | null;
  tenure_start: string | null;
  has_account: boolean;
  tier_key: string;
  written_only: boolean;
  self_committee: string | null;
  removed_at: string | null;
  removed_reason: string | null;
  sc_ratings: { good: number; fair: number; average: number; poor: number } | null;
  sc_participants: number | null;
  sc_note: string | null;
  sc_filed_at: string | null;
}

function where(campaignId: number, f: ReporterFilter): SQL {
  const conds: SQL[] = [sql`r.campaign_id = ${campaignId}`];
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    conds.push(sql`(o.name ilike ${pattern} or s.name ilike ${pattern})`);
  }
  if (f.sector) conds.push(sql`o.sector = ${f.sector}`);
  if (f.kind) conds.push(sql`o.kind = ${f.kind}`);
  if (f.reportTo) conds.push(sql`r.report_to_org_id = ${f.reportTo}`);
  if (f.role) conds.push(sql`r.role = ${f.role}`);
  if (f.status === 'active') conds.push(sql`r.removed_at is null`);
  if (f.status === 'removed') conds.push(sql`r.removed_at is not null`);
  return sql.join(conds, sql` and `);
}

const FROM = sql`
  from campaign_reporters r
  join organizations_v_units o on o.id = r.org_id
  join organizations_v_units t on t.id = r.report_to_org_id
  left join organizations_v_secretaries s on s.id = r.secretary_id`;

/** Reporter rows as shown and exported: secretary, account, tier limits, route. */
export async function queryReporters(
  db: DbOrTx,
  c: Campaign,
  f: ReporterFilter,
  page: { offset: number; limit: number } | null,
  now: Date,
) {
  const rows = await queryRows<Row>(
    db,
    sql`
    select r.id, o.id as org_id, o.name as org_name, o.code as org_code, o.sector, o.kind, r.role,
           t.id as report_to_id, t.name as report_to_name, r.route_rule_index,
           s.id as secretary_id, s.name as secretary_name, s.tenure_start::text as tenure_start,
           exists(select 1 from auth_v_users u where u.role = 'secretary' and u.org_id = o.id and not u.disabled) as has_account,
           r.tier_key, r.written_only, r.self_committee_reported_on::text as self_committee,
           r.self_committee_ratings as sc_ratings, r.self_committee_participants as sc_participants, r.self_committee_note as sc_note,
           to_char(r.self_committee_filed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as sc_filed_at,
           to_char(r.removed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as removed_at, r.removed_reason
    ${FROM}
    where ${where(c.id, f)}
    order by r.removed_at nulls first, r.role desc, o.depth, o.code
    ${page ? sql`offset ${page.offset} limit ${page.limit}` : sql``}`,
  );
  const { total } = (
    await queryRows<{ total: number }>(db, sql`select count(*)::int as total ${FROM} where ${where(c.id, f)}`)
  )[0]!;
  const day = today(now);
  const items: ReporterOutT[] = rows.map((r) => {
    const tier = c.settings.reporterTiers.find((t) => t.key === r.tier_key);
    return {
      id: r.id,
      org: {
        id: r.org_id,
        name: r.org_name,
        code: r.org_code,
        sector: r.sector,
        sectorLabel: sectorLabel(r.sector),
        kind: r.kind,
        kindLabel: kindLabel(r.kind),
      },
      role: r.role,
      roleLabel: ROLE_LABELS[r.role],
      reportTo: { id: r.report_to_id, name: r.report_to_name },
      routeRuleLabel: r.route_rule_index === null ? null : (c.settings.routes[r.route_rule_index]?.label ?? null),
      secretary:
        r.secretary_id === null
          ? null
          : {
              id: r.secretary_id,
              name: r.secretary_name!,
              tenureStart: r.tenure_start!,
              shortTenure: shortTenure(r.tenure_start!, day),
            },
      hasAccount: r.has_account,
      tierKey: r.tier_key,
      tierLabel: tier?.label ?? r.tier_key,
      charLimit: tier?.charLimit ?? null,
      speakingMinutes: tier?.speakingMinutes ?? null,
      writtenOnly: r.written_only,
      selfCommitteeReportedOn: r.self_committee,
      selfCommittee:
        r.self_committee === null
          ? null
          : {
              date: r.self_committee,
              ratings: r.sc_ratings,
              participants: r.sc_participants,
              note: r.sc_note,
              filedAt: r.sc_filed_at,
              late:
                !!c.settings.meeting.selfCommitteeReport.completeBy &&
                r.self_committee > c.settings.meeting.selfCommitteeReport.completeBy,
            },
      removedAt: r.removed_at,
      removedReason: r.removed_reason,
    };
  });
  return { items, total };
}

export async function listReporters(
  db: DbOrTx,
  user: AuthUser,
  id: number,
  f: ReporterFilter & { offset: number; limit: number },
  now: Date,
) {
  const { campaign: c, organizer } = await getCampaign(db, id, { viewer: user });
  assertFullRead(user, organizer.path);
  return queryReporters(db, c, f, { offset: f.offset, limit: f.limit }, now);
}
