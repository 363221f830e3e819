// Issue 19, decision 027: no acknowledged ballot is lost when the PostgreSQL primary dies. Two PostgreSQL 15 servers
// on this machine, a primary and a synchronous standby (bench/lib/pg-cluster.ts: pg_basebackup -R,
// synchronous_commit=on, synchronous_standby_names='*'); the app (src/server/main.ts as a child process) connects with
// a multi-host DATABASE_URL and target_session_attrs=read-write and finds the new primary by itself. Phones cast
// ballots (bench/lib/phones.ts, the crash proof's phones: "pending" answers asked again every 1.5 s) while this script
// kill -9s the primary at a seeded random moment, promotes the standby (pg_ctl promote), rebuilds the old primary as
// the new standby (pg_rewind) and goes on. One round first cuts the standby off (a TCP proxy between the servers
// stops forwarding: a network partition) and kills the primary while it is cut off. Then the round is closed under
// fire (the primary killed during the close) and closed again. Afterwards, on the primary and on the standby:
//   - every acknowledged ballot is stored exactly once; a ballot of unknown outcome is whole or absent (ballots =
//     code uses per reporter and category); reconciliation = raw counts;
//   - the relink attack of tests/integration/ballot-secrecy.test.ts (bench/lib/relink.ts) on a round of 60 ballots
//     cast in a known order across a failover, against each server's own data and files.
// Printed per round: kill → first acknowledged vote on the new primary, p99 of casts over the round (across the
// failover), and before the rounds the throughput with the synchronous standby against the same cluster with the
// standby asynchronous (ratio).
//   npm run proof:failover   (FAILOVER_ROUNDS=10, FAILOVER_CLIENTS=500, FAILOVER_SEED=<n> to replay,
//                             FAILOVER_CODES_PER_ROUND=600, FAILOVER_THROUGHPUT_CODES=1500)
// FAILOVER_MANAGER=patroni (the default when /usr/bin/patroni and /usr/bin/etcd exist; FAILOVER_MANAGER=script
// forces the script): Patroni + etcd do the failover instead of the script (bench/lib/patroni-cluster.ts,
// decision 027 "Patroni"): the script only kills a node (its Patroni and its PostgreSQL) and starts its Patroni again;
// Patroni promotes the synchronous standby and rewinds the old primary. The checks are the same.
// FAILOVER_STANDBY_MODE=continue: the app runs with STANDBY_MODE=continue (under Patroni: synchronous_mode_strict off
// and STANDBY_SWITCH=patroni; under the script: the app's own ALTER SYSTEM). The partition round then checks the other
// promise: voting goes on while the standby is cut off, /api/health says degraded, the app logs the warning; the cut
// is healed and the standby synchronous again before that round's kill (a kill while cut would lose what only the
// primary had acknowledged: the trade-off this setting accepts, docs/deployment.md).
// Exits 1 on any violation.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { codeFromBytes } from '../src/domain/ballot-codes';
import { buildApp } from '../src/server/app';
import { type Db, openPostgres, queryRows } from '../src/server/db/connect';
import { signIn } from '../tests/factories';
import { PatroniCluster } from './lib/patroni-cluster';
import { type FailoverCluster, PgCluster } from './lib/pg-cluster';
import { phoneWorld, seeded } from './lib/phone-world';
import { freePort, PG_BIN } from './lib/pg-server';
import { p99 } from './lib/http-load';
import {
  type AppProc,
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
import { relinkRound } from './lib/relink';

const ROUNDS = Number(process.env.FAILOVER_ROUNDS ?? 10);
const CLIENTS = Number(process.env.FAILOVER_CLIENTS ?? 500);
const SEED = Number(process.env.FAILOVER_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PER_ROUND = Number(process.env.FAILOVER_CODES_PER_ROUND ?? 600);
const THROUGHPUT_CODES = Number(process.env.FAILOVER_THROUGHPUT_CODES ?? 1500);
// Patroni when its Debian packages are installed (decision 027 "Patroni"), else the script.
const MANAGER =
  process.env.FAILOVER_MANAGER ??
  (existsSync('/usr/bin/patroni') && existsSync('/usr/bin/etcd') ? 'patroni' : 'script');
const STANDBY_MODE = process.env.FAILOVER_STANDBY_MODE ?? 'wait';
const KILL_AFTER_MS: [number, number] = [100, 2000];

const { rand, between } = seeded(SEED);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const cleanups: Array<() => unknown> = [];
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        /* best effort */
      }
    }
    process.exit(130);
  });
}

