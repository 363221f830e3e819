// Issue 5: phones casting at once over HTTP, on PGlite and on a PostgreSQL 15 this script starts (fsync and
// synchronous_commit on), each beside a raw single-row-insert route measured in the same run on the same database,
// through the same Fastify app and hooks (the machine is shared; compare the ratios between runs).
// Also prints the vote page's transfer size (gzip) from dist/web, and the mixer's cost at the close (decision 017):
// the time from the last vote to the round closed with every ballot mixed and the WAL purged, for 300 and for
// 30,000 ballots (BENCH_MIX_SIZES), as a ratio to a plain copy of the same rows in the same run.
//   npx tsx bench/ballots.bench.ts     (BENCH_CLIENTS=500 concurrent clients, BENCH_REQUESTS=5000 per phase)
// Exits non-zero if a single acknowledged ballot is missing from the database (or one too many is there).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { codeFromBytes } from '../src/domain/ballot-codes';
import { GRADES } from '../src/domain/grades';
import { buildApp } from '../src/server/app';
import {
  type Database,
  definePrepared,
  openPglite,
  openPostgres,
  preparedRows,
  queryRows,
} from '../src/server/db/connect';
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
const MIX_SIZES = (process.env.BENCH_MIX_SIZES ?? '300,30000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

const rawBodies = (n: number, reporterId: number) =>
  Array.from({ length: n }, (_, i) => ({ reporterId, grade: GRADES[i % 4] }));

async function run(label: string, database: Database) {
  await database.migrate();
  // A vote still waiting for its minimum group after 1 s answers 202 "pending" (a phone then asks again): the last
  // few of each group would otherwise hold the phase open for the default 20 s wait.
  const app = await buildApp({ database, config: { passwordCost: { N: 1024, r: 8, p: 1 }, voteWaitMs: 1000 } });
  await database.db.execute(
    sql`create table if not exists bench_raw (id uuid primary key default gen_random_uuid(), round_id int, reporter_id int, grade text)`,
  );
  // The baseline: the cheapest public write this stack can do — one row, no checks — through the same app, hooks,
  // zod validation, response serialization and prepared-statement path as the vote route.
  const rawInsert = definePrepared(
    'bench_raw_insert',
    'insert into bench_raw (round_id, reporter_id, grade) values (1, $1::int, $2::text)',
    ['int', 'text'],
  );
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/bench/raw',
    {
      config: { public: true },
      schema: {
        body: z.object({ reporterId: z.number().int(), grade: z.enum(GRADES) }).strict(),
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      await preparedRows(database.db, rawInsert, [req.body.reporterId, req.body.grade]);
      return { ok: true };
    },
  );
  const w = await buildBallotWorld(database.db, app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  // The keep-alive load client in its own thread (bench/lib/http-load.ts), so it does not share the server's event loop.
  const client = startLoadClient((app.server.address() as net.AddressInfo).port, CLIENTS);
  /** A round open with `n` single-use codes (added straight to the printed batch: 2,000 is the per-batch limit). */
  const openRound = async (mode: 'rehearsal' | 'real', n: number) => {
    const { round, codes } = await roundWithCodes(database.db, w, { mode, codes: { committee: 1 } });
    const [batch] = await queryRows<{ id: number }>(
      database.db,
      sql`select id from ballot_code_batches where round_id = ${round.id}`,
    );
    const all = [codes.committee![0]!];
    while (all.length < n) all.push(codeFromBytes(randomBytes(10)));
    for (let i = 1; i < n; i += 1000) {
      const chunk = all.slice(i, i + 1000).map((c) => sql`(${batch!.id}, ${round.id}, 'committee', ${hashCode(c)})`);
      await database.db.execute(
        sql`insert into ballot_codes (batch_id, round_id, category, code_hash) values ${sql.join(chunk, sql`, `)}`,
      );
    }
    return { round, codes: all };
  };
  /** Another meeting of the campaign with the same three reporters (a meeting has one real round). */
  const newMeeting = async () => {
    const [m] = await queryRows<{ id: number }>(
      database.db,
      sql`
      insert into meetings (campaign_id, title, meeting_date, place) values (${w.campaign.id}, '测评混合性能', '2026-01-10', '会议室') returning id`,
    );
    let pos = 0;
    for (const r of [w.r1, w.r2, w.down])
      await database.db.execute(
        sql`insert into meeting_agenda_items (meeting_id, reporter_id, position) values (${m!.id}, ${r.id}, ${++pos})`,
      );
    return Number(m!.id);
  };
  /** A real round of `meetingId` open with `n` codes (printed through the use case, the rest added to its batch). */
  const openRoundIn = async (meetingId: number, n: number) => {
    const res = await w.sessions.admin.post(`/api/meetings/${meetingId}/ballot-rounds`, { mode: 'real' });
    const round = res.json() as { id: number; roomCode: string };
    await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/codes`, { category: 'committee', count: 1 });
    const [batch] = await queryRows<{ id: number }>(
      database.db,
      sql`select id from ballot_code_batches where round_id = ${round.id}`,
    );
    const all: string[] = [];
    while (all.length < n) all.push(codeFromBytes(randomBytes(10)));
    for (let i = 0; i < n; i += 1000) {
      const chunk = all.slice(i, i + 1000).map((c) => sql`(${batch!.id}, ${round.id}, 'committee', ${hashCode(c)})`);
      await database.db.execute(
        sql`insert into ballot_codes (batch_id, round_id, category, code_hash) values ${sql.join(chunk, sql`, `)}`,
      );
    }
    await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/open`, {});
    return { round, codes: all };
  };
  const castBodies = (round: { roomCode: string }, codes: string[]) =>
    codes.map((code, i) => ({
      code,
      roomCode: round.roomCode,
      ballots: [{ reporterId: [w.r1.id, w.r2.id, w.down.id][i % 3]!, grade: GRADES[i % 4], problems: '测试意见' }],
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
    // Ballots wait in memory until their (reporter, category) group reaches the minimum; the last few of each group
    // were answered 202 "pending" and are stored by the close, which also mixes the round and purges the WAL.
    const waiting = cast.statuses.get(202) ?? 0;
    const closeRes = await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: REQUESTS });
    if (closeRes.statusCode !== 200) throw new Error(`close: ${closeRes.body}`);
    const stored = await count(sql`select count(*)::int as n from ballots where round_id = ${round.id}`);
    const uses = await count(
      sql`select count(*)::int as n from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${round.id}`,
    );
    const rawStored = (await count(sql`select count(*)::int as n from bench_raw`)) - rawBefore;
    const [{ sc }] = (await queryRows<{ sc: string }>(
      database.db,
      sql`select current_setting('synchronous_commit') as sc`,
    )) as [{ sc: string }];
    const others = (p: Phase) =>
      [...p.statuses]
        .filter(([s]) => s !== 200 && s !== 202)
        .map(([s, n]) => `${n}×${s}`)
        .join(' ') || 'none';

    console.log(
      `\n[${label}] ${CLIENTS} concurrent clients, ${REQUESTS} requests per phase, each code used once` +
        ` (${os.cpus().length} cores, node ${process.version}${database.kind === 'postgres' ? `, pool ${PG_POOL}, synchronous_commit=${sc}${PG_OPTS ? `, ${PG_OPTS}` : ''}` : ''})`,
    );
    console.log(`  load average before/after   : ${load0} / ${load1}`);
    console.log(
      `  raw single-row insert       : ${rawPerSec.toFixed(0)} req/s, p99 ${rawP99.toFixed(1)} ms (before/after: ${raw1.perSec.toFixed(0)} / ${raw2.perSec.toFixed(0)} req/s)`,
    );
    console.log(`  cast ballot                 : ${cast.perSec.toFixed(0)} ballots/s, p99 ${cast.p99.toFixed(1)} ms`);
    console.log(
      `  ratio cast/raw              : throughput ${(cast.perSec / rawPerSec).toFixed(2)} (goal ≥ 0.6), p99 ${(cast.p99 / rawP99).toFixed(2)} (goal ≤ 1.5)`,
    );
    console.log(`  goal                        : ${database.kind === 'postgres' ? '≥ 5000' : '≥ 1500'} ballots/s`);
    console.log(
      `  integrity                   : ${cast.ok} acknowledged + ${waiting} pending then stored by the close, ${stored} ballots and ${uses} code uses stored; raw ${raw1.ok + raw2.ok} acknowledged, ${rawStored} stored; other answers: cast ${others(cast)}, raw ${others(raw1)} / ${others(raw2)}`,
    );
    const lost =
      cast.ok + waiting !== REQUESTS || stored !== REQUESTS || uses !== REQUESTS || rawStored !== raw1.ok + raw2.ok;
    if (lost) {
      console.log('  FAIL: acknowledged writes and stored rows differ');
      process.exitCode = 1;
    }
    // The mixer's cost at the close, per round size: each code rates all three reporters.
    for (const n of MIX_SIZES) {
      const meetingId = await newMeeting();
      const made = await openRoundIn(meetingId, Math.ceil(n / 3));
      const bodies = made.codes.map((code, i) => ({
        code,
        roomCode: made.round.roomCode,
        ballots: [w.r1.id, w.r2.id, w.down.id].map((reporterId, j) => ({
          reporterId,
          grade: GRADES[(i + j) % 4],
          problems: `意见${i}`,
        })),
      }));
      const phase = await client.run('/api/vote/ballots', bodies);
      const [copyStart] = [performance.now()];
      await database.db.execute(
        sql`create table bench_mix_copy as select * from ${sql.identifier(`ballot_inbox_r${made.round.id}`)} order by gen_random_uuid()`,
      );
      const copyMs = performance.now() - copyStart;
      await database.db.execute(sql`drop table bench_mix_copy`);
      const t0 = performance.now();
      const res = await w.sessions.admin.post(`/api/ballot-rounds/${made.round.id}/close`, {
        attendees: made.codes.length,
      });
      const closeMs = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`close: ${res.body}`);
      const secrecy = res.json().secrecy as {
        mixed: number;
        mixMs: number;
        walMs: number;
        walPurged: boolean;
        warnings: string[];
      };
      const mixedNow = await count(sql`select count(*)::int as n from ballots where round_id = ${made.round.id}`);
      console.log(
        `  mixer at close, ${String(mixedNow).padStart(6)} ballots: ${closeMs.toFixed(0)} ms from the last vote to closed (mix ${secrecy.mixMs} ms, WAL switch+checkpoint ${secrecy.walMs} ms, WAL purged: ${secrecy.walPurged}); ` +
          `ratio to a plain copy of the rows ${(closeMs / copyMs).toFixed(1)} (copy ${copyMs.toFixed(0)} ms); casts ${phase.ok} stored at once, ${phase.statuses.get(202) ?? 0} pending${secrecy.warnings.length ? `; warnings: ${secrecy.warnings.length}` : ''}`,
      );
      if (mixedNow !== Math.ceil(n / 3) * 3) {
        console.log(`  FAIL: ${mixedNow} ballots mixed, ${Math.ceil(n / 3) * 3} cast`);
        process.exitCode = 1;
      }
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
  const assets = [...page.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) =>
    path.resolve(`dist/web${m[1]}`),
  );
  const sizes = [page, ...assets.map((a) => readFileSync(a))].map((b) => gzipSync(b, { level: 9 }).length);
  const jsCss = sizes.slice(1).reduce((s, n) => s + n, 0);
  console.log(
    `\nvote page transfer (gzip): html ${(sizes[0]! / 1024).toFixed(1)} KB + JS/CSS ${(jsCss / 1024).toFixed(1)} KB = ${(sizes.reduce((s, n) => s + n, 0) / 1024).toFixed(1)} KB (budget: JS+CSS ≤ 30 KB)`,
  );
}

process.env.BALLOT_CODE_SECRET ??= 'cd'.repeat(32);
const only = process.env.BENCH_ONLY; // 'pglite' | 'postgres'
if (only !== 'postgres') await run('pglite', await openPglite(undefined));
if (only !== 'pglite') await withPostgres(async (url) => run('postgres', await openPostgres(url, PG_POOL)), PG_OPTS);
voteTransferKb();
process.exit(process.exitCode ?? 0);
