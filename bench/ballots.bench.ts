// Issue 5: phones casting at once over HTTP, on PGlite and on a PostgreSQL 15 this script starts (fsync and
// synchronous_commit on), each beside a raw single-row-insert route measured in the same run on the same database,
// through the same Fastify app and hooks (the machine is shared; compare the ratios between runs).
// Also prints the vote page's transfer size (gzip) from dist/web.
//   npx tsx bench/ballots.bench.ts     (BENCH_CLIENTS=500 concurrent clients, BENCH_REQUESTS=5000 per phase)
// Exits non-zero if a single acknowledged ballot is missing from the database (or one too many is there).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { codeFromBytes } from '../src/domain/ballot-codes';
import { GRADES } from '../src/domain/grades';
import { buildApp } from '../src/server/app';
import { type Database, definePrepared, openPglite, openPostgres, preparedRows, queryRows } from '../src/server/db/connect';
import { hashCode } from '../src/server/modules/ballots/secret';
import { buildBallotWorld, roundWithCodes } from '../tests/integration/ballots-fixtures';
import { loadAverage as load, p99, type Phase, startLoadClient } from './lib/http-load';
import { withPostgres } from './lib/pg-server';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 500);
/** Requests per measured phase: every client sends several in a row over its keep-alive connection. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? CLIENTS * 10);
const PG_POOL = Number(process.env.BENCH_PG_POOL ?? 20);
/** Extra server settings to try, e.g. BENCH_PG_OPTS='-c commit_delay=200 -c commit_siblings=5' (printed with the figures). */
const PG_OPTS = process.env.BENCH_PG_OPTS ?? '';

const rawBodies = (n: number, reporterId: number) => Array.from({ length: n }, (_, i) => ({ reporterId, grade: GRADES[i % 4] }));

