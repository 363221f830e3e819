/**
 * Issue 15, accounts: the login guard. Attempts are counted before a password is checked (one atomic statement), so a
 * burst can never have more passwords evaluated than LOCKOUT_ATTEMPTS; unknown, wrong and disabled answer alike and
 * cost one scrypt each; the lock is per (username, address) with a slower global limit per username; sign-in rows are
 * scoped to the account's subtree, unknown usernames to the system-level auditor only.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/server/db/connect';
import { users } from '../../src/server/db/schema';
import { clearAttempts, reserveAttempt } from '../../src/server/modules/auth/login-guard';
import * as hashing from '../../src/server/modules/auth/password-hash';
import { buildTwoCounties, buildUser, setupTestApp, signIn, TEST_COST, TEST_PASSWORD } from '../factories';

// Every password check goes through this spy, so a test can count how many were evaluated and with which cost.
vi.mock('../../src/server/modules/auth/password-hash', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/server/modules/auth/password-hash')>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
const verifySpy = vi.mocked(hashing.verifyPassword);

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
beforeAll(async () => {
  t = await setupTestApp({ config: { loginRatePerMinute: 1000, lockoutAttempts: 5, lockoutGlobalAttempts: 12 } });
  tree = await buildTwoCounties(t.db);
});
afterAll(async () => t.close());

const login = (username: string, password: string, ip: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

/** Password checks that ran for a username: every audited sign-in attempt except those refused before the check. */
async function evaluated(username: string) {
  const [row] = await queryRows<{ n: number }>(
    t.db,
    sql`
    select count(*)::int as n from audit_log
    where action in ('auth.login', 'auth.lock') and actor_name like ${`%${username}%`}
      and coalesce(detail->>'reason', '') not in ('locked', 'rate_limited')`,
  );
  return row!.n;
}

describe('lockout counts attempts atomically', () => {
  it('17 wrong passwords and the right one in one burst: at most 5 passwords are checked, the right one only as one of them', async () => {
    await buildUser(t.db, { role: 'leader', username: 'burst_user', scopeOrgId: tree.countyA.id });
    const burst = [
      ...Array.from({ length: 17 }, () => login('burst_user', 'Wrong#Pass1', '10.30.0.1')),
      login('burst_user', TEST_PASSWORD, '10.30.0.1'),
    ];
    const codes = (await Promise.all(burst)).map((r) => r.statusCode);
    // Before: all 18 were checked (14 wrong ones and the right one logged in on the review's server).
    expect(await evaluated('burst_user')).toBeLessThanOrEqual(5);
    // Every answer but a lock is a checked password (401, or 200 if the right one took one of the five slots).
    expect(codes.filter((c) => c !== 423).length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 423).length).toBeGreaterThanOrEqual(13);
  });

  // The interleaving behind a PostgreSQL failure of the burst test under load: the right password's attempt is counted,
  // a guess is counted after it, then the right password clears — which handed the rest of the burst fresh slots.
  it('a right password clears the counts only while its attempt is the latest on them', async () => {
    const config = t.app.deps.config;
    const now = t.clock.now();
    const mine = await reserveAttempt(t.db, config, 'interleave_user', '10.40.0.1', now);
    const guess = await reserveAttempt(t.db, config, 'interleave_user', '10.40.0.1', now);
    if (!mine.ok || !guess.ok) throw new Error('both attempts should get a slot');
    const counts = async () =>
      (
        await queryRows<{ ip: string; attempts: number }>(
          t.db,
          sql`
      select ip, attempts from login_guards where username = 'interleave_user' order by ip`,
        )
      ).map((r) => `${r.ip}:${r.attempts}`);
    await clearAttempts(t.db, 'interleave_user', '10.40.0.1', mine.taken);
    expect(await counts()).toEqual(['*:2', '10.40.0.1:2']);
    // The latest attempt's right password clears both, as a sign-in after a few typos always did.
    await clearAttempts(t.db, 'interleave_user', '10.40.0.1', guess.taken);
    expect(await counts()).toEqual(['*:0', '10.40.0.1:0']);
  });

  // Its own username must not contain 'burst_user': evaluated() matches by substring, and either test may run first.
  it('after a burst of 18 wrong passwords from one address, the right one from there is refused', async () => {
    await buildUser(t.db, { role: 'leader', username: 'burst2_user', scopeOrgId: tree.countyA.id });
    await Promise.all(Array.from({ length: 18 }, () => login('burst2_user', 'Wrong#Pass1', '10.30.0.2')));
    expect(await evaluated('burst2_user')).toBeLessThanOrEqual(5);
    expect((await login('burst2_user', TEST_PASSWORD, '10.30.0.2')).statusCode).toBe(423);
  });
});

