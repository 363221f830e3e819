import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { openPglite, openPostgres } from '../../src/server/db/connect';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE, TEMPLATE_DIR } from './paths';

/**
 * Migrates once per run; every test file then starts from a copy of that template
 * (a PGlite data-dir dump, or CREATE DATABASE … TEMPLATE on PostgreSQL).
 */
export default async function setup() {
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${PG_TEMPLATE_DB}`);
    await admin.query(`create database ${PG_TEMPLATE_DB}`);
    await admin.end();
    const db = await openPostgres(withDatabase(url, PG_TEMPLATE_DB), 2);
    await db.migrate();
    await db.close();
  } else {
    const db = await openPglite(undefined);
    await db.migrate();
    const dump = await db.pglite!.dumpDataDir('gzip');
    writeFileSync(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
    await db.close();
  }
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
