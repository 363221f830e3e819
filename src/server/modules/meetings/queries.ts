import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';

/** What the meetings module offers other modules to read (decision 022): typed rows, not its base tables. */

/** Every 点评 of a campaign's meetings that is not deleted, with the reporter its agenda item is about. */
export async function campaignComments(db: DbOrTx, campaignId: number) {
  return queryRows<{ reporterId: number; body: string }>(
    db,
    sql`
      select a.reporter_id as "reporterId", c.body from meeting_comments c
      join meeting_agenda_items a on a.id = c.agenda_item_id join meetings m on m.id = a.meeting_id
      where m.campaign_id = ${campaignId} and c.kind = 'comment' and c.deleted_at is null`,
  );
}

/** Every 点评 about one reporter that is not deleted, with who made it and at which meeting, oldest first. */
export async function reporterComments(db: DbOrTx, reporterId: number) {
  return queryRows<{ id: number; body: string; authorName: string; authorRole: string; title: string }>(
    db,
    sql`
    select c.id, c.body, c.author_name as "authorName", c.author_role as "authorRole", m.title
    from meeting_comments c join meeting_agenda_items a on a.id = c.agenda_item_id join meetings m on m.id = a.meeting_id
    where a.reporter_id = ${reporterId} and c.kind = 'comment' and c.deleted_at is null
    order by c.created_at, c.id`,
  );
}
