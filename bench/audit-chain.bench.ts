// Issue 8 (audit integrity): what chaining costs a state-changing transaction. Each transaction inserts one business row
// and one audit row, N transactions with C in flight at once, on a PostgreSQL 15 this script starts (fsync on) and on
// PGlite. Baseline in the same run: the same transaction writing the audit row as a plain INSERT into an unchained copy
// of audit_log (what writeAudit did before decision 013). Then `audit:verify`'s check over the chain written.
//   npx tsx bench/audit-chain.bench.ts          N=2000, C=20
//   BENCH_N=500 BENCH_C=50 BENCH_ONLY=postgres|pglite npx tsx bench/audit-chain.bench.ts
// Then the anchors of decision 016: one signed anchor of the head (what the app does every AUDIT_ANCHOR_MINUTES) and the
// verify with the anchors, on the chain written; then the anchor's head read again after BENCH_ANCHOR_ROWS more rows
// (default 1,000,000 on PostgreSQL, 200,000 on PGlite; synthetic, bulk-inserted: only the read's cost is measured).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, openPglite, openPostgres } from '../src/server/db/connect';
import { type AuditActor, writeAudit } from '../src/server/http/audit';
import { chainWriteAlg } from '../src/server/http/audit-key';
import { AuditAnchors, loadAnchors, readChainHead } from '../src/server/modules/audit/anchors';
import { verifyAuditChain } from '../src/server/modules/audit/verify-chain';
import { withPostgres } from './lib/pg-server';

process.env.AUDIT_CHAIN_KEY ??= 'ab'.repeat(32);
const N = Number(process.env.BENCH_N ?? 2000);
const C = Number(process.env.BENCH_C ?? 20);
const ONLY = process.env.BENCH_ONLY;

const actor = (): AuditActor => ({ actorId: 1, actorName: '基准(bench)', ip: '127.0.0.1', at: new Date() });
const entry = (i: number) => ({
  action: 'org.update' as const,
  targetType: 'organization',
  targetId: i,
  scopePath: '/1/2/',
  detail: { name: `支部${i}`, changed: ['name', 'code'], n: i },
});

async function run(label: string, c: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (let i = next++; i < N; i = next++) await fn(i);
    }),
  );
  const ms = performance.now() - t0;
  return { label, ms, perSec: (N / ms) * 1000 };
}

async function anchorCost(database: Database, bulkRows: number) {
  const db = database.db;
  const dir = mkdtempSync(path.join(tmpdir(), 'spk-anchor-bench-'));
  try {
    const anchors = new AuditAnchors(db, { dataDir: dir, intervalMs: 600_000 }, () => new Date());
    let t0 = performance.now();
    await anchors.write('interval', true);
    const anchorMs = performance.now() - t0;
    const loaded = await loadAnchors([anchors.logFile], anchors.signer);
    t0 = performance.now();
    const report = await verifyAuditChain(db, { anchors: loaded });
    const verifyMs = performance.now() - t0;
    console.log(
      `  anchor: sign + append + fsync ${anchorMs.toFixed(1)} ms; verify with ${loaded.anchors.length} anchor ${report.ok ? 'intact' : 'BROKEN'} in ${verifyMs.toFixed(0)} ms`,
    );
    if (!report.ok) process.exitCode = 1;
    const [{ tail }] = (
      (await db.execute(sql`select max(seq)::bigint as tail from audit_log`)) as unknown as {
        rows: Array<{ tail: string }>;
      }
    ).rows;
    t0 = performance.now();
    await db.execute(sql`insert into audit_log (seq, prev_hash, hash, alg, at, actor_name, action, target_type, result)
      select ${Number(tail)} + i, repeat('0', 64), md5(i::text) || md5(i::text), 'hmac-sm3', now(), '基准(bench)', 'org.update', 'organization', 'success'
      from generate_series(1, ${bulkRows}) i`);
    await db.execute(sql`analyze audit_log`);
    const loadMs = performance.now() - t0;
    t0 = performance.now();
    const head = await readChainHead(db);
    const headMs = performance.now() - t0;
    console.log(
      `  anchor head read at ${head!.rows} rows: ${headMs.toFixed(0)} ms (bulk load ${(loadMs / 1000).toFixed(1)} s, not part of the cost)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bench(name: string, database: Database, c: number) {
  const db = database.db;
  await database.migrate();
  await db.execute(sql`create table bench_items (id serial primary key, n int not null)`);
  // The unchained baseline: audit_log's columns without the chain, trigger or seq index.
  await db.execute(sql`create table audit_plain (like audit_log including defaults)`);
  await db.execute(
    sql`alter table audit_plain drop column seq, drop column prev_hash, drop column hash, drop column alg`,
  );
  await db.execute(
    sql`alter table audit_plain alter column id set default nextval(pg_get_serial_sequence('audit_log', 'id'))`,
  );
  const plain = await run('plain audit insert', c, (i) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`insert into bench_items (n) values (${i})`);
      const a = actor();
      const e = entry(i);
      await tx.execute(sql`insert into audit_plain (at, actor_id, actor_name, action, target_type, target_id, result, ip, scope_path, detail)
      values (${a.at.toISOString()}::timestamptz, ${a.actorId}, ${a.actorName}, ${e.action}, ${e.targetType}, ${String(e.targetId)}, 'success', ${a.ip}, ${e.scopePath}, ${JSON.stringify(e.detail)}::jsonb)`);
    }),
  );
  const chained = await run(`chained writeAudit (${chainWriteAlg()})`, c, (i) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`insert into bench_items (n) values (${i})`);
      await writeAudit(tx, actor(), entry(i));
    }),
  );
  const t0 = performance.now();
  const report = await verifyAuditChain(db);
  const verifyMs = performance.now() - t0;
  console.log(`${name}: ${N} transactions, ${c} in flight`);
  for (const r of [plain, chained])
    console.log(`  ${r.label.padEnd(34)} ${r.ms.toFixed(0).padStart(7)} ms  ${r.perSec.toFixed(0).padStart(6)}/s`);
  console.log(`  ratio chained/plain (time)          ${(chained.ms / plain.ms).toFixed(2)}×`);
  console.log(
    `  verify: ${report.checked} rows ${report.ok ? 'intact' : 'BROKEN'} in ${verifyMs.toFixed(0)} ms (${((report.checked / verifyMs) * 1000).toFixed(0)} rows/s)`,
  );
  if (!report.ok || report.checked !== N) process.exitCode = 1;
  await anchorCost(
    database,
    Number(process.env.BENCH_ANCHOR_ROWS ?? (database.kind === 'postgres' ? 1_000_000 : 200_000)),
  );
}

if (ONLY !== 'pglite') {
  await withPostgres(async (url) => {
    const database = await openPostgres(url, C);
    try {
      await bench('PostgreSQL 15', database, C);
    } finally {
      await database.close();
    }
  });
}
if (ONLY !== 'postgres') {
  const database = await openPglite(undefined);
  try {
    await bench('PGlite (in memory, one query at a time)', database, C);
  } finally {
    await database.close();
  }
}
