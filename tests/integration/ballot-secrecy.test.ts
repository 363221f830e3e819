import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { type Database, openPglite, queryRows } from '../../src/server/db/connect';
import { hashCode } from '../../src/server/modules/ballots/secret';
import { freshDatabase } from '../setup/db';
import { PGLITE_TEMPLATE } from '../setup/paths';
import { dataFiles, matchesIn } from '../setup/data-files';
import { TEST_COST, testClock } from '../factories';
import { type BallotWorld, buildBallotWorld, roundWithCodes, vote } from './ballots-fixtures';

/**
 * Issue 14, decision 017: the relink attack of an operator who, after the round closes, holds the whole database
 * (every table and system column: xmin, ctid), its files and write-ahead log, the server log, the key that hashes
 * the codes, the printed slips and who received which slip. 60 ballots are cast with known codes in a known order,
 * each carrying a unique marker text; every method below tries to say which slip (so which person) cast which
 * ballot, and none may do better than chance.
 *
 * The bound: a method that pairs the n-th ballot it ranks with the n-th slip is a random permutation of 60 when it
 * knows nothing, whose number of correct pairs is about Poisson(1): P(≥ 8) < 1e-5. So no method may link more
 * than 7 of 60. Before decision 017, same-xmin linked 60 of 60, and so did xmin order, ctid order and WAL order.
 *
 * Runs on PGlite (its data directory is a temporary folder here) and, with TEST_DATABASE_URL, on PostgreSQL; the
 * file methods there need TEST_PG_DATA_DIR (scripts/test.mjs sets it, and starts the server with
 * track_commit_timestamp on, so commit times are one more thing to try).
 *
 * Each test reads the whole database, its files and the whole server log, so each takes a database, a data directory
 * (on PGlite), an app and a captured log of its own (beforeEach), and the tests run in any order (decision 024).
 */
const N = 60;
const BOUND = 7;
const K = 5;
const run = randomBytes(4).toString('hex').toUpperCase();
const marker = (kind: string, i: number) => `SCRT${run}${kind}${String(i).padStart(3, '0')}Z`;
const MARKER = new RegExp(`SCRT${run}([A-Z])(\\d{3})Z`, 'g');

let database: Database;
let dataDir: string | null = null;
let pgliteDir: string | null = null;
let app: Awaited<ReturnType<typeof buildApp>>;
let w: BallotWorld;
const logLines: string[] = [];

beforeEach(async () => {
  logLines.length = 0;
  if (process.env.TEST_DATABASE_URL) {
    database = await freshDatabase();
    dataDir = process.env.TEST_PG_DATA_DIR ?? null;
  } else {
    pgliteDir = mkdtempSync(path.join(tmpdir(), 'spk-secrecy-'));
    database = await openPglite(pgliteDir, new Blob([readFileSync(PGLITE_TEMPLATE)]));
    dataDir = pgliteDir;
  }
  // The production log level, captured: whatever it writes is the operator's.
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  app = await buildApp({
    database,
    clock: testClock(),
    config: { passwordCost: TEST_COST, voteWaitMs: 60_000 },
    logger: { level: 'info', stream },
  });
  w = await buildBallotWorld(database.db, app);
}, 120_000);

afterEach(async () => {
  await app?.close();
  await database?.close();
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
  pgliteDir = null;
});

/** Markers of `kind` found in the files, in file-then-byte order: what reading the raw files gives. */
function markersInFiles(paths: string[], kind: string): number[] {
  return matchesIn(paths, MARKER)
    .filter((m) => m[1] === kind)
    .map((m) => Number(m[2]));
}

/** How many of the ranked ballots sit at the rank of their own cast: a guess by order. */
const byOrder = (ranked: number[]) => ranked.filter((i, rank) => i === rank).length;

async function ourDataFiles() {
  if (!dataDir) return null;
  if (database.kind === 'pglite')
    return {
      heap: dataFiles(dataDir, (r) => !r.startsWith('pg_wal')),
      wal: dataFiles(dataDir, (r) => r.startsWith('pg_wal')),
    };
  const [db] = await queryRows<{ oid: number }>(
    database.db,
    sql`select oid::int as oid from pg_database where datname = current_database()`,
  );
  return {
    heap: dataFiles(dataDir, (r) => r.startsWith(path.join('base', String(db!.oid)))),
    wal: dataFiles(dataDir, (r) => r.startsWith('pg_wal')),
  };
}

