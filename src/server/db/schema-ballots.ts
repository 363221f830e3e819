import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './schema';
import { campaignReporters } from './schema-campaigns';
import { meetings } from './schema-meetings';

/**
 * One voting round (测评) of a meeting (R-VOTE-1…5). A meeting may hold rehearsal rounds (purged before the
 * real one) and at most one real round. State: draft → open → closed → released | void; a rehearsal may also
 * end 'purged'. Anonymity settings are copied into `anonymity` when voting opens and never change after that
 * (a trigger in migration 0006 refuses it), so nobody can lower the minimum group size to unmask a small group.
 */
export const ballotRounds = pgTable(
  'ballot_rounds',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id),
    /** rehearsal | real */
    mode: text('mode').notNull(),
    state: text('state').notNull().default('draft'),
    /** Short code shown only on the projector; required with every vote so a slip carried out is useless. */
    roomCode: text('room_code').notNull(),
    /** { minGroupSize, categories: [{ key, label }] } frozen at opening. */
    anonymity: jsonb('anonymity'),
    /** Signed-in attendees given at closing (the meetings module has no sign-in table yet). */
    attendees: integer('attendees'),
    /** { [category]: { issued, collected } } for paper forms (R-VOTE-4). */
    paperCounts: jsonb('paper_counts').notNull().default({}),
    /** Mismatches found by the reconciliation at closing (R-VOTE-5), and the written explanation. */
    mismatches: jsonb('mismatches'),
    explanation: text('explanation'),
    /**
     * What the close did to leave no link between a ballot and its code, slip, time or address (decision 016):
     * inbox mixed and dropped, write-ahead log purged, and the server settings that would keep a copy (warnings).
     */
    secrecy: jsonb('secrecy'),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ballot_rounds_meeting_idx').on(t.meetingId),
    uniqueIndex('ballot_rounds_one_real_uq').on(t.meetingId).where(sql`${t.mode} = 'real'`),
    uniqueIndex('ballot_rounds_one_open_uq').on(t.meetingId).where(sql`${t.state} = 'open'`),
  ],
);

/** Codes are printed per batch; re-printing voids the previous batch of the category. */
export const ballotCodeBatches = pgTable(
  'ballot_code_batches',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => ballotRounds.id),
    category: text('category').notNull(),
    count: integer('count').notNull(),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ballot_code_batches_round_idx').on(t.roundId, t.category)],
);

/**
 * Only a keyed hash (HMAC-SHA256 with a server secret) of each code is kept; the plaintext exists only in the
 * printed PDF. `roomFailures` counts wrong room codes typed with this code, so a slip carried out of the room
 * cannot be used to guess the room code.
 */
export const ballotCodes = pgTable(
  'ballot_codes',
  {
    id: serial('id').primaryKey(),
    batchId: integer('batch_id')
      .notNull()
      .references(() => ballotCodeBatches.id),
    roundId: integer('round_id')
      .notNull()
      .references(() => ballotRounds.id),
    category: text('category').notNull(),
    codeHash: text('code_hash').notNull(),
    roomFailures: integer('room_failures').notNull().default(0),
    /**
     * Set when the round closes or the batch is voided. The cast locks its code row (FOR SHARE) and requires this
     * false, so closing — which updates these rows — waits for votes in flight, and a vote that starts after
     * re-checks the row and is refused. The lock sits on one code, not on the round row every phone shares
     * (many sharers of one row cost a MultiXact each and halved throughput).
     */
    closed: boolean('closed').notNull().default(false),
  },
  (t) => [uniqueIndex('ballot_codes_hash_uq').on(t.codeHash), index('ballot_codes_batch_idx').on(t.batchId)],
);

/**
 * "This code has rated this reporter" (R-VOTE-3), kept apart from the ballot: no timestamp, no ballot id.
 * The primary key is what makes two racing phones with one code produce exactly one ballot.
 */
export const ballotCodeUses = pgTable(
  'ballot_code_uses',
  {
    codeId: integer('code_id')
      .notNull()
      .references(() => ballotCodes.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
  },
  (t) => [primaryKey({ columns: [t.codeId, t.reporterId] })],
);

/**
 * One phone ballot (R-VOTE-1). Random id; deliberately no timestamp, IP, user agent, code or user (R-VOTE-2).
 * Category is kept for the breakdown, which is shown only above the minimum group size.
 */
export const ballots = pgTable(
  'ballots',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    roundId: integer('round_id')
      .notNull()
      .references(() => ballotRounds.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    category: text('category').notNull(),
    grade: text('grade').notNull(),
    problems: text('problems'),
    suggestions: text('suggestions'),
  },
  (t) => [index('ballots_round_reporter_idx').on(t.roundId, t.reporterId)],
);

/**
 * Paper forms entered as per-reporter tallies per category, twice by two different staff (R-VOTE-4); only a
 * pair of matching entries counts. Free texts are typed as lists and compared as well.
 */
export const ballotPaperTallies = pgTable(
  'ballot_paper_tallies',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => ballotRounds.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    category: text('category').notNull(),
    /** 1 or 2 */
    entryNo: integer('entry_no').notNull(),
    /** { good, fair, average, poor, invalid } */
    counts: jsonb('counts').notNull(),
    problems: jsonb('problems').notNull().default([]),
    suggestions: jsonb('suggestions').notNull().default([]),
    enteredBy: integer('entered_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ballot_paper_tallies_uq').on(t.roundId, t.reporterId, t.category, t.entryNo)],
);

/**
 * Failed code attempts on the phone page (unknown codes) per client address, for the per-address limit shared by
 * all app processes (like login_attempts). Deliberately no code, round or reporter: a failed attempt counts
 * nothing, and successful votes never write here, so nothing in this table can be joined to a ballot.
 */
export const voteFailures = pgTable(
  'vote_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('vote_failures_ip_at_idx').on(t.ip, t.at)],
);
