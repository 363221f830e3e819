import { sql } from 'drizzle-orm';
import { notFound } from '../../../domain/errors';
import { isSystemRole, onBranch, pathWithin } from '../../../domain/roles';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { canReadPublished } from '../reports/policy';
import { COMMITMENT_STATE_LABELS } from './schemas';
import { type CommitmentRow, commitmentSelect } from './commitments-repo';
import { canReadItems, isOrganizerAdmin } from './policy';
import { campaignOf } from './repo';

/**
 * Commitments of a campaign as this user may see them: the secretary their own at every stage; the upper
 * level its subtree once filed; anyone in the campaign's publication audience the published ones. Also the source
 * of the published rectification progress (published-progress.ts).
 */
export async function listCommitments(db: DbOrTx, user: AuthUser, campaignId: number) {
  const campaign = await campaignOf(db, campaignId);
  const rows = await queryRows<CommitmentRow>(
    db,
    sql`${commitmentSelect} where k.campaign_id = ${campaignId} order by o.path, k.id`,
  );
  const reporterOrgs = new Set(
    (
      await queryRows<{ orgId: number }>(
        db,
        sql`
    select org_id as "orgId" from campaigns_v_reporters where campaign_id = ${campaignId} and removed_at is null`,
      )
    ).map((r) => r.orgId),
  );
  const visible = rows.filter((k) => {
    const own = user.role === 'secretary' && user.orgId === k.orgId;
    if (own) return true;
    if (k.state !== 'draft' && user.role !== 'secretary' && canReadItems(user, k)) return true;
    return (
      k.state === 'published' &&
      canReadPublished(
        user,
        {
          orgId: k.orgId,
          orgPath: k.orgPath,
          orgParentId: k.orgParentId,
          reportToPath: k.reportToPath ?? k.organizerPath,
          organizerPath: k.organizerPath,
          isCampaignReporterOrg: (id) => reporterOrgs.has(id),
        },
        k.audience,
      )
    );
  });
  // Any signed-in user may ask (published commitments go to the campaign's audience, possibly everyone), but a
  // campaign of another county with nothing the caller may read is not found, like a missing id: its title and its
  // existence stay in that county (issue 15).
  if (!visible.length && (isSystemRole(user.role) || !onBranch(campaign.organizerPath, user.scopePath)))
    throw notFound('述职评议考核');
  return {
    campaign: {
      id: campaign.id,
      title: campaign.title,
      audience: campaign.settings.report?.publicationAudience ?? 'committee',
    },
    items: visible.map((k) => ({
      id: k.id,
      campaignId: k.campaignId,
      orgId: k.orgId,
      orgName: k.orgName,
      content: k.content,
      state: k.state,
      stateLabel: COMMITMENT_STATE_LABELS[k.state],
      returnReason: k.returnReason,
      filedAt: k.filedAt,
      acknowledgedAt: k.acknowledgedAt,
      publishedAt: k.publishedAt,
      updatedAt: k.updatedAt,
      canEdit: user.role === 'secretary' && user.orgId === k.orgId && ['draft', 'returned'].includes(k.state),
      canReview:
        k.state === 'filed' && isOrganizerAdmin(user, k.organizerPath) && pathWithin(k.orgPath, user.scopePath),
    })),
  };
}
