import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';

/** What the assessment module offers other modules to read (decision 022): typed rows, not its base tables. */

/** The non-blank notes of a campaign's field scores, with the reporter scored. */
export async function campaignFieldNotes(db: DbOrTx, campaignId: number) {
  return queryRows<{ reporterId: number; note: string }>(db, sql`
      select fs.reporter_id as "reporterId", fs.note from field_scores fs join campaigns_v_reporters r on r.id = fs.reporter_id
      where r.campaign_id = ${campaignId} and fs.note is not null and btrim(fs.note) <> ''`);
}