interface Answer {
  start: number;
  at: number;
  ms: number;
  status: number;
  acked: boolean;
}
interface RoundRow {
  n: number;
  kind: 'kill' | 'partition' | 'etcd';
  killAfterMs: number;
  sent: number;
  acked: number;
  unknown: number;
  /** Partition only: cut → /api/health says degraded; acknowledgements during the cut. */
  detectMs?: number;
  ackedWhileCut?: number;
  /** Partition in continue mode: cut → synchronous replication switched off (health standby 'off'); the warning logged. */
  offMs?: number;
  warned?: boolean;
  promoteMs: number;
  promotedBy: string;
  firstAckMs: number | null;
  p99: number;
  maxMs: number;
  rebuild: string;
  streamingMs: number;
}

async function main() {
  process.env.BALLOT_CODE_SECRET = 'e1'.repeat(32);
  if (MANAGER !== 'script' && MANAGER !== 'patroni') throw new Error(`FAILOVER_MANAGER=${MANAGER}: script or patroni`);
  if (STANDBY_MODE !== 'wait' && STANDBY_MODE !== 'continue')
    throw new Error(`FAILOVER_STANDBY_MODE=${STANDBY_MODE}: wait or continue`);
  console.log(
    `failover proof: FAILOVER_MANAGER=${MANAGER} FAILOVER_STANDBY_MODE=${STANDBY_MODE} FAILOVER_SEED=${SEED} FAILOVER_ROUNDS=${ROUNDS} FAILOVER_CLIENTS=${CLIENTS} FAILOVER_CODES_PER_ROUND=${PER_ROUND} FAILOVER_THROUGHPUT_CODES=${THROUGHPUT_CODES}`,
  );
  if (!existsSync(`${PG_BIN}/pg_rewind`)) {
    console.log('skipped: PostgreSQL 15 (initdb, pg_basebackup, pg_rewind) not installed');
    return true;
  }
  const t0 = Date.now();
  const cluster: FailoverCluster =
    MANAGER === 'patroni' ? await PatroniCluster.create(STANDBY_MODE === 'wait') : await PgCluster.create(true);
  cleanups.push(() => cluster.dispose());
  console.log(
    `  cluster (${cluster instanceof PatroniCluster ? `Patroni + etcd (${cluster.etcd.length} members); passwords (scram-sha-256) for the superuser, replication and pg_rewind roles, REST API basic auth; watchdog ${cluster.watchdogState()}` : 'script: pg_ctl promote, pg_rewind'}): primary :${cluster.nodes[0].port}, synchronous standby :${cluster.nodes[1].port} through proxy :${cluster.proxy.port} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );

  // ---- the world: campaign, meeting, an open real round, codes ---------------------------------------------
  const setupDb = await openPostgres(cluster.multiUrl, 5);
  await setupDb.migrate();
  const total = THROUGHPUT_CODES * 2 + (PER_ROUND + 500) * (ROUNDS + 1) + 200;
  const { w, round, queue, adminCookie } = await phoneWorld(setupDb, total, { rand, between });
  await setupDb.close();

  const port = await freePort();
  const env = {
    DATABASE_URL: cluster.multiUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'never',
    LOG_LEVEL: 'warn',
    VOTE_WAIT_MS: '2000',
    BALLOT_CODE_SECRET: process.env.BALLOT_CODE_SECRET!,
    IDLE_TIMEOUT_MINUTES: '600',
    DB_POOL_SIZE: '20',
    STANDBY_MODE,
    STANDBY_SWITCH: MANAGER === 'patroni' ? 'patroni' : 'app',
    STANDBY_GRACE_MS: '3000',
    DATA_DIR: `${cluster.dir}/app-data`,
    FILES_DIR: `${cluster.dir}/app-files`,
  };
  let proc: AppProc = spawnApp(env);
  cleanups.push(() => {
    proc.child.kill('SIGKILL');
  });
  await waitHealthy(port, proc);
  const live = liveConsole(port, w.meeting.id, adminCookie);
  const sent: Sent[] = [];
  const asking = startAsking(() => port, sent);
  const findings: string[] = [];
  const health = async () => {
    const r = await request(port, 'GET', '/api/health');
    try {
      return JSON.parse(r.text) as { status: string; standby?: { state: string } };
    } catch {
      return { status: `http ${r.status || r.error}` };
    }
  };
  const waitHealth = async (want: (h: Awaited<ReturnType<typeof health>>) => boolean, timeoutMs: number) => {
    const s = Date.now();
    while (Date.now() - s < timeoutMs) {
      if (want(await health())) return Date.now() - s;
      await sleep(100);
    }
    return null;
  };

  // ---- throughput: the synchronous standby against the same cluster with the standby asynchronous -------------
  const phase = async (label: string, n: number) => {
    const slice = queue.splice(0, n);
    const answers: Answer[] = [];
    const s = Date.now();
    await startLoad(port, slice, sent, 0, CLIENTS, (_s, r, ms, at) =>
      answers.push({ start: at - ms, at, ms, status: r.status, acked: r.status === 200 }),
    ).done();
    const secs = (Date.now() - s) / 1000;
    const ballots = sent.slice(-n).reduce((k, x) => k + x.acked.size, 0);
    return { label, perSec: ballots / secs, p99: p99(answers.map((a) => a.ms)), n };
  };
  const syncRun = await phase('synchronous standby', THROUGHPUT_CODES);
  await cluster.setSynchronous(false);
  await sleep(500);
  const asyncRun = await phase('asynchronous standby', THROUGHPUT_CODES);
  await cluster.setSynchronous(true);
  await cluster.waitStreaming();
  if ((await waitHealth((h) => h.status === 'ok', 30_000)) === null)
    findings.push(`health not ok with the synchronous standby back: ${JSON.stringify(await health())}`);

  // ---- the rounds --------------------------------------------------------------------------------------------
  const kinds: RoundRow['kind'][] = Array(ROUNDS).fill('kill');
  if (ROUNDS >= 2) kinds[between(1, ROUNDS)] = 'partition';
  // Under Patroni one kill round also loses an etcd member first (a dead DCS machine): the other two keep the quorum,
  // Patroni still promotes; the member rejoins after the rebuild.
  if (cluster instanceof PatroniCluster && ROUNDS >= 3) {
    const free = kinds.flatMap((k, i) => (k === 'kill' && i > 0 ? [i] : []));
    kinds[free[between(0, free.length)]!] = 'etcd';
  }
  const table: RoundRow[] = [];
  for (let n = 1; n <= ROUNDS; n++) {
    const kind = kinds[n - 1]!;
    const slice = queue.splice(0, PER_ROUND);
    const before = sent.length;
    const answers: Answer[] = [];
    const killAfterMs = between(...KILL_AFTER_MS);
    const phones = startLoad(port, slice, sent, n, CLIENTS, (_s, r, ms, at) =>
      answers.push({ start: at - ms, at, ms, status: r.status, acked: r.status === 200 }),
    );
    await Promise.race([phones.firstAck, sleep(60_000)]);
    await sleep(killAfterMs);
    const row: Partial<RoundRow> = { n, kind, killAfterMs };
    if (kind === 'partition') {
      const cutAt = Date.now();
      cluster.proxy.cut = true;
      row.detectMs = (await waitHealth((h) => h.status === 'degraded', 60_000)) ?? -1;
      await sleep(2000);
      if (STANDBY_MODE === 'continue') {
        // Voting goes on with one copy once synchronous replication is off; then the cut heals and the standby
        // catches up and is synchronous again before the kill.
        row.offMs = (await waitHealth((h) => h.standby?.state === 'off', 90_000)) ?? -1;
        // Fresh phones while cut (the round's own may all have been answered by now): ten for one reporter, so
        // each batch reaches the minimum group (decision 017).
        const burst = queue.splice(0, 10).map(
          (x): Sent => ({
            ...x,
            reporters: [w.r1.id],
            ballots: new Map([[w.r1.id, { reporterId: w.r1.id, grade: 'good' }]]),
          }),
        );
        await startLoad(port, burst, sent, n, 10, (_s, r, ms, at) =>
          answers.push({ start: at - ms, at, ms, status: r.status, acked: r.status === 200 }),
        ).done();
        row.ackedWhileCut = answers.filter((a) => a.acked && a.at > cutAt + 500).length;
        row.warned = proc.log.some((l) => l.includes('已关闭同步复制'));
        cluster.proxy.cut = false;
        await cluster.waitStreaming(180_000);
        if ((await waitHealth((h) => h.status === 'ok', 90_000)) === null)
          findings.push(`round ${n}: health not ok after the cut healed: ${JSON.stringify(await health())}`);
      } else {
        // Acknowledged after the cut + a moment for answers already on their way: none may be (nothing commits).
        row.ackedWhileCut = answers.filter((a) => a.acked && a.at > cutAt + 500).length;
      }
    }
    let etcdMember = -1;
    if (kind === 'etcd' && cluster instanceof PatroniCluster) {
      etcdMember = between(0, cluster.etcd.length);
      cluster.killEtcdMember(etcdMember);
      await sleep(1000);
    }
    const killAt = Date.now();
    cluster.kill9(cluster.primary);
    cluster.proxy.cut = false;
    await cluster.promote();
    row.promoteMs = Date.now() - killAt;
    row.promotedBy = cluster.lastPromote;
    // The old primary is rebuilt as the new standby meanwhile; until it streams, commits wait (STANDBY_MODE=wait).
    const rebuilt = (async () => {
      const how = await cluster.rebuild();
      const ms = await cluster.waitStreaming();
      return { how, ms: Date.now() - killAt, wait: ms };
    })();
    // Fresh phones after the kill, ten at a time for one reporter (a batch needs the minimum group, decision 017),
    // until one is told its ballot counts: that is the first acknowledged vote on the new primary.
    const firstAfter = async () => {
      const probes: Sent[] = [];
      while (Date.now() - killAt < 180_000) {
        const burst = queue.splice(0, 10).map(
          (x): Sent => ({
            ...x,
            reporters: [w.r1.id],
            ballots: new Map([[w.r1.id, { reporterId: w.r1.id, grade: 'good' }]]),
          }),
        );
        probes.push(...burst);
        let at = 0;
        await startLoad(port, burst, sent, n, 10, (_s, r, _ms, t) => {
          if (r.status === 200 && !at) at = t;
        }).done();
        if (at) return at - killAt;
        if (probes.some((x) => x.acked.size)) return Date.now() - killAt;
        await sleep(500);
      }
      return null;
    };
    row.firstAckMs = await firstAfter();
    const rb = await rebuilt.catch((e) => {
      findings.push(`round ${n}: rebuild failed: ${String((e as { stderr?: string }).stderr ?? e).slice(-300)}`);
      return { how: 'failed', ms: -1 };
    });
    row.rebuild =
      rb.how === 'pg_rewind'
        ? 'pg_rewind'
        : `${rb.how}${cluster.lastRewindError ? ` (${cluster.lastRewindError.split('\n').filter(Boolean).at(-1)})` : ''}`;
    row.streamingMs = rb.ms;
    if (etcdMember >= 0 && cluster instanceof PatroniCluster) {
      cluster.startEtcdMember(etcdMember);
      await cluster.waitEtcd(60_000);
    }
    await sleep(1000);
    await phones.stop();
    queue.unshift(...slice);
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      findings.push(`round ${n}: the app exited:\n    ${proc.log.slice(-8).join('\n    ')}`);
      proc = spawnApp(env);
      await waitHealthy(port, proc);
    }
    if ((await waitHealth((h) => h.status === 'ok', 60_000)) === null)
      findings.push(`round ${n}: health not ok after the rebuild: ${JSON.stringify(await health())}`);
    const mine = sent.slice(before);
    const lat = answers.map((a) => a.ms);
    Object.assign(row, {
      sent: mine.length,
      acked: mine.filter((s) => s.first === 'acked').length,
      unknown: mine.filter((s) => s.first === 'unknown').length,
      p99: lat.length ? p99(lat) : 0,
      maxMs: lat.length ? Math.max(...lat) : 0,
    });
    table.push(row as RoundRow);
    process.stdout.write(
      `  round ${n}/${ROUNDS} ${kind}: ${mine.length} sent, ${row.acked} acknowledged; promoted ${row.promoteMs} ms, standby rebuilt (${row.rebuild}) and streaming ${row.streamingMs} ms, first acknowledged vote ${row.firstAckMs ?? '—'} ms after the kill${kind === 'partition' ? `; cut → degraded ${row.detectMs} ms` : ''}${kind === 'etcd' ? `; etcd member ${etcdMember + 1} of 3 dead from 1 s before the kill until after the rebuild` : ''}${row.promotedBy ? `; promoted ${row.promotedBy}` : ''}; load ${load()}\n`,
    );
  }
  // A last batch with nothing killed.
  const tail = queue.splice(0, Math.min(200, queue.length));
  const tailN = tail.length;
  await startLoad(port, tail, sent, ROUNDS + 1, CLIENTS).done();
  const tailOk = sent.filter((s) => s.round === ROUNDS + 1 && (s.first === 'acked' || s.first === 'pending')).length;
  if (tailOk !== tailN) findings.push(`after the last failover only ${tailOk} of ${tailN} casts were answered`);

  // ---- the close under fire ----------------------------------------------------------------------------------
  const closeLog: string[] = [];
  const close = async () =>
    request(port, 'POST', `/api/ballot-rounds/${round.id}/close`, JSON.stringify({ attendees: total }), {
      cookie: `sp_sid=${adminCookie}`,
      'x-csrf-token': await csrfOf(port, adminCookie),
    });
  {
    const attempt = close();
    const at = between(0, 300);
    await sleep(at);
    cluster.kill9(cluster.primary);
    await cluster.promote();
    const r = await attempt;
    closeLog.push(`primary kill -9 ${at} ms into the close (answer ${r.status || r.error} ${r.text.slice(0, 80)})`);
    await cluster.rebuild();
    await cluster.waitStreaming();
  }
  for (let i = 0; ; i++) {
    const r = await close();
    if (r.status === 200 || (r.status === 409 && r.text.includes('NOT_OPEN'))) {
      closeLog.push(`closed (${r.status === 200 ? 'now' : 'by the attempt the kill interrupted'})`);
      break;
    }
    if (i === 20) {
      findings.push(`the round could not be closed: ${r.status} ${r.text.slice(0, 200)}`);
      break;
    }
    await sleep(1000);
  }
  for (let i = 0; i < 10 && asking.waiting() > 0; i++) await sleep(1000);
  await asking.stop();
  for (const s of sent) for (const id of s.waiting) s.unknown.add(id);

  // ---- the relink attack on a round cast in a known order across a failover ---------------------------------
  const relink = await relinkRound({
    port,
    cluster,
    w,
    failover: async () => {
      cluster.kill9(cluster.primary);
      await cluster.promote();
      await cluster.rebuild();
      await cluster.waitStreaming();
    },
  });
  live.stop();
  proc.child.kill('SIGTERM');
  await Promise.race([proc.exited, sleep(20_000)]);
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  const elapsed = (Date.now() - t0) / 1000;

  // ---- verify on the primary, then on the standby ------------------------------------------------------------
  console.log('  verifying…');
  // The standby has replayed everything the primary has (synchronous commit flushes; replay may trail a moment).
  const lsn = await cluster.psql(cluster.primary, 'select pg_current_wal_lsn()');
  for (let i = 0; i < 100; i++) {
    if ((await cluster.psql(cluster.standby, `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`)) === 't') break;
    await sleep(100);
  }
  const violations: string[] = [];
  const verify = async (label: string, url: string) => {
    const database = await openPostgres(url, 3);
    try {
      const verdict = await checkAgainstAcks(database.db, round.id, sent, queue);
      violations.push(...verdict.violations.map((v) => `${label}: ${v}`));
      const [raw] = await queryRows<{
        issued: number;
        used: number;
        ballots: number;
        state: string;
        inbox: string | null;
      }>(
        database.db,
        sql`
        select (select count(*)::int from ballot_codes where round_id = ${round.id}) as issued,
               (select count(distinct u.code_id)::int from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${round.id}) as used,
               (select count(*)::int from ballots where round_id = ${round.id}) as ballots,
               (select state from ballot_rounds where id = ${round.id}) as state,
               to_regclass(${`ballot_inbox_r${round.id}`})::text as inbox`,
      );
      if (raw!.state !== 'closed' || raw!.inbox)
        violations.push(`${label}: after the close: state ${raw!.state}, inbox ${raw!.inbox ?? 'dropped'}`);
      return { verdict, raw: raw! };
    } finally {
      await database.close();
    }
  };
  const onPrimary = await verify('primary', cluster.url(cluster.primary));
  const onStandby = await verify('standby', cluster.url(cluster.standby));
  // The reconciliation route, on the primary.
  const database = await openPostgres(cluster.multiUrl, 3);
  const app = await buildApp({ database, config: { passwordCost: { N: 1024, r: 8, p: 1 } } });
  let recLine = '';
  try {
    const admin = await signIn(app, w.users.admin.username);
    const rec = (await admin.get(`/api/ballot-rounds/${round.id}/reconciliation?attendees=${total}`)).json() as {
      codes: Array<{ category: string; issued: number; used: number }>;
      reporters: Array<{ ballotsCounted: number }>;
    };
    const recCodes = rec.codes.find((c) => c.category === 'committee');
    const recBallots = rec.reporters.reduce((s, r) => s + r.ballotsCounted, 0);
    if (recCodes?.issued !== onPrimary.raw.issued || recCodes?.used !== onPrimary.raw.used)
      violations.push(`reconciliation codes ${JSON.stringify(recCodes)} vs raw ${JSON.stringify(onPrimary.raw)}`);
    if (recBallots !== onPrimary.raw.ballots)
      violations.push(`reconciliation counts ${recBallots} ballots, raw ${onPrimary.raw.ballots}`);
    recLine = `reconciliation: ${recBallots} ballots, ${recCodes?.used} codes used = raw`;
    // The checker itself: a lost acknowledged ballot must be caught.
    const ghost = queue[0] ?? {
      ...sent[0]!,
      code: codeFromBytes(Uint8Array.from({ length: 10 }, () => between(0, 256))),
    };
    const fake: Sent = {
      ...ghost,
      first: 'acked',
      acked: new Set(ghost.reporters),
      unknown: new Set(),
      waiting: [],
      round: 0,
    };
    const v1 = await checkAgainstAcks(database.db as Db, round.id, [...sent, fake], queue.slice(1));
    if (!v1.violations.some((x) => x.startsWith('acknowledged ballot missing')))
      violations.push('self-test: the checker missed a lost acknowledged ballot');
  } finally {
    await app.close();
    await database.close();
  }
  violations.push(...relink.violations);

  // ---- report ------------------------------------------------------------------------------------------------
  console.log(
    `\n[failover] ${cluster instanceof PatroniCluster ? `Patroni + etcd (${cluster.etcd.length} members, passwords, REST auth, watchdog ${cluster.watchdogState().startsWith('active') ? 'active' : 'unavailable'})` : 'script'}: ${table.length} rounds (${kinds.filter((k) => k === 'kill').length} kill -9 of the primary, ${kinds.filter((k) => k === 'partition').length} partition of the standby then kill -9${kinds.includes('etcd') ? `, ${kinds.filter((k) => k === 'etcd').length} with an etcd member dead then kill -9` : ''}), seed ${SEED},` +
      ` ${CLIENTS} concurrent phones, kill ${KILL_AFTER_MS.join('–')} ms after the round's first answer, ${elapsed.toFixed(0)} s, load ${load()} (${os.cpus().length} cores)`,
  );
  console.log(
    `  throughput (${THROUGHPUT_CODES} phones each, ${CLIENTS} at once): synchronous standby ${syncRun.perSec.toFixed(0)} ballots/s (p99 ${syncRun.p99.toFixed(0)} ms),` +
      ` asynchronous ${asyncRun.perSec.toFixed(0)} ballots/s (p99 ${asyncRun.p99.toFixed(0)} ms): ratio sync/async ${(syncRun.perSec / asyncRun.perSec).toFixed(2)}`,
  );
  console.log(
    '  round kind        kill@ms  sent acked unknown  promote-ms  kill→first-ack-ms  p99-ms  max-ms  rebuilt  streaming-ms',
  );
  for (const r of table) {
    console.log(
      `  ${String(r.n).padStart(5)} ${r.kind.padEnd(10)} ${String(r.killAfterMs).padStart(8)} ${String(r.sent).padStart(5)} ${String(r.acked).padStart(5)} ${String(r.unknown).padStart(7)}` +
        ` ${String(r.promoteMs).padStart(11)} ${String(r.firstAckMs ?? '—').padStart(18)} ${r.p99.toFixed(0).padStart(7)} ${r.maxMs.toFixed(0).padStart(7)}  ${r.rebuild.padEnd(8)} ${String(r.streamingMs).padStart(12)}` +
        (r.kind === 'partition'
          ? `   (cut → health degraded ${r.detectMs} ms; acknowledged while cut: ${r.ackedWhileCut}${STANDBY_MODE === 'continue' ? `; cut → synchronous off ${r.offMs} ms, warning logged: ${r.warned ? 'yes' : 'no'}` : ''})`
          : ''),
    );
  }
  const firsts = table
    .map((r) => r.firstAckMs)
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  if (firsts.length)
    console.log(
      `  kill → first acknowledged vote: median ${firsts[Math.floor(firsts.length / 2)]} ms, max ${firsts.at(-1)} ms`,
    );
  const ackedBallots = sent.reduce((n, s) => n + s.acked.size, 0);
  console.log(
    `  total: ${sent.length} phones, ${ackedBallots} ballots acknowledged; unknown outcome: ${onPrimary.verdict.unknownPresent} stored, ${onPrimary.verdict.unknownAbsent} absent`,
  );
  console.log(`  close under fire: ${closeLog.join('; ')}`);
  console.log(
    `  primary: ${onPrimary.raw.ballots} ballots, ${onPrimary.raw.used} codes used; standby: ${onStandby.raw.ballots} ballots, ${onStandby.raw.used} codes used; ${recLine}`,
  );
  for (const l of relink.lines) console.log(`  ${l}`);
  if (STANDBY_MODE === 'continue') {
    for (const t of table)
      if (t.kind === 'partition' && (t.offMs ?? -1) < 0)
        violations.push(
          `round ${t.n}: synchronous replication was not switched off while the standby was cut off (STANDBY_MODE=continue)`,
        );
    for (const t of table)
      if (t.kind === 'partition' && !t.ackedWhileCut)
        violations.push(
          `round ${t.n}: no ballot acknowledged while the standby was cut off (STANDBY_MODE=continue should go on)`,
        );
    for (const t of table)
      if (t.kind === 'partition' && !t.warned)
        violations.push(`round ${t.n}: the app logged no warning when synchronous replication went off`);
  } else
    for (const t of table)
      if (t.kind === 'partition' && (t.ackedWhileCut ?? 0) > 0)
        violations.push(`round ${t.n}: ${t.ackedWhileCut} ballots acknowledged while the standby was cut off`);
  for (const t of table)
    if (t.kind === 'partition' && (t.detectMs ?? -1) < 0)
      violations.push(`round ${t.n}: /api/health never said degraded while the standby was cut off`);
  for (const f of findings) console.log(`  FINDING: ${f}`);
  if (violations.length) {
    console.log(`  FAIL: ${violations.length} violation(s)`);
    for (const x of violations.slice(0, 60)) console.log(`    - ${x}`);
  } else {
    console.log(
      '  PASS: every acknowledged ballot stored exactly once on the primary and on the standby; ballots = code uses; reconciliation = raw counts; relink bound held on both servers',
    );
  }
  console.log(
    `  more: FAILOVER_ROUNDS=50 FAILOVER_CLIENTS=500 FAILOVER_CODES_PER_ROUND=1500 npm run proof:failover; replay with FAILOVER_SEED=${SEED}`,
  );
  await cluster.dispose();
  return violations.length === 0 && findings.length === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  async (e) => {
    console.error(e);
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        /* best effort */
      }
    }
    process.exit(1);
  },
);
