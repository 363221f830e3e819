import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { freshDatabase } from '../setup/db';
import { TEST_COST, testClock } from '../factories';
import { type BallotWorld, buildBallotWorld, roundBallotRows, roundWithCodes, vote } from './ballots-fixtures';

/**
 * Decision 017 with several app processes on one PostgreSQL: each holds its own waiting ballots. Closing on one
 * process first has the others write theirs (through LISTEN/NOTIFY), so a phone that was told "pending" by any
 * process is counted; one slip used on two processes at once still yields one ballot per reporter.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('ballots across app processes (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let a: Awaited<ReturnType<typeof buildApp>>;
  let b: Awaited<ReturnType<typeof buildApp>>;
  let w: BallotWorld;

  beforeAll(async () => {
    database = await freshDatabase();
    const clock = testClock();
    a = await buildApp({ database, clock, config: { passwordCost: TEST_COST, voteWaitMs: 500 } });
    // A second process: its own pool (so its own application_name and instance), its own mixer.
    const second = await freshDatabaseOnSame(database);
    b = await buildApp({ database: second, clock, config: { passwordCost: TEST_COST, voteWaitMs: 500 } });
    w = await buildBallotWorld(database.db, a);
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await b?.deps.database.close();
    await a?.close();
    await database?.close();
  });

  it('ballots waiting on another process are stored by the close; one slip on two processes counts once', async () => {
    const { round, codes } = await roundWithCodes(database.db, w, { mode: 'real', codes: { committee: 10 } });
    const one = (code: string, grade: string) => ({
      code,
      roomCode: round.roomCode,
      ballots: [{ reporterId: w.r1.id, grade }],
    });
    // Three on B and one on A: fewer than five on each, so all wait.
    const onB = await Promise.all(codes.committee!.slice(0, 3).map((c) => vote(b, one(c, 'good'))));
    expect(onB.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    // The same slip on both processes at once, with different grades.
    const twice = await Promise.all([
      vote(a, one(codes.committee![3]!, 'fair')),
      vote(b, one(codes.committee![3]!, 'poor')),
    ]);
    expect(twice.map((r) => r.statusCode)).toEqual([202, 202]);
    expect(await roundBallotRows(database.db, round.id)).toEqual([]);

    const closed = await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: 10 });
    expect(closed.statusCode, closed.body).toBe(200);
    const stored = await roundBallotRows(database.db, round.id);
    expect(stored).toHaveLength(4);
    expect(stored.filter((s) => s.grade === 'good')).toHaveLength(3);
    expect(stored.filter((s) => s.grade === 'fair' || s.grade === 'poor')).toHaveLength(1);
    const [uses] = await queryRows<{ n: number }>(
      database.db,
      sql`
      select count(*)::int as n from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${round.id}`,
    );
    expect(Number(uses!.n)).toBe(4);
    // Every phone asking again now learns its ballot was counted (409 "already voted", which the page reads as done).
    for (const c of codes.committee!.slice(0, 4)) {
      const again = await vote(b, one(c, 'good'));
      expect(again.json().code).toBe('CODE_USED');
    }
  }, 120_000);
});

/** Another pool on the same test database, as a second app process would open. */
async function freshDatabaseOnSame(d: Awaited<ReturnType<typeof freshDatabase>>) {
  const { openPostgres } = await import('../../src/server/db/connect');
  const pool = (d.db as unknown as { $client: { options: { connectionString: string } } }).$client;
  return openPostgres(pool.options.connectionString, 5);
}
