// Issue 8, fuzzing (small variant of bench/fuzz.ts, same generators and oracles in bench/lib/fuzz.ts): a fixed seed,
// every route of the app, malformed and hostile requests as an org_admin with a valid CSRF token and as anonymous or
// bad-token callers. No 5xx, every 4xx a Chinese { code, message }, no row changed by a rejected request, nothing
// thrown uncaught. FUZZ_TEST_REQUESTS overrides the size.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAILURE_RECORDING, histogram, runFuzz } from '../../bench/lib/fuzz';
import { setupTestApp } from '../factories';
import { buildBallotWorld, roundWithCodes, type BallotWorld } from './ballots-fixtures';

const REQUESTS = Number(process.env.FUZZ_TEST_REQUESTS ?? 1000);
// Fixed so CI replays one run. The routes list feeds the generator, so adding routes moves the run: 82026 stopped
// reaching the report .docx import as its author when the theme routes came (the assertion below); FUZZ_TEST_SEED overrides.
const SEED = Number(process.env.FUZZ_TEST_SEED ?? 82_027);

let t: Awaited<ReturnType<typeof setupTestApp>>;
let w: BallotWorld;
let reportId: number;
let uncaught = 0;
const onUncaught = () => {
  uncaught++;
};

// Each test takes a database of its own with the same world: the fuzzer's seeded run must meet the same rows whatever
// ran before it, and the regression tests below rename and add rows of their own.
beforeEach(async () => {
  t = await setupTestApp();
  w = await buildBallotWorld(t.db, t.app);
  await roundWithCodes(t.db, w, { codes: { committee: 10 } });
  reportId = (await w.sessions.secretary.post('/api/reports/open', { reporterId: w.r1.id })).json().id;
  uncaught = 0;
});
afterEach(async () => t?.close());
beforeAll(() => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
afterAll(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

describe('fuzzing every route', () => {
  it(`${REQUESTS} generated hostile requests (seed ${SEED}): no 5xx, Chinese { code, message } on every 4xx, rejected requests change nothing`, async () => {
    const stats = await runFuzz({
      app: t.app,
      database: t.database,
      adminId: w.users.admin.id,
      requests: REQUESTS,
      seed: SEED,
      batchSize: 50,
      secretaryId: w.users.secretary.id,
      focusIds: [reportId],
    });
    const summary = `statuses ${histogram(stats.statuses)}; routes ${stats.perRoute.size}; over HTTP ${stats.overHttp}; rejected checked ${stats.rejectedChecked}; batches checked ${stats.batchesChecked}; uploads ${[...stats.uploads.keys()].join(' | ')}`;
    expect(stats.violations, summary).toEqual([]);
    expect([...stats.statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    // The run reached the routes and their validation, not only the session check.
    expect(stats.perRoute.size).toBeGreaterThan(200);
    expect(stats.statuses.get(400) ?? 0).toBeGreaterThan(REQUESTS / 5);
    expect(stats.statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(stats.rejectedChecked).toBeGreaterThan(REQUESTS / 2);
    expect(stats.batchesChecked).toBeGreaterThan(0);
    expect(uncaught).toBe(0);
    // Upload-then-read sequences ran, reached the report import as its author and were read back (issue 15).
    expect(stats.sequences, summary).toBeGreaterThan(0);
    expect(
      [...stats.uploads.keys()].some((k) => k.startsWith('/api/reports/{id}/docx') && k.includes('[secretary]')),
      summary,
    ).toBe(true);
    expect(stats.readsAfterUpload.size).toBeGreaterThan(0);
    // Tables that may change on rejected requests are few and named (docs/operations.md lists why).
    expect(Object.keys(FAILURE_RECORDING).sort()).toEqual([
      'audit_log',
      'login_attempts',
      'login_guards',
      'org_import_jobs',
      'org_import_staging',
      'sessions',
      'survey_failures',
      'vote_failures',
    ]);
  }, 120_000);

  // Regressions found by the fuzzer, each answered at the source (src/server/http/errors.ts).
  it('a multipart body without a boundary, or with a part cut short, is a 400 on every upload route, not a 500', async () => {
    for (const url of [
      '/api/orgs/import',
      `/api/campaigns/${w.campaign.id}/evaluation/inputs/import`,
      '/api/rectification/items/1/evidence',
    ]) {
      for (const [type, payload] of [
        ['multipart/form-data', 'no boundary here'],
        ['multipart/form-data; boundary=xx', '--xx\r\ngarbage without headers'],
      ] as const) {
        const res = await w.sessions.admin.request({ method: 'POST', url, headers: { 'content-type': type }, payload });
        expect(res.statusCode, `${url} ${type}`).toBeLessThan(500);
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('a path that is not valid UTF-8, or a parameter longer than the router takes, answers a Chinese { code, message }', async () => {
    const bad = await w.sessions.admin.get('/api/campaigns/%C0%AE/checklists');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_URL', message: '请求地址格式不正确' });
    const long = await w.sessions.admin.get(`/api/reports/${'9'.repeat(5000)}`);
    expect(long.statusCode).toBe(414);
    expect(long.json()).toMatchObject({ code: 'URL_TOO_LONG' });
  });

  it('NUL and lone surrogates in a stored text are a 400 or stored, never a 500', async () => {
    for (const name of ['甲\u0000乙', '\ud800孤', '\u202e反向']) {
      const res = await w.sessions.admin.patch(`/api/orgs/${w.villageA2.id}`, { name });
      expect(res.statusCode, name).toBeLessThan(500);
    }
    // PostgreSQL rejects NUL in text (22021); Drizzle wraps that error, and it used to answer 500.
    const nul = await w.sessions.admin.patch(`/api/orgs/${w.villageA2.id}`, { name: '甲\u0000乙' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ code: 'INVALID_VALUE' });
  });

  it('an empty committee member PATCH is a 400, not a 500 from an UPDATE without columns', async () => {
    const made = await w.sessions.admin.post(`/api/orgs/${w.villageA2.id}/members`, {
      name: '张委员',
      position: '组织委员',
    });
    expect(made.statusCode, made.body).toBe(200);
    const empty = await w.sessions.admin.patch(`/api/members/${made.json().member.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'VALIDATION' });
  });

  it("headers over the HTTP parser's limit (a huge query string) answer a Chinese { code, message } 431", async () => {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as import('node:net').AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/api/campaigns?year=${'A'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(await res.json()).toEqual({
      code: 'HEADERS_TOO_LARGE',
      message: '请求头过长（网址或Cookie过长），请缩短后重试',
    });
  });
});
