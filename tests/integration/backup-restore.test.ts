// npm run backup / restore (decision 014) on the test database kind in use: PGlite directories by default, or two
// databases on the TEST_DATABASE_URL server. Real data comes in through the routes (ballot world, a round, votes, a
// report attachment — a file under FILES_DIR since decision 021).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { listTar } from '../../src/server/backup/archive';
import { createBackup, type BackupResult } from '../../src/server/backup/backup';
import { type DataSums, pgClientRunner, pgliteRunner, readSums } from '../../src/server/backup/manifest';
import { restoreBackup } from '../../src/server/backup/restore';
import type { Store } from '../../src/server/backup/store';
import { type Database, openPglite, openPostgres } from '../../src/server/db/connect';
import { TEST_COST, signIn } from '../factories';
import { withDatabase } from '../setup/global';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE } from '../setup/paths';
import { buildBallotWorld, roundWithCodes, vote } from './ballots-fixtures';
import { upload } from './reports-helpers';

const PG_URL = process.env.TEST_DATABASE_URL;
const BALLOT_KEY = 'ab'.repeat(32);
const AUDIT_KEY = 'cd'.repeat(32);
// Keys come from the files under DATA_DIR here; a variable in the restore's env is checked against them.
const cleanEnv = { PATH: process.env.PATH } as NodeJS.ProcessEnv;
const work = mkdtempSync(path.join(tmpdir(), 'spk-backup-'));
const dropLater: string[] = [];

interface Side {
  store: Store;
  open(): Promise<Database>;
}

/** An empty directory / empty database. */
async function emptySide(): Promise<Side> {
  return (await side(false)).side;
}

/** A copy of the migrated test template, returned open (opening PGlite costs seconds on a loaded machine). */
async function migratedSide(): Promise<{ side: Side; database: Database }> {
  const r = await side(true);
  return { side: r.side, database: r.database ?? (await r.side.open()) };
}

async function side(migrated: boolean): Promise<{ side: Side; database?: Database }> {
  const dataDir = mkdtempSync(path.join(work, 'data-'));
  const filesDir = mkdtempSync(path.join(work, 'files-'));
  if (!PG_URL) {
    const database = migrated ? await openPglite(dataDir, new Blob([readFileSync(PGLITE_TEMPLATE)])) : undefined;
    return { side: { store: { kind: 'pglite', dataDir, filesDir }, open: () => openPglite(dataDir) }, database };
  }
  const name = `shuping_bk_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}${migrated ? ` template ${PG_TEMPLATE_DB}` : ''}`);
  await admin.end();
  dropLater.push(name);
  const url = withDatabase(PG_URL, name);
  return { side: { store: { kind: 'postgres', url, dataDir, filesDir }, open: () => openPostgres(url, 5) } };
}

/** The figures through an open database (PGlite's engine, or one connection of the pool). */
async function sumsOn(d: Database): Promise<DataSums> {
  if (d.pglite) return readSums(pgliteRunner(d.pglite));
  const c = await (d.db as unknown as { $client: pg.Pool }).$client.connect();
  try {
    return await readSums(pgClientRunner(c));
  } finally {
    c.release();
  }
}

async function sumsOf(s: Side): Promise<DataSums> {
  const d = await s.open();
  try {
    return await sumsOn(d);
  } finally {
    await d.close();
  }
}

