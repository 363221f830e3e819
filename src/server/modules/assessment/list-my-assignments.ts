import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { computeProgress } from './list-progress';
import { getCampaignRef } from './repo';
import { stepPhase } from '../campaigns/phase-gate';
import { shanghaiDate } from '../../../domain/calendar';

/** The phone's start page: for each team the assessor belongs to, its reporters and how far scoring got. */
export async function listMyAssignments(db: DbOrTx, user: AuthUser, now: Date) {
  const today = shanghaiDate(now);
  const teams = await queryRows<{
    id: number;
    name: string;
    leaderName: string | null;
    campaignId: number;
    phases: unknown;
  }>(
    db,
    sql`
    select t.id, t.name, t.leader_name as "leaderName", t.campaign_id as "campaignId", c.phases
    from assessment_team_members m join assessment_teams t on t.id = m.team_id join campaigns_v_campaigns c on c.id = t.campaign_id
    where m.user_id = ${user.id} and t.removed_at is null and c.state <> 'archived'
    order by c.year desc, t.id`,
  );
  if (user.role !== 'assessor') return { teams: [] };
  const out = [];
  const byCampaign = new Map<number, Awaited<ReturnType<typeof computeProgress>>>();
  for (const { phases, ...t } of teams) {
    if (!byCampaign.has(t.campaignId))
      byCampaign.set(t.campaignId, await computeProgress(db, user, await getCampaignRef(db, t.campaignId)));
    const campaign = await getCampaignRef(db, t.campaignId);
    const rows = byCampaign.get(t.campaignId)!.items.filter((r) => r.teamId === t.id);
    out.push({
      ...t,
      campaignTitle: campaign.title,
      phase: stepPhase(phases, 'field.score', today),
      reporters: rows.map((r) => ({
        reporterId: r.reporterId,
        orgName: r.orgName,
        secretaryName: r.secretaryName,
        items: r.items,
        scored: r.scored,
        failed: r.failed,
        status: r.status,
        completedAt: r.completedAt,
      })),
    });
  }
  return { teams: out };
}
