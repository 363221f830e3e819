import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { definePrepared, preparedRows, queryRows } from '../../src/server/db/connect';
import { freshDatabase } from '../setup/db';
import { TEST_COST, testClock } from '../factories';
import { ballotCount, type BallotWorld, buildBallotWorld, roundWithCodes, vote } from './ballots-fixtures';

/**
 * The cast runs as a prepared statement; on PGlite its values travel as literals of an EXECUTE. Whatever a phone
 * sends must arrive in the ballot byte for byte and never become SQL; the live-count notification is sent after
 * the ballot committed, outside its statement.
 */
let app: Awaited<ReturnType<typeof buildApp>>;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let w: BallotWorld;

beforeAll(async () => {
  database = await freshDatabase();
  app = await buildApp({ database, clock: testClock(), config: { passwordCost: TEST_COST } });
  w = await buildBallotWorld(database.db, app);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const NASTY = [
  "x'); delete from ballots; --", "它's \\' \\\\ \"引号\"", '$1 $$ $tag$ $3::jsonb', 'emoji 🗳️ 与 \t 制表符\n换行',
  "convert_from(decode('00', 'hex'), 'UTF8')", '问'.repeat(500),
];

describe('ballot cast statement', () => {
  it('stores free texts exactly as sent, SQL-looking or not, and a quote in the room code is only a wrong room code', async () => {
    const { round, codes } = await roundWithCodes(database.db, w, { mode: 'rehearsal', codes: { committee: NASTY.length + 1 } });
    for (const [i, text] of NASTY.entries()) {
      const res = await vote(app, { code: codes.committee![i]!, roomCode: round.roomCode, ballots: [{ reporterId: w.r1.id, grade: 'fair', problems: text, suggestions: `建议${text}`.slice(0, 500) }] });
      expect(res.statusCode, text).toBe(200);
    }
    const stored = await queryRows<{ problems: string; suggestions: string }>(database.db, sql`select problems, suggestions from ballots where round_id = ${round.id}`);
    // trimmed like every free text
    expect(stored.map((s) => s.problems).sort()).toEqual(NASTY.map((t) => t.trim()).sort());
    expect(stored.map((s) => s.suggestions).sort()).toEqual(NASTY.map((t) => `建议${t}`.slice(0, 500).trim()).sort());

    const last = codes.committee![NASTY.length]!;
    const bad = await vote(app, { code: last, roomCode: "1'--", ballots: [{ reporterId: w.r1.id, grade: 'good' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('ROOM_CODE_WRONG');
    expect(await ballotCount(database.db)).toBe(NASTY.length);
    expect((await vote(app, { code: last, roomCode: round.roomCode, ballots: [{ reporterId: w.r1.id, grade: 'good' }] })).statusCode).toBe(200);
    expect((await vote(app, { code: last, roomCode: round.roomCode, ballots: [{ reporterId: w.r1.id, grade: 'good' }] })).json().code).toBe('CODE_USED');
    expect(await ballotCount(database.db)).toBe(NASTY.length + 1);
  }, 120_000);

  it('a prepared statement passes integers, nulls and texts, also inside a transaction', async () => {
    const echo = definePrepared('test_echo', 'select $1::int as n, $2::text as t, $3::text as z', ['int', 'text', 'text']);
    const text = "a'b\\c $1 问";
    for (let i = 0; i < 3; i++) {
      expect(await preparedRows(database.db, echo, [i, text, null])).toEqual([{ n: i, t: text, z: null }]);
    }
    const inTx = await database.db.transaction((tx) => preparedRows(tx, echo, [7, text, null]));
    expect(inTx).toEqual([{ n: 7, t: text, z: null }]);
    await expect(preparedRows(database.db, echo, [1.5, text, null])).rejects.toThrow();
  });
});
