import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dataFiles, matchesIn } from '../setup/data-files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgCluster } from '../../bench/lib/pg-cluster';
import { buildApp } from '../../src/server/app';
import { type Database, openPostgres } from '../../src/server/db/connect';
import { TEST_COST, testClock } from '../factories';
import { type BallotWorld, buildBallotWorld, roundWithCodes, vote } from './ballots-fixtures';

/**
 * Issue 19 on top of decision 017: the operator's relink through the write-ahead log when the server has a
 * synchronous standby. Such a server keeps WAL on purpose: wal_keep_size (128 MB here, as in the failover proof) and
 * the standby's replication slot on the primary, and on the standby everything until its next restartpoint. Before
 * this test, the close's one WAL switch and checkpoint left the voting-time batches readable in both servers' pg_wal
 * (the failover proof found them: WAL byte order linked 10 of 60). Now no ballot text may be left in either
 * server's WAL after the close, while both servers' table files hold every ballot once.
 *
 * Needs the PostgreSQL binaries, so it runs in the PostgreSQL pass of scripts/test.mjs (TEST_DATABASE_URL set); it
 * starts its own primary + synchronous standby (bench/lib/pg-cluster.ts) rather than touching the shared server.
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const N = 12;
const run = randomBytes(4).toString('hex').toUpperCase();
const marker = (i: number) => `SCRT${run}W${String(i).padStart(3, '0')}Z`;
const MARKER = new RegExp(`SCRT${run}W(\\d{3})Z`, 'g');

function markersIn(paths: string[]): number[] {
  return matchesIn(paths, MARKER)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

let cluster: PgCluster;
let database: Database;
let app: Awaited<ReturnType<typeof buildApp>>;
let w: BallotWorld;

describe.runIf(onPostgres)('ballot secrecy with a synchronous standby (issue 19, decision 017)', () => {
  beforeAll(async () => {
    cluster = await PgCluster.create(true);
    // Reads go to the standby, as a province's reports do (DATABASE_READ_URL): the close also cleans it.
    database = await openPostgres(cluster.multiUrl, 5, cluster.url(cluster.standby));
    await database.migrate();
    app = await buildApp({ database, clock: testClock(), config: { passwordCost: TEST_COST, voteWaitMs: 2_000 } });
    w = await buildBallotWorld(database.db, app);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await database?.close();
    await cluster?.dispose();
  });

  it('after the close no ballot text is left in the WAL of the primary or of the standby', async () => {
    const { round, codes } = await roundWithCodes(database.db, w, { mode: 'real', codes: { committee: N } });
    const answers = await Promise.all(
      codes.committee!.map((code, i) =>
        vote(app, {
          code,
          roomCode: round.roomCode,
          ballots: [{ reporterId: w.r1.id, grade: 'good', problems: marker(i) }],
        }),
      ),
    );
    // A ballot left alone below the minimum group waits for the close (202, counted by it): both are acknowledged.
    expect(answers.every((a) => a.statusCode === 200 || a.statusCode === 202)).toBe(true);
    const closed = await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: N });
    expect(closed.statusCode, closed.body).toBe(200);
    const report = closed.json().secrecy as { walPurged: boolean; warnings: string[] };
    expect(report.walPurged).toBe(true);
    // Nothing this close could not remove: the standby confirmed, the replica made its restartpoint.
    expect(report.warnings.filter((m) => m.includes('复制槽尚未确认') || m.includes('只读副本'))).toEqual([]);

    for (const [label, i] of [
      ['primary', cluster.primary],
      ['standby', cluster.standby],
    ] as const) {
      const dir = cluster.nodes[i].dataDir;
      const wal = dataFiles(path.join(dir, 'pg_wal'));
      expect(markersIn(wal), `ballot texts in the ${label}'s WAL`).toEqual([]);
      // The scan can see them: each ballot is in the table files once (the standby's flushed by its restartpoint).
      expect(markersIn(dataFiles(path.join(dir, 'base'))), `ballot texts in the ${label}'s tables`).toEqual([
        ...Array(N).keys(),
      ]);
    }
  }, 240_000);
});
