// The relink attack of tests/integration/ballot-secrecy.test.ts (decision 017), run by the failover proof against
// each server of the cluster after a round cast in a known order across a failover (issue 19): 60 slips cast one
// after another with marker texts, the primary killed half-way, the standby promoted; after the close, every method
// of the test tries to pair ballots with slips on the primary's and on the standby's own data — tables, system
// columns and the raw files of each data directory, WAL included. None may pair more than 7 (the test's bound:
// chance pairs about Poisson(1) of 60, P(≥ 8) < 1e-5). The methods are the test's, in the same order.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dataFiles, matchesIn } from '../../tests/setup/data-files';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/server/app';
import { type Db, openPostgres, queryRows } from '../../src/server/db/connect';
import { meetingAgendaItems, meetings } from '../../src/server/db/schema';
import { hashCode } from '../../src/server/modules/ballots/secret';
import { type BallotWorld, roundWithCodes } from '../../tests/integration/ballots-fixtures';
import { signIn } from '../../tests/factories';
import type { FailoverCluster } from './pg-cluster';
import { csrfOf, request } from './phones';

const N = 60;
const BOUND = 7;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const byOrder = (ranked: number[]) => ranked.filter((i, rank) => i === rank).length;
const ctidKey = (ctid: string) => {
  const [block, item] = ctid.slice(1, -1).split(',').map(Number);
  return block! * 100_000 + item!;
};

/**
 * One phone casting its one ballot until it is told it counts (200, or "already voted" after asking again), or until
 * it has been told "pending" several times in a row: a ballot left below the minimum group waits in the app for the
 * close (decision 017), which this round's close is — waiting longer would wait for ever. Whether every ballot was
 * then stored is checked after the close (60 of 60 on each server).
 */
async function castUntilCounted(port: number, body: string) {
  for (let again = false, i = 0, pending = 0; i < 200; i++, again = true) {
    const r = await request(port, 'POST', '/api/vote/ballots', body);
    if (r.status === 200) return;
    if (again && r.status === 409 && r.text.includes('CODE_USED')) return;
    pending = r.status === 202 ? pending + 1 : 0;
    if (pending >= 5) return;
    await sleep(r.status === 202 ? 1500 : 1000);
  }
  throw new Error('a relink ballot was never counted');
}

