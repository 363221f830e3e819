// Issue 5: 500 phones casting at once over HTTP, on PGlite and on a PostgreSQL 15 this script starts, each beside a
// raw single-row-insert route measured in the same run (the machine is shared; compare the ratios between runs).
// Also prints the vote page's transfer size (gzip) from dist/web.   npx tsx bench/ballots.bench.ts
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app';
import { type Database, openPglite, openPostgres } from '../src/server/db/connect';
import { buildBallotWorld, roundWithCodes } from '../tests/integration/ballots-fixtures';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 500);
const PG_BIN = '/usr/lib/postgresql/15/bin';

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)]!;

async function burst(n: number, send: (i: number) => Promise<Response>) {
  const lat: number[] = [];
  const t0 = process.hrtime.bigint();
  const statuses = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const s = process.hrtime.bigint();
    const res = await send(i);
    await res.arrayBuffer();
    lat.push(ms(s));
    return res.status;
  }));
  const total = ms(t0);
  const ok = statuses.filter((s) => s === 200).length;
  return { ok, perSec: (ok / total) * 1000, p99: p99(lat), total };
}

async function run(label: string, database: Database) {
  await database.migrate();
  const app = await buildApp({ database, config: { passwordCost: { N: 1024, r: 8, p: 1 } } });
  await database.db.execute(sql`create table if not exists bench_raw (id uuid primary key default gen_random_uuid(), round_id int, reporter_id int, grade text)`);
  // The baseline: the cheapest public write this stack can do — one row, no checks.
  app.post('/bench/raw', { config: { public: true } }, async (req) => {
    const b = req.body as { reporterId: number; grade: string };
    await database.db.execute(sql`insert into bench_raw (round_id, reporter_id, grade) values (1, ${b.reporterId}, ${b.grade})`);
    return { ok: true };
  });
  const w = await buildBallotWorld(database.db, app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const post = (url: string, body: unknown) => fetch(base + url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  try {
    // warm-up: JIT, pools, plan caches
    const warm = await roundWithCodes(database.db, w, { mode: 'rehearsal', codes: { committee: 50 } });
    await burst(50, (i) => post('/api/vote/ballots', { code: warm.codes.committee![i], roomCode: warm.round.roomCode, ballots: [{ reporterId: w.r1.id, grade: 'good' }] }));
    await burst(50, (i) => post('/bench/raw', { reporterId: w.r1.id + (i % 1), grade: 'good' }));
    await w.sessions.admin.post(`/api/ballot-rounds/${warm.round.id}/close`, { attendees: 50 });
    await w.sessions.admin.post(`/api/ballot-rounds/${warm.round.id}/purge`, { confirm: true });

    const { round, codes } = await roundWithCodes(database.db, w, { mode: 'real', codes: { committee: CLIENTS } });
    const raw = await burst(CLIENTS, () => post('/bench/raw', { reporterId: w.r1.id, grade: 'good' }));
    const cast = await burst(CLIENTS, (i) => post('/api/vote/ballots', {
      code: codes.committee![i], roomCode: round.roomCode, ballots: [{ reporterId: w.r1.id, grade: i % 4 ? 'good' : 'fair', problems: '测试意见' }],
    }));
    const raw2 = await burst(CLIENTS, () => post('/bench/raw', { reporterId: w.r1.id, grade: 'good' }));
    const rawPerSec = (raw.perSec + raw2.perSec) / 2, rawP99 = Math.max(raw.p99, raw2.p99);
    const [count] = (await database.db.execute(sql`select count(*)::int as n from ballots where round_id = ${round.id}`) as unknown as { rows: Array<{ n: number }> }).rows;
    console.log(`\n[${label}] ${CLIENTS} concurrent clients, one ballot each (${os.cpus().length} cores, node ${process.version})`);
    console.log(`  raw single-row insert : ${rawPerSec.toFixed(0)} req/s, p99 ${rawP99.toFixed(0)} ms (runs before/after: ${raw.perSec.toFixed(0)} / ${raw2.perSec.toFixed(0)} req/s)`);
    console.log(`  cast ballot           : ${cast.perSec.toFixed(0)} ballots/s, p99 ${cast.p99.toFixed(0)} ms, ${cast.ok}/${CLIENTS} accepted, ${count!.n} stored`);
    console.log(`  ratio cast/raw        : throughput ${(cast.perSec / rawPerSec).toFixed(2)}, p99 ${(cast.p99 / rawP99).toFixed(2)}`);
  } finally {
    await app.close();
    await database.close();
  }
}

function voteTransferKb() {
  const html = path.resolve('dist/web/vote/index.html');
  if (!existsSync(html)) return console.log('\nvote page: dist/web/vote missing — run `npx vite build` first');
  const page = readFileSync(html);
  const assets = [...page.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => path.resolve('dist/web' + m[1]));
  const sizes = [page, ...assets.map((a) => readFileSync(a))].map((b) => gzipSync(b, { level: 9 }).length);
  const jsCss = sizes.slice(1).reduce((s, n) => s + n, 0);
  console.log(`\nvote page transfer (gzip): html ${(sizes[0]! / 1024).toFixed(1)} KB + JS/CSS ${(jsCss / 1024).toFixed(1)} KB = ${(sizes.reduce((s, n) => s + n, 0) / 1024).toFixed(1)} KB (budget: JS+CSS ≤ 30 KB)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function withPostgres(fn: (url: string) => Promise<void>) {
  if (!existsSync(`${PG_BIN}/initdb`)) return console.log('\n[postgres] skipped: PostgreSQL 15 not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shuping-bench-pg-'));
  chmodSync(dir, 0o777);
  const asPg = (cmd: string, args: string[]) => (process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
    : execFileSync(cmd, args, { stdio: 'pipe' }));
  const port = await freePort();
  const data = path.join(dir, 'data');
  try {
    asPg(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    asPg(`${PG_BIN}/pg_ctl`, ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200`, 'start']);
    await fn(`postgres://postgres@127.0.0.1:${port}/postgres`);
  } finally {
    try { asPg(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']); } catch { /* already stopped */ }
    rmSync(dir, { recursive: true, force: true });
  }
}

process.env.BALLOT_CODE_SECRET ??= 'cd'.repeat(32);
await run('pglite', await openPglite(undefined));
await withPostgres(async (url) => run('postgres', await openPostgres(url, 20)));
voteTransferKb();
process.exit(0);