describe('usernames cannot be told apart', () => {
  it('unknown, wrong and disabled: the same five answers (401 ×4, then 423), each after exactly one scrypt of the configured cost', async () => {
    await buildUser(t.db, { role: 'leader', username: 'real_user', scopeOrgId: tree.countyA.id });
    const gone = await buildUser(t.db, { role: 'leader', username: 'gone_user', scopeOrgId: tree.countyA.id });
    await t.db.update(users).set({ disabled: true }).where(sql`id = ${gone.id}`);
    const answers: Record<string, string[]> = {};
    const checks: Record<string, number[]> = {};
    for (const [name, ip] of [
      ['ghost_user', '10.31.0.1'],
      ['real_user', '10.31.0.2'],
      ['gone_user', '10.31.0.3'],
    ] as const) {
      answers[name] = [];
      checks[name] = [];
      for (let i = 0; i < 5; i++) {
        verifySpy.mockClear();
        const res = await login(name, 'Wrong#Pass1', ip);
        answers[name]!.push(`${res.statusCode} ${res.json().code} ${res.json().message}`);
        // One check per attempt, always against a hash of the configured cost (N is the second field).
        checks[name]!.push(verifySpy.mock.calls.length);
        for (const [, stored] of verifySpy.mock.calls) expect(stored.split('$')[1]).toBe(String(TEST_COST.N));
      }
    }
    expect(answers.ghost_user).toEqual(answers.real_user);
    expect(answers.gone_user).toEqual(answers.real_user);
    expect(answers.real_user!.slice(0, 4).every((a) => a.startsWith('401 INVALID_CREDENTIALS'))).toBe(true);
    expect(answers.real_user![4]).toMatch(/^423 ACCOUNT_LOCKED/);
    expect(checks).toEqual({ ghost_user: [1, 1, 1, 1, 1], real_user: [1, 1, 1, 1, 1], gone_user: [1, 1, 1, 1, 1] });
    // Once locked, all three answer alike without a check.
    verifySpy.mockClear();
    const locked = await Promise.all([
      login('ghost_user', TEST_PASSWORD, '10.31.0.1'),
      login('real_user', TEST_PASSWORD, '10.31.0.2'),
      login('gone_user', TEST_PASSWORD, '10.31.0.3'),
    ]);
    expect(new Set(locked.map((r) => `${r.statusCode} ${r.json().message}`)).size).toBe(1);
    expect(verifySpy).not.toHaveBeenCalled();
  });

  it('a disabled account learns it is disabled only with its right password', async () => {
    const off = await buildUser(t.db, { role: 'leader', username: 'off_user', scopeOrgId: tree.countyA.id });
    await t.db.update(users).set({ disabled: true }).where(sql`id = ${off.id}`);
    expect((await login('off_user', 'Wrong#Pass1', '10.32.0.1')).json().code).toBe('INVALID_CREDENTIALS');
    const right = await login('off_user', TEST_PASSWORD, '10.32.0.1');
    expect(right.statusCode).toBe(403);
    expect(right.json().code).toBe('ACCOUNT_DISABLED');
  });
});

describe('a stranger cannot lock a colleague out', () => {
  it('five wrong guesses from one address lock that address only; the global limit per username is slower', async () => {
    await buildUser(t.db, { role: 'org_admin', username: 'colleague', scopeOrgId: tree.countyA.id });
    for (let i = 0; i < 5; i++) await login('colleague', 'Wrong#Pass1', '10.33.0.66');
    expect((await login('colleague', TEST_PASSWORD, '10.33.0.66')).statusCode).toBe(423);
    // The colleague at their own desk signs in at once (a success resets the global count, not the stranger's lock).
    expect((await login('colleague', TEST_PASSWORD, '10.33.0.7')).statusCode).toBe(200);
    expect((await login('colleague', TEST_PASSWORD, '10.33.0.66')).statusCode).toBe(423);
    // Many addresses together (lockoutGlobalAttempts = 12 here): after 12 failures in all, every address is refused.
    const ips = ['10.33.1.1', '10.33.1.2', '10.33.1.3'];
    for (const ip of ips) for (let i = 0; i < 4; i++) await login('colleague', 'Wrong#Pass1', ip);
    const fresh = await login('colleague', TEST_PASSWORD, '10.33.2.2');
    expect(fresh.statusCode).toBe(423);
    expect(fresh.json().code).toBe('ACCOUNT_LOCKED');
    t.clock.advance(10 * 60_000 + 1000);
    expect((await login('colleague', TEST_PASSWORD, '10.33.2.2')).statusCode).toBe(200);
  });
});

describe('sign-in rows are scoped by the account', () => {
  it("county A's auditor sees county A's sign-ins only; unknown usernames reach the system-level auditor only", async () => {
    await buildUser(t.db, { role: 'leader', username: 'leader_a', scopeOrgId: tree.countyA.id });
    await buildUser(t.db, { role: 'leader', username: 'leader_b', scopeOrgId: tree.countyB.id });
    await buildUser(t.db, { role: 'auditor', username: 'auditor_a', scopeOrgId: tree.countyA.id });
    await buildUser(t.db, { role: 'auditor', username: 'auditor_sys' });
    await signIn(t.app, 'leader_a');
    await signIn(t.app, 'leader_b');
    await login('leader_b', 'Wrong#Pass1', '10.34.0.1');
    await login('no_such_person', 'Wrong#Pass1', '10.34.0.2');
    const a = await signIn(t.app, 'auditor_a');
    const rowsA = (await a.get('/api/audit?action=auth.&limit=200')).json().items as Array<{
      actorName: string;
      ip: string | null;
    }>;
    expect(rowsA.some((r) => r.actorName.includes('leader_a'))).toBe(true);
    expect(rowsA.filter((r) => r.actorName.includes('leader_b') || r.actorName.includes('no_such_person'))).toEqual([]);
    const sys = await signIn(t.app, 'auditor_sys');
    const rowsSys = (await sys.get('/api/audit?action=auth.&limit=200')).json().items as Array<{ actorName: string }>;
    expect(rowsSys.some((r) => r.actorName.includes('no_such_person'))).toBe(true);
    expect(rowsSys.some((r) => r.actorName.includes('leader_b'))).toBe(true);
  });
});
