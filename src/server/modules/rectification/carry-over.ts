import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { rectificationItems } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { addPriorItemOnce } from '../reports/prior-items';
import { assertOrganizerAdmin } from './policy';
import { campaignOf } from './repo';
import { lockCampaignRow } from '../campaigns/queries';

/**
 * The code a report cites an item by (R-REP-3): "ZG-<item id>". A bare number would collide with the
 * report checks' ordinal citations ("整改事项第3项" = the third item in the list).
 */
export const carryReference = (itemId: number) => `ZG-${itemId}`;

/**
 * R-FIX-4 / R-PREP-1: the next campaign of the same organizer takes over last campaign's open items and
 * its 巡视/巡察 feedback: each lands in the reporter's preparation list (prior_rectification_items, which
 * the report checks read) and open ones continue as carry_over items pointing back. Running it again adds
 * only what is new.
 */
export async function carryOver(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number) {
  return db.transaction(async (tx) => {
    const campaign = await campaignOf(tx, campaignId, user);
    assertOrganizerAdmin(user, campaign.organizerPath, '结转上年度整改事项');
    // Two carry-overs at once would both see "not yet carried"; the campaign row lock makes the second wait.
    await lockCampaignRow(tx, campaignId);
    const [prev] = await queryRows<{ id: number; title: string; year: number }>(
      tx,
      sql`
      select id, title, year from campaigns_v_campaigns
      where organizer_org_id = ${campaign.organizerOrgId} and year < ${campaign.year} order by year desc limit 1`,
    );
    if (!prev) throw new AppError('NO_PREVIOUS_CAMPAIGN');
    const items = await queryRows<{
      id: number;
      orgId: number;
      orgName: string;
      description: string;
      status: string;
      sourceType: string;
      rootCause: string | null;
      owner: string | null;
      responsibleLeader: string | null;
      measures: string | null;
      evidenceRequired: boolean;
      reporterId: number | null;
    }>(
      tx,
      sql`
      select i.id, i.org_id as "orgId", o.name as "orgName", i.description, i.status, i.source_type as "sourceType",
             i.root_cause as "rootCause", i.owner, i.responsible_leader as "responsibleLeader", i.measures,
             i.evidence_required as "evidenceRequired",
             (select r.id from campaigns_v_reporters r where r.campaign_id = ${campaignId} and r.org_id = i.org_id
                and r.removed_at is null order by (r.role = 'reporter') desc, r.id limit 1) as "reporterId"
      from rectification_items i join organizations_v_units o on o.id = i.org_id
      where i.campaign_id = ${prev.id} and i.parent_id is null and (i.status <> 'closed' or i.source_type = 'inspection')
      order by o.path, i.id`,
    );
    const skipped: { itemId: number; orgName: string; reason: string }[] = [];
    let carried = 0;
    let priorItems = 0;
    for (const it of items) {
      if (!it.reporterId) {
        skipped.push({ itemId: it.id, orgName: it.orgName, reason: '该党组织不是本次述职评议考核的述职对象' });
        continue;
      }
      const reference = carryReference(it.id);
      const prefix = it.sourceType === 'inspection' ? '（巡视巡察反馈）' : '';
      const added = await addPriorItemOnce(tx, {
        campaignId,
        orgId: it.orgId,
        reference,
        text: `${prefix}${it.description}`,
        createdBy: user.id,
        at: actor.at,
      });
      if (added) priorItems += 1;
      if (it.status === 'closed') continue;
      const [exists] = await queryRows<{ id: number }>(
        tx,
        sql`
        select id from rectification_items where campaign_id = ${campaignId} and carried_from_id = ${it.id} limit 1`,
      );
      if (exists) continue;
      // Measures and owner carry on; the new deadline is the organization's to set this year.
      await tx.insert(rectificationItems).values({
        campaignId,
        orgId: it.orgId,
        reporterId: it.reporterId,
        sourceType: 'carry_over',
        sourceId: it.id,
        sourceText: it.description,
        description: it.description,
        rootCause: it.rootCause,
        owner: it.owner,
        responsibleLeader: it.responsibleLeader,
        measures: it.measures,
        evidenceRequired: it.evidenceRequired,
        carriedFromId: it.id,
        createdBy: user.id,
        createdAt: actor.at,
        updatedAt: actor.at,
      });
      carried += 1;
    }
    await writeAudit(tx, actor, {
      action: 'rectification.carry_over',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: { fromCampaignId: prev.id, carried, priorItems, skipped: skipped.length },
    });
    return { fromCampaign: prev, carried, priorItems, skipped };
  });
}
