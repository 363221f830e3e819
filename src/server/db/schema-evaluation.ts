import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from './schema';
import { surveys } from './schema-assessment';
import { ballotRounds } from './schema-ballots';
import { campaignReporters, campaigns } from './schema-campaigns';

const score = (name: string) => numeric(name, { precision: 7, scale: 2, mode: 'number' });

/**
 * What the organizer records per reporter for the composite (R-GRADE-1, R-GRADE-3): the 平时掌握 score
 * with its note, and the facts that force 差 (a major error, an accountability case) with their notes.
 */
export const evaluationInputs = pgTable(
  'evaluation_inputs',
  {
    reporterId: integer('reporter_id')
      .primaryKey()
      .references(() => campaignReporters.id),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    dailyScore: score('daily_score'),
    dailyNote: text('daily_note'),
    /** 述职评议 component (the committee's score of the report and speech) when the weights use it; entered like 平时掌握. */
    reportScore: score('report_score'),
    reportNote: text('report_note'),
    majorError: boolean('major_error').notNull().default(false),
    majorErrorNote: text('major_error_note'),
    accountability: boolean('accountability').notNull().default(false),
    accountabilityNote: text('accountability_note'),
    updatedBy: integer('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('evaluation_inputs_campaign_idx').on(t.campaignId)],
);

/**
 * The evaluation of one campaign: open (recomputed at will) → locked by the committee (R-GRADE-4).
 * `summary` keeps the last computation's quota bins, formula text and counts for the page.
 */
export const evaluations = pgTable(
  'evaluations',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    state: text('state').notNull().default('open'),
    summary: jsonb('summary'),
    computedAt: timestamp('computed_at', { withTimezone: true }),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    lockedBy: integer('locked_by').references(() => users.id),
    /** Committee meeting that decided (date/title), free text for the record. */
    decisionNote: text('decision_note'),
    /**
     * The share of 较好 or below the committee stated at the lock where the plan sets none (004; 000 §6 "应占一定比例"),
     * as a fraction; it was enforced as a hard minimum by that lock.
     */
    lowerShareStated: numeric('lower_share_stated', { precision: 5, scale: 4, mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evaluations_campaign_uq').on(t.campaignId)],
);

/**
 * One row per reporter: components (0–100 each, null when not available), composite, ranks, the suggested
 * grade with its reasons, and the committee's final grade and written opinion (R-GRADE-5).
 * Rows are recomputed while the evaluation is open; after lock a trigger refuses any change.
 */
export const evaluationResults = pgTable(
  'evaluation_results',
  {
    reporterId: integer('reporter_id')
      .primaryKey()
      .references(() => campaignReporters.id),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    /** { ballots, field, survey, daily, report } */
    components: jsonb('components').notNull(),
    composite: score('composite'),
    rank: integer('rank'),
    sectorRank: integer('sector_rank'),
    /** { good, fair, average, poor, invalid } counted from the released real round (phone + paper). */
    ballotCounts: jsonb('ballot_counts'),
    averageOrPoorShare: numeric('average_or_poor_share', { precision: 6, scale: 4, mode: 'number' }),
    autoPoorReasons: jsonb('auto_poor_reasons').notNull().default([]),
    suggestedGrade: text('suggested_grade'),
    suggestionReasons: jsonb('suggestion_reasons').notNull().default([]),
    finalGrade: text('final_grade'),
    finalReason: text('final_reason'),
    opinionAchievements: text('opinion_achievements'),
    opinionProblems: text('opinion_problems'),
    opinionDirection: text('opinion_direction'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * A 64-bit hash of every computed column above as the last recompute wrote them (migration 0019): the next recompute
     * compares hashes instead of 300,000 rows of jsonb and rewrites only rows whose figures changed. Only the recompute
     * writes the computed columns; null (older rows) means "rewrite". Never read in JS (mode number would round it).
     */
    fingerprint: bigint('fingerprint', { mode: 'number' }),
  },
  (t) => [index('evaluation_results_campaign_rank_idx').on(t.campaignId, t.rank)],
);

/** Every change of a final grade: old, new, who, when, why (R-GRADE-4). Append-only (trigger). */
export const gradeChanges = pgTable(
  'grade_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    oldGrade: text('old_grade'),
    newGrade: text('new_grade').notNull(),
    suggestedGrade: text('suggested_grade'),
    reason: text('reason'),
    changedBy: integer('changed_by').references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('grade_changes_reporter_idx').on(t.reporterId, t.changedAt)],
);

/** A committee member's 同意/有疑问 on a suggested grade before the meeting. */
export const evaluationReviews = pgTable(
  'evaluation_reviews',
  {
    id: serial('id').primaryKey(),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    /** agree | question */
    stance: text('stance').notNull(),
    note: text('note'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evaluation_reviews_uq').on(t.reporterId, t.userId)],
);

/**
 * Phone ballots of a released real round counted once per reporter × category (R-VOTE-2: counts only — no ballot id,
 * code, text or person; the same figures the round's results already give, the minimum-group hiding applies where
 * they are shown). A released round never changes again (casting needs an open round, ballots of a real round cannot
 * be deleted), so the recompute reads these ~reporters×categories rows instead of every ballot. Written when the
 * round is released, or by the first recompute that finds a released round without them (evaluation_tallied).
 */
export const evaluationBallotTallies = pgTable(
  'evaluation_ballot_tallies',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => ballotRounds.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    category: text('category').notNull(),
    good: integer('good').notNull(),
    fair: integer('fair').notNull(),
    average: integer('average').notNull(),
    poor: integer('poor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.reporterId, t.category] })],
);

/**
 * A closed survey's answers per unit: the sum of the answers' points and their number (the mean is points / answers,
 * as avg() over every answer). Closed is final, so written once, like the ballot tallies. No response id or token.
 */
export const evaluationSurveyTallies = pgTable(
  'evaluation_survey_tallies',
  {
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => campaignReporters.id),
    points: bigint('points', { mode: 'number' }).notNull(),
    answers: integer('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.reporterId] })],
);

/**
 * A completed field assessment's sums (migration 0018): the reporter's field scores and the points of their items,
 * summed when the team submits (completeAssessment). Valid only while completed_at equals the assignment's: a reopen
 * deletes it, a new submission rewrites it, raising an item's points deletes the tallies of the reporters scored on
 * it, and the recompute tallies any completed assignment without a matching row (older data, direct inserts).
 * Scores cannot change while an assessment is completed (score-item refuses), so the sums are final until then.
 */
export const evaluationFieldTallies = pgTable('evaluation_field_tallies', {
  reporterId: integer('reporter_id')
    .primaryKey()
    .references(() => campaignReporters.id, { onDelete: 'cascade' }),
  completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
  score: numeric('score').notNull(),
  maxPoints: numeric('max_points').notNull(),
});

/** Which released rounds ('round') and closed surveys ('survey') are tallied — a source with no rows is tallied too. */
export const evaluationTallied = pgTable(
  'evaluation_tallied',
  {
    kind: text('kind').notNull(),
    sourceId: integer('source_id').notNull(),
    talliedAt: timestamp('tallied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.sourceId] })],
);
