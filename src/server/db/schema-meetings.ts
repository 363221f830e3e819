import { boolean, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './schema';
import { campaignReporters, campaigns } from './schema-campaigns';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** 述职评议会 (R-MEET-1): one meeting of a campaign; a campaign may hold several (by group or tier). */
export const meetings = pgTable(
  'meetings',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    title: text('title').notNull(),
    meetingDate: date('meeting_date').notNull(),
    place: text('place').notNull(),
    /** preparing | in_progress | closed — voting state lives with the ballots module. */
    state: text('state').notNull().default('preparing'),
    /** Agenda step now on the projector (R-MEET-1: reports → questions → comments → rating → guidance → summary). */
    currentStep: text('current_step'),
    createdAt: createdAt(),
    /** 主持人 and 记录人, printed in the 会议记录. */
    chair: text('chair'),
    recorder: text('recorder'),
    /**
     * 点评方式 the console follows (R-MEET-1): one_by_one = 一述一评 (each speech, then its 点评, before the next speaker;
     * 003), collective = 集中点评 (all speeches, questions, then the 点评 one after another; 004's agenda). Copied from the
     * campaign's settings when the meeting is created; editable until it closes.
     */
    commentMode: text('comment_mode').notNull().default('collective'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /**
     * Speech timer (R-REP-8), kept here so every screen shows the same clock (src/domain/meeting-timer.ts):
     * the agenda item speaking, idle | running | paused, when the running span began, and the time
     * accumulated before it.
     */
    timerItemId: integer('timer_item_id'),
    timerStatus: text('timer_status').notNull().default('idle'),
    timerStartedAt: timestamp('timer_started_at', { withTimezone: true }),
    timerElapsedMs: integer('timer_elapsed_ms').notNull().default(0),
  },
  (t) => [index('meetings_campaign_idx').on(t.campaignId)],
);

/** Speaker order (R-MEET-1); written-only reporters (R-MEET-4) are listed but do not speak. */
export const meetingAgendaItems = pgTable(
  'meeting_agenda_items',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    position: integer('position').notNull(),
    writtenOnly: boolean('written_only').notNull().default(false),
    /** Speaking minutes for this reporter's tier (R-REP-8), copied when the agenda is set. */
    speakingMinutes: integer('speaking_minutes'),
    speechStartedAt: timestamp('speech_started_at', { withTimezone: true }),
    speechEndedAt: timestamp('speech_ended_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('meeting_agenda_reporter_uq').on(t.meetingId, t.reporterId),
    index('meeting_agenda_position_idx').on(t.meetingId, t.position),
  ],
);

/**
 * Attendance per category of the campaign's ballot settings (R-MEET-2): expected (应到) and signed in
 * (实到). The label is copied so a later settings edit does not rewrite a closed meeting's record.
 */
export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id),
    categoryKey: text('category_key').notNull(),
    categoryLabel: text('category_label').notNull(),
    expected: integer('expected').notNull().default(0),
    present: integer('present').notNull().default(0),
    /** Names or units, free text (e.g. the observers sent by the upper level, R-CAMP-6). */
    names: text('names'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('meeting_attendance_category_uq').on(t.meetingId, t.categoryKey)],
);

/**
 * Named attendees (R-MEET-2): committee members, the invited 两代表一委员 and 党员群众代表 with the unit each represents,
 * observers. Where a category has names, its 应到/实到 in meeting_attendance are derived from this list (the ballots
 * module reads those counts at closing).
 */
export const meetingAttendees = pgTable(
  'meeting_attendees',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id),
    categoryKey: text('category_key').notNull(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    /** The unit (村、社区、单位) the person comes from or represents. */
    unit: text('unit').notNull(),
    /** 身份/职务, e.g. 党代表, 人大代表, 政协委员, 村民代表. */
    identity: text('identity'),
    present: boolean('present').notNull().default(true),
  },
  (t) => [index('meeting_attendees_meeting_idx').on(t.meetingId, t.categoryKey, t.position)],
);

/**
 * 点评, 提问 and 回答 (R-MEET-3) per reporter (agenda item), or for the whole meeting (集中点评) when
 * `agendaItemId` is null. Deletion is a mark, so the record and its audit trail agree.
 */
export const meetingComments = pgTable(
  'meeting_comments',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id),
    agendaItemId: integer('agenda_item_id').references(() => meetingAgendaItems.id),
    /** comment | question | answer */
    kind: text('kind').notNull(),
    authorName: text('author_name').notNull(),
    /** 职务, e.g. 镇党委书记, 县委组织部副部长. */
    authorRole: text('author_role').notNull(),
    body: text('body').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedBy: integer('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('meeting_comments_meeting_idx').on(t.meetingId, t.createdAt),
    index('meeting_comments_item_idx').on(t.agendaItemId),
  ],
);