/** Every file under a directory with its size and modification time. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = path.join(prefix, e.name);
      if (e.isDirectory()) return tree(dir, rel);
      const st = statSync(path.join(dir, rel));
      return [`${rel} ${st.size} ${st.mtimeMs}`];
    })
    .sort();
}

let source: Side;
let backup: BackupResult;
let adminUsername: string;
let secretaryUsername: string;
let before: DataSums;
let inboxTable: string;
const slides = randomBytes(1536 * 1024);
const slidesSha = createHash('sha256').update(slides).digest('hex');
let attachmentUrl: string;

beforeAll(async () => {
  const made = await migratedSide();
  source = made.side;
  const database = made.database;
  const app = await buildApp({ database, config: { passwordCost: TEST_COST, filesDir: source.store.filesDir } });
  try {
    const w = await buildBallotWorld(database.db, app);
    adminUsername = w.users.admin.username;
    secretaryUsername = w.users.secretary.username;
    const report = await w.sessions.secretary.post('/api/reports/open', { reporterId: w.r1.id });
    expect(report.statusCode, report.body).toBe(200);
    const added = await upload(
      w.sessions.secretary,
      `/api/reports/${report.json().id}/attachments`,
      slides,
      '汇报幻灯片.pptx',
    );
    expect(added.statusCode, added.body).toBe(200);
    attachmentUrl = `/api/reports/${report.json().id}/attachments/${added.json().id}`;
    // Five phones at once (the minimum group): a batch of 15 ballots stored in the round's inbox while voting is
    // still open — a backup taken during voting must carry them (decision 017).
    const { round, codes } = await roundWithCodes(database.db, w, { codes: { committee: 6 } });
    inboxTable = `public.ballot_inbox_r${round.id}`;
    const res = await Promise.all(
      codes.committee!.slice(0, 5).map((code) =>
        vote(app, {
          code,
          roomCode: round.roomCode,
          ballots: w.reporters.map((r) => ({
            reporterId: r.id,
            grade: 'good',
            problems: '问题：“引号”\n换行 \\ 反斜杠',
          })),
        }),
      ),
    );
    expect(res.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    before = await sumsOn(database);
  } finally {
    await app.close();
    await database.close();
  }
  writeFileSync(path.join(source.store.dataDir, 'ballot-code.key'), `${BALLOT_KEY}\n`, { mode: 0o600 });
  writeFileSync(path.join(source.store.dataDir, 'audit-chain.key'), AUDIT_KEY, { mode: 0o600 });
  backup = await createBackup({ store: source.store, out: path.join(work, 'b.tar'), env: cleanEnv });
}, 120_000);

afterAll(async () => {
  if (PG_URL && dropLater.length) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    for (const n of dropLater) await admin.query(`drop database if exists ${n} with (force)`);
    await admin.end();
  }
  rmSync(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('restores seeded data into a fresh target: every table, sequence and the migration level match; keys and logins work', async () => {
    const m = backup.manifest;
    expect(m.database).toEqual(before);
    const byTable = new Map(m.database.tables.map((t) => [t.table, t.rows]));
    expect(byTable.get(inboxTable)).toBe(15);
    expect(byTable.get('public.ballot_codes')).toBe(6);
    expect(byTable.get('public.audit_log')).toBeGreaterThan(0);
    expect(m.database.migration.applied).toBeGreaterThan(10);
    expect(m.secrets.map((s) => [s.name, s.source])).toEqual([
      ['audit-chain.key', 'file'],
      ['ballot-code.key', 'file'],
    ]);
    expect(listTar(backup.file).map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'secrets/ballot-code.key',
        'secrets/audit-chain.key',
        `files/sha256/${slidesSha.slice(0, 2)}/${slidesSha}`,
        'manifest.json',
      ]),
    );
    expect(m.formatVersion).toBe(2);
    expect(m.attachments).toEqual({ referenced: 1, bytes: slides.length, missing: [] });
    expect(statSync(backup.file).mode & 0o077).toBe(0);

    const target = await emptySide();
    const r = await restoreBackup({ store: target.store, file: backup.file, env: cleanEnv });
    expect(r.comparisons.filter((c) => !c.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.restored).toEqual(before);
    expect(readFileSync(path.join(target.store.dataDir, 'ballot-code.key'), 'utf8').trim()).toBe(BALLOT_KEY);
    expect(readFileSync(path.join(target.store.dataDir, 'audit-chain.key'), 'utf8')).toBe(AUDIT_KEY);
    expect(statSync(path.join(target.store.dataDir, 'ballot-code.key')).mode & 0o077).toBe(0);
    expect(r.comparisons.find((c) => c.item.startsWith('附件文件'))).toMatchObject({
      item: '附件文件（1 个）',
      actual: '1 个完好',
      ok: true,
    });

    // The restored database serves the app: the seeded administrator signs in and sees the round's ballots; the
    // secretary downloads the attachment byte for byte from the restored FILES_DIR.
    const database = await target.open();
    const app = await buildApp({ database, config: { passwordCost: TEST_COST, filesDir: target.store.filesDir } });
    try {
      await signIn(app, adminUsername);
      const n = (await database.db.execute(
        sql`select count(*)::int as n from ${sql.identifier(inboxTable.split('.')[1]!)}`,
      )) as unknown as { rows: Array<{ n: number }> };
      expect(Number(n.rows[0]!.n)).toBe(15);
      const got = await (await signIn(app, secretaryUsername)).get(attachmentUrl);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(slides)).toBe(true);
    } finally {
      await app.close();
      await database.close();
    }
  }, 120_000);

  it('refuses a tampered or truncated file before touching the target (library and CLI)', async () => {
    const target = await emptySide();
    const dbEntry = listTar(backup.file).find((e) => e.name.startsWith('database/'))!;
    const tampered = path.join(work, 'tampered.tar');
    copyFileSync(backup.file, tampered);
    const bytes = readFileSync(tampered);
    bytes[dbEntry.offset + Math.floor(dbEntry.size / 2)]! ^= 0xff;
    writeFileSync(tampered, bytes);
    await expect(restoreBackup({ store: target.store, file: tampered, env: cleanEnv })).rejects.toThrow(
      /database\/\S+ 的校验和与清单不符，已拒绝恢复，数据未作任何改动/,
    );

    const truncated = path.join(work, 'truncated.tar');
    copyFileSync(backup.file, truncated);
    truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
    await expect(restoreBackup({ store: target.store, file: truncated, env: cleanEnv })).rejects.toThrow(
      /备份文件不完整/,
    );

    if (target.store.kind === 'pglite') expect(readdirSync(target.store.dataDir)).toEqual([]);
    else expect((await sumsOf(target)).tables).toEqual([]);

    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/restore.ts', '--verify', tampered], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('校验和与清单不符');
  }, 120_000);

  it('an attachment file damaged on disk stops the backup with a message naming it (names are content hashes)', async () => {
    const file = path.join(source.store.filesDir, 'sha256', slidesSha.slice(0, 2), slidesSha);
    writeFileSync(file, Buffer.concat([slides.subarray(0, 100), Buffer.from('x'), slides.subarray(101)]));
    try {
      await expect(
        createBackup({ store: source.store, out: path.join(work, 'damaged.tar'), env: cleanEnv }),
      ).rejects.toThrow(new RegExp(`附件文件 .*${slidesSha} 的内容与其名称（SHA-256）不符，文件已损坏`));
      expect(existsSync(path.join(work, 'damaged.tar'))).toBe(false);
    } finally {
      writeFileSync(file, slides);
    }
  }, 120_000);

  it('refuses a non-empty target without --force and changes nothing; --force replaces it and a different key variable is a mismatch', async () => {
    const { side: target, database: d } = await migratedSide();
    let untouched: DataSums;
    try {
      await d.db.execute(
        sql`insert into organizations (name, code, kind, sector, level, path, depth) values ('目标机已有', 'EXIST', 'branch', 'rural', 'grassroots', '/x/', 0)`,
      );
      untouched = await sumsOn(d);
    } finally {
      await d.close();
    }
    const filesBefore = target.store.kind === 'pglite' ? tree(target.store.dataDir) : null;
    await expect(restoreBackup({ store: target.store, file: backup.file, env: cleanEnv })).rejects.toThrow(
      /不是空的.*--force.*数据未作任何改动/s,
    );
    // PGlite: not one file of the directory written (cheaper than reopening it, and stricter).
    if (filesBefore) expect(tree(target.store.dataDir)).toEqual(filesBefore);
    else expect(await sumsOf(target)).toEqual(untouched);

    const r = await restoreBackup({
      store: target.store,
      file: backup.file,
      force: true,
      env: { ...cleanEnv, BALLOT_CODE_SECRET: 'ef'.repeat(32) },
    });
    const bad = r.comparisons.filter((c) => !c.ok);
    expect(bad.map((c) => c.item)).toEqual(['密钥 ballot-code.key（环境变量 BALLOT_CODE_SECRET）']);
    expect(r.ok).toBe(false);
    expect(r.restored).toEqual(before);
    if (target.store.kind === 'pglite') expect(existsSync(path.join(r.movedAside!, 'PG_VERSION'))).toBe(true);
  }, 120_000);
});
