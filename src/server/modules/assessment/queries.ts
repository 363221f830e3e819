import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';

/** What the assessment module offers other modules to read (decision 022): typed rows, not its base tables. */

/** The non-blank notes of a campaign's field scores, with the reporter scored. */
export async function campaignFieldNotes(db: DbOrTx, campaignId: number) {
  return queryRows<{ reporterId: number; note: string }>(
    db,
    sql`
      select fs.reporter_id as "reporterId", fs.note from field_scores fs join campaigns_v_reporters r on r.id = fs.reporter_id
      where r.campaign_id = ${campaignId} and fs.note is not null and btrim(fs.note) <> ''`,
  );
}

/** The failed field scores of one reporter, with the checklist item's section, title and maximum, in checklist order. */
export async function failedFieldScores(db: DbOrTx, reporterId: number) {
  return queryRows<{
    id: number;
    section: string;
    title: string;
    note: string | null;
    score: number;
    maxPoints: number;
  }>(
    db,
    sql`
    select fs.id, ci.section, ci.title, fs.note, fs.score::float8 as score, ci.max_points::float8 as "maxPoints"
    from field_scores fs join checklist_items ci on ci.id = fs.item_id
    where fs.reporter_id = ${reporterId} and fs.failed order by ci.position, fs.id`,
  );
}
