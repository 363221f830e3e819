import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import { claimDataDir } from './data-dir-lock';
import { poolOptions } from './hosts';
import { isRetryableDbError } from './retryable';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Use cases take either the database or an open transaction. */
export type DbOrTx = Db | Tx;

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /**
   * This process's handle on the database, random per open. On PostgreSQL it is the connections'
   * application_name (`shuping:<id>`), so a process can tell which other app processes are connected.
   */
  instanceId: string;
  close(): Promise<void>;
  /** Listen to a NOTIFY channel (live counts fan out through the database). */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  /** The embedded engine, for dumps (backups, test templates). */
  pglite?: PGlite;
  /**
   * A read-only replica for reports, exports and dashboards (DATABASE_READ_URL, decision 027), with how far its
   * replay is behind the primary; absent when none is configured (reads then go to `db`).
   */
  replica?: { db: Db; lagMs(): Promise<number | null> };
  /**
   * Two connections of their own for /api/health and the standby monitor (PostgreSQL only): while the synchronous
   * standby is away every commit waits, and the main pool may be all taken by waiting commits.
   */
  monitor?: pg.Pool;
}

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** application_name of every app connection on PostgreSQL, followed by the process's instance id. */
export const APP_NAME_PREFIX = 'shuping:';

// Any number that does not collide with other applications sharing the server.
const MIGRATION_LOCK_KEY = 727_001;

export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // One process per data directory (PGlite is single-process): a second server, a backup or a CLI tool on the same
  // directory is refused with the holder's pid instead of corrupting pages (data-dir-lock.ts).
  const release = dataDir ? claimDataDir(dataDir, 'server') : () => {};
  // pg_trgm backs the organization name search index (migration 0008); PostgreSQL takes it from contrib.
  const client = new PGlite({ dataDir, extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) });
  try {
    await client.waitReady;
  } catch (e) {
    release();
    throw e;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    instanceId: randomBytes(6).toString('hex'),
    pglite: client,
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
    listen: async (channel, onMessage) => {
      const unsub = await client.listen(channel, onMessage);
      return unsub;
    },
    migrate: () => migratePglite(db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder }),
  };
}

/**
 * How far a replica's replay is behind, in ms: 0 when it has replayed all it received (an idle primary sends
 * nothing, so the last replay time alone would make an idle standby look ever later), null on a primary.
 */
const LAG_SQL = `select case when not pg_is_in_recovery() then null
  when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
  else greatest(0, extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::int end as lag_ms`;

/**
 * pg's pool listens for 'error' only on idle clients. A client checked out for a transaction whose server goes away
 * (kill, restart, failover) emits 'error' with nobody listening, and an unhandled 'error' event ends Node — the close
 * of a round, one transaction, did exactly that under bench/crash.bench.ts. The failed query already rejects and the
 * transaction's caller answers 503; this listener only keeps the process alive. pg marks the client unqueryable, so
 * its release removes it from the pool.
 */
function guardCheckedOut(pool: pg.Pool) {
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
}

/**
 * `url` may list several hosts with target_session_attrs (hosts.ts); `readUrl`, a replica for reads (decision 027).
 */
export async function openPostgres(url: string, poolSize = 20, readUrl?: string): Promise<Database> {
  const instanceId = randomBytes(6).toString('hex');
  const applicationName = `${APP_NAME_PREFIX}${instanceId}`;
  const pool = new pg.Pool(poolOptions(url, { max: poolSize, applicationName }));
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  guardCheckedOut(pool);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  let replica: Database['replica'];
  let readPool: pg.Pool | undefined;
  if (readUrl) {
    // Not under APP_NAME_PREFIX: the close counts the app processes by that name (closing.ts).
    readPool = new pg.Pool(
      poolOptions(readUrl, {
        max: Math.max(2, Math.ceil(poolSize / 4)),
        applicationName: `shuping-read:${instanceId}`,
      }),
    );
    readPool.on('error', () => {});
    guardCheckedOut(readPool);
    const rp = readPool;
    replica = {
      db: drizzlePg(rp, { schema }) as unknown as Db,
      lagMs: async () => {
        const { rows } = await rp.query<{ lag_ms: number | null }>(LAG_SQL);
        return rows[0]?.lag_ms ?? null;
      },
    };
  }
  const monitor = new pg.Pool(
    poolOptions(url, { max: 2, applicationName: `shuping-monitor:${instanceId}`, connectionTimeoutMillis: 3000 }),
  );
  monitor.on('error', () => {});
  guardCheckedOut(monitor);
  return {
    db,
    kind: 'postgres',
    instanceId,
    monitor,
    replica,
    close: async () => {
      await Promise.all([pool.end(), readPool?.end(), monitor.end()]);
    },
    listen: async (channel, onMessage) => {
      const quoted = `"${channel.replace(/"/g, '')}"`;
      let current: { client: pg.PoolClient; detach: () => void } | null = null;
      let closed = false;
      let retry: NodeJS.Timeout | null = null;
      const again = () => {
        if (closed || retry) return;
        retry = setTimeout(() => {
          retry = null;
          connect().catch(again);
        }, 1000);
        retry.unref();
      };
      const connect = async () => {
        const client = await pool.connect();
        let dropped = false;
        // A checked-out client whose server goes away (restart, kill, network) emits 'error': the pool only
        // listens on idle clients, and an unhandled 'error' event ends the Node process. Drop it and listen again
        // on a new connection once the server is back (notifications sent meanwhile are lost; the pages poll too).
        const notify = (n: pg.Notification) => {
          if (n.channel === channel && n.payload !== undefined) onMessage(n.payload);
        };
        const detach = () => {
          client.removeListener('error', drop);
          client.removeListener('notification', notify);
        };
        const drop = () => {
          if (dropped) return;
          dropped = true;
          if (current?.client === client) current = null;
          client.release(true);
          again();
        };
        client.on('error', drop);
        client.on('notification', notify);
        try {
          await client.query(`LISTEN ${quoted}`);
        } catch (e) {
          if (!dropped) {
            dropped = true;
            client.release(true);
          }
          throw e;
        }
        if (closed) {
          detach();
          return void client.release();
        }
        current = { client, detach };
      };
      // During a failover the first attempt may meet no primary: listen as soon as one answers, like after a drop.
      await connect().catch((e) => {
        if (!isRetryableDbError(e)) throw e;
        again();
      });
      return async () => {
        closed = true;
        if (retry) clearTimeout(retry);
        const held = current;
        current = null;
        if (!held) return;
        await held.client.query(`UNLISTEN ${quoted}`).catch(() => {});
        // Back to the pool, which watches idle clients itself; a client that died meanwhile is destroyed.
        held.detach();
        try {
          held.client.release();
        } catch {
          /* already released */
        }
      };
    },
    // The advisory lock is held on one dedicated connection so two processes starting together
    // cannot apply the same migration twice.
    migrate: async () => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        client.release();
      }
    },
  };
}

