import { count, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { meetingAgendaItems, meetingAttendance, meetingComments, meetings } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { assertOpen, getMeeting } from './repo';
import { assertMeetingDate } from '../campaigns/phase-gate';
import type { MeetingInputT } from './schemas';

export async function updateMeeting(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  input: Partial<MeetingInputT>,
) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    if (input.meetingDate !== undefined && input.meetingDate !== meeting.meetingDate)
      await assertMeetingDate(tx, meeting.campaignId, input.meetingDate);
    const changes = Object.fromEntries(
      Object.entries(input)
        .filter(([k, v]) => v !== undefined && v !== meeting[k as keyof typeof meeting])
        .map(([k, v]) => [k, { from: meeting[k as keyof typeof meeting], to: v }]),
    );
    const [row] = await tx
      .update(meetings)
      .set({ ...input, updatedAt: actor.at })
      .where(eq(meetings.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'meeting.update',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: changes,
    });
    return row;
  });
}

/**
 * Only a meeting that has not taken place goes away: once comments or a ballot round exist, the
 * record must stay (the audit log and results point at it).
 */
export async function deleteMeeting(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  await db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    if (meeting.state !== 'preparing') throw new AppError('MEETING_STARTED');
    const { n: comments } = (
      await tx.select({ n: count() }).from(meetingComments).where(eq(meetingComments.meetingId, id))
    )[0]!;
    // The rounds through the view ballots publishes (decision 022): meetings does not import ballots (rounds-port.ts).
    const [roundCount] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from ballots_v_rounds where meeting_id = ${id}`,
    );
    if (Number(comments) > 0) throw new AppError('MEETING_HAS_RECORDS');
    if (Number(roundCount?.n ?? 0) > 0) throw new AppError('MEETING_HAS_BALLOTS');
    await tx.delete(meetingAttendance).where(eq(meetingAttendance.meetingId, id));
    await tx.delete(meetingAgendaItems).where(eq(meetingAgendaItems.meetingId, id));
    await tx.delete(meetings).where(eq(meetings.id, id));
    await writeAudit(tx, actor, {
      action: 'meeting.delete',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { title: meeting.title, meetingDate: meeting.meetingDate, place: meeting.place },
    });
  });
}
