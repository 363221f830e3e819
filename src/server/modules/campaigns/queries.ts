import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connect';

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