/** The round's phone ballots wherever they are now: an inbox table while voting (decision 017), or `ballots`. */
async function storedBallots(roundId: number) {
  const inboxes = await queryRows<{ t: string }>(
    database.db,
    sql`
    select tablename as t from pg_tables where schemaname = current_schema() and tablename = ${`ballot_inbox_r${roundId}`}`,
  );
  const source = inboxes.length ? sql.identifier(inboxes[0]!.t) : sql`ballots`;
  const where = inboxes.length ? sql`true` : sql`round_id = ${roundId}`;
  return queryRows<{ xmin: string; ctid: string; id: string | null; problems: string | null; reporter_id: number }>(
    database.db,
    sql`
    select xmin::text as xmin, ctid::text as ctid, ${inboxes.length ? sql`null` : sql`id::text`} as id, problems, reporter_id
    from ${source} where ${where}`,
  );
}

async function codeUses(roundId: number) {
  return queryRows<{ code_id: number; reporter_id: number; xmin: string; ctid: string }>(
    database.db,
    sql`
    select u.code_id, u.reporter_id, u.xmin::text as xmin, u.ctid::text as ctid
    from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${roundId}`,
  );
}

const ctidKey = (ctid: string) => {
  const [block, item] = ctid.slice(1, -1).split(',').map(Number);
  return block! * 100_000 + item!;
};

