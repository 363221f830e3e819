import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
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
    userId: integer('user_id').notNull().references(() => users.id),
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
