// `npm run backup`: one file holding the database dump, the key files and a manifest (decision 014).
import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openPglite } from '../db/connect';
import { claimDataDir } from '../db/data-dir-lock';
import { BackupError, MANIFEST, MANIFEST_SUM, TarWriter } from './archive';
import {
  type DataSums,
  latestMigration,
  type Manifest,
  pgClientRunner,
  pgliteRunner,
  readSums,
  sumsInTransaction,
} from './manifest';
import { findPgTool, libpqTarget, runTool } from './pg-tools';
import { addFiles, referencedFiles } from './files';
import { collectSecrets } from './secrets';
import { appVersion, pgliteVersion, type Store } from './store';

export const PGLITE_ENTRY = 'database/pglite-datadir.tar.gz';
export const PGDUMP_ENTRY = 'database/postgres.pgdump';

export interface BackupOptions {
  store: Store;
  out: string;
  /** Where the key variables (BALLOT_CODE_SECRET, AUDIT_CHAIN_KEY) and PG_BIN_DIR are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface BackupResult {
  file: string;
  bytes: number;
  seconds: number;
  manifest: Manifest;
}

export const defaultBackupName = (now = new Date()) =>
  `shupingkao-backup-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}.tar`;

export async function createBackup(o: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const env = o.env ?? process.env;
  const out = path.resolve(o.out);
  if (existsSync(out)) throw new BackupError(`目标文件 ${out} 已存在，不覆盖已有备份；请换一个文件名`);
  // Built beside the target and renamed at the end: a crash mid-way never leaves a file that looks like a backup.
  const partial = `${out}.partial-${process.pid}`;
  const dumpFile = `${partial}.pgdump`;
  const secrets = collectSecrets(o.store.dataDir, env);
  let tar: TarWriter | null = null;
  try {
    let sums: DataSums;
    let engine: Manifest['engine'];
    let referenced: string[];
    if (o.store.kind === 'pglite') {
      const dataDir = o.store.dataDir;
      if (!existsSync(path.join(dataDir, 'PG_VERSION')))
        throw new BackupError(`数据目录 ${dataDir} 中没有数据库（缺少 PG_VERSION），请检查 DATA_DIR`);
      // Refuses while the server (or another backup) has the directory open: PGlite is single-process.
      const release = claimDataDir(dataDir, 'backup');
      try {
        const database = await openPglite(dataDir);
        try {
          const p = database.pglite!;
          sums = await readSums(pgliteRunner(p));
          referenced = await referencedFiles(pgliteRunner(p));
          const [v] = (
            await p.query<{ v: string; n: string }>(`select version() as v, current_setting('server_version_num') as n`)
          ).rows;
          engine = { kind: 'pglite', serverVersion: v!.v, serverVersionNum: Number(v!.n), pglite: pgliteVersion() };
          const dump = await p.dumpDataDir('gzip');
          tar = new TarWriter(partial);
          tar.addBuffer(PGLITE_ENTRY, Buffer.from(await dump.arrayBuffer()));
        } finally {
          await database.close();
        }
      } finally {
        release();
      }
    } else {
      const client = new pg.Client({ connectionString: o.store.url, application_name: 'shuping-backup' });
      client.on('error', () => {
        /* surfaced by the failing query */
      });
      await connectOrExplain(client, o.store.url);
      try {
        const [v] = (
          await client.query<{ v: string; n: string }>(
            `select version() as v, current_setting('server_version_num') as n`,
          )
        ).rows;
        const num = Number(v!.n);
        const tool = findPgTool('pg_dump', Math.floor(num / 10000), env);
        // pg_dump is online-consistent on its own; exporting our snapshot to it makes the manifest describe exactly
        // the rows it dumps, even while the app keeps writing.
        await client.query('begin isolation level repeatable read read only');
        const [snap] = (await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows;
        const target = libpqTarget(o.store.url);
        const [s] = await Promise.all([
          sumsInTransaction(pgClientRunner(client)),
          runTool(
            tool.path,
            ['-Fc', '--no-sync', `--snapshot=${snap!.s}`, '-f', dumpFile, '-d', target.dbname],
            target.env,
          ),
        ]);
        // In the dump's snapshot: the files its rows name (each was on disk before its row committed).
        referenced = await referencedFiles(pgClientRunner(client));
        await client.query('commit');
        sums = s;
        engine = { kind: 'postgres', serverVersion: v!.v, serverVersionNum: num, dumpToolMajor: tool.major };
      } finally {
        await client.end().catch(() => {});
      }
      tar = new TarWriter(partial);
      tar.addFile(PGDUMP_ENTRY, dumpFile);
      rmSync(dumpFile, { force: true });
    }
    for (const s of secrets) if (s.data) tar.addBuffer(s.info.entry!, s.data);
    const attachments = addFiles(tar, o.store.filesDir, referenced);
    const manifest: Manifest = {
      format: 'shupingkao-backup',
      formatVersion: 2,
      createdAt: new Date().toISOString(),
      app: { ...appVersion(), latestMigration: latestMigration() },
      engine,
      database: sums,
      files: [...tar.written],
      secrets: secrets.map((s) => s.info),
      attachments,
    };
    const json = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
    tar.addBuffer(MANIFEST, json);
    tar.addBuffer(MANIFEST_SUM, Buffer.from(`${createHash('sha256').update(json).digest('hex')}  ${MANIFEST}\n`));
    tar.close();
    renameSync(partial, out);
    return { file: out, bytes: statSync(out).size, seconds: (Date.now() - started) / 1000, manifest };
  } catch (e) {
    tar?.abort();
    rmSync(partial, { force: true });
    rmSync(dumpFile, { force: true });
    throw e;
  }
}

/** A connection error worded for the operator (wrong URL, server down, database missing). */
export async function connectOrExplain(client: pg.Client, url: string) {
  try {
    await client.connect();
  } catch (e) {
    const err = e as { code?: string; message: string };
    const u = new URL(url);
    if (err.code === '3D000') {
      throw new BackupError(
        `数据库 ${u.pathname.slice(1)} 不存在。请先创建一个空数据库（如 createdb -h ${u.hostname} -p ${u.port || 5432} -U ${u.username || 'postgres'} ${u.pathname.slice(1)}），再恢复`,
      );
    }
    throw new BackupError(`无法连接 PostgreSQL（${u.hostname}:${u.port || 5432}）：${err.message}`);
  }
}
