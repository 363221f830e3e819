// Issue 8 and issue 14, crash safety: phones cast ballots over HTTP against the real server (src/server/main.ts as a
// child process) while this script kill -9s the app (kind A) or the PostgreSQL server (kind B) at a seeded random
// moment, restarts what it killed and goes on. Ballots are stored in batches of at least the round's minimum group
// (decision 017): a phone may be told "pending" (202) and asks again every 1.5 s, as the phone page does, also
// across restarts (a killed app forgets what waited in its memory; the phone still has it). At the end the round is
// closed under fire — the app, then PostgreSQL, killed at a random moment of the close — and closed again.
// Afterwards, in SQL and through the reconciliation route, per ballot (one code, one reporter):
//   - every ballot acknowledged (200, or "already voted" when asking again after "pending") is stored exactly once;
//   - a ballot whose outcome the phone never learned (reset, timeout, 5xx, still pending at the end) is stored or
//     absent, never half (ballots per reporter and category = code uses per reporter and category); a request
//     refused before it reached the server (ECONNREFUSED) or answered 4xx left nothing;
//   - a phone retrying after the close is told the truth ("already voted" when all its ballots counted, else closed);
//   - the reconciliation route's counts equal the raw counts;
//   - the checker itself is proven each run (a lost acknowledged ballot, a ballot without its code use).
// Then the same with the app on embedded PGlite (kind A only: the engine lives in the app process).
//   npm run proof:crash   (CRASH_ROUNDS=20 per kind, CRASH_SEED=<n> to replay, CRASH_CLIENTS=100 concurrent phones,
//                          CRASH_ONLY=postgres|pglite, CRASH_CODES_PER_ROUND=1500)
// Exits 1 on any violation. kill -9 of a process is not a power cut: the OS page cache survives it (see README).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { codeFromBytes } from '../src/domain/ballot-codes';
import { buildApp } from '../src/server/app';
import { type Database, type Db, openPglite, openPostgres, queryRows } from '../src/server/db/connect';
import { hashCode } from '../src/server/modules/ballots/secret';
import { signIn } from '../tests/factories';
import { phoneWorld, seeded } from './lib/phone-world';
import { freePort, PG_BIN, type PgServer, startPostgres } from './lib/pg-server';
import {
  bodyOf,
  checkAgainstAcks,
  csrfOf,
  liveConsole,
  request,
  type Sent,
  spawnApp,
  startAsking,
  startLoad,
  waitHealthy,
} from './lib/phones';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CLIENTS = Number(process.env.CRASH_CLIENTS ?? 100);
const PER_ROUND = Number(process.env.CRASH_CODES_PER_ROUND ?? 1500);
const ONLY = process.env.CRASH_ONLY; // 'postgres' | 'pglite'
/** The kill comes this long after the round's first acknowledged ballot (seeded). */
const KILL_AFTER_MS: [number, number] = [100, 3000];

const { rand, between } = seeded(SEED);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** One phone, one code: what it sent and what it was told, per reporter. */
interface RoundRow {
  n: number;
  kind: 'A app' | 'B postgres';
  killAfterMs: number;
  sent: number;
  acked: number;
  pending: number;
  unknown: number;
  refused: number;
  rejected: number;
  recoveryMs: number;
  appDied: boolean;
}

const UNDO = new Error('undo the self-test');
/** Run on an interrupted run too: no app child or PostgreSQL server may outlive this script. */
const cleanups: Array<() => void> = [];
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    for (const c of cleanups.reverse()) {
      try {
        c();
      } catch {
        /* best effort */
      }
    }
    process.exit(130);
  });
}

// ---- one run --------------------------------------------------------------------------------------------

interface Target {
  label: 'postgres' | 'pglite';
  open(): Promise<Database>;
  appEnv: Record<string, string>;
  pg?: PgServer;
}

