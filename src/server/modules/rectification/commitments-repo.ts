import { sql } from 'drizzle-orm';
import { notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';
import { isoTs } from './repo';

export interface CommitmentRow {
  id: number;
  campaignId: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  orgParentId: number | null;
  reportToPath: string | null;
  organizerPath: string;
  audience: string;
  content: string;
  state: 'draft' | 'filed' | 'acknowledged' | 'returned' | 'published';
  returnReason: string | null;
  filedAt: string | null;
  acknowledgedAt: string | null;
  publishedAt: string | null;
  updatedAt: string;
}

const ts = (col: string) => sql`case when ${sql.raw(col)} is null then null else ${isoTs(sql.raw(col))} end`;

export const commitmentSelect = sql`
  select k.id, k.campaign_id as "campaignId", k.org_id as "orgId", o.name as "orgName", o.path as "orgPath",
         o.parent_id as "orgParentId", rt.path as "reportToPath", oo.path as "organizerPath",
         coalesce(c.settings #>> '{report,publicationAudience}', 'committee') as audience, k.content, k.state,
         k.return_reason as "returnReason", ${ts('k.filed_at')} as "filedAt", ${ts('k.acknowledged_at')} as "acknowledgedAt",
         ${ts('k.published_at')} as "publishedAt", ${isoTs(sql`k.updated_at`)} as "updatedAt"
  from commitments k join organizations_v_units o on o.id = k.org_id join campaigns_v_campaigns c on c.id = k.campaign_id
  join organizations_v_units oo on oo.id = c.organizer_org_id
  left join campaigns_v_reporters r on r.id = k.reporter_id left join organizations_v_units rt on rt.id = r.report_to_org_id`;

/** With a `viewer`, a commitment of an organization off the viewer's branch is not found, like a missing id (issue 15). */
export async function loadCommitment(
  db: DbOrTx,
  id: number,
  forUpdate = false,
  viewer?: AuthUser,
): Promise<CommitmentRow> {
  const [row] = await queryRows<CommitmentRow>(
    db,
    sql`${commitmentSelect} where k.id = ${id} ${forUpdate ? sql`for update of k` : sql``}`,
  );
  if (!row) throw notFound('公开承诺');
  hideOffBranch(viewer, row.orgPath, '公开承诺');
  return row;
}
