import { sql } from 'drizzle-orm';
import { sectorLabel } from '../../../domain/org-taxonomy';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertViewResults } from './policy';
import { getCampaignRef, today } from './repo';

/**
 * One campaign's figures for the charts (grade distribution by sector, rectification by unit, key management),
 * its sub-campaigns for drill-down (county → township → village), and rank changes across years for the same
 * organizer. Everything is aggregated in SQL so a province-sized campaign answers in a few queries.
 */
export async function campaignDashboard(db: DbOrTx, user: AuthUser, now: Date, campaignId: number) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewResults(user, campaign);
  const day = today(now);
  const [evaluation] = await queryRows<{ state: string }>(
    db,
    sql`select state from evaluation_v_state where campaign_id = ${campaignId}`,
  );
  const gradeRows = await queryRows<{ sector: string; grade: string | null; n: number }>(
    db,
    sql`
    select o.sector, er.final_grade as grade, count(*)::int as n
    from campaigns_v_reporters r join organizations_v_units o on o.id = r.org_id
    left join evaluation_v_results er on er.reporter_id = r.id
    where r.campaign_id = ${campaignId} and r.role = 'reporter' and r.removed_at is null
    group by o.sector, er.final_grade`,
  );
  const sectors = [...new Set(gradeRows.map((g) => g.sector))].sort();
  const n = (sector: string, grade: string | null) =>
    gradeRows
      .filter((r) => r.sector === sector && (grade === null ? !r.grade : r.grade === grade))
      .reduce((a, r) => a + r.n, 0);
  const gradeBySector = sectors.map((sector) => ({
    sector,
    sectorLabel: sectorLabel(sector),
    good: n(sector, 'good'),
    fair: n(sector, 'fair'),
    average: n(sector, 'average'),
    poor: n(sector, 'poor'),
    ungraded: n(sector, null),
  }));
  const rectification = await queryRows<{
    orgId: number;
    orgName: string;
    total: number;
    closed: number;
    pending: number;
    overdue: number;
  }>(
    db,
    sql`
    select i.org_id as "orgId", o.name as "orgName", count(*)::int as total,
           count(*) filter (where i.status = 'closed')::int as closed,
           count(*) filter (where i.status = 'pending_verification')::int as pending,
           count(*) filter (where i.status <> 'closed' and i.deadline < ${day})::int as overdue
    from rectification_v_items i join organizations_v_units o on o.id = i.org_id
    where i.campaign_id = ${campaignId} and i.parent_id is null
    group by i.org_id, o.name, o.code order by count(*) filter (where i.status <> 'closed' and i.deadline < ${day}) desc, o.code limit 200`,
  );
  const keyManagement = await queryRows<{ sector: string; listed: number; upgraded: number }>(
    db,
    sql`
    select sector, count(*) filter (where state in ('proposed', 'listed'))::int as listed, count(*) filter (where state = 'upgraded')::int as upgraded
    from key_management where campaign_id = ${campaignId} group by sector order by sector`,
  );
  const subCampaigns = await queryRows<{
    id: number;
    title: string;
    organizerName: string;
    state: string;
    reporters: number;
    graded: number;
    items: number;
    closed: number;
    overdue: number;
  }>(
    db,
    sql`
    select c.id, c.title, o.name as "organizerName", c.state,
      (select count(*)::int from campaigns_v_reporters r where r.campaign_id = c.id and r.role = 'reporter' and r.removed_at is null) as reporters,
      (select count(*)::int from evaluation_v_results er join evaluation_v_state e on e.campaign_id = er.campaign_id and e.state = 'locked'
        where er.campaign_id = c.id and er.final_grade is not null) as graded,
      (select count(*)::int from rectification_v_items i where i.campaign_id = c.id and i.parent_id is null) as items,
      (select count(*)::int from rectification_v_items i where i.campaign_id = c.id and i.parent_id is null and i.status = 'closed') as closed,
      (select count(*)::int from rectification_v_items i where i.campaign_id = c.id and i.parent_id is null and i.status <> 'closed' and i.deadline < ${day}) as overdue
    from campaigns_v_campaigns c join organizations_v_units o on o.id = c.organizer_org_id
    where c.parent_id = ${campaignId} order by o.code`,
  );
  // Rank changes: the same organizer's other locked rounds, for the organizations of this one.
  const rankRows = await queryRows<{ orgId: number; orgName: string; year: number; rank: number }>(
    db,
    sql`
    select r.org_id as "orgId", o.name as "orgName", c.year, er.rank
    from campaigns_v_campaigns c
    join evaluation_v_state e on e.campaign_id = c.id and (e.state = 'locked' or c.id = ${campaignId})
    join evaluation_v_results er on er.campaign_id = c.id
    join campaigns_v_reporters r on r.id = er.reporter_id and r.role = 'reporter'
    join organizations_v_units o on o.id = r.org_id
    where c.organizer_org_id = ${campaign.organizerOrgId} and c.year between ${campaign.year - 4} and ${campaign.year}
      and er.rank is not null
      and r.org_id in (select org_id from campaigns_v_reporters where campaign_id = ${campaignId} and removed_at is null)
    order by c.year, er.rank`,
  );
  const years = [...new Set(rankRows.map((r) => r.year))].sort();
  const orgs = new Map<number, { orgId: number; orgName: string; ranks: Record<number, number> }>();
  for (const r of rankRows) {
    const o = orgs.get(r.orgId) ?? { orgId: r.orgId, orgName: r.orgName, ranks: {} };
    o.ranks[r.year] = r.rank;
    orgs.set(r.orgId, o);
  }
  const rankChanges = [...orgs.values()]
    .map((o) => {
      const prev = o.ranks[campaign.year - 1];
      const cur = o.ranks[campaign.year];
      return { ...o, change: prev !== undefined && cur !== undefined ? prev - cur : null };
    })
    .sort((a, b) => Math.abs(b.change ?? 0) - Math.abs(a.change ?? 0))
    .slice(0, 30);
  return {
    campaign: {
      id: campaign.id,
      title: campaign.title,
      year: campaign.year,
      parentId: campaign.parentId,
      organizerName: campaign.organizerName,
    },
    locked: evaluation?.state === 'locked',
    gradeBySector,
    rectification,
    keyManagement: keyManagement.map((k) => ({ ...k, sectorLabel: sectorLabel(k.sector) })),
    subCampaigns,
    years,
    rankChanges,
  };
}
