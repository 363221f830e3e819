import { sql } from 'drizzle-orm';
import type { ReportState } from '../../../domain/report-review';
import { type DbOrTx, queryRows } from '../../db/connect';

/** What the reports module offers other modules to read (decision 022): typed rows, not its base tables. */

export interface ReportSection {
  key?: string;
  title?: string;
  text?: string;
}

/**
 * A reporter's report with its state and sections, if one was started; without access checks — the caller applies
 * reports' reading rule (readsUnpublished in src/domain/report-review.ts) before it uses the text.
 */
export async function reporterReport(db: DbOrTx, reporterId: number) {
  const [report] = await queryRows<{ id: number; state: ReportState; sections: ReportSection[] }>(
    db,
    sql`
    select id, state, sections from reports where reporter_id = ${reporterId}`,
  );
  return report;
}
