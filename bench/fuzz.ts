// Issue 8, fuzzing: FUZZ_REQUESTS (default 100,000) generated malformed or hostile requests across every route of the
// app (taken from its OpenAPI document), in-process through app.inject with ~1.5 % over a real socket. Oracles and
// generators: bench/lib/fuzz.ts. Exits non-zero on any violation. About 3 % of the mixed batches' requests start an
// upload-then-read sequence (a real file to an upload route, then GETs of the same resource; issue 15).
//   npm run proof:fuzz                         (PGlite)
//   FUZZ_DB=postgres npm run proof:fuzz        (a throwaway PostgreSQL 15 from bench/lib/pg-server.ts)
//   FUZZ_SEED=1234 FUZZ_REQUESTS=5000 npm run proof:fuzz   (replay a seed)
import os from 'node:os';
import { buildApp } from '../src/server/app';
import { type Database, openPglite, openPostgres } from '../src/server/db/connect';
import { TEST_COST, testClock } from '../tests/factories';
import { buildBallotWorld, roundWithCodes } from '../tests/integration/ballots-fixtures';
import { FAILURE_RECORDING, histogram, runFuzz } from './lib/fuzz';
import { startPostgres, type PgServer } from './lib/pg-server';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KIND = process.env.FUZZ_DB === 'postgres' ? 'postgres' : 'pglite';

let uncaught = 0,
  unhandled = 0;
process.on('uncaughtException', (e) => {
  uncaught++;
  console.error('uncaughtException', e);
});
process.on('unhandledRejection', (e) => {
  unhandled++;
  console.error('unhandledRejection', e);
});

console.log(
  `fuzz: ${REQUESTS} requests, seed ${SEED} (FUZZ_SEED=${SEED} to replay), database ${KIND}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${os.cpus().length} cpus`,
);

let pg: PgServer | undefined;
let database: Database;
if (KIND === 'postgres') {
  pg = await startPostgres();
  database = await openPostgres(pg.url, 10);
} else {
  database = await openPglite(undefined);
}
await database.migrate();
const app = await buildApp({ database, clock: testClock(), config: { passwordCost: TEST_COST } });
const w = await buildBallotWorld(database.db, app);
await roundWithCodes(database.db, w, { codes: { committee: 20 } });
// The reporting secretary's own report: upload-then-read sequences aim at it (issue 15).
const report = await w.sessions.secretary.post('/api/reports/open', { reporterId: w.r1.id });
if (report.statusCode !== 200) throw new Error(`open report: ${report.statusCode} ${report.body}`);

let exit = 0;
try {
  const stats = await runFuzz({
    app,
    database,
    adminId: w.users.admin.id,
    requests: REQUESTS,
    seed: SEED,
    progressEvery: 5000,
    log: console.log,
    secretaryId: w.users.secretary.id,
    focusIds: [report.json().id as number],
  });
  const secs = stats.elapsedMs / 1000;
  const fivexx = [...stats.statuses.entries()].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  console.log(`\nrequests: ${stats.requests} (${stats.overHttp} over a real socket), routes: ${stats.perRoute.size}`);
  console.log(`status histogram: ${histogram(stats.statuses)}`);
  console.log(`5xx: ${fivexx}`);
  console.log(`rejected-only batches checked against table checksums: ${stats.batchesChecked}`);
  console.log(
    `tables allowed to change on rejected requests: ${Object.entries(FAILURE_RECORDING)
      .map(([t, f]) => `${t} (${f.why})`)
      .join('; ')}; column ballot_codes.room_failures`,
  );
  console.log(`uncaughtException: ${uncaught}, unhandledRejection: ${unhandled}`);
  console.log(
    `upload-then-read sequences: ${stats.sequences}; reads after an upload: ${histogram(stats.readsAfterUpload)}`,
  );
  console.log(
    `uploads (route, file, caller → status):\n${[...stats.uploads.entries()]
      .sort()
      .map(([k, v]) => `  ${v}\t${k}`)
      .join('\n')}`,
  );
  console.log(`elapsed: ${secs.toFixed(1)} s, ${(stats.requests / secs).toFixed(0)} req/s, seed ${SEED}`);
  console.log(
    `time in requests: ${(stats.sendMs / 1000).toFixed(1)} s, in change log + checksums: ${(stats.checkMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `slowest requests:\n${stats.slowest
      .slice(0, 10)
      .map(([ms, d]) => `  ${ms.toFixed(0)} ms ${d}`)
      .join('\n')}`,
  );
  console.log(
    `per route:\n${[...stats.perRoute.entries()]
      .sort()
      .map(([k, v]) => `  ${v}\t${k}`)
      .join('\n')}`,
  );
  if (stats.violations.length) {
    console.log(`\nVIOLATIONS (${stats.violations.length}):`);
    for (const v of stats.violations.slice(0, 100)) console.log(`  ${v}`);
    exit = 1;
  }
  if (fivexx || uncaught || unhandled) exit = 1;
} finally {
  await app.close();
  await database.close();
  pg?.dispose();
}
console.log(exit ? 'FAIL' : 'OK: zero 5xx, zero uncaught errors, no rows changed by rejected requests');
process.exit(exit);
