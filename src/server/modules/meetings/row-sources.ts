import { QueryBuilder } from 'drizzle-orm/pg-core';
import { meetingAgendaItems, meetingAttendance, meetings } from '../../db/schema';

/**
 * Row sources the meetings module publishes for other modules' Drizzle queries (decision 022): typed projections a
 * caller joins like a table, so a join stays one statement while the column names stay the owner's. PostgreSQL
 * inlines such a plain subquery, so the plans read the same base tables and indexes as before. The SQL counterpart is
 * the view meetings_v_meetings.
 */
const qb = new QueryBuilder();

/** A meeting: its campaign, title, date and state. */
export const meetingRowsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: meetings.id,
      campaignId: meetings.campaignId,
      title: meetings.title,
      meetingDate: meetings.meetingDate,
      state: meetings.state,
    })
    .from(meetings)
    .as(name);
export const meetingRows = meetingRowsAs('meeting_rows');

/** The speaker order: which reporter speaks at which position of which meeting, and when the speech ran. */
export const agendaItemRowsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: meetingAgendaItems.id,
      meetingId: meetingAgendaItems.meetingId,
      reporterId: meetingAgendaItems.reporterId,
      position: meetingAgendaItems.position,
      writtenOnly: meetingAgendaItems.writtenOnly,
      speakingMinutes: meetingAgendaItems.speakingMinutes,
      speechStartedAt: meetingAgendaItems.speechStartedAt,
      speechEndedAt: meetingAgendaItems.speechEndedAt,
    })
    .from(meetingAgendaItems)
    .as(name);
export const agendaItemRows = agendaItemRowsAs('agenda_item_rows');

/** Attendance per ballot category of a meeting (应到, 实到). */
export const attendanceRowsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: meetingAttendance.id,
      meetingId: meetingAttendance.meetingId,
      categoryKey: meetingAttendance.categoryKey,
      categoryLabel: meetingAttendance.categoryLabel,
      expected: meetingAttendance.expected,
      present: meetingAttendance.present,
    })
    .from(meetingAttendance)
    .as(name);
export const attendanceRows = attendanceRowsAs('attendance_rows');
