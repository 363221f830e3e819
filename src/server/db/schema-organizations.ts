import { date, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './schema';

/**
 * A spreadsheet import running in the background (R-ORG-4). 100,000 rows take longer than a page
 * should wait, so the upload answers with this row's id and the page polls its phase and progress.
 * It lives in the database so any app process can answer the poll.
 */
export const orgImportJobs = pgTable(
  'org_import_jobs',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    fileName: text('file_name').notNull(),
    /** reading | checking | writing | done | failed */
    status: text('status').notNull(),
    /** Rows read so far (reading) and rows in the file once known. */
    processed: integer('processed').notNull().default(0),
    total: integer('total'),
    /** { orgs, secretaries } when done. */
    result: jsonb('result'),
    /** The AppError's { code, message, details } when failed — row errors included. */
    error: jsonb('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('org_import_jobs_user_idx').on(t.userId, t.id)],
);

/**
 * Rows of a checked import waiting to be moved into organizations/secretaries (R-ORG-4). They are
 * written in small batches so a big import never holds PGlite's only connection for long; one
 * short final transaction then moves them set-based and deletes them. Paths are computed against
 * `anchor` (the existing organization the row hangs under) and re-based on its current path at
 * the move, so an anchor moved meanwhile cannot leave wrong paths.
 */
export const orgImportStaging = pgTable(
  'org_import_staging',
  {
    jobId: integer('job_id')
      .notNull()
      .references(() => orgImportJobs.id, { onDelete: 'cascade' }),
    /** Spreadsheet row, for the error message if the final check fails. */
    row: integer('row').notNull(),
    /** Taken from the organizations sequence when staged. */
    id: integer('id').notNull(),
    parentId: integer('parent_id').notNull(),
    name: text('name').notNull(),
    code: text('code').notNull(),
    parentCode: text('parent_code').notNull(),
    kind: text('kind').notNull(),
    sector: text('sector').notNull(),
    level: text('level').notNull(),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    anchorId: integer('anchor_id').notNull(),
    anchorPath: text('anchor_path').notNull(),
    anchorDepth: integer('anchor_depth').notNull(),
    secretaryName: text('secretary_name'),
    secretaryPosition: text('secretary_position'),
    secretaryTenureStart: date('secretary_tenure_start'),
    secretaryPhone: text('secretary_phone'),
  },
  (t) => [index('org_import_staging_job_idx').on(t.jobId, t.row)],
);
