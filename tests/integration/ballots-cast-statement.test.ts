import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { normalizeCode } from '../../src/domain/ballot-codes';
import { inboxName } from '../../src/server/modules/ballots/inbox';
import { writeBatch } from '../../src/server/modules/ballots/mixer';
import { hashCode } from '../../src/server/modules/ballots/secret';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../src/server/app';
import { definePrepared, preparedRows, queryRows } from '../../src/server/db/connect';
import { freshDatabase } from '../setup/db';
import { TEST_COST, testClock } from '../factories';
import {
  ballotCount,
  type BallotWorld,
  buildBallotMeeting,
  buildBallotWorld,
  roundBallotRows,
  roundWithCodes,
  vote,
} from './ballots-fixtures';

/**
 * The code lookup runs as a prepared statement (on PGlite its values travel as literals of an EXECUTE) and ballots
 * are written in batches (mixer.ts). Whatever a phone sends must arrive in the ballot byte for byte and never
 * become SQL; a batch and a close never interleave, so a vote racing the close is counted or refused, never lost.
 *
 * Tests run in any order (decision 024): the file's database holds one ballot world, and every test takes a meeting of
 * its own (beforeEach), so its rounds — a meeting holds one open round and one real round — are its own. A test that
 * counts the ballots of the whole database, or watches the database's lock waits, takes a database of its own
 * (ownDatabase).
 */
let app: Awaited<ReturnType<typeof buildApp>>;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let w: BallotWorld;
let shared: { app: typeof app; database: typeof database; world: BallotWorld };

async function ballotApp() {
  const d = await freshDatabase();
  const a = await buildApp({ database: d, clock: testClock(), config: { passwordCost: TEST_COST } });
  return { app: a, database: d, world: await buildBallotWorld(d.db, a) };
}

beforeAll(async () => {
  shared = await ballotApp();
}, 60_000);
afterAll(async () => {
  await shared?.app.close();
  await shared?.database.close();
});
let meetings = 0;
beforeEach(async () => {
  ({ app, database } = shared);
  const meeting = await buildBallotMeeting(database.db, shared.world, `甲一镇述职评议会（第${++meetings}场）`);
  w = { ...shared.world, meeting };
}, 60_000);

/** For a test that reads the whole database: a fresh one with the same ballot world, closed after the test. */
async function ownDatabase() {
  const own = await ballotApp();
  onTestFinished(async () => {
    await own.app.close();
    await own.database.close();
  });
  ({ app, database, world: w } = own);
}

const NASTY = [
  "x'); delete from ballots; --",
  '它\'s \\\' \\\\ "引号"',
  '$1 $$ $tag$ $3::jsonb',
  'emoji 🗳️ 与 \t 制表符\n换行',
  "convert_from(decode('00', 'hex'), 'UTF8')",
  '问'.repeat(500),
];

/**
 * 240 phones, each rating two reporters, start 0–60 ms apart; the close comes `closeAfter` ms in. Every phone must be
 * counted (200) or told VOTING_CLOSED — never a 5xx — and the ballots stored are exactly the acknowledged ones.
 */
async function raceTheClose(mode: 'rehearsal' | 'real', closeAfter: number) {
  const n = 240;
  const { round, codes } = await roundWithCodes(database.db, w, { mode, codes: { committee: n } });
  const answers: Array<{ status: number; code?: string }> = [];
  const votes = codes.committee!.map(async (code, i) => {
    await new Promise((r) => setTimeout(r, (i * 7) % 60));
    const res = await vote(app, {
      code,
      roomCode: round.roomCode,
      ballots: [
        { reporterId: w.r1.id, grade: 'good' },
        { reporterId: w.r2.id, grade: 'fair' },
      ],
    });
    answers[i] = { status: res.statusCode, code: res.statusCode === 200 ? undefined : res.json().code };
  });
  await new Promise((r) => setTimeout(r, closeAfter));
  const closed = await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: n });
  expect(closed.statusCode, closed.body).toBe(200);
  await Promise.all(votes);
  const refused = answers.filter((a) => a.status !== 200);
  expect(
    refused.filter((a) => a.code !== 'VOTING_CLOSED'),
    JSON.stringify(refused.slice(0, 5)),
  ).toEqual([]);
  expect((await roundBallotRows(database.db, round.id)).length).toBe((answers.length - refused.length) * 2);
  return round;
}

