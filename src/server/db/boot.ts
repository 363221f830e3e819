import pg from 'pg';
import { poolOptions } from './hosts';
import type { HashCost } from '../modules/auth/password-hash';
import type { Database } from './connect';
import { isDatabaseEmpty, seedDemo, seedDemoRounds } from './demo-seed';

/**
 * Held for the whole boot (migrations + demo seed). It must differ from every other advisory lock of the app:
 * migrate() still takes the migration lock (727_001, connect.ts) inside, and the seed writes audit rows, which take
 * the audit chain lock (727_002, http/audit.ts) — the same key here would make the boot wait for itself forever.
 */
export const BOOT_LOCK_KEY = 727_100;

export interface PrepareOptions {
  /** The PostgreSQL URL, for the lock's own connection (absent: PGlite, one process only). */
  databaseUrl?: string;
  seedDemo: 'auto' | 'never';
  now?: Date;
  passwordCost?: HashCost;
  /** Tests only: run without the lock, to show what it prevents. */
  unguarded?: boolean;
}

/**
 * Migrates and, on an empty database, loads the demo data — once, however many app processes start together on
 * one PostgreSQL (systemd starting shuping@1..N at once). "Is it empty? then seed" is a check-then-act race: two
 * processes would both see an empty database and the second would die on a duplicate organization code. So the
 * whole boot runs under a session advisory lock on a connection of its own (not from the pool: with
 * DB_POOL_SIZE=1 the migration would wait for the pool's only connection forever). If the process dies, the
 * connection closes and PostgreSQL releases the lock.
 */
export async function prepareDatabase(
  database: Database,
  opts: PrepareOptions,
): Promise<{ seeded: number | null; demoYear?: number }> {
  const work = async () => {
    await database.migrate();
    if (opts.seedDemo !== 'auto' || !(await isDatabaseEmpty(database.db))) return { seeded: null };
    const now = opts.now ?? new Date();
    const { organizations } = await seedDemo(database.db, { now, passwordCost: opts.passwordCost });
    // The e2e specs create their rounds themselves in the browser, so only the product start seeds them.
    const { year } = await seedDemoRounds(database, { now });
    return { seeded: organizations, demoYear: year };
  };
  if (database.kind !== 'postgres' || !opts.databaseUrl || opts.unguarded) return work();
  // A pool of one, so a multi-host DATABASE_URL reaches the primary as the app's own pool does (hosts.ts).
  const pool = new pg.Pool(poolOptions(opts.databaseUrl, { max: 1, applicationName: 'shuping-boot' }));
  pool.on('error', () => {
    /* surfaced by the query that fails */
  });
  try {
    const client = await pool.connect();
    client.on('error', () => {
      /* idem */
    });
    try {
      await client.query('select pg_advisory_lock($1)', [BOOT_LOCK_KEY]);
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [BOOT_LOCK_KEY]).catch(() => {});
      client.release(true);
    }
  } finally {
    await pool.end().catch(() => {});
  }
}
