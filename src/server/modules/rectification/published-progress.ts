import { sql } from 'drizzle-orm';
import { RECT_STATUS_LABELS, type RectStatus } from '../../../domain/rectification-status';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { listCommitments } from './list-commitments';
import { overdueSql } from './repo';

/**
 * Rectification progress as published to the campaign's audience (R-FIX-3, 004 "整改情况…公开"): an organization's
 * progress is public once its 公开承诺 is published, to exactly those who may read that published commitment. Each
 * unit shows its commitment and its items' problem, measures, deadline, status and percent — never the evidence,
 * progress notes or verification records, which stay with the upper level.
 */
export async function publishedProgress(db: DbOrTx, user: AuthUser, today: string, campaignId: number) {
  const { campaign, items: commitments } = await listCommitments(db, user, campaignId);
  const published = commitments.filter((k) => k.state === 'published');
  const orgIds = [...new Set(published.map((k) => k.orgId))];
  const items = orgIds.length
    ? await queryRows<{
        orgId: number;
        description: string;
        measures: string | null;
        deadline: string | null;
        status: RectStatus;
        progress: number;
        overdue: boolean;
      }>(
        db,
        sql`
        select i.org_id as "orgId", i.description, i.measures, i.deadline::text as deadline, i.status, i.progress,
               ${overdueSql('i', today)} as overdue
        from rectification_items i
        where i.campaign_id = ${campaignId} and i.parent_id is null
          and i.org_id in (${sql.join(
            orgIds.map((id) => sql`${id}`),
            sql`, `,
          )})
        order by i.org_id, i.id`,
      )
    : [];
  return {
    campaign,
    units: orgIds.map((orgId) => {
      const mine = published.filter((k) => k.orgId === orgId);
      const rows = items.filter((i) => i.orgId === orgId);
      return {
        orgId,
        orgName: mine[0]!.orgName,
        commitments: mine.map((k) => ({ content: k.content, publishedAt: k.publishedAt })),
        total: rows.length,
        closed: rows.filter((r) => r.status === 'closed').length,
        items: rows.map(({ orgId: _o, ...r }) => ({
          ...r,
          statusLabel: r.overdue ? '逾期' : RECT_STATUS_LABELS[r.status],
        })),
      };
    }),
  };
}