describe('ballot cast statement', () => {
  it('closing waits for votes in flight: no ballot lands after the close, every acknowledged one is counted', async () => {
    const n = 60;
    const { round, codes } = await roundWithCodes(database.db, w, { mode: 'rehearsal', codes: { committee: n } });
    const acks: boolean[] = [];
    const votes = codes.committee!.map(async (code, i) => {
      // Spread the votes around the close so some are in flight while it runs (on PostgreSQL they truly overlap).
      await new Promise((r) => setTimeout(r, i % 20));
      const res = await vote(app, {
        code,
        roomCode: round.roomCode,
        ballots: [{ reporterId: w.r1.id, grade: 'good' }],
      });
      acks[i] = res.statusCode === 200;
      if (!acks[i]) expect(res.json().code, res.body).toBe('VOTING_CLOSED');
    });
    await new Promise((r) => setTimeout(r, 8));
    const closed = await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: n });
    expect(closed.statusCode, closed.body).toBe(200);
    const inRound = async () => (await roundBallotRows(database.db, round.id)).length;
    const atClose = await inRound();
    await Promise.all(votes);
    expect(await inRound()).toBe(atClose);
    expect(acks.filter(Boolean).length).toBe(atClose);
    const [codesOpen] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from ballot_codes where round_id = ${round.id} and not closed`,
    );
    expect(Number(codesOpen!.n)).toBe(0);
    // A rehearsal is cleared by its purge, which answers with the number of ballots it removed.
    expect((await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/purge`, { confirm: true })).json()).toEqual({
      ballots: atClose,
    });
  }, 120_000);

  it('votes racing the close are each counted (acknowledged) or refused with VOTING_CLOSED, never a server error', async () => {
    // 240 phones against one close, over several rounds so the close lands at different moments of the burst.
    for (const closeAfter of [5, 20, 45]) {
      const round = await raceTheClose('rehearsal', closeAfter);
      expect((await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/purge`, { confirm: true })).statusCode).toBe(
        200,
      );
    }
  }, 240_000);

  // Deterministic on PostgreSQL (PGlite runs one statement at a time, so nothing is ever in flight there): a
  // second connection holds a vote, or a close, half-way, and the other side must wait for it.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'on PostgreSQL a vote in flight is counted before the close returns; a vote during the close is refused',
    async () => {
      // pg_stat_activity of the whole database: no other test's connection may be waiting there.
      await ownDatabase();
      const pool = (database.db as unknown as { $client: pg.Pool }).$client;
      const waitingOnLock = async () => {
        for (let i = 0; i < 200; i++) {
          const r = await pool.query(
            `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
          );
          if (r.rows[0].n > 0) return true;
          await new Promise((res) => setTimeout(res, 25));
        }
        return false;
      };
      // A rehearsal's ballots stay in its inbox until the purge (inbox.ts).
      const roundCount = async (id: number) =>
        Number((await pool.query(`select count(*)::int as n from ${inboxName(id)}`)).rows[0].n);

      // 1. A batch holds the round (uncommitted); closing waits for it, and its ballot is counted.
      const a = await roundWithCodes(database.db, w, { mode: 'rehearsal', codes: { committee: 2 } });
      const held = await pool.connect();
      try {
        await held.query('begin');
        await held.query('select 1 from ballot_rounds where id = $1 for share', [a.round.id]);
        const [code] = (
          await held.query('select id from ballot_codes where code_hash = $1', [
            hashCode(normalizeCode(a.codes.committee![0]!)),
          ])
        ).rows;
        await held.query('insert into ballot_code_uses (code_id, reporter_id) values ($1, $2)', [code.id, w.r1.id]);
        await held.query(
          `insert into ${inboxName(a.round.id)} (reporter_id, category, grade) values ($1, 'committee', 'good')`,
          [w.r1.id],
        );
        let closedAt = -1;
        const closing = w.sessions.admin
          .post(`/api/ballot-rounds/${a.round.id}/close`, { attendees: 2 })
          .then(async (res) => {
            closedAt = await roundCount(a.round.id);
            return res;
          });
        expect(await waitingOnLock()).toBe(true);
        await held.query('commit');
        expect((await closing).statusCode).toBe(200);
        expect(closedAt).toBe(1);
      } finally {
        held.release();
      }
      await w.sessions.admin.post(`/api/ballot-rounds/${a.round.id}/purge`, { confirm: true });

      // 2. A close holds the codes (uncommitted); a vote arriving now waits, then finds voting closed.
      const b = await roundWithCodes(database.db, w, { mode: 'rehearsal', codes: { committee: 2 } });
      const closer = await pool.connect();
      try {
        await closer.query('begin');
        await closer.query('select 1 from ballot_rounds where id = $1 for no key update', [b.round.id]);
        await closer.query('update ballot_codes set closed = true where round_id = $1', [b.round.id]);
        const voting = vote(app, {
          code: b.codes.committee![0]!,
          roomCode: b.round.roomCode,
          ballots: [{ reporterId: w.r1.id, grade: 'good' }],
        });
        expect(await waitingOnLock()).toBe(true);
        await closer.query(`update ballot_rounds set state = 'closed', attendees = 2 where id = $1`, [b.round.id]);
        await closer.query('commit');
        const res = await voting;
        expect(res.statusCode).toBe(409);
        expect(res.json().code).toBe('VOTING_CLOSED');
        expect(await roundCount(b.round.id)).toBe(0);
      } finally {
        closer.release();
      }
      await w.sessions.admin.post(`/api/ballot-rounds/${b.round.id}/purge`, { confirm: true });
    },
    120_000,
  );

  it('stores free texts exactly as sent, SQL-looking or not, and a quote in the room code is only a wrong room code', async () => {
    // Counts the phone ballots of the whole database (ballotCount): a bad vote must land nowhere.
    await ownDatabase();
    const { round, codes } = await roundWithCodes(database.db, w, {
      mode: 'rehearsal',
      codes: { committee: NASTY.length + 1 },
    });
    for (const [i, text] of NASTY.entries()) {
      const res = await vote(app, {
        code: codes.committee![i]!,
        roomCode: round.roomCode,
        ballots: [{ reporterId: w.r1.id, grade: 'fair', problems: text, suggestions: `建议${text}`.slice(0, 500) }],
      });
      expect(res.statusCode, text).toBe(200);
    }
    const stored = await roundBallotRows(database.db, round.id);
    // trimmed like every free text
    expect(stored.map((s) => s.problems).sort()).toEqual(NASTY.map((t) => t.trim()).sort());
    expect(stored.map((s) => s.suggestions).sort()).toEqual(NASTY.map((t) => `建议${t}`.slice(0, 500).trim()).sort());

    const last = codes.committee![NASTY.length]!;
    const bad = await vote(app, { code: last, roomCode: "1'--", ballots: [{ reporterId: w.r1.id, grade: 'good' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('ROOM_CODE_WRONG');
    expect(await ballotCount(database.db)).toBe(NASTY.length);
    expect(
      (await vote(app, { code: last, roomCode: round.roomCode, ballots: [{ reporterId: w.r1.id, grade: 'good' }] }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await vote(app, { code: last, roomCode: round.roomCode, ballots: [{ reporterId: w.r1.id, grade: 'good' }] })
      ).json().code,
    ).toBe('CODE_USED');
    expect(await ballotCount(database.db)).toBe(NASTY.length + 1);
    expect(
      (await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: NASTY.length + 1 })).statusCode,
    ).toBe(200);
    expect((await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/purge`, { confirm: true })).statusCode).toBe(
      200,
    );
  }, 120_000);

  it('a prepared statement passes integers, nulls and texts, also inside a transaction', async () => {
    const echo = definePrepared('test_echo', 'select $1::int as n, $2::text as t, $3::text as z', [
      'int',
      'text',
      'text',
    ]);
    const text = "a'b\\c $1 问";
    for (let i = 0; i < 3; i++) {
      expect(await preparedRows(database.db, echo, [i, text, null])).toEqual([{ n: i, t: text, z: null }]);
    }
    const inTx = await database.db.transaction((tx) => preparedRows(tx, echo, [7, text, null]));
    expect(inTx).toEqual([{ n: 7, t: text, z: null }]);
    await expect(preparedRows(database.db, echo, [1.5, text, null])).rejects.toThrow();
  });

  it('a batch whose group would fall below the minimum (a code used meanwhile) stores nothing; without it, five are stored', async () => {
    const { round, codes } = await roundWithCodes(database.db, w, { mode: 'rehearsal', codes: { committee: 6 } });
    const ids = await Promise.all(
      codes.committee!.map(async (c) =>
        Number(
          (
            await queryRows<{ id: number }>(
              database.db,
              sql`select id from ballot_codes where code_hash = ${hashCode(normalizeCode(c))}`,
            )
          )[0]!.id,
        ),
      ),
    );
    // The first code rated r1 on another process a moment ago.
    await database.db.execute(sql`insert into ballot_code_uses (code_id, reporter_id) values (${ids[0]!}, ${w.r1.id})`);
    const item = (codeId: number) => ({
      codeId,
      category: 'committee',
      reporterId: w.r1.id,
      grade: 'good',
      problems: null,
      suggestions: null,
    });
    const usesOf = async () =>
      Number(
        (
          await queryRows<{ n: number }>(
            database.db,
            sql`
      select count(*)::int as n from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${round.id}`,
          )
        )[0]!.n,
      );
    const err = await writeBatch(database.db, round.id, ids.slice(0, 5).map(item), 5).catch((e) => e);
    expect(err?.answered).toEqual(new Map([[`${ids[0]}:${w.r1.id}`, 'already']]));
    expect(await usesOf()).toBe(1);
    expect((await roundBallotRows(database.db, round.id)).length).toBe(0);
    const out = await writeBatch(database.db, round.id, ids.map(item), 5);
    expect([...out.values()].sort()).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'already']);
    expect((await roundBallotRows(database.db, round.id)).length).toBe(5);
    expect((await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/close`, { attendees: 6 })).statusCode).toBe(
      200,
    );
    expect((await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/purge`, { confirm: true })).statusCode).toBe(
      200,
    );
  }, 120_000);

  it('a real round: votes racing the close are stored in batches or at the close, or refused with VOTING_CLOSED; never a 5xx', async () => {
    const round = await raceTheClose('real', 30);
    const [uses] = await queryRows<{ n: number }>(
      database.db,
      sql`
      select count(*)::int as n from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${round.id}`,
    );
    expect(Number(uses!.n)).toBe((await roundBallotRows(database.db, round.id)).length);
  }, 240_000);
});
