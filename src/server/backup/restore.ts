// `npm run restore -- <file>`: checks the whole file first, refuses a non-empty target unless forced, restores the
// database and the key files, then recomputes the manifest on the restored data and compares it table by table.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite } from '../db/connect';
import { claimDataDir, LOCK_FILE } from '../db/data-dir-lock';
import {
  BackupError,
  extractEntry,
  hashEntry,
  listTar,
  MANIFEST,
  MANIFEST_SUM,
  readEntry,
  type TarEntry,
} from './archive';
import { connectOrExplain, PGDUMP_ENTRY, PGLITE_ENTRY } from './backup';
import {
  type Comparison,
  compareSums,
  type DataSums,
  type Manifest,
  migrationIndex,
  pgClientRunner,
  pgliteRunner,
  readSums,
} from './manifest';
import { findPgTool, libpqTarget, runTool, runToolOutput } from './pg-tools';
import { compareFiles, referencedFiles, restoreFiles } from './files';
import { checkEnvSecrets, planSecrets } from './secrets';
import { pgliteVersion, type Store } from './store';

const REFUSED = '已拒绝恢复，数据未作任何改动';

export interface OpenedBackup {
  file: string;
  manifest: Manifest;
  entries: Map<string, TarEntry>;
}

/** Reads and fully verifies a backup file: tar structure, manifest hash, then every entry's size and SHA-256. */
export function openBackup(file: string): OpenedBackup {
  if (!existsSync(file)) throw new BackupError(`备份文件 ${file} 不存在`);
  const list = listTar(file);
  const entries = new Map(list.map((e) => [e.name, e]));
  const m = entries.get(MANIFEST);
  const sum = entries.get(MANIFEST_SUM);
  if (!m || !sum) {
    throw new BackupError(
      list.length && !m
        ? `备份文件不完整（缺少 ${MANIFEST}，可能被截断），${REFUSED}`
        : `该文件不是本系统的备份文件（缺少 ${MANIFEST}），${REFUSED}`,
    );
  }
  const json = readEntry(file, m);
  const expected = readEntry(file, sum).toString('utf8').trim().split(/\s+/)[0];
  if (createHash('sha256').update(json).digest('hex') !== expected) {
    throw new BackupError(`备份文件已损坏或被改动：${MANIFEST} 与其校验和不符，${REFUSED}`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(json.toString('utf8')) as Manifest;
  } catch {
    throw new BackupError(`备份文件已损坏：${MANIFEST} 不是有效的 JSON，${REFUSED}`);
  }
  if (manifest.format !== 'shupingkao-backup' || (manifest.formatVersion !== 1 && manifest.formatVersion !== 2)) {
    throw new BackupError(
      `不支持的备份格式（${String(manifest.format)} v${String(manifest.formatVersion)}），请使用生成该备份的程序版本恢复`,
    );
  }
  for (const f of manifest.files) {
    const e = entries.get(f.name);
    if (!e) throw new BackupError(`备份文件不完整：缺少 ${f.name}，${REFUSED}`);
    if (e.size !== f.bytes || hashEntry(file, e) !== f.sha256) {
      throw new BackupError(`备份文件已损坏或被改动：${f.name} 的校验和与清单不符，${REFUSED}`);
    }
  }
  return { file, manifest, entries };
}

export interface RestoreOptions {
  store: Store;
  file: string;
  /** Replace a non-empty target (its data is dropped; a PGlite directory is moved aside). */
  force?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Progress lines for the operator. */
  log?: (line: string) => void;
}

export interface RestoreResult {
  ok: boolean;
  comparisons: Comparison[];
  warnings: string[];
  seconds: number;
  manifest: Manifest;
  restored: DataSums;
  /** Where the replaced PGlite directory was moved (only with force). */
  movedAside?: string;
}

export async function restoreBackup(o: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now();
  const env = o.env ?? process.env;
  const log = o.log ?? (() => {});
  const b = openBackup(path.resolve(o.file));
  const { manifest } = b;
  log(
    `备份文件校验通过：创建于 ${manifest.createdAt}，程序版本 ${manifest.app.version}${manifest.app.commit ? `（${manifest.app.commit}）` : ''}，${manifest.database.tables.length} 张表`,
  );
  if (manifest.engine.kind !== o.store.kind) {
    const from = manifest.engine.kind === 'pglite' ? '内置 PGlite' : 'PostgreSQL';
    const to = o.store.kind === 'pglite' ? '内置 PGlite（未设置 DATABASE_URL）' : 'PostgreSQL（已设置 DATABASE_URL）';
    throw new BackupError(`该备份来自${from}，而当前配置为${to}；请使用与备份相同的数据库类型恢复`);
  }
  const warnings: string[] = [];
  if (manifest.database.migration.last && migrationIndex(manifest.database.migration.last) < 0) {
    warnings.push(
      `备份的数据库迁移版本 ${manifest.database.migration.last} 比本程序新：请先把程序升级到不低于 ${manifest.app.version}${manifest.app.commit ? `（${manifest.app.commit}）` : ''} 的版本再启动服务`,
    );
  }
  const plan = planSecrets(manifest.secrets, o.store.dataDir);
  const conflicting = plan.filter((p) => p.action === 'replace');
  const envCheck = checkEnvSecrets(manifest.secrets, env);
  warnings.push(...envCheck.warnings);

  let restored: DataSums;
  let referenced: string[];
  let movedAside: string | undefined;
  if (o.store.kind === 'pglite') {
    const dataDir = o.store.dataDir;
    let release = claimDataDir(dataDir, 'restore');
    try {
      const keyNames = new Set(plan.filter((p) => p.action === 'same').map((p) => p.name));
      const present = readdirSync(dataDir).filter((n) => n !== LOCK_FILE && !keyNames.has(n));
      if (present.length && !o.force) {
        throw new BackupError(
          `目标数据目录 ${dataDir} 不是空的（${present.length} 项，如 ${present.slice(0, 3).join('、')}）。` +
            `恢复会替换其中的数据库和密钥；确认替换请加 --force（原目录会改名保留在旁边）。${REFUSED}`,
        );
      }
      if (present.length) {
        // Moved, not deleted: a wrong --force is undone by moving it back.
        movedAside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
        renameSync(dataDir, movedAside);
        rmSync(path.join(movedAside, LOCK_FILE), { force: true });
        release();
        release = claimDataDir(dataDir, 'restore');
        log(`原数据目录已改名保留：${movedAside}`);
      }
      if (manifest.engine.pglite && manifest.engine.pglite !== pgliteVersion()) {
        warnings.push(`备份来自 PGlite ${manifest.engine.pglite}，本机为 PGlite ${pgliteVersion()}`);
      }
      const dump = readEntry(b.file, b.entries.get(PGLITE_ENTRY)!);
      try {
        const loaded = await openPglite(dataDir, new Blob([dump as unknown as Uint8Array<ArrayBuffer>]));
        await loaded.close();
      } catch (e) {
        throw new BackupError(
          `载入内置数据库失败：${(e as Error).message}。备份来自 ${manifest.engine.serverVersion.split(' on ')[0]}，` +
            `本机为 PGlite ${pgliteVersion()}；请使用与备份相同版本的程序恢复。数据目录 ${dataDir} 可能已写入一部分，重试前请清空或加 --force`,
        );
      }
      // The dump carries the lock file of the process that made it; ours must be the one in place.
      release();
      rmSync(path.join(dataDir, LOCK_FILE), { force: true });
      release = claimDataDir(dataDir, 'restore');
      writeSecrets(b, dataDir, !!o.force);
      restoreFiles(b.file, b.entries, o.store.filesDir);
      // Reopened from disk, so the figures prove what the server will find there.
      const database = await openPglite(dataDir);
      try {
        restored = await readSums(pgliteRunner(database.pglite!));
        referenced = await referencedFiles(pgliteRunner(database.pglite!));
      } finally {
        await database.close();
      }
    } finally {
      release();
    }
  } else {
    const client = new pg.Client({ connectionString: o.store.url, application_name: 'shuping-restore' });
    client.on('error', () => {
      /* surfaced by the failing query */
    });
    await connectOrExplain(client, o.store.url);
    let tmp: string | null = null;
    try {
      const [rel] = (
        await client.query<{ n: string; sample: string | null }>(
          `select count(*)::text as n, string_agg(n.nspname || '.' || c.relname, '、' order by c.relname) filter (where c.relkind = 'r') as sample
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind in ('r', 'p', 'v', 'm', 'S') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'`,
        )
      ).rows;
      const objects = Number(rel!.n);
      if ((objects > 0 || conflicting.length) && !o.force) {
        const what =
          objects > 0
            ? `目标数据库不是空的（${objects} 个表/序列/视图，如 ${(rel!.sample ?? '').split('、').slice(0, 3).join('、')}）`
            : `目标机器上已有不同的密钥文件（${conflicting.map((c) => c.name).join('、')}）`;
        throw new BackupError(`${what}。恢复会删除并替换这些数据；确认替换请加 --force。${REFUSED}`);
      }
      const [v] = (await client.query<{ n: string }>(`select current_setting('server_version_num') as n`)).rows;
      const targetMajor = Math.floor(Number(v!.n) / 10000);
      const sourceMajor = Math.floor(manifest.engine.serverVersionNum / 10000);
      if (targetMajor < sourceMajor)
        warnings.push(`目标服务器为 PostgreSQL ${targetMajor}，低于备份来源 ${sourceMajor}，可能有对象无法创建`);
      const tool = findPgTool('pg_restore', manifest.engine.dumpToolMajor ?? 0, env);
      tmp = mkdtempSync(path.join(os.tmpdir(), 'shuping-restore-'));
      const dumpFile = path.join(tmp, 'db.pgdump');
      extractEntry(b.file, b.entries.get(PGDUMP_ENTRY)!, dumpFile);
      // COMMENT ON EXTENSION needs the extension's owner; left out so a database owner who is not superuser can restore.
      const list = runToolOutput(tool.path, ['-l', dumpFile])
        .split('\n')
        .filter((l) => !/ COMMENT - EXTENSION /.test(l))
        .join('\n');
      const listFile = path.join(tmp, 'list');
      writeFileSync(listFile, list);
      if (objects > 0) {
        log('按 --force 删除目标数据库中的现有数据……');
        const schemas = (
          await client.query<{ s: string }>(
            `select nspname as s from pg_namespace where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'`,
          )
        ).rows.map((r) => r.s);
        await client.query('begin');
        for (const s of schemas) await client.query(`drop schema "${s.replace(/"/g, '""')}" cascade`);
        await client.query('create schema public');
        await client.query('commit');
      }
      const target = libpqTarget(o.store.url);
      log(`正在用 ${tool.path}（PostgreSQL ${tool.major}）恢复数据库……`);
      await runTool(
        tool.path,
        [
          '--no-owner',
          '--no-privileges',
          '--exit-on-error',
          '--single-transaction',
          '-L',
          listFile,
          '-d',
          target.dbname,
          dumpFile,
        ],
        target.env,
      );
      // pg_restore leaves planner statistics empty; the first queries after a restore would otherwise plan blind.
      await client.query('analyze');
      writeSecrets(b, o.store.dataDir, !!o.force);
      restoreFiles(b.file, b.entries, o.store.filesDir);
      restored = await readSums(pgClientRunner(client));
      referenced = await referencedFiles(pgClientRunner(client));
    } finally {
      await client.end().catch(() => {});
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  }
  const comparisons = [
    ...compareSums(manifest.database, restored),
    compareFiles(referenced, o.store.filesDir, manifest.attachments),
    ...envCheck.comparisons,
  ];
  return {
    ok: comparisons.every((c) => c.ok),
    comparisons,
    warnings,
    seconds: (Date.now() - started) / 1000,
    manifest,
    restored,
    movedAside,
  };
}

/** Key files into DATA_DIR (0600); a different key already there was refused above unless forced, and is kept aside. */
function writeSecrets(b: OpenedBackup, dataDir: string, force: boolean) {
  mkdirSync(dataDir, { recursive: true });
  // Planned again here: a PGlite dump already brought the files of its own directory back.
  const plan = planSecrets(b.manifest.secrets, dataDir);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  for (const p of plan) {
    const target = path.join(dataDir, p.name);
    if (p.action === 'replace') {
      if (!force) throw new BackupError(`目标机器上已有不同的密钥文件 ${target}；确认替换请加 --force`);
      renameSync(target, `${target}.replaced-${stamp}`);
    }
    const data = readEntry(b.file, b.entries.get(p.entry)!);
    if (existsSync(target)) unlinkSync(target);
    writeFileSync(target, data, { mode: 0o600 });
  }
}
