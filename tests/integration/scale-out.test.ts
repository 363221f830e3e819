import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { prepareDatabase } from '../../src/server/db/boot';
import { type Database, migrationsFolder, openPostgres, queryRows } from '../../src/server/db/connect';
import { parseEnv } from '../../src/server/env';
import { PG_BIN, type PgServer, startPostgres } from '../../bench/lib/pg-server';
import { freshDatabase } from '../setup/db';
import { withDatabase } from '../setup/global';
import { TEST_COST } from '../factories';

/**
 * Issue 8, scale out: several app processes behind nginx on one PostgreSQL. X-Forwarded-For is believed only from
 * the configured proxies (TRUST_PROXY), and processes that boot together on an empty database migrate and seed
 * it exactly once (the advisory lock in src/server/db/boot.ts). The full proof with real processes and nginx is
 * bench/scale-out.bench.ts (`npm run proof:scale-out`).
 */
describe('TRUST_PROXY parsing (env.ts)', () => {
  it('is off unless set; takes addresses, CIDRs, range names or a hop count', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'off' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).TRUST_PROXY).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
    expect(parseEnv({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toEqual(['loopback']);
    expect(parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
  });

  it('refuses trusting everyone and malformed values with a Chinese message naming the variable', () => {
    expect(() => parseEnv({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: 不允许信任任意来源的 X-Forwarded-For/);
    expect(() => parseEnv({ TRUST_PROXY: '*' })).toThrow(/不允许信任任意来源/);
    expect(() => parseEnv({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/「10\.0\.0\.0\/33」不是有效的地址或网段/);
    expect(() => parseEnv({ TRUST_PROXY: '127.0.0.1,nginx' })).toThrow(/「nginx」不是有效的地址或网段/);
    expect(() => parseEnv({ TRUST_PROXY: '300.1.1.1' })).toThrow(/不是有效的地址或网段/);
    expect(() => parseEnv({ TRUST_PROXY: '0' })).toThrow(/代理层数应在1到10之间/);
  });
});

describe('TRUST_PROXY behaviour: the client address comes from X-Forwarded-For only through a trusted peer', () => {
  let database: Database;
  type App = Awaited<ReturnType<typeof buildApp>>;
  let plain: App, listed: App, hops: App;
  beforeAll(async () => {
    database = await freshDatabase();
    const app = (trustProxy?: false | number | string[]) =>
      buildApp({ database, config: { passwordCost: TEST_COST, loginRatePerMinute: 3, trustProxy } });
    [plain, listed, hops] = await Promise.all([app(), app(['10.0.0.5', '198.51.100.0/24']), app(1)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([plain, listed, hops].map((a) => a?.close()));
    await database?.close();
  });

  const attempt = (app: App, remoteAddress: string, xff?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'x' },
      remoteAddress,
      headers: xff ? { 'x-forwarded-for': xff } : {},
    });
  /** The address one failed login was counted against (login_attempts.ip is req.ip). */
  const seenIp = async (app: App, remoteAddress: string, xff?: string) => {
    await database.db.execute(sql`delete from login_attempts`);
    expect((await attempt(app, remoteAddress, xff)).statusCode).toBe(401);
    const rows = await queryRows<{ ip: string }>(database.db, sql`select ip from login_attempts`);
    expect(rows).toHaveLength(1);
    return rows[0]!.ip;
  };

  it('default (unset): the header is ignored, the socket address counts', async () => {
    expect(await seenIp(plain, '198.51.100.7', '203.0.113.1')).toBe('198.51.100.7');
    expect(await seenIp(plain, '127.0.0.1', '203.0.113.1')).toBe('127.0.0.1');
  });

  it('listed proxies (addresses, CIDRs): the header is believed from them, and only from them', async () => {
    expect(await seenIp(listed, '10.0.0.5', '203.0.113.1')).toBe('203.0.113.1');
    // A forged entry before the real client is not taken: the first untrusted address from the right counts.
    expect(await seenIp(listed, '10.0.0.5', '6.6.6.6, 203.0.113.1')).toBe('203.0.113.1');
    expect(await seenIp(listed, '198.51.100.200', '203.0.113.2')).toBe('203.0.113.2');
    expect(await seenIp(listed, '10.0.0.6', '203.0.113.1')).toBe('10.0.0.6');
    expect(await seenIp(listed, '127.0.0.1', '203.0.113.1')).toBe('127.0.0.1');
  });

  it('hop count 1: the last forwarded address is the client', async () => {
    expect(await seenIp(hops, '10.0.0.5', '6.6.6.6, 203.0.113.3')).toBe('203.0.113.3');
  });

  it('a client rotating X-Forwarded-For cannot dodge the per-address login limit when its peer is not a trusted proxy', async () => {
    await database.db.execute(sql`delete from login_attempts`);
    const codes = [];
    for (let i = 1; i <= 4; i++) codes.push((await attempt(plain, '198.51.100.9', `203.0.113.${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    // The same requests through a peer that IS a trusted proxy are four different clients: none limited.
    await database.db.execute(sql`delete from login_attempts`);
    const through = [];
    for (let i = 1; i <= 4; i++) through.push((await attempt(listed, '198.51.100.9', `203.0.113.${i}`)).statusCode);
    expect(through).toEqual([401, 401, 401, 401]);
  });
});

/**
 * Needs PostgreSQL (PGlite is one process by construction): the suite's server when TEST_DATABASE_URL is set,
 * else a throwaway one from bench/lib/pg-server.ts when PostgreSQL 15 is installed.
 */
const pgAvailable = Boolean(process.env.TEST_DATABASE_URL) || existsSync(`${PG_BIN}/initdb`);
describe.runIf(pgAvailable)('concurrent boot on one PostgreSQL (advisory lock in db/boot.ts)', () => {
  let server: PgServer | null = null;
  let baseUrl: string;
  const created: string[] = [];
  beforeAll(async () => {
    if (process.env.TEST_DATABASE_URL) baseUrl = process.env.TEST_DATABASE_URL;
    else baseUrl = (server = await startPostgres()).url;
  }, 120_000);
  afterAll(async () => {
    if (server) return server.dispose();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  /** An empty database (no template: the race is about migrating and seeding from nothing). */
  const emptyDatabase = async () => {
    const name = `shuping_boot_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    created.push(name);
    return withDatabase(baseUrl, name);
  };

  it('two processes starting at once on an empty database: both boot, migrations and demo seed happen once', async () => {
    const url = await emptyDatabase();
    // Pool of 1 on one side: the lock must not hold the pool's only connection while migrate() needs one.
    const [a, b] = await Promise.all([openPostgres(url, 1), openPostgres(url, 3)]);
    try {
      const now = new Date('2026-01-05T02:00:00Z');
      const opts = { databaseUrl: url, seedDemo: 'auto' as const, now, passwordCost: TEST_COST };
      const results = await Promise.all([prepareDatabase(a, opts), prepareDatabase(b, opts)]);
      const seeded = results.map((r) => r.seeded).filter((n) => n !== null);
      expect(seeded).toHaveLength(1);
      const count = async (q: ReturnType<typeof sql>) => Number((await queryRows<{ n: number }>(a.db, q))[0]!.n);
      expect(await count(sql`select count(*)::int as n from organizations`)).toBe(seeded[0]);
      expect(await count(sql`select count(*)::int as n from organizations`)).toBeGreaterThan(10);
      // Last year's round (closed) and this year's (demo-round.ts).
      expect(await count(sql`select count(*)::int as n from campaigns where parent_id is null`)).toBe(2);
      const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
        entries: unknown[];
      };
      expect(await count(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)).toBe(
        journal.entries.length,
      );
      // A third start later finds everything in place and changes nothing.
      const before = await count(sql`select count(*)::int as n from users`);
      expect((await prepareDatabase(b, opts)).seeded).toBeNull();
      expect(await count(sql`select count(*)::int as n from users`)).toBe(before);
    } finally {
      await a.close();
      await b.close();
    }
  }, 180_000);
});
