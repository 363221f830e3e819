import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CODE_ALPHABET, codeFromBytes } from '../../src/domain/ballot-codes';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { parseEnv } from '../../src/server/env';
import { hashCode, initCodeSecret, resetCodeSecretForTests } from '../../src/server/modules/ballots/secret';
import { VOTE_FAILURE_LIMIT, VOTE_FAILURE_WINDOW_MS } from '../../src/server/modules/ballots/vote-limit';
import { freshDatabase } from '../setup/db';
import { TEST_COST, testClock } from '../factories';
import {
  ballotCount,
  type BallotWorld,
  buildBallotWorld,
  roundBallotRows,
  roundWithCodes,
  vote,
} from './ballots-fixtures';

/**
 * Issue 5, security and bad input on the phone endpoints: the code key comes through env.ts (required in
 * production, generated and kept under DATA_DIR otherwise); unknown codes are limited per client address across
 * app processes while successful votes never count; malformed or replayed requests count nothing twice.
 */
const HAN = /[\u4e00-\u9fa5]/;
const HEX = 'ab'.repeat(32);

describe('BALLOT_CODE_SECRET through env.ts', () => {
  afterAll(() => {
    resetCodeSecretForTests();
  });

  it('production without the secret stops at startup with a clear Chinese message; a bad value is refused anywhere', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /BALLOT_CODE_SECRET: 生产环境（NODE_ENV=production）必须设置 BALLOT_CODE_SECRET/,
    );
    expect(() => parseEnv({ NODE_ENV: 'production', BALLOT_CODE_SECRET: '' })).toThrow(/必须设置/);
    expect(() => parseEnv({ BALLOT_CODE_SECRET: 'secret' })).toThrow(/BALLOT_CODE_SECRET 应为64位十六进制字符/);
    // AUDIT_CHAIN_KEY is required in production as well (audit chain, decision 013).
    expect(parseEnv({ NODE_ENV: 'production', BALLOT_CODE_SECRET: HEX, AUDIT_CHAIN_KEY: HEX }).BALLOT_CODE_SECRET).toBe(
      HEX,
    );
    expect(parseEnv({}).BALLOT_CODE_SECRET).toBeUndefined();
  });

  it('the server process itself refuses to start in production without it', () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATA_DIR: mkdtempSync(path.join(tmpdir(), 'spk-')),
        PORT: '0',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('BALLOT_CODE_SECRET');
    expect(out.stderr).toContain('生产环境');
  }, 150_000);

  it('elsewhere a key is generated once under DATA_DIR (0600) and reused on the next start', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spk-'));
    try {
      expect(initCodeSecret({ DATA_DIR: dir })).toBe('generated');
      const file = path.join(dir, 'ballot-code.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
      const first = hashCode('ABCDEFGHJKL');
      resetCodeSecretForTests();
      expect(initCodeSecret({ DATA_DIR: dir })).toBe('file');
      expect(hashCode('ABCDEFGHJKL')).toBe(first);
      // The environment's key wins over the file.
      expect(initCodeSecret({ DATA_DIR: dir, BALLOT_CODE_SECRET: HEX })).toBe('env');
      expect(hashCode('ABCDEFGHJKL')).not.toBe(first);
    } finally {
      resetCodeSecretForTests();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('phone endpoints', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let w: BallotWorld;
  let roundId: number;
  let roomCode: string;
  let codes: string[];
  let clock = testClock();

  // Each test votes in a round of its own (beforeEach: database, app, clock, key) and first takes the steps it comes
  // after (limitGuesser), so the tests run in any order; the key is set again after the env.ts tests reset it.
  beforeEach(async () => {
    clock = testClock();
    resetCodeSecretForTests();
    database = await freshDatabase();
    // app.inject comes from 127.0.0.1: trusted as the proxy, so `from(ip)` (X-Forwarded-For) names the client.
    app = await buildApp({ database, clock, config: { passwordCost: TEST_COST, trustProxy: ['loopback'] } });
    w = await buildBallotWorld(database.db, app);
    // A rehearsal stores each ballot at once (a real round waits for the minimum group: ballot-secrecy.test.ts).
    const made = await roundWithCodes(database.db, w, { mode: 'rehearsal', codes: { committee: 20 } });
    roundId = made.round.id;
    roomCode = made.round.roomCode;
    codes = made.codes.committee!;
  }, 120_000);
  afterEach(async () => {
    await app?.close();
    await database?.close();
  });

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const one = (code: string, reporterId = w.r1.id) => ({ code, roomCode, ballots: [{ reporterId, grade: 'good' }] });
  /** A well-formed code (right check character) that was never issued: what a guesser sends. */
  const stranger = () => codeFromBytes(randomBytes(10));
  /** A code with a wrong check character: what a typo gives. */
  const typo = (c: string) =>
    c.slice(0, -1) + CODE_ALPHABET[(CODE_ALPHABET.indexOf(c.at(-1)!) + 1) % CODE_ALPHABET.length];

  describe('R-VOTE-3 failed code attempts are limited per client address', () => {
    const venue = '198.51.100.20';
    const guesser = '203.0.113.9';
    /** The guesser's part of the first test: the limit's worth of unknown codes from one address. */
    const limitGuesser = async () => {
      for (let i = 0; i < VOTE_FAILURE_LIMIT; i++)
        expect((await vote(app, one(stranger()), from(guesser))).statusCode).toBe(404);
    };

    it('successful votes and typos never count; unknown codes do, and the address then waits with RATE_LIMITED', async () => {
      // A venue NAT: many phones, many votes, plenty of typos — never limited.
      for (const c of codes.slice(0, 10)) expect((await vote(app, one(c), from(venue))).statusCode).toBe(200);
      for (let i = 0; i < VOTE_FAILURE_LIMIT + 10; i++) {
        const res = await vote(app, one(typo(codes[10]!)), from(venue));
        expect(res.json().code).toBe('CODE_MISTYPED');
      }
      expect((await vote(app, one(codes[10]!), from(venue))).statusCode).toBe(200);

      // A guesser: the first 30 unknown codes get their normal answer, then even a real code is refused.
      for (let i = 0; i < VOTE_FAILURE_LIMIT; i++) {
        const res = await vote(app, one(stranger()), from(guesser));
        expect(res.statusCode, `attempt ${i + 1}`).toBe(404);
        expect(res.json().code).toBe('CODE_UNKNOWN');
      }
      const before = await ballotCount(database.db);
      const limited = await vote(app, one(codes[11]!), from(guesser));
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/次数过多.*10分钟后再试/),
      });
      const sheet = await app.inject({
        method: 'POST',
        url: '/api/vote/sheet',
        payload: { code: codes[11]!, roomCode },
        headers: from(guesser),
      });
      expect(sheet.statusCode).toBe(429);
      expect(await ballotCount(database.db)).toBe(before);

      // Other addresses are untouched; the venue keeps voting.
      expect((await vote(app, one(codes[12]!), from(venue))).statusCode).toBe(200);
    });

    it('the limit holds on another app process on the same database, and ends with the window', async () => {
      await limitGuesser();
      const other = await buildApp({ database, clock, config: { passwordCost: TEST_COST, trustProxy: ['loopback'] } });
      try {
        const res = await vote(other, one(codes[11]!), from(guesser));
        expect(res.statusCode).toBe(429);
        expect(res.json().message).toMatch(HAN);
        clock.advance(VOTE_FAILURE_WINDOW_MS + 1000);
        // Past the window: both processes let the address vote again (the other one re-reads after 2 s at most).
        expect((await vote(app, one(codes[11]!), from(guesser))).statusCode).toBe(200);
        await new Promise((r) => setTimeout(r, 2100));
        expect((await vote(other, one(codes[13]!), from(guesser))).statusCode).toBe(200);
      } finally {
        await other.close();
      }
    }, 60_000);

    it('the failure rows carry an address and a time only: no code, round or reporter', async () => {
      await limitGuesser();
      const cols = await queryRows<{ column_name: string }>(
        database.db,
        sql`
        select column_name from information_schema.columns where table_name = 'vote_failures' order by ordinal_position`,
      );
      expect(cols.map((c) => c.column_name)).toEqual(['id', 'ip', 'at']);
      const dump = JSON.stringify(await queryRows(database.db, sql`select * from vote_failures`));
      for (const c of codes) {
        expect(dump).not.toContain(c);
        expect(dump).not.toContain(hashCode(c));
      }
    });
  });

  describe('R-VOTE-3 bad input: 4xx in Chinese, nothing counted twice, nothing lost', () => {
    it('malformed bodies, types and sizes are refused before anything is written', async () => {
      const c = codes[14]!;
      const ballot = { reporterId: w.r1.id, grade: 'good' };
      const raw = (payload: string, type = 'application/json') =>
        app.inject({ method: 'POST', url: '/api/vote/ballots', payload, headers: { 'content-type': type } });
      const cases: Array<[string, () => ReturnType<typeof raw>]> = [
        ['empty body', () => raw('')],
        ['null', () => raw('null')],
        ['an array', () => raw(JSON.stringify([one(c)]))],
        ['a string', () => raw('"vote"')],
        ['form-encoded', () => raw('code=x', 'application/x-www-form-urlencoded')],
        ['no code', () => vote(app, { roomCode, ballots: [ballot] })],
        ['no room code', () => vote(app, { code: c, ballots: [ballot] })],
        ['no ballots', () => vote(app, { code: c, roomCode })],
        ['ballots not a list', () => vote(app, { code: c, roomCode, ballots: ballot })],
        ['code too long', () => vote(app, { code: 'A'.repeat(41), roomCode, ballots: [ballot] })],
        ['room code too long', () => vote(app, { code: c, roomCode: '1'.repeat(13), ballots: [ballot] })],
        ['reporter id a word', () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, reporterId: 'abc' }] })],
        ['reporter id zero', () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, reporterId: 0 }] })],
        ['reporter id negative', () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, reporterId: -1 }] })],
        ['reporter id fraction', () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, reporterId: 1.5 }] })],
        [
          'reporter id past int4',
          () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, reporterId: 2 ** 31 }] }),
        ],
        ['grade missing', () => vote(app, { code: c, roomCode, ballots: [{ reporterId: w.r1.id }] })],
        ['grade as its label', () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, grade: '好' }] })],
        ['grade a number', () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, grade: 1 }] })],
        ['grade null', () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, grade: null }] })],
        [
          'suggestions over the limit',
          () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, suggestions: '议'.repeat(501) }] }),
        ],
        ['problems not text', () => vote(app, { code: c, roomCode, ballots: [{ ...ballot, problems: ['a'] }] })],
        [
          'over 200 ballots',
          () =>
            vote(app, {
              code: c,
              roomCode,
              ballots: Array.from({ length: 201 }, (_, i) => ({ reporterId: i + 1, grade: 'good' })),
            }),
        ],
        [
          'a valid ballot beside an unknown reporter',
          () => vote(app, { code: c, roomCode, ballots: [ballot, { reporterId: 999_999, grade: 'good' }] }),
        ],
      ];
      const before = await ballotCount(database.db);
      for (const [name, send] of cases) {
        const res = await send();
        expect(res.statusCode, name).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, name).toBeLessThan(500);
        expect(res.json().message, name).toMatch(HAN);
      }
      expect(await ballotCount(database.db)).toBe(before);
      // The code was not consumed by any of it: the slip still votes, for every reporter.
      const ok = await vote(app, {
        code: c,
        roomCode,
        ballots: w.reporters.map((r) => ({ reporterId: r.id, grade: 'fair', problems: '问'.repeat(500) })),
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().accepted.sort()).toEqual(w.reporters.map((r) => r.id).sort());
      expect(await ballotCount(database.db)).toBe(before + 3);
    });

    it('the sheet endpoint refuses malformed bodies too', async () => {
      for (const payload of [
        {},
        { code: codes[15]! },
        { code: codes[15]!, roomCode, extra: 1 },
        { code: 5, roomCode },
      ]) {
        const res = await app.inject({ method: 'POST', url: '/api/vote/sheet', payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().message).toMatch(HAN);
      }
    });

    it('replays: the same request again counts nothing; a partly new one counts only the new reporters', async () => {
      const c = codes[15]!;
      const first = { code: c, roomCode, ballots: [{ reporterId: w.r1.id, grade: 'good' }] };
      expect((await vote(app, first)).statusCode).toBe(200);
      const before = await ballotCount(database.db);
      const again = await Promise.all([vote(app, first), vote(app, first), vote(app, first)]);
      for (const res of again) {
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ code: 'CODE_USED', message: expect.stringMatching(HAN) });
      }
      expect(await ballotCount(database.db)).toBe(before);
      const mixed = await vote(app, {
        code: c,
        roomCode,
        ballots: [
          { reporterId: w.r1.id, grade: 'poor' },
          { reporterId: w.r2.id, grade: 'good' },
        ],
      });
      expect(mixed.statusCode).toBe(200);
      expect(mixed.json()).toEqual({ accepted: [w.r2.id], alreadyVoted: [w.r1.id], pending: [] });
      expect(await ballotCount(database.db)).toBe(before + 1);
      expect(
        (await roundBallotRows(database.db, roundId)).filter((b) => b.reporter_id === w.r1.id && b.grade === 'poor'),
      ).toEqual([]);
    });

    it('after closing: refused with a Chinese message, the count unchanged', async () => {
      const closed = await w.sessions.admin.post(`/api/ballot-rounds/${roundId}/close`, { attendees: 30 });
      expect(closed.statusCode).toBe(200);
      const before = await ballotCount(database.db);
      const res = await vote(app, one(codes[16]!));
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'VOTING_CLOSED', message: '本轮测评已结束，不能再投票' });
      const sheet = await app.inject({
        method: 'POST',
        url: '/api/vote/sheet',
        payload: { code: codes[16]!, roomCode },
      });
      expect(sheet.statusCode).toBe(409);
      expect(await ballotCount(database.db)).toBe(before);
    });
  });
});
