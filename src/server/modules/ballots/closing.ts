import { sql } from 'drizzle-orm';
import { APP_NAME_PREFIX, type Database, queryRows } from '../../db/connect';
import type { BallotMixer } from './mixer';

/**
 * Several app processes on one PostgreSQL each hold their own waiting ballots (mixer.ts). When one process closes
 * a round it first marks it 'closing' (no new ballot is taken anywhere), then asks the others, through the
 * database, to write what waits with them at once, and waits until each has answered (or `maxMs`). Those last
 * batches may be smaller than the minimum group; they are mixed with every other ballot of the round moments
 * later, so the exposure is the few seconds of the close (decision 017). With PGlite there is one process only.
 */
export const CLOSING_CHANNEL = 'ballot_round_closing';
const FLUSHED_CHANNEL = 'ballot_round_flushed';

/** Every process: answers other processes' closings. Returns the unsubscribe. */
export async function answerClosings(database: Database, mixer: BallotMixer, onError: (e: unknown) => void) {
  if (database.kind !== 'postgres') return async () => {};
  return database.listen(CLOSING_CHANNEL, (payload) => {
    const roundId = Number(payload);
    if (!Number.isSafeInteger(roundId)) return;
    void (async () => {
      try {
        await mixer.flushNow(roundId);
      } catch (e) {
        onError(e);
      }
      await database.db
        .execute(sql`select pg_notify(${FLUSHED_CHANNEL}, ${`${roundId}:${database.instanceId}`})`)
        .catch(onError);
    })();
  });
}

/** The closing process: waits until every other connected app process has written its waiting ballots. */
export async function gatherWaiting(database: Database, roundId: number, maxMs = 5000) {
  if (database.kind !== 'postgres') return { others: 0, answered: 0 };
  const rows = await queryRows<{ name: string }>(
    database.db,
    sql`
    select distinct application_name as name from pg_stat_activity
    where datname = current_database() and application_name like ${`${APP_NAME_PREFIX}%`}`,
  );
  const others = new Set(
    rows.map((r) => r.name.slice(APP_NAME_PREFIX.length)).filter((id) => id !== database.instanceId),
  );
  if (!others.size) return { others: 0, answered: 0 };
  const heard = new Set<string>();
  let all!: () => void;
  const allHeard = new Promise<void>((res) => {
    all = res;
  });
  const unlisten = await database.listen(FLUSHED_CHANNEL, (payload) => {
    const [round, instance] = payload.split(':');
    if (Number(round) !== roundId || !instance || !others.has(instance)) return;
    heard.add(instance);
    if (heard.size === others.size) all();
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await database.db.execute(sql`select pg_notify(${CLOSING_CHANNEL}, ${String(roundId)})`);
    await Promise.race([
      allHeard,
      new Promise<void>((res) => {
        timer = setTimeout(res, maxMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await unlisten();
  }
  return { others: others.size, answered: heard.size };
}
