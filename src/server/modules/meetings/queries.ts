import { eq, sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../domain/calendar';
import { notFound } from '../../../domain/errors';
import { assertMeetingDay } from '../../../domain/phase-gates';
import { type DbOrTx, queryRows } from '../../db/connect';
import { meetings } from '../../db/schema';
import { assertPhaseOpen } from '../campaigns/phase-gate';

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

/**
 * Opening a real ballot round: the meeting phase is open and the meeting's day has come. Here, not in campaigns'
 * phase gate, because it reads the meeting (meetings → campaigns, never the other way).
 */
export async function assertVotingMayOpen(db: DbOrTx, meetingId: number, at: Date): Promise<void> {
  const [m] = await db
    .select({ campaignId: meetings.campaignId, date: meetings.meetingDate })
    .from(meetings)
    .where(eq(meetings.id, meetingId));
  if (!m) throw notFound('述职评议会');
  await assertPhaseOpen(db, m.campaignId, 'ballot.open', at);
  assertMeetingDay(m.date, shanghaiDate(at));
}