describe('ballot secrecy against the operator (R-VOTE-2, decision 017)', () => {
  it('a purged rehearsal leaves no ballot text readable anywhere in the data directory, WAL included', async () => {
    const { round, codes } = await roundWithCodes(database.db, w, { mode: 'rehearsal', codes: { committee: 12 } });
    const answers = await Promise.all(
      codes.committee!.map((code, i) =>
        vote(app, {
          code,
          roomCode: round.roomCode,
          ballots: [{ reporterId: w.r1.id, grade: 'good', problems: marker('R', i) }],
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(200));
    expect((await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: 12 })).statusCode).toBe(
      200,
    );
    expect((await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/purge`, { confirm: true })).json()).toEqual({
      ballots: 12,
    });
    // The server log: a vote leaves no line.
    expect(logLines.filter((l) => l.includes('/api/vote'))).toEqual([]);
    const found = await ourDataFiles();
    if (!found) return;
    expect(markersInFiles([...found.heap, ...found.wal], 'R')).toEqual([]);
  }, 120_000);

  it(`${N} ballots in a known order: during voting no group is smaller than ${K}; after the close no method links more than ${BOUND}`, async () => {
    const { round, codes } = await roundWithCodes(database.db, w, {
      mode: 'real',
      codes: { committee: N, deputies: 3 },
    });
    const printed = codes.committee!;
    // Slip → code row: what the printed sheet and the hashing key give the operator (and the id order of the rows).
    const rows = await queryRows<{ id: number; code_hash: string }>(
      database.db,
      sql`select id, code_hash from ballot_codes where round_id = ${round.id}`,
    );
    const idOfHash = new Map(rows.map((r) => [r.code_hash, Number(r.id)]));
    const slipOfCodeId = new Map(printed.map((c, i) => [idOfHash.get(hashCode(c))!, i]));
    const idRank = [...slipOfCodeId.entries()].sort((a, b) => a[0] - b[0]).map(([, slip]) => slip);
    expect(byOrder(idRank), 'code row ids follow the printed order').toBeLessThanOrEqual(BOUND);

    // Three deputies vote first: alone in their group they wait, and a snapshot holds nothing of them.
    const deputies = codes.deputies!.map((code, i) =>
      vote(app, {
        code,
        roomCode: round.roomCode,
        ballots: [{ reporterId: w.r2.id, grade: 'fair', problems: marker('D', i) }],
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const early = await storedBallots(round.id);
    expect(early.filter((b) => b.reporter_id === w.r2.id)).toEqual([]);
    expect((await codeUses(round.id)).filter((u) => u.reporter_id === w.r2.id)).toEqual([]);

    // Slip i is cast i-th, 20 ms apart; the answers are awaited at the end.
    const pending: Array<Promise<{ statusCode: number }>> = [];
    for (let i = 0; i < N; i++) {
      pending.push(
        vote(app, {
          code: printed[i]!,
          roomCode: round.roomCode,
          ballots: [{ reporterId: w.r1.id, grade: 'good', problems: marker('B', i) }],
        }),
      );
      await new Promise((r) => setTimeout(r, 20));
      if (i === 37) {
        // A snapshot during voting: each stored ballot shares its transaction with at least K code uses.
        const ballots = await storedBallots(round.id);
        const uses = await codeUses(round.id);
        expect(ballots.length).toBeGreaterThan(0);
        for (const b of ballots) {
          const sameTx = uses.filter((u) => u.xmin === b.xmin && u.reporter_id === b.reporter_id);
          expect(
            sameTx.length,
            `ballot ${b.problems} shares its xmin with ${sameTx.length} code uses`,
          ).toBeGreaterThanOrEqual(K);
        }
      }
    }
    expect((await Promise.all(pending)).every((r) => r.statusCode === 200)).toBe(true);
    const closed = await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: N + 3 });
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await Promise.all(deputies)).map((r) => r.statusCode)).toEqual([200, 200, 200]);

    // ---- the operator, after the close -------------------------------------------------------------------
    const ballots = (await storedBallots(round.id)).filter((b) => b.reporter_id === w.r1.id);
    const uses = (await codeUses(round.id)).filter((u) => u.reporter_id === w.r1.id);
    expect(ballots).toHaveLength(N);
    const castOf = (b: { problems: string | null }) => Number(b.problems!.slice(-4, -1));
    const links: Record<string, number> = {};

    // 1. Same transaction: a ballot whose xmin only one code use shares.
    links['same xmin'] = ballots.filter((b) => {
      const same = uses.filter((u) => u.xmin === b.xmin);
      return same.length === 1 && slipOfCodeId.get(Number(same[0]!.code_id)) === castOf(b);
    }).length;
    // 2. Transaction order of ballots against transaction order of code uses.
    const order = <T extends { xmin: string; ctid: string }>(list: T[]) =>
      [...list].sort((a, b) => Number(a.xmin) - Number(b.xmin) || ctidKey(a.ctid) - ctidKey(b.ctid));
    const usesInOrder = order(uses).map((u) => slipOfCodeId.get(Number(u.code_id))!);
    links['xmin order'] = order(ballots).filter((b, rank) => usesInOrder[rank] === castOf(b)).length;
    // 3. Physical order against casting order.
    links['ctid order'] = byOrder([...ballots].sort((a, b) => ctidKey(a.ctid) - ctidKey(b.ctid)).map(castOf));
    // 4. Row id order.
    links['id order'] = byOrder([...ballots].sort((a, b) => String(a.id).localeCompare(String(b.id))).map(castOf));
    // 5. Commit time order, where the server records it.
    const [tct] = await queryRows<{ on: string }>(
      database.db,
      sql`select current_setting('track_commit_timestamp') as on`,
    );
    if (tct?.on === 'on') {
      const times = await queryRows<{ problems: string; t: string | null }>(
        database.db,
        sql`
        select problems, pg_xact_commit_timestamp(xmin)::text as t from ballots where round_id = ${round.id} and reporter_id = ${w.r1.id}
        order by pg_xact_commit_timestamp(xmin), ctid`,
      );
      links['commit time order'] = byOrder(times.map((t) => castOf(t)));
    }
    // 6. The raw files: byte order of the ballot texts in the data files, and in the write-ahead log.
    const found = await ourDataFiles();
    if (found) {
      const inHeap = markersInFiles(found.heap, 'B');
      const inWal = markersInFiles(found.wal, 'B');
      links['data file byte order'] = byOrder(inHeap);
      links['WAL byte order'] = byOrder(inWal);
      // Nothing but the mixed rows is left: each text once in the table files, none in what the inbox was.
      expect([...inHeap].sort((a, b) => a - b)).toEqual([...Array(N).keys()]);
      expect(inWal, 'ballot texts still in the write-ahead log').toEqual([]);
      expect(markersInFiles([...found.heap, ...found.wal], 'D').sort()).toEqual([0, 1, 2]);
    }
    // 7. The server log: a vote leaves no line, so no time or address to join on.
    const voteLines = logLines.filter((l) => l.includes('/api/vote'));
    links['log lines'] = voteLines.length;
    expect(voteLines).toEqual([]);

    console.log(
      `ballot secrecy (${database.kind}): correct links of ${N} per method (bound ${BOUND}): ${JSON.stringify(links)}; code rows in print order: ${byOrder(idRank)}`,
    );
    for (const [method, n] of Object.entries(links)) expect(n, method).toBeLessThanOrEqual(BOUND);
    const report = (await w.sessions.admin.get(`/api/ballot-rounds/${round.id}`)).json();
    expect(report.state).toBe('closed');
  }, 240_000);
});
