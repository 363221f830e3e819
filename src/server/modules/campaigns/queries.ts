import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';

/**
 * What the campaigns module offers other modules besides its views (decision 022).
 *
 * lockReporterRow: takes the row lock of one campaign reporter for the caller's transaction, so two requests about the
 * same reporter (e.g. two organizers proposing the same theme as a draft item) run one after the other. The owner
 * offers it because only the owner names campaign_reporters; the lock is the same row lock the caller took itself before.
 */
export async function lockReporterRow(tx: DbOrTx, reporterId: number) {
  await tx.execute(sql`select id from campaign_reporters where id = ${reporterId} for update`);
}

/** The campaign and every lower level's round under it (R-CAMP-2): a county's round spans its townships' rounds. */
export async function campaignTree(db: DbOrTx, campaignId: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
    with recursive tree(id) as (select ${campaignId}::int union all select c.id from campaigns c join tree t on c.parent_id = t.id)
    select id from tree`,
  );
  return rows.map((r) => Number(r.id));
}

/**
 * Takes the row lock of one campaign for the caller's transaction, so two requests that must not interleave on the
 * same campaign (e.g. two carry-overs of last year's items) run one after the other.
 */
export async function lockCampaignRow(tx: DbOrTx, campaignId: number) {
  await tx.execute(sql`select id from campaigns where id = ${campaignId} for update`);
}
