/**
 * When a report is due (R-REP-4): N days before the reporter's meeting (003: 7, 004: about 10).
 * A reporter not yet on a meeting's agenda takes the start of the campaign's meeting phase.
 */
import { addDays, daysBetween } from '../../../domain/calendar';

export interface DueDate {
  /** The day the meeting is held (or planned), YYYY-MM-DD; null when the campaign plans no meeting phase. */
  meetingDate: string | null;
  meetingSource: 'meeting' | 'phase' | null;
  dueDate: string | null;
  /** Days left until the due date (negative when overdue). */
  daysLeft: number | null;
  overdue: boolean;
}

export function computeDueDate(opts: {
  meetingDate: string | null;
  meetingPhaseStart: string | null;
  dueDaysBeforeMeeting: number;
  today: string;
  /** Overdue only matters while the report has not been handed in. */
  submitted: boolean;
}): DueDate {
  const meetingDate = opts.meetingDate ?? opts.meetingPhaseStart;
  const meetingSource = opts.meetingDate ? 'meeting' : opts.meetingPhaseStart ? 'phase' : null;
  if (!meetingDate) return { meetingDate: null, meetingSource: null, dueDate: null, daysLeft: null, overdue: false };
  const dueDate = addDays(meetingDate, -opts.dueDaysBeforeMeeting);
  const daysLeft = daysBetween(opts.today, dueDate);
  return { meetingDate, meetingSource, dueDate, daysLeft, overdue: !opts.submitted && daysLeft < 0 };
}
