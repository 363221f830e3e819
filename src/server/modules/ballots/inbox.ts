import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';

/**
 * A round's inbox (decision 017): while voting, ballots are written here in batches of at least the round's
 * minimum group; at the close of a real round they are moved to `ballots` in a random order by one statement and
 * the inbox table is dropped, which removes its file — deleting rows would leave their text readable in the
 * table's free space. A rehearsal's ballots stay in its inbox until the purge drops it, so they never touch
 * `ballots` either. One table per round, not one shared table: dropping a table is the only way to take its rows
 * out of the data files at once without rewriting (and locking) everyone else's.
 * No id, no time, no index, no foreign key: nothing in a row but what the ballot says.
 */
export const inboxName = (roundId: number) => `ballot_inbox_r${Math.trunc(Number(roundId))}`;
const inbox = (roundId: number) => sql.identifier(inboxName(roundId));

export async function createInbox(db: DbOrTx, roundId: number) {
  await db.execute(sql`create table if not exists ${inbox(roundId)} (
    reporter_id integer not null, category text not null, grade text not null, problems text, suggestions text)`);
}

export async function dropInbox(db: DbOrTx, roundId: number) {
  await db.execute(sql`drop table if exists ${inbox(roundId)}`);
}

export async function inboxExists(db: DbOrTx, roundId: number): Promise<boolean> {
  const [row] = await queryRows<{ t: string | null }>(db, sql`select to_regclass(${inboxName(roundId)})::text as t`);
  return Boolean(row?.t);
}

/**
 * Moves a real round's inbox into `ballots` in an order drawn from the server's strong random source
 * (gen_random_uuid), so every ballot of the round gets this one transaction's xmin and a random place on disk,
 * then drops the inbox. Returns the number of ballots moved.
 */
export async function mixIntoBallots(db: DbOrTx, roundId: number): Promise<number> {
  if (!(await inboxExists(db, roundId))) return 0;
  const [moved] = await queryRows<{ n: number }>(
    db,
    sql`
    with m as (
      insert into ballots (round_id, reporter_id, category, grade, problems, suggestions)
      select ${roundId}, reporter_id, category, grade, problems, suggestions from ${inbox(roundId)}
      order by gen_random_uuid()
      returning 1
    ) select count(*)::int as n from m`,
  );
  await dropInbox(db, roundId);
  return Number(moved?.n ?? 0);
}

/**
 * The phone ballots of a round as a subquery (reporter_id, category, grade, problems, suggestions): its inbox
 * while it has one, plus `ballots` (a mixed real round; rounds voted before the inbox existed).
 */
export async function roundBallots(db: DbOrTx, roundId: number): Promise<SQL> {
  const fromBallots = sql`select reporter_id, category, grade, problems, suggestions from ballots where round_id = ${roundId}`;
  if (!(await inboxExists(db, roundId))) return sql`(${fromBallots})`;
  return sql`(select reporter_id, category, grade, problems, suggestions from ${inbox(roundId)} union all ${fromBallots})`;
}
