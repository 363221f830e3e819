// What a backup says about itself, and what a restore recomputes to prove it got the same data back: per table the row
// count and a checksum computed in SQL, the sequences, the migration level. Both sides run the same SQL on the same
// kind of engine, so equal figures mean equal rows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { migrationsFolder } from '../db/connect';
import type { FilesInfo } from './files';

/** The same call shape over PGlite and a single node-postgres connection (never a pool: the manifest needs one snapshot). */
export interface SqlRunner {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

export const pgliteRunner = (p: PGlite): SqlRunner => ({
  query: async <T>(text: string, params?: unknown[]) => (await p.query<T>(text, params)).rows,
});

export const pgClientRunner = (c: pg.Client | pg.PoolClient): SqlRunner => ({
  query: async <T>(text: string, params?: unknown[]) => (await c.query(text, params as unknown[])).rows as T[],
});

export interface TableSum {
  table: string;
  rows: number;
  md5: string;
}

export interface DataSums {
  tables: TableSum[];
  sequences: Record<string, string | null>;
  migration: { applied: number; last: string | null };
}

export interface SecretInfo {
  /** File name under DATA_DIR (ballot-code.key, …). */
  name: string;
  /** Entry in the archive when the key came from a file; absent when it came from the environment. */
  entry?: string;
  source: 'file' | 'env';
  /** The environment variable that overrides the file, when the app has one. */
  env?: string;
  /** SHA-256 prefix of the key, to check a key set on the target machine is the same one without printing it. */
  fingerprint: string;
}

export interface Manifest {
  format: 'shupingkao-backup';
  /** 2: with the uploaded files (decision 021); a program that only knows 1 refuses it instead of losing them. */
  formatVersion: 1 | 2;
  createdAt: string;
  app: { version: string; commit: string | null; latestMigration: string | null };
  engine: {
    kind: 'pglite' | 'postgres';
    serverVersion: string;
    serverVersionNum: number;
    pglite?: string;
    /** pg_dump's major version: pg_restore must be at least as new. */
    dumpToolMajor?: number;
  };
  database: DataSums;
  files: Array<{ name: string; bytes: number; sha256: string }>;
  secrets: SecretInfo[];
  /** The uploaded files the rows name (formatVersion 2). */
  attachments?: FilesInfo;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Fixes every setting that changes how a row prints (time zone, date/interval style, float digits, bytea), so the
 * row text — and its md5 — depends only on the stored values. Must run inside a transaction (SET LOCAL).
 */
const OUTPUT_SETTINGS = [
  "set local timezone to 'UTC'",
  "set local datestyle to 'ISO, YMD'",
  "set local intervalstyle to 'postgres'",
  'set local extra_float_digits to 1',
  "set local bytea_output to 'hex'",
];

/**
 * The figures of the database as of the current transaction's snapshot. Each table's checksum is the md5 of its
 * rows' md5s in sorted order: ordering by the row hash (in the "C" collation) rather than by primary key makes it
 * independent of the target database's locale and works for tables without a key, while still covering every value.
 */
export async function sumsInTransaction(run: SqlRunner): Promise<DataSums> {
  for (const s of OUTPUT_SETTINGS) await run.query(s);
  const tables = await run.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      order by n.nspname::text collate "C", c.relname::text collate "C"`,
  );
  const sums: TableSum[] = [];
  for (const t of tables) {
    const [r] = await run.query<{ rows: string; md5: string }>(
      `select count(*)::text as rows, md5(coalesce(string_agg(h, '' order by h collate "C"), '')) as md5
         from (select md5(_bk_row::text) as h from ${ident(t.schema)}.${ident(t.name)} as _bk_row) x`,
    );
    sums.push({ table: `${t.schema}.${t.name}`, rows: Number(r!.rows), md5: r!.md5 });
  }
  const seqRows = await run.query<{ name: string; last: string | null }>(
    `select schemaname || '.' || sequencename as name, last_value::text as last from pg_sequences
      where schemaname not in ('pg_catalog', 'information_schema') order by (schemaname || '.' || sequencename) collate "C"`,
  );
  const sequences: Record<string, string | null> = {};
  for (const s of seqRows) sequences[s.name] = s.last;
  return { tables: sums, sequences, migration: await migrationLevel(run) };
}

/** {@link sumsInTransaction} in its own read-only snapshot. */
export async function readSums(run: SqlRunner): Promise<DataSums> {
  await run.query('begin isolation level repeatable read read only');
  try {
    const s = await sumsInTransaction(run);
    await run.query('commit');
    return s;
  } catch (e) {
    await run.query('rollback').catch(() => {});
    throw e;
  }
}

interface Journal {
  entries: Array<{ tag: string; when: number }>;
}

const journal = (): Journal => JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'));

/** The newest migration this program knows. */
export function latestMigration(): string | null {
  const e = journal().entries;
  return e.length ? e[e.length - 1]!.tag : null;
}

/** Position of a migration tag in this program's journal (-1 when unknown, e.g. from a newer version). */
export function migrationIndex(tag: string | null): number {
  if (!tag) return -1;
  return journal().entries.findIndex((e) => e.tag === tag);
}

async function migrationLevel(run: SqlRunner): Promise<DataSums['migration']> {
  const [exists] = await run.query<{ t: string | null }>(
    `select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!exists?.t) return { applied: 0, last: null };
  const [row] = await run.query<{ n: string; last: string | null }>(
    'select count(*)::text as n, max(created_at)::text as last from drizzle.__drizzle_migrations',
  );
  const applied = Number(row!.n);
  if (!row?.last) return { applied, last: null };
  // drizzle stores the journal's `when`; the tag is what an operator can read.
  const hit = journal().entries.find((e) => String(e.when) === row.last);
  return { applied, last: hit ? hit.tag : `created_at=${row.last}` };
}

export interface Comparison {
  item: string;
  expected: string;
  actual: string;
  ok: boolean;
}

/** Table by table, then sequences and the migration level; a table missing on either side is a mismatch. */
export function compareSums(expected: DataSums, actual: DataSums): Comparison[] {
  const out: Comparison[] = [];
  const got = new Map(actual.tables.map((t) => [t.table, t]));
  const seen = new Set<string>();
  for (const t of expected.tables) {
    seen.add(t.table);
    const a = got.get(t.table);
    out.push({
      item: t.table,
      expected: `${t.rows} 行 md5 ${t.md5.slice(0, 12)}`,
      actual: a ? `${a.rows} 行 md5 ${a.md5.slice(0, 12)}` : '缺失',
      ok: !!a && a.rows === t.rows && a.md5 === t.md5,
    });
  }
  for (const a of actual.tables) {
    if (!seen.has(a.table))
      out.push({ item: a.table, expected: '（备份中无此表）', actual: `${a.rows} 行`, ok: false });
  }
  const names = new Set([...Object.keys(expected.sequences), ...Object.keys(actual.sequences)]);
  const seqBad = [...names].filter((n) => expected.sequences[n] !== actual.sequences[n]);
  out.push({
    item: `序列（${names.size} 个）`,
    expected: seqBad.length ? seqBad.map((n) => `${n}=${expected.sequences[n] ?? '无'}`).join(', ') : '一致',
    actual: seqBad.length ? seqBad.map((n) => `${n}=${actual.sequences[n] ?? '无'}`).join(', ') : '一致',
    ok: seqBad.length === 0,
  });
  out.push({
    item: '迁移版本',
    expected: `${expected.migration.applied} 个，最新 ${expected.migration.last ?? '无'}`,
    actual: `${actual.migration.applied} 个，最新 ${actual.migration.last ?? '无'}`,
    ok: expected.migration.applied === actual.migration.applied && expected.migration.last === actual.migration.last,
  });
  return out;
}
