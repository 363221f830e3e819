import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../../src/server/db/connect';
import { freshDatabase } from '../setup/db';

// The live counts hold one LISTEN connection per process. When PostgreSQL restarts (or the connection is cut),
// that checked-out client emits 'error': unhandled, it ended the whole app process (found by bench/crash.bench.ts).
// Here the listening backend is terminated from another connection, as a server restart would do to it.
describe.skipIf(!process.env.TEST_DATABASE_URL)('LISTEN survives a dropped connection (PostgreSQL)', () => {
  let database: Database;
  beforeAll(async () => { database = await freshDatabase(); });
  afterAll(async () => { await database?.close(); });

  it('keeps the process alive and listens again on a new connection', async () => {
    const got: string[] = [];
    const errors: unknown[] = [];
    const onUncaught = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const unlisten = await database.listen('crash_probe', (p) => got.push(p));
      await database.db.execute(sql`select pg_notify('crash_probe', 'before')`);
      await expect.poll(() => got).toContain('before');

      const killed = await queryRows<{ n: number }>(database.db, sql`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where query ilike 'LISTEN%crash_probe%' and pid <> pg_backend_pid()`);
      expect(killed[0]!.n).toBe(1);

      // Re-listening waits a second; keep notifying until a message gets through on the new connection.
      await expect.poll(async () => {
        await database.db.execute(sql`select pg_notify('crash_probe', 'after')`);
        return got.includes('after');
      }, { timeout: 15_000, interval: 500 }).toBe(true);
      expect(errors).toEqual([]);
      await unlisten();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
