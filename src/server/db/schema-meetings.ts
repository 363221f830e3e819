import {
  boolean, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';
import { campaignReporters, campaigns } from './schema-campaigns';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** 述职评议会 (R-MEET-1): one meeting of a campaign; a campaign may hold several (by group or tier). */
export const meetings = pgTable(
  'meetings',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id').notNull().references(() => campaigns.id),
    title: text('title').notNull(),
    meetingDate: date('meeting_date').notNull(),
    place: text('place').notNull(),
    /** preparing | in_progress | closed — voting state lives with the ballots module. */
    state: text('state').notNull().default('preparing'),
    /** Agenda step now on the projector (R-MEET-1: reports → questions → comments → rating → guidance → summary). */
    currentStep: text('current_step'),
    createdAt: createdAt(),
  },
  (t) => [index('meetings_campaign_idx').on(t.campaignId)],
);

/** Speaker order (R-MEET-1); written-only reporters (R-MEET-4) are listed but do not speak. */
export const meetingAgendaItems = pgTable(
  'meeting_agenda_items',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id').notNull().references(() => meetings.id),
    reporterId: integer('reporter_id').notNull().references(() => campaignReporters.id),
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