export async function relinkRound(o: {
  port: number;
  cluster: FailoverCluster;
  w: BallotWorld;
  failover(): Promise<void>;
}) {
  const violations: string[] = [];
  const lines: string[] = [];
  const run = randomBytes(4).toString('hex').toUpperCase();
  const marker = (i: number) => `SCRT${run}B${String(i).padStart(3, '0')}Z`;
  const MARKER = new RegExp(`SCRT${run}B(\\d{3})Z`, 'g');
  const castOf = (problems: string | null) => Number(problems!.slice(-4, -1));

  // An in-process app for creating the round (the fixtures sign in through inject); phones and the close go to the
  // app under test, whose mixer holds the waiting ballots.
  const database = await openPostgres(o.cluster.multiUrl, 3);
  const app = await buildApp({ database, config: { passwordCost: { N: 1024, r: 8, p: 1 } } });
  let roundId: number;
  let slipOfCodeId: Map<number, number>;
  try {
    const admin = await signIn(app, o.w.users.admin.username);
    // A meeting holds one real round: the relink round gets a meeting of its own, with the same agenda.
    const [meeting] = await database.db
      .insert(meetings)
      .values({
        campaignId: o.w.campaign.id,
        title: '失效切换后匿名性检验',
        meetingDate: o.w.meeting.meetingDate,
        place: '镇会议室',
      })
      .returning();
    let pos = 0;
    for (const r of o.w.reporters)
      await database.db
        .insert(meetingAgendaItems)
        .values({ meetingId: meeting!.id, reporterId: r.id, position: ++pos });
    const w = { ...o.w, meeting: meeting!, sessions: { ...o.w.sessions, admin } } as BallotWorld;
    const { round, codes } = await roundWithCodes(database.db, w, { mode: 'real', codes: { committee: N } });
    roundId = round.id;
    const printed = codes.committee!;
    const rows = await queryRows<{ id: number; code_hash: string }>(
      database.db,
      sql`select id, code_hash from ballot_codes where round_id = ${round.id}`,
    );
    const idOfHash = new Map(rows.map((r) => [r.code_hash, Number(r.id)]));
    slipOfCodeId = new Map(printed.map((c, i) => [idOfHash.get(hashCode(c))!, i]));
    const casts: Array<Promise<void>> = [];
    let failover: Promise<void> | null = null;
    for (let i = 0; i < N; i++) {
      casts.push(
        castUntilCounted(
          o.port,
          JSON.stringify({
            code: printed[i],
            roomCode: round.roomCode,
            ballots: [{ reporterId: o.w.r1.id, grade: 'good', problems: marker(i) }],
          }),
        ),
      );
      await sleep(30);
      if (i === N / 2) failover = o.failover();
    }
    await failover;
    await Promise.all(casts);
    for (let i = 0; ; i++) {
      const r = await request(
        o.port,
        'POST',
        `/api/ballot-rounds/${round.id}/close`,
        JSON.stringify({ attendees: N }),
        {
          cookie: `sp_sid=${admin.cookie}`,
          'x-csrf-token': await csrfOf(o.port, admin.cookie),
        },
      );
      if (r.status === 200 || (r.status === 409 && r.text.includes('NOT_OPEN'))) break;
      if (i === 20) throw new Error(`relink round not closed: ${r.status} ${r.text}`);
      await sleep(1000);
    }
    // What the close says it removed and what the servers keep anyway (traces.ts): printed with the links.
    const got = await request(o.port, 'GET', `/api/ballot-rounds/${round.id}`, undefined, {
      cookie: `sp_sid=${admin.cookie}`,
    });
    const secrecy = (JSON.parse(got.text) as { secrecy?: { walPurged: boolean; walMs: number; warnings: string[] } })
      .secrecy;
    lines.push(
      `relink round's close: WAL purged ${secrecy?.walPurged ?? '?'} in ${secrecy?.walMs ?? '?'} ms; warnings: ${secrecy?.warnings.length ? secrecy.warnings.join(' / ') : 'none'}`,
    );
  } finally {
    await app.close();
    await database.close();
  }

  // The standby replays the close, then a restartpoint (CHECKPOINT on a standby) lets it drop the WAL it no longer
  // needs, as the close's CHECKPOINT does on the primary (decision 017 names a standby's WAL as residue until then).
  const lsn = await o.cluster.psql(o.cluster.primary, 'select pg_current_wal_lsn()');
  for (
    let i = 0;
    i < 100 && (await o.cluster.psql(o.cluster.standby, `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`)) !== 't';
    i++
  )
    await sleep(100);
  await o.cluster.psql(o.cluster.standby, 'checkpoint');

  for (const [label, i] of [
    ['primary', o.cluster.primary],
    ['standby', o.cluster.standby],
  ] as const) {
    const db = await openPostgres(o.cluster.url(i), 2);
    try {
      const ballots = await queryRows<{ xmin: string; ctid: string; id: string; problems: string | null }>(
        db.db as Db,
        sql`
        select xmin::text as xmin, ctid::text as ctid, id::text as id, problems from ballots where round_id = ${roundId} and reporter_id = ${o.w.r1.id}`,
      );
      const uses = await queryRows<{ code_id: number; xmin: string; ctid: string }>(
        db.db as Db,
        sql`
        select u.code_id, u.xmin::text as xmin, u.ctid::text as ctid from ballot_code_uses u join ballot_codes c on c.id = u.code_id
        where c.round_id = ${roundId} and u.reporter_id = ${o.w.r1.id}`,
      );
      if (ballots.length !== N)
        violations.push(`relink (${label}): ${ballots.length} ballots stored, ${N} cast and acknowledged`);
      const links: Record<string, number> = {};
      links['same xmin'] = ballots.filter((b) => {
        const same = uses.filter((u) => u.xmin === b.xmin);
        return same.length === 1 && slipOfCodeId.get(Number(same[0]!.code_id)) === castOf(b.problems);
      }).length;
      const order = <T extends { xmin: string; ctid: string }>(list: T[]) =>
        [...list].sort((a, b) => Number(a.xmin) - Number(b.xmin) || ctidKey(a.ctid) - ctidKey(b.ctid));
      const usesInOrder = order(uses).map((u) => slipOfCodeId.get(Number(u.code_id))!);
      links['xmin order'] = order(ballots).filter((b, rank) => usesInOrder[rank] === castOf(b.problems)).length;
      links['ctid order'] = byOrder(
        [...ballots].sort((a, b) => ctidKey(a.ctid) - ctidKey(b.ctid)).map((b) => castOf(b.problems)),
      );
      links['id order'] = byOrder([...ballots].sort((a, b) => a.id.localeCompare(b.id)).map((b) => castOf(b.problems)));
      const [dbOid] = await queryRows<{ oid: number }>(
        db.db as Db,
        sql`select oid::int as oid from pg_database where datname = current_database()`,
      );
      const dir = o.cluster.nodes[i].dataDir;
      const found = (paths: string[]) => matchesIn(paths, MARKER).map((m) => Number(m[1]));
      const inHeap = found(dataFiles(dir, (r) => r.startsWith(path.join('base', String(dbOid!.oid)))));
      const inWal = found(dataFiles(dir, (r) => r.startsWith('pg_wal')));
      links['data file byte order'] = byOrder(inHeap);
      links['WAL byte order'] = byOrder(inWal);
      const asTable = inWal.length > 0 && inWal.length % N === 0 && inWal.every((x, k) => x === inHeap[k % N]);
      lines.push(
        `relink (${label}, ${N} ballots cast in a known order, primary killed after ${N / 2}): correct links per method (bound ${BOUND}): ${JSON.stringify(links)}; ballot texts in its WAL: ${inWal.length}${inWal.length ? `, in the table files' order: ${asTable ? 'yes' : 'no'}` : ''} (the mixed table's own pages, logged after the close when a read sets hint bits with wal_log_hints on, hold each text once in table order; voting-time batches would add ${N} more)`,
      );
      for (const [method, n] of Object.entries(links))
        if (n > BOUND) violations.push(`relink (${label}): ${method} links ${n} of ${N}`);
    } finally {
      await db.close();
    }
  }
  return { violations, lines };
}
