// Issue 8 (audit integrity): what chaining costs a state-changing transaction. Each transaction inserts one business row
// and one audit row, N transactions with C in flight at once, on a PostgreSQL 15 this script starts (fsync on) and on
// PGlite. Baseline in the same run: the same transaction writing the audit row as a plain INSERT into an unchained copy
// of audit_log (what writeAudit did before decision 013). Then `audit:verify`'s check over the chain written.
//   npx tsx bench/audit-chain.bench.ts          N=2000, C=20
//   BENCH_N=500 BENCH_C=50 BENCH_ONLY=postgres|pglite npx tsx bench/audit-chain.bench.ts
import { sql } from 'drizzle-orm';
import { type Database, openPglite, openPostgres } from '../src/server/db/connect';
import { type AuditActor, writeAudit } from '../src/server/http/audit';
import { chainWriteAlg } from '../src/server/http/audit-key';
import { verifyAuditChain } from '../src/server/modules/audit/verify-chain';
import { withPostgres } from './lib/pg-server';

process.env.AUDIT_CHAIN_KEY ??= 'ab'.repeat(32);
const N = Number(process.env.BENCH_N ?? 2000);
const C = Number(process.env.BENCH_C ?? 20);
const ONLY = process.env.BENCH_ONLY;

const actor = (): AuditActor => ({ actorId: 1, actorName: '基准(bench)', ip: '127.0.0.1', at: new Date() });
const entry = (i: number) => ({ action: 'org.update', targetType: 'organization', targetId: i, scopePath: '/1/2/', detail: { name: `支部${i}`, changed: ['name', 'code'], n: i } });

async function run(label: string, c: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    for (let i = next++; i < N; i = next++) await fn(i);
  }));
  const ms = performance.now() - t0;
  return { label, ms, perSec: (N / ms) * 1000 };
}

async function bench(name: string, database: Database, c: number) {
  const db = database.db;
  await database.migrate();
  await db.execute(sql`create table bench_items (id serial primary key, n int not null)`);
  // The unchained baseline: audit_log's columns without the chain, trigger or seq index.
  await db.execute(sql`create table audit_plain (like audit_log including defaults)`);
  await db.execute(sql`alter table audit_plain drop column seq, drop column prev_hash, drop column hash, drop column alg`);
  await db.execute(sql`alter table audit_plain alter column id set default nextval(pg_get_serial_sequence('audit_log', 'id'))`);
  const plain = await run('plain audit insert', c, (i) => db.transaction(async (tx) => {
    await tx.execute(sql`insert into bench_items (n) values (${i})`);
    const a = actor();
    const e = entry(i);
    await tx.execute(sql`insert into audit_plain (at, actor_id, actor_name, action, target_type, target_id, result, ip, scope_path, detail)
      values (${a.at.toISOString()}::timestamptz, ${a.actorId}, ${a.actorName}, ${e.action}, ${e.targetType}, ${String(e.targetId)}, 'success', ${a.ip}, ${e.scopePath}, ${JSON.stringify(e.detail)}::jsonb)`);
  }));
  const chained = await run(`chained writeAudit (${chainWriteAlg()})`, c, (i) => db.transaction(async (tx) => {
    await tx.execute(sql`insert into bench_items (n) values (${i})`);
    await writeAudit(tx, actor(), entry(i));
  }));
  const t0 = performance.now();
  const report = await verifyAuditChain(db);
  const verifyMs = performance.now() - t0;
  console.log(`${name}: ${N} transactions, ${c} in flight`);
  for (const r of [plain, chained]) console.log(`  ${r.label.padEnd(34)} ${r.ms.toFixed(0).padStart(7)} ms  ${r.perSec.toFixed(0).padStart(6)}/s`);
  console.log(`  ratio chained/plain (time)          ${(chained.ms / plain.ms).toFixed(2)}×`);
  console.log(`  verify: ${report.checked} rows ${report.ok ? 'intact' : 'BROKEN'} in ${verifyMs.toFixed(0)} ms (${((report.checked / verifyMs) * 1000).toFixed(0)} rows/s)`);
  if (!report.ok || report.checked !== N) process.exitCode = 1;
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
