// Backup and restore proof (issue 8, decision 014): the demo database and a larger generated one, on PGlite and on a
// throwaway PostgreSQL 15. For each: backup seconds and MB, restore seconds (including the recomputed manifest), whether
// every table matched, and the baseline measured in the same run — a plain copy of the same bytes (the backup file; for
// PGlite also `cp -r` of the data directory, the naive "stop and copy" backup).
//   npx tsx bench/backup.bench.ts              (BACKUP_BENCH_ROWS=100000 generated organizations + secretaries)
//   BACKUP_BENCH_ONLY=pglite|postgres, BACKUP_BENCH_ROWS=N
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { createBackup } from '../src/server/backup/backup';
import { restoreBackup } from '../src/server/backup/restore';
import type { Store } from '../src/server/backup/store';
import { type Database, openPglite, openPostgres } from '../src/server/db/connect';
import { seedDemo, seedDemoCampaign } from '../src/server/db/demo-seed';
import { withPostgres } from './lib/pg-server';

const ROWS = Number(process.env.BACKUP_BENCH_ROWS ?? 100_000);
const ONLY = process.env.BACKUP_BENCH_ONLY;
const env = { PATH: process.env.PATH, PG_BIN_DIR: process.env.PG_BIN_DIR } as NodeJS.ProcessEnv;
const work = mkdtempSync(path.join(os.tmpdir(), 'shuping-backup-bench-'));
const MB = (b: number) => (b / 1024 / 1024).toFixed(1);
const seconds = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const v = await fn();
  return [v, (performance.now() - t) / 1000];
};
const du = (dir: string) => Number(execFileSync('du', ['-sb', dir]).toString().split('\t')[0]);
let failed = false;

async function seed(database: Database, label: string) {
  const [, s] = await seconds(async () => {
    await database.migrate();
    await seedDemo(database.db, { now: new Date() });
    await seedDemoCampaign(database.db, { now: new Date() });
  });
  console.log(`[${label}] demo seeded in ${s.toFixed(1)} s`);
}

async function grow(database: Database, label: string) {
  const [, s] = await seconds(async () => {
    await database.db.execute(sql`insert into organizations (name, code, kind, sector, level, path, depth)
      select '生成党支部' || g, 'GEN-' || g, 'branch', 'rural', 'grassroots', '/', 0 from generate_series(1, ${ROWS}) g`);
    await database.db.execute(sql`update organizations set path = '/' || id || '/' where code like 'GEN-%'`);
    await database.db.execute(sql`insert into secretaries (org_id, name, position, phone, tenure_start)
      select id, '生成书记' || id, '书记', '13800000000', '2020-01-01' from organizations where code like 'GEN-%'`);
  });
  console.log(`[${label}] +${ROWS} organizations and ${ROWS} secretaries in ${s.toFixed(1)} s`);
}

async function measure(engine: string, size: string, store: Store, target: () => Promise<Store>) {
  const out = path.join(work, `${engine}-${size}.tar`);
  const [b, backupS] = await seconds(() => createBackup({ store, out, env }));
  const [, copyS] = await seconds(() => copyFileSync(out, `${out}.copy`));
  rmSync(`${out}.copy`);
  let dirNote = '';
  if (store.kind === 'pglite') {
    const [, cpS] = await seconds(() => execFileSync('cp', ['-r', store.dataDir, `${store.dataDir}.copy`]));
    dirNote = `; data dir ${MB(du(store.dataDir))} MB, cp -r ${cpS.toFixed(2)} s (backup/cp -r ×${(backupS / cpS).toFixed(1)})`;
    rmSync(`${store.dataDir}.copy`, { recursive: true, force: true });
  }
  const dest = await target();
  const [r, restoreS] = await seconds(() => restoreBackup({ store: dest, file: out, env }));
  const rows = b.manifest.database.tables.reduce((n, t) => n + t.rows, 0);
  const bad = r.comparisons.filter((c) => !c.ok);
  if (bad.length) failed = true;
  console.log(
    `${engine.padEnd(8)} ${size.padEnd(6)} ${String(rows).padStart(8)} rows  file ${MB(b.bytes).padStart(6)} MB  ` +
      `backup ${backupS.toFixed(2).padStart(6)} s  restore ${restoreS.toFixed(2).padStart(6)} s  copy of the file ${copyS.toFixed(3)} s  ` +
      `backup/copy ×${(backupS / copyS).toFixed(0)}  restore/copy ×${(restoreS / copyS).toFixed(0)}${dirNote}  ` +
      `${bad.length ? `MISMATCH ${bad.map((c) => c.item).join(', ')}` : `all ${r.comparisons.length} checks match`}`,
  );
  rmSync(out);
}

console.log(
  `backup bench: BACKUP_BENCH_ROWS=${ROWS}; load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.cpus().length} cores`,
);
try {
  if (ONLY !== 'postgres') {
    const dataDir = path.join(work, 'pglite-src');
    const store: Store = { kind: 'pglite', dataDir, filesDir: path.join(work, 'files-src') };
    let n = 0;
    const target = async (): Promise<Store> => ({
      kind: 'pglite',
      dataDir: path.join(work, `pglite-dst-${++n}`),
      filesDir: path.join(work, `files-dst-${n}`),
    });
    let database = await openPglite(dataDir);
    await seed(database, 'pglite');
    await database.close();
    writeFileSync(path.join(dataDir, 'ballot-code.key'), 'ab'.repeat(32), { mode: 0o600 });
    await measure('pglite', 'demo', store, target);
    database = await openPglite(dataDir);
    await grow(database, 'pglite');
    await database.close();
    await measure('pglite', 'large', store, target);
  }
  if (ONLY !== 'pglite') {
    await withPostgres(async (url) => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      let n = 0;
      const newDb = async () => {
        const name = `bench_${++n}`;
        await admin.query(`create database ${name}`);
        const u = new URL(url);
        u.pathname = `/${name}`;
        return u.toString();
      };
      const keys = path.join(work, 'pg-keys');
      const srcUrl = await newDb();
      const store: Store = { kind: 'postgres', url: srcUrl, dataDir: keys, filesDir: path.join(work, 'pg-files') };
      const target = async (): Promise<Store> => ({
        kind: 'postgres',
        url: await newDb(),
        dataDir: path.join(work, `pg-keys-dst-${n}`),
        filesDir: path.join(work, `pg-files-dst-${n}`),
      });
      const database = await openPostgres(srcUrl, 4);
      try {
        await seed(database, 'postgres');
        execFileSync('mkdir', ['-p', keys]);
        writeFileSync(path.join(keys, 'ballot-code.key'), 'ab'.repeat(32), { mode: 0o600 });
        await measure('postgres', 'demo', store, target);
        await grow(database, 'postgres');
        await measure('postgres', 'large', store, target);
      } finally {
        await database.close();
        await admin.end();
      }
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
