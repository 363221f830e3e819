// The crash and failover proofs' shared start: a seeded random source, and the world their phones vote in — a
// campaign, a meeting with three reporters, an open real round and `total` codes whose hashes go straight into the
// printed batch (as bench/ballots.bench.ts does), each code queued with one to three ballots as the phone page sends
// them (several at once after a full sheet).
import { sql } from 'drizzle-orm';
import { codeFromBytes } from '../../src/domain/ballot-codes';
import { GRADES } from '../../src/domain/grades';
import { buildApp } from '../../src/server/app';
import { type Database, queryRows } from '../../src/server/db/connect';
import { hashCode } from '../../src/server/modules/ballots/secret';
import { buildBallotWorld, roundWithCodes } from '../../tests/integration/ballots-fixtures';
import { prng } from './fuzz';
import type { Sent } from './phones';

/** The same seed replays the same run (fuzz.ts's mulberry32): `rand` in [0, 1), `between(lo, hi)` in [lo, hi). */
export function seeded(seed: number) {
  const { next: rand } = prng(seed);
  const between = (lo: number, hi: number) => Math.floor(lo + rand() * (hi - lo));
  return { rand, between };
}

/** Builds the world on a migrated database (the caller closes it) and returns the phones' queue. */
export async function phoneWorld(database: Database, total: number, { rand, between }: ReturnType<typeof seeded>) {
  const app = await buildApp({ database, config: { passwordCost: { N: 1024, r: 8, p: 1 } } });
  const w = await buildBallotWorld(database.db, app);
  const { round, codes: first } = await roundWithCodes(database.db, w, { mode: 'real', codes: { committee: 1 } });
  const [batch] = await queryRows<{ id: number }>(
    database.db,
    sql`select id from ballot_code_batches where round_id = ${round.id}`,
  );
  const codes = new Set<string>([first.committee![0]!]);
  while (codes.size < total) codes.add(codeFromBytes(Uint8Array.from({ length: 10 }, () => between(0, 256))));
  const all = [...codes];
  for (let i = 1; i < all.length; i += 1000) {
    const chunk = all.slice(i, i + 1000).map((c) => sql`(${batch!.id}, ${round.id}, 'committee', ${hashCode(c)})`);
    await database.db.execute(
      sql`insert into ballot_codes (batch_id, round_id, category, code_hash) values ${sql.join(chunk, sql`, `)}`,
    );
  }
  const reporters = [w.r1.id, w.r2.id, w.down.id];
  const queue: Sent[] = all.map((code) => {
    const pick = reporters.filter(() => rand() < 0.6);
    const reps = pick.length ? pick : [reporters[between(0, 3)]!];
    const ballots = new Map(
      reps.map((id) => [
        id,
        { reporterId: id, grade: GRADES[between(0, 4)], ...(rand() < 0.3 ? { problems: '会议记录不全' } : {}) },
      ]),
    );
    return {
      code,
      reporters: reps,
      ballots,
      roomCode: round.roomCode,
      round: 0,
      first: 'unsent',
      acked: new Set(),
      waiting: [],
      unknown: new Set(),
      detail: 'not sent',
    } satisfies Sent;
  });
  await app.close();
  return { w, round, queue, adminCookie: w.sessions.admin.cookie };
}
