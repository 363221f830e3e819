// How long the first `npm start` spends loading the demo (issue 16): migrations, the organization tree and accounts,
// last year's round, this year's round under way — on PGlite in a fresh data directory, as `npm start` does, and on a
// throwaway PostgreSQL 15. The same-run baseline is the migration of the empty database, so loaded machines compare.
// The app's modules are loaded before timing (main.ts loads them right after the seed in any case).
//   npx tsx bench/demo-seed.bench.ts            (DEMO_BENCH_ONLY=pglite|postgres, DEMO_BENCH_RUNS=3)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Database, openPglite, openPostgres } from '../src/server/db/connect';
import { demoCalendar, seedDemoLastYear, seedDemoYear } from '../src/server/db/demo-round';
import { seedDemo } from '../src/server/db/demo-seed';
import { withPostgres } from './lib/pg-server';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);
process.env.AUDIT_CHAIN_KEY ??= 'cd'.repeat(32);
// main.ts loads every module for the app right after the seed anyway: load them first, so what is timed is the seed.
await import('../src/server/app');
const ONLY = process.env.DEMO_BENCH_ONLY;
const RUNS = Number(process.env.DEMO_BENCH_RUNS ?? 3);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

async function once(open: () => Promise<Database>) {
  const database = await open();
  try {
    const now = new Date();
    const [, migrate] = await timed(() => database.migrate());
    const [, orgs] = await timed(() => seedDemo(database.db, { now }));
    const cal = demoCalendar(now);
    const [, lastYear] = await timed(() => seedDemoLastYear(database.db, cal));
    const [, thisYear] = await timed(() => seedDemoYear(database.db, cal, { living: database }));
    return { migrate, orgs, lastYear, thisYear, seed: orgs + lastYear + thisYear };
  } finally {
    await database.close();
  }
}

const ms = (n: number) => `${Math.round(n)} ms`;
async function report(label: string, open: () => Promise<Database>) {
  const runs: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(open));
  const median = (k: keyof (typeof runs)[number]) =>
    runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  console.log(
    `[${label}] median of ${RUNS}: migrate ${ms(median('migrate'))} (baseline), organizations and accounts ${ms(median('orgs'))}, ` +
      `last year ${ms(median('lastYear'))}, this year ${ms(median('thisYear'))}; demo seed ${ms(median('seed'))} = ` +
      `${(median('seed') / median('migrate')).toFixed(2)} × migrate`,
  );
}

if (ONLY !== 'postgres') {
  await report('pglite', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shuping-demo-bench-'));
    const db = await openPglite(dir);
    const close = db.close;
    db.close = async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    };
    return db;
  });
}
if (ONLY !== 'pglite') {
  await withPostgres(async (url) => {
    let n = 0;
    await report('postgres', async () => {
      const { default: pg } = await import('pg');
      const name = `demo_bench_${n++}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(url);
      u.pathname = `/${name}`;
      return openPostgres(u.toString(), 10);
    });
  });
}