async function runTarget(t: Target) {
  const kinds: Array<RoundRow['kind']> = t.pg
    ? [...Array(ROUNDS).fill('A app'), ...Array(ROUNDS).fill('B postgres')]
    : Array(ROUNDS).fill('A app');
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = between(0, i + 1);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }

  // The world, from this process on the same database: campaign, meeting with three reporters, an open real round,
  // and the codes (hashes inserted straight into the printed batch, as bench/ballots.bench.ts does).
  const setupDb = await t.open();
  await setupDb.migrate();
  const total = PER_ROUND * kinds.length;
  const { w, round, queue, adminCookie } = await phoneWorld(setupDb, total, { rand, between });
  await setupDb.close();

  const port = await freePort();
  const env = {
    ...t.appEnv,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'never',
    LOG_LEVEL: 'warn',
    VOTE_WAIT_MS: '2000',
    BALLOT_CODE_SECRET: process.env.BALLOT_CODE_SECRET!,
    IDLE_TIMEOUT_MINUTES: '600',
    DB_POOL_SIZE: '20',
  };
  let proc = spawnApp(env);
  cleanups.push(() => {
    proc.child.kill('SIGKILL');
  });
  await waitHealthy(port, proc);
  let live = liveConsole(port, w.meeting.id, adminCookie);
  const sent: Sent[] = [];
  const asking = startAsking(() => port, sent);
  const table: RoundRow[] = [];
  const findings: string[] = [];
  const load0 = load();
  const t0 = Date.now();

  for (let n = 1; n <= kinds.length; n++) {
    const kind = kinds[n - 1]!;
    const slice = queue.splice(0, PER_ROUND);
    const before = sent.length;
    const killAfterMs = between(...KILL_AFTER_MS);
    const phones = startLoad(port, slice, sent, n, CLIENTS);
    await Promise.race([phones.firstAck, sleep(60_000)]);
    await sleep(killAfterMs);
    let appDied = false;
    if (kind === 'A app') {
      proc.child.kill('SIGKILL');
      await proc.exited;
    } else {
      t.pg!.kill9();
    }
    await phones.stop();
    queue.unshift(...slice); // what this round did not send goes to the next one
    const r0 = Date.now();
    if (kind === 'B postgres') {
      await sleep(between(0, 1500)); // the database stays away a moment while the app keeps serving
      t.pg!.start();
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        appDied = true;
        findings.push(
          `round ${n}: the app exited when PostgreSQL was killed:\n    ${proc.log.slice(-8).join('\n    ')}`,
        );
        proc = spawnApp(env);
      }
    } else {
      live.stop();
      proc = spawnApp(env);
    }
    await waitHealthy(port, proc);
    if (kind === 'A app' || appDied) live = liveConsole(port, w.meeting.id, adminCookie);
    const mine = sent.slice(before);
    table.push({
      n,
      kind,
      killAfterMs,
      sent: mine.length,
      acked: mine.filter((s) => s.first === 'acked').length,
      pending: mine.filter((s) => s.first === 'pending').length,
      unknown: mine.filter((s) => s.first === 'unknown').length,
      refused: mine.filter((s) => s.first === 'refused').length,
      rejected: mine.filter((s) => s.first === 'rejected').length,
      recoveryMs: Date.now() - r0,
      appDied,
    });
    process.stdout.write(
      `  round ${n}/${kinds.length} ${kind}: ${mine.length} sent, ${table.at(-1)!.acked} acknowledged\n`,
    );
  }
  // A last batch with nothing killed: the app and database serve normally after all the crashes.
  const tail = queue.splice(0, Math.min(200, queue.length));
  const tailN = tail.length; // startLoad empties the array it is given
  await startLoad(port, tail, sent, kinds.length + 1, CLIENTS).done();
  const tailOk = sent.filter(
    (s) => s.round === kinds.length + 1 && (s.first === 'acked' || s.first === 'pending'),
  ).length;
  if (tailOk !== tailN) findings.push(`after the last restart only ${tailOk} of ${tailN} casts were answered`);

  // The close under fire: the app killed at a random moment of a close, then (PostgreSQL) the database killed at a
  // random moment of the next; then closed for good. Whatever each kill cut short, what was acknowledged stays.
  const closeLog: string[] = [];
  const close = () =>
    request(port, 'POST', `/api/ballot-rounds/${round.id}/close`, JSON.stringify({ attendees: total }), {
      cookie: `sp_sid=${adminCookie}`,
      'x-csrf-token': csrf,
    });
  const csrf = await csrfOf(port, adminCookie);
  {
    const attempt = close();
    const at = between(0, 300);
    await sleep(at);
    proc.child.kill('SIGKILL');
    await proc.exited;
    const r = await attempt;
    closeLog.push(`app kill -9 ${at} ms into the close (answer ${r.status || r.error})`);
    live.stop();
    proc = spawnApp(env);
    await waitHealthy(port, proc);
    live = liveConsole(port, w.meeting.id, adminCookie);
  }
  if (t.pg) {
    const csrf2 = await csrfOf(port, adminCookie);
    const attempt = request(
      port,
      'POST',
      `/api/ballot-rounds/${round.id}/close`,
      JSON.stringify({ attendees: total }),
      { cookie: `sp_sid=${adminCookie}`, 'x-csrf-token': csrf2 },
    );
    const at = between(0, 300);
    await sleep(at);
    t.pg.kill9();
    const r = await attempt;
    closeLog.push(`PostgreSQL kill -9 ${at} ms into the close (answer ${r.status || r.error})`);
    await sleep(between(0, 1500));
    t.pg.start();
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      findings.push('the app exited when PostgreSQL was killed during the close');
      proc = spawnApp(env);
    }
    await waitHealthy(port, proc);
  }
  for (let i = 0; ; i++) {
    const r = await request(
      port,
      'POST',
      `/api/ballot-rounds/${round.id}/close`,
      JSON.stringify({ attendees: total }),
      {
        cookie: `sp_sid=${adminCookie}`,
        'x-csrf-token': await csrfOf(port, adminCookie),
      },
    );
    if (r.status === 200 || (r.status === 409 && r.text.includes('NOT_OPEN'))) {
      closeLog.push(`closed (${r.status === 200 ? 'now' : 'by an earlier attempt'})`);
      break;
    }
    if (i === 10) {
      findings.push(`the round could not be closed: ${r.status} ${r.text.slice(0, 200)}`);
      break;
    }
    await sleep(1000);
  }
  // The phones still waiting ask once more: the close stored what waited with a live app, and says so.
  for (let i = 0; i < 10 && asking.waiting() > 0; i++) await sleep(1000);
  await asking.stop();
  for (const s of sent) for (const id of s.waiting) s.unknown.add(id);
  live.stop();
  proc.child.kill('SIGTERM');
  // A clean stop must not hang on connections the crashes broke.
  const stopped = await Promise.race([proc.exited.then(() => true), sleep(20_000).then(() => false)]);
  if (!stopped) {
    findings.push(`the app did not stop within 20 s of SIGTERM:\n    ${proc.log.slice(-8).join('\n    ')}`);
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
  const elapsed = (Date.now() - t0) / 1000;

  // ---- verify, from this process -------------------------------------------------------------------------
  console.log('  verifying…');
  const database = await t.open();
  const app = await buildApp({ database, config: { passwordCost: { N: 1024, r: 8, p: 1 } } });
  const violations: string[] = [];
  try {
    const verdict = await checkAgainstAcks(database.db, round.id, sent, queue);
    violations.push(...verdict.violations);

    // A phone retrying after the close is told the truth: "already voted" when all its ballots counted, else closed.
    let retriedCounted = 0;
    let retriedClosed = 0;
    for (const s of sent.filter((x) => x.unknown.size)) {
      const asking = [...s.unknown];
      const usedRows = await queryRows<{ reporter_id: number }>(
        database.db,
        sql`
        select u.reporter_id from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.code_hash = ${hashCode(s.code)}`,
      );
      const used = new Set(usedRows.map((r) => Number(r.reporter_id)));
      const all = asking.every((id) => used.has(id));
      const res = await app.inject({
        method: 'POST',
        url: '/api/vote/ballots',
        payload: JSON.parse(bodyOf(s, asking)),
        remoteAddress: `10.8.${between(0, 255)}.${between(1, 255)}`,
      });
      const code = res.statusCode === 409 ? (res.json() as { code: string }).code : '';
      if (all && code === 'CODE_USED') retriedCounted++;
      else if (!all && code === 'VOTING_CLOSED') retriedClosed++;
      else
        violations.push(
          `retry of code …${s.code.slice(-4)} (all stored before: ${all}) answered ${res.statusCode} ${res.body.slice(0, 100)}`,
        );
    }

    // The reconciliation route against raw counts.
    const admin = await signIn(app, w.users.admin.username);
    const issued = total;
    const rec = await admin.get(`/api/ballot-rounds/${round.id}/reconciliation?attendees=${issued}`);
    const recBody = rec.json() as {
      codes: Array<{ category: string; issued: number; used: number }>;
      reporters: Array<{ reporterId: number; ballotsCounted: number }>;
    };
    const [raw] = await queryRows<{ issued: number; used: number; ballots: number }>(
      database.db,
      sql`
      select (select count(*)::int from ballot_codes where round_id = ${round.id}) as issued,
             (select count(distinct u.code_id)::int from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${round.id}) as used,
             (select count(*)::int from ballots where round_id = ${round.id}) as ballots`,
    );
    const recCodes = recBody.codes.find((c) => c.category === 'committee');
    if (recCodes?.issued !== raw!.issued || recCodes?.used !== raw!.used) {
      violations.push(
        `reconciliation codes ${JSON.stringify(recCodes)} vs raw issued ${raw!.issued}, used ${raw!.used}`,
      );
    }
    const recBallots = recBody.reporters.reduce((s, r) => s + r.ballotsCounted, 0);
    if (recBallots !== raw!.ballots)
      violations.push(`reconciliation counts ${recBallots} ballots, raw ${raw!.ballots}`);
    const [state] = await queryRows<{ state: string; inbox: string | null }>(
      database.db,
      sql`
      select state, to_regclass(${`ballot_inbox_r${round.id}`})::text as inbox from ballot_rounds where id = ${round.id}`,
    );
    if (state?.state !== 'closed' || state.inbox)
      violations.push(`after the close: state ${state?.state}, inbox ${state?.inbox ?? 'dropped'}`);

    // The checker must catch what it is there to catch (stored code uses cannot be deleted in a real round, a
    // trigger refuses it): (1) a request the phones were told succeeded whose code the database never saw — a
    // still-unsent code marked acknowledged; (2) a ballot without its code use, inserted in a rolled-back transaction.
    const checks: string[] = [];
    // (when every code was sent, a fresh code the database never had plays the part)
    const ghost = queue[0] ?? {
      ...sent[0]!,
      code: codeFromBytes(Uint8Array.from({ length: 10 }, () => between(0, 256))),
    };
    {
      const fake: Sent = {
        ...ghost,
        first: 'acked',
        acked: new Set(ghost.reporters),
        unknown: new Set(),
        waiting: [],
        round: 0,
      };
      const v1 = await checkAgainstAcks(database.db, round.id, [...sent, fake], queue.slice(1));
      checks.push(
        v1.violations.some((x) => x.startsWith('acknowledged ballot missing'))
          ? 'caught a lost acknowledged ballot'
          : 'MISSED a lost acknowledged ballot',
      );
    }
    await database.db
      .transaction(async (tx) => {
        await tx.execute(
          sql`insert into ballots (round_id, reporter_id, category, grade) values (${round.id}, ${w.r1.id}, 'committee', 'good')`,
        );
        const v2 = await checkAgainstAcks(tx as unknown as Db, round.id, sent, queue);
        checks.push(
          v2.violations.some((x) => x.includes('ballots but'))
            ? 'caught a ballot without its code use'
            : 'MISSED a ballot without its code use',
        );
        throw UNDO;
      })
      .catch((e) => {
        if (e !== UNDO) throw e;
      });
    const selfTest = checks.join(', ');
    if (selfTest.includes('MISSED') || checks.length < 2) violations.push(`self-test: ${selfTest}`);

    // ---- report ----------------------------------------------------------------------------------------
    console.log(
      `\n[${t.label}] ${table.length} rounds (${table.filter((r) => r.kind === 'A app').length} app kill -9, ${table.filter((r) => r.kind === 'B postgres').length} PostgreSQL kill -9),` +
        ` seed ${SEED}, ${CLIENTS} concurrent phones, kill ${KILL_AFTER_MS.join('–')} ms after the round's first 200, ${elapsed.toFixed(0)} s, load ${load0} → ${load()} (${os.cpus().length} cores)`,
    );
    console.log(
      '  round kind         kill@ms   sent  acked pending unknown refused 4xx recovery-ms   (first answers; ballots stored of the unknown ones below)',
    );
    for (const r of table) {
      console.log(
        `  ${String(r.n).padStart(5)} ${r.kind.padEnd(12)} ${String(r.killAfterMs).padStart(7)} ${String(r.sent).padStart(6)} ${String(r.acked).padStart(6)}` +
          ` ${String(r.pending).padStart(7)} ${String(r.unknown).padStart(7)} ${String(r.refused).padStart(7)} ${String(r.rejected).padStart(3)} ${String(r.recoveryMs).padStart(11)}${r.appDied ? '  APP DIED' : ''}`,
      );
    }
    const sum = (k: keyof RoundRow) => table.reduce((s, r) => s + Number(r[k]), 0);
    const ballots = sent.reduce((n, s) => n + s.reporters.length, 0);
    const ackedBallots = sent.reduce((n, s) => n + s.acked.size, 0);
    console.log(
      `  total: ${sum('sent')} phones in rounds + ${tailN} after, ${ballots} ballots; ${ackedBallots} acknowledged (${sent.filter((s) => s.first === 'pending').length} phones first told "pending");` +
        ` ${verdict.unknownPresent + verdict.unknownAbsent} ballots of unknown outcome (${verdict.unknownPresent} stored, ${verdict.unknownAbsent} absent); ${sum('refused')} phones refused before reaching a server; ${sum('rejected')} 4xx`,
    );
    console.log(`  close under fire: ${closeLog.join('; ')}`);
    console.log(
      `  stored: ${raw!.ballots} ballots, ${raw!.used} codes used of ${raw!.issued}; reconciliation: ${recBallots} ballots, ${recCodes?.used} used`,
    );
    console.log(
      `  retries after the close: ${retriedCounted} told "already voted" (all counted), ${retriedClosed} told "voting closed" (not all counted)`,
    );
    console.log(`  checker self-test: ${selfTest}`);
    for (const f of findings) console.log(`  FINDING: ${f}`);
    if (violations.length) {
      console.log(`  FAIL: ${violations.length} violation(s)`);
      for (const x of violations) console.log(`    - ${x}`);
    } else {
      console.log(
        '  PASS: every acknowledged ballot stored exactly once; refused and rejected left nothing; ballots = code uses; retries told the truth; reconciliation = raw counts',
      );
    }
    return violations.length === 0 && findings.length === 0;
  } finally {
    await app.close();
    await database.close();
  }
}

process.env.BALLOT_CODE_SECRET = 'e1'.repeat(32);
console.log(
  `crash proof: CRASH_SEED=${SEED} CRASH_ROUNDS=${ROUNDS} CRASH_CLIENTS=${CLIENTS} CRASH_CODES_PER_ROUND=${PER_ROUND}`,
);
let ok = true;
if (ONLY !== 'pglite') {
  if (!existsSync(`${PG_BIN}/initdb`)) {
    console.log('\n[postgres] skipped: PostgreSQL 15 not installed');
  } else {
    const pg = await startPostgres();
    cleanups.push(() => pg.dispose());
    try {
      ok =
        (await runTarget({
          label: 'postgres',
          pg,
          open: () => openPostgres(pg.url, 5),
          appEnv: { DATABASE_URL: pg.url },
        })) && ok;
    } finally {
      pg.dispose();
    }
  }
}
if (ONLY !== 'postgres') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shuping-crash-pglite-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    ok = (await runTarget({ label: 'pglite', open: () => openPglite(dir), appEnv: { DATA_DIR: dir } })) && ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(ok ? 0 : 1);
