import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../../src/server/db/connect';
import { freshDatabase } from '../setup/db';

// The live counts hold one LISTEN connection per process. When PostgreSQL restarts (or the connection is cut),
// that checked-out client emits 'error': unhandled, it ended the whole app process (found by bench/crash.bench.ts).
// Here the listening backend is terminated from another connection, as a server restart would do to it.
describe.skipIf(!process.env.TEST_DATABASE_URL)('a dropped connection does not end the process (PostgreSQL)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('keeps the process alive and listens again on a new connection', async () => {
    const got: string[] = [];
    const errors: unknown[] = [];
    const onUncaught = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const unlisten = await database.listen('crash_probe', (p) => got.push(p));
      await database.db.execute(sql`select pg_notify('crash_probe', 'before')`);
      await expect.poll(() => got).toContain('before');

      const killed = await queryRows<{ n: number }>(
        database.db,
        sql`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where query ilike 'LISTEN%crash_probe%' and pid <> pg_backend_pid()`,
      );
      expect(killed[0]!.n).toBe(1);

      // Re-listening waits a second; keep notifying until a message gets through on the new connection.
      await expect
        .poll(
          async () => {
            await database.db.execute(sql`select pg_notify('crash_probe', 'after')`);
            return got.includes('after');
          },
          { timeout: 15_000, interval: 500 },
        )
        .toBe(true);
      expect(errors).toEqual([]);
      await unlisten();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  // The close of a round is one transaction; PostgreSQL killed during it ended the app (crash.bench.ts, sitting 8).
  it('keeps the process alive when the server drops a connection in the middle of a transaction', async () => {
    const errors: unknown[] = [];
    const onUncaught = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      // Settled into a value at once: the transaction may fail while the poll below is still running, and a rejection
      // with no handler yet is an unhandled rejection to Vitest (seen on a loaded machine).
      const inFlight = database.db
        .transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await tx.execute(sql`select pg_sleep(30) as crash_probe_tx`);
        })
        .then(
          () => 'committed',
          (e: unknown) => e,
        );
      await expect
        .poll(
          async () => {
            const [r] = await queryRows<{ n: number }>(
              database.db,
              sql`
          select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
          where query like '%crash_probe_tx%' and pid <> pg_backend_pid()`,
            );
            return r!.n;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBe(1);
      expect(await inFlight).toBeInstanceOf(Error);
      // Let the socket's 'end' arrive: that is when the unheard 'error' was emitted.
      await new Promise((r) => setTimeout(r, 300));
      expect(errors).toEqual([]);
      // The dead client left the pool; the next query gets a live one.
      const [ok] = await queryRows<{ one: number }>(database.db, sql`select 1 as one`);
      expect(ok!.one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