async function run(label: string, database: Database) {
  await database.migrate();
  const app = await buildApp({ database, config: { passwordCost: { N: 1024, r: 8, p: 1 } } });
  await database.db.execute(sql`create table if not exists bench_raw (id uuid primary key default gen_random_uuid(), round_id int, reporter_id int, grade text)`);
  // The baseline: the cheapest public write this stack can do — one row, no checks — through the same app, hooks,
  // zod validation, response serialization and prepared-statement path as the vote route.
  const rawInsert = definePrepared('bench_raw_insert', 'insert into bench_raw (round_id, reporter_id, grade) values (1, $1::int, $2::text)', ['int', 'text']);
  app.withTypeProvider<ZodTypeProvider>().post('/api/bench/raw', {
    config: { public: true },
    schema: {
      body: z.object({ reporterId: z.number().int(), grade: z.enum(GRADES) }).strict(),
      response: { 200: z.object({ ok: z.boolean() }) },
    },
  }, async (req) => {
    await preparedRows(database.db, rawInsert, [req.body.reporterId, req.body.grade]);
    return { ok: true };
  });
  const w = await buildBallotWorld(database.db, app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  // The keep-alive load client in its own thread (bench/lib/http-load.ts), so it does not share the server's event loop.
  const client = startLoadClient((app.server.address() as net.AddressInfo).port, CLIENTS);
  /** A round open with `n` single-use codes (added straight to the printed batch: 2,000 is the per-batch limit). */
  const openRound = async (mode: 'rehearsal' | 'real', n: number) => {
    const { round, codes } = await roundWithCodes(database.db, w, { mode, codes: { committee: 1 } });
    const [batch] = await queryRows<{ id: number }>(database.db, sql`select id from ballot_code_batches where round_id = ${round.id}`);
    const all = [codes.committee![0]!];
    while (all.length < n) all.push(codeFromBytes(randomBytes(10)));
    for (let i = 1; i < n; i += 1000) {
      const chunk = all.slice(i, i + 1000).map((c) => sql`(${batch!.id}, ${round.id}, 'committee', ${hashCode(c)})`);
      await database.db.execute(sql`insert into ballot_codes (batch_id, round_id, category, code_hash) values ${sql.join(chunk, sql`, `)}`);
    }
    return { round, codes: all };
  };
  const castBodies = (round: { roomCode: string }, codes: string[]) => codes.map((code, i) => ({
    code, roomCode: round.roomCode, ballots: [{ reporterId: [w.r1.id, w.r2.id, w.down.id][i % 3]!, grade: GRADES[i % 4], problems: '测试意见' }],
  }));
  const count = async (q: ReturnType<typeof sql>) => Number((await queryRows<{ n: number }>(database.db, q))[0]!.n);
  try {
    // Warm-up: opens every keep-alive connection, JIT, pools, plan caches.
    const warm = await openRound('rehearsal', CLIENTS * 2);
    await client.run('/api/bench/raw', rawBodies(CLIENTS * 2, w.r1.id));
    const warmCast = await client.run('/api/vote/ballots', castBodies(warm.round, warm.codes));
    if (warmCast.ok !== warm.codes.length) throw new Error(`warm-up: ${warmCast.ok}/${warm.codes.length} accepted`);
    await w.sessions.admin.post(`/api/ballot-rounds/${warm.round.id}/close`, { attendees: warm.codes.length });
    await w.sessions.admin.post(`/api/ballot-rounds/${warm.round.id}/purge`, { confirm: true });

    const { round, codes } = await openRound('real', REQUESTS);
    const rawBefore = await count(sql`select count(*)::int as n from bench_raw`);
    const load0 = load();
    const raw1 = await client.run('/api/bench/raw', rawBodies(REQUESTS, w.r1.id));
    const cast = await client.run('/api/vote/ballots', castBodies(round, codes));
    const raw2 = await client.run('/api/bench/raw', rawBodies(REQUESTS, w.r1.id));
    const load1 = load();

    const rawPerSec = (raw1.perSec + raw2.perSec) / 2;
    const rawP99 = p99([...raw1.lat, ...raw2.lat]);
    const stored = await count(sql`select count(*)::int as n from ballots where round_id = ${round.id}`);
    const uses = await count(sql`select count(*)::int as n from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${round.id}`);
    const rawStored = (await count(sql`select count(*)::int as n from bench_raw`)) - rawBefore;
    const [{ sc }] = await queryRows<{ sc: string }>(database.db, sql`select current_setting('synchronous_commit') as sc`) as [{ sc: string }];
    const others = (p: Phase) => [...p.statuses].filter(([s]) => s !== 200).map(([s, n]) => `${n}×${s}`).join(' ') || 'none';

    console.log(`\n[${label}] ${CLIENTS} concurrent clients, ${REQUESTS} requests per phase, each code used once`
      + ` (${os.cpus().length} cores, node ${process.version}${database.kind === 'postgres' ? `, pool ${PG_POOL}, synchronous_commit=${sc}${PG_OPTS ? `, ${PG_OPTS}` : ''}` : ''})`);
    console.log(`  load average before/after   : ${load0} / ${load1}`);
    console.log(`  raw single-row insert       : ${rawPerSec.toFixed(0)} req/s, p99 ${rawP99.toFixed(1)} ms (before/after: ${raw1.perSec.toFixed(0)} / ${raw2.perSec.toFixed(0)} req/s)`);
    console.log(`  cast ballot                 : ${cast.perSec.toFixed(0)} ballots/s, p99 ${cast.p99.toFixed(1)} ms`);
    console.log(`  ratio cast/raw              : throughput ${(cast.perSec / rawPerSec).toFixed(2)} (goal ≥ 0.6), p99 ${(cast.p99 / rawP99).toFixed(2)} (goal ≤ 1.5)`);
    console.log(`  goal                        : ${database.kind === 'postgres' ? '≥ 5000' : '≥ 1500'} ballots/s`);
    console.log(`  integrity                   : ${cast.ok} acknowledged, ${stored} ballots and ${uses} code uses stored; raw ${raw1.ok + raw2.ok} acknowledged, ${rawStored} stored; non-200: cast ${others(cast)}, raw ${others(raw1)} / ${others(raw2)}`);
    const lost = cast.ok !== REQUESTS || stored !== cast.ok || uses !== cast.ok || rawStored !== raw1.ok + raw2.ok;
    if (lost) {
      console.log('  FAIL: acknowledged writes and stored rows differ');
      process.exitCode = 1;
    }
  } finally {
    await client.stop();
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

process.env.BALLOT_CODE_SECRET ??= 'cd'.repeat(32);
const only = process.env.BENCH_ONLY; // 'pglite' | 'postgres'
if (only !== 'postgres') await run('pglite', await openPglite(undefined));
if (only !== 'pglite') await withPostgres(async (url) => run('postgres', await openPostgres(url, PG_POOL)), PG_OPTS);
voteTransferKb();
process.exit(process.exitCode ?? 0);