export async function openDatabase(opts: {
  databaseUrl?: string;
  readUrl?: string;
  dataDir?: string;
  poolSize?: number;
}) {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize, opts.readUrl) : openPglite(opts.dataDir);
}

/** Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** Escapes LIKE wildcards in user input so a search for "50%" means the text "50%". */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A hot statement parsed and planned once per connection and then only executed: planning a statement of
 * several CTEs costs more than running it (ballot casting). `text` uses $1…$n and no other `$`; `types` are
 * the parameter types, needed by PGlite's SQL-level PREPARE.
 */
export interface PreparedStatement {
  name: string;
  text: string;
  types: string[];
}

export function definePrepared(name: string, text: string, types: string[]): PreparedStatement {
  // The text is part of the name, so a changed statement never meets an old plan under the same name.
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return { name: `${name}_${(h >>> 0).toString(36)}`, text, types };
}

type Param = string | number | null;
const pglitePrepared = new WeakMap<PGlite, Map<string, Promise<unknown>>>();

/**
 * Every value becomes hex-encoded UTF-8 (or a checked integer): EXECUTE takes literals only, and hex cannot
 * break out of a literal whatever the session's string settings are.
 */
function pgliteLiteral(v: Param, type: string): string {
  if (v === null) return `null::${type}`;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error('prepared statement: only integers are passed as numbers');
    return `${v}::${type}`;
  }
  return `convert_from(decode('${Buffer.from(v, 'utf8').toString('hex')}', 'hex'), 'UTF8')::${type}`;
}

/** Runs a {@link PreparedStatement}; inside a transaction it falls back to an ordinary parameterized query. */
export async function preparedRows<T>(db: DbOrTx, stmt: PreparedStatement, values: Param[]): Promise<T[]> {
  const client = (db as { $client?: unknown }).$client;
  if (client instanceof pg.Pool) {
    // node-postgres keeps named statements per pooled connection and prepares on first use on each.
    const res = await client.query({ name: stmt.name, text: stmt.text, values });
    return res.rows as T[];
  }
  if (client instanceof PGlite) {
    let prepared = pglitePrepared.get(client);
    if (!prepared) pglitePrepared.set(client, (prepared = new Map()));
    const run = async () => {
      let ready = prepared.get(stmt.name);
      if (!ready) {
        ready = client.exec(`prepare ${stmt.name}(${stmt.types.join(', ')}) as ${stmt.text}`);
        prepared.set(stmt.name, ready);
        ready.catch(() => prepared.delete(stmt.name));
      }
      await ready;
      const args = values.map((v, i) => pgliteLiteral(v, stmt.types[i]!)).join(', ');
      const [res] = await client.exec(`execute ${stmt.name}(${args})`);
      return (res?.rows ?? []) as T[];
    };
    try {
      return await run();
    } catch (e) {
      // 26000: the session lost its prepared statements (DEALLOCATE/DISCARD ALL); prepare again once.
      if ((e as { code?: string }).code !== '26000') throw e;
      prepared.delete(stmt.name);
      return run();
    }
  }
  const parts = stmt.text.split(/\$(\d+)/);
  const chunks: SQL[] = parts.map((p, i) => (i % 2 === 0 ? sql.raw(p) : sql`${values[Number(p) - 1]}`));
  return queryRows<T>(db, sql.join(chunks));
}
