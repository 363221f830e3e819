/**
 * Issue 8, access matrix part 3: CSRF on every state-changing route, the public-route list, anonymous refusals that
 * do not depend on the body, and end-to-end re-checks of sessions and login limits that auth.test.ts does not
 * already make (lockout/unlock, per-address rate limit, idle timeout and a basic fixation check live there).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { hashToken, SESSION_COOKIE } from '../../src/server/http/session';
import { buildUser, signIn, TEST_COST, TEST_PASSWORD } from '../factories';
import { ALLOW, PUBLIC_ROUTES } from './access-matrix-allow';
import { buildMatrixWorld, buildRequest, type MatrixWorld, setupMatrixApp, tableCounts } from './access-matrix-world';

let t: Awaited<ReturnType<typeof setupMatrixApp>>;
let world: MatrixWorld;
beforeAll(async () => {
  t = await setupMatrixApp();
  world = await buildMatrixWorld(t.app, t.db);
  // The victim's account is only signed in to (never changed), so the session tests share it in any order.
  await buildUser(t.db, { role: 'leader', username: 'victim', scopeOrgId: world.w.countyA.id });
}, 60_000);
afterAll(async () => t?.close());

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const cookieOf = (res: { cookies: Array<{ name: string; value: string }> }) =>
  res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
const login = (username: string, password = TEST_PASSWORD, headers: Record<string, string> = {}, ip = '10.9.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers, remoteAddress: ip });
const me = (cookie: string) =>
  t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });

describe('route classification', () => {
  it('the public routes are exactly the declared list, and every other route is in the matrix', () => {
    const marked = t.routes
      .filter((r) => r.public)
      .map((r) => r.key)
      .sort();
    expect(marked).toEqual([...PUBLIC_ROUTES].sort());
    const unclassified = t.routes.filter((r) => !r.public && !(r.key in ALLOW)).map((r) => r.key);
    expect(unclassified, 'routes without a row in access-matrix-allow.ts').toEqual([]);
    const stale = Object.keys(ALLOW).filter((k) => !t.routes.some((r) => r.key === k));
    expect(stale, 'matrix rows for routes that no longer exist').toEqual([]);
  });

  it('anonymous callers get 401 on every non-public route even with an empty or malformed body', async () => {
    const unmapped = new Set<string>();
    const wrong: string[] = [];
    for (const r of t.routes.filter((x) => !x.public)) {
      const req = buildRequest(r, world.ids, unmapped);
      for (const payload of SAFE.has(r.method) || r.method === 'DELETE' ? [undefined] : [{}, '{"x":']) {
        const res = await t.app.inject({
          ...req,
          payload,
          headers: payload === undefined ? {} : { 'content-type': 'application/json' },
        });
        if (res.statusCode !== 401) wrong.push(`${r.key} → ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('CSRF on every state-changing route', () => {
  it('refuses each one without the token, and with the token of another session, and nothing changes', async () => {
    const admin = world.s.adminA;
    const other = await signIn(t.app, 'townAdminB');
    // sessions: last_seen refreshes only; login_attempts: none made here. Counted anyway except sessions.
    const before = await tableCounts(t.db, ['sessions']);
    const unmapped = new Set<string>();
    const wrong: string[] = [];
    let n = 0;
    for (const r of t.routes.filter((x) => !SAFE.has(x.method) && !x.public)) {
      const req = buildRequest(r, world.ids, unmapped);
      for (const headers of [{}, { 'x-csrf-token': other.csrf }, { 'x-csrf-token': '' }]) {
        const res = await t.app.inject({
          ...req,
          headers: { ...req.headers, cookie: `${SESSION_COOKIE}=${admin.cookie}`, ...headers },
        });
        n++;
        if (res.statusCode !== 403 || res.json().code !== 'CSRF')
          wrong.push(`${r.key} ${JSON.stringify(headers)} → ${res.statusCode} ${res.body.slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(n).toBeGreaterThan(300);
    expect(await tableCounts(t.db, ['sessions'])).toEqual(before);
    // The same session with its own token still works: the refusals were about the token, not the session.
    expect((await admin.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('sessions end to end', () => {
  it('a session id planted before login is never promoted: a new one is issued and the planted one is gone', async () => {
    await buildUser(t.db, { role: 'leader', username: 'attacker', scopeOrgId: world.w.countyB.id });
    // The attacker's own valid session, planted in the victim's browser.
    const planted = cookieOf(await login('attacker'))!;
    expect((await me(planted)).statusCode).toBe(200);
    const res = await login('victim', TEST_PASSWORD, { cookie: `${SESSION_COOKIE}=${planted}` });
    expect(res.statusCode).toBe(200);
    const issued = cookieOf(res)!;
    expect(issued).toBeTruthy();
    expect(issued).not.toBe(planted);
    expect((await me(issued)).json().user.username).toBe('victim');
    expect((await me(planted)).statusCode).toBe(401);
    // An unknown planted id is not adopted either.
    const res2 = await login('victim', TEST_PASSWORD, { cookie: `${SESSION_COOKIE}=planted-by-attacker` });
    expect(cookieOf(res2)).not.toBe('planted-by-attacker');
    expect((await me('planted-by-attacker')).statusCode).toBe(401);
  });

  it('the CSRF token is bound to its session and dies with it at logout', async () => {
    const a = await signIn(t.app, 'victim');
    const b = await signIn(t.app, 'victim');
    expect(a.csrf).not.toBe(b.csrf);
    const url = `/api/orgs/${world.ids.orgA}`;
    const cross = await a.request({
      method: 'PATCH',
      url,
      payload: { name: '跨会话' },
      headers: { 'x-csrf-token': b.csrf },
    });
    expect(cross.statusCode).toBe(403);
    expect(cross.json()).toMatchObject({ code: 'CSRF' });
    expect(cross.json().message).toMatch(/安全令牌/);
    expect((await b.post('/api/auth/logout')).statusCode).toBe(200);
    // After logout the old cookie with its own token is just an anonymous caller.
    const after = await b.request({ method: 'PATCH', url, payload: { name: '注销后' } });
    expect(after.statusCode).toBe(401);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('lockout answers in Chinese, is audited, survives the right password from that address, and lifts after the window (injected clock)', async () => {
    await buildUser(t.db, { role: 'org_admin', username: 'locked_e2e', scopeOrgId: world.w.countyA.id });
    const attempts = 5; // defaultConfig.lockoutAttempts
    const codes: number[] = [];
    for (let i = 0; i < attempts; i++)
      codes.push((await login('locked_e2e', 'Wrong#Pass1', {}, '10.9.1.1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 423]);
    const locked = await login('locked_e2e', TEST_PASSWORD, {}, '10.9.1.1');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    expect(locked.json().message).toMatch(/账号已锁定.*分钟/);
    const [audit] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where action = 'auth.lock'`,
    );
    expect(audit!.n).toBeGreaterThanOrEqual(1);
    t.clock.advance(9 * 60_000);
    expect((await login('locked_e2e', TEST_PASSWORD, {}, '10.9.1.1')).statusCode).toBe(423);
    t.clock.advance(60_000 + 1000);
    expect((await login('locked_e2e', TEST_PASSWORD, {}, '10.9.1.1')).statusCode).toBe(200);
  });

  it('the per-address login limit is shared by two app processes on one database', async () => {
    const second = await buildApp({
      database: t.database,
      clock: t.clock,
      config: { passwordCost: TEST_COST, loginRatePerMinute: 4 },
    });
    const third = await buildApp({
      database: t.database,
      clock: t.clock,
      config: { passwordCost: TEST_COST, loginRatePerMinute: 4 },
    });
    try {
      t.clock.advance(2 * 60_000);
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const app = i % 2 ? third : second;
        codes.push(
          (
            await app.inject({
              method: 'POST',
              url: '/api/auth/login',
              payload: { username: `nobody${i}`, password: 'x' },
              remoteAddress: '10.9.2.1',
            })
          ).statusCode,
        );
      }
      expect(codes).toEqual([401, 401, 401, 401, 429]);
      const limited = await second.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'nobody5', password: 'x' },
        remoteAddress: '10.9.2.1',
      });
      expect(limited.json().message).toMatch(/登录尝试过于频繁/);
      expect(
        (
          await third.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'nobody6', password: 'x' },
            remoteAddress: '10.9.2.2',
          })
        ).statusCode,
      ).toBe(401);
      t.clock.advance(61_000);
      expect(
        (
          await third.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'nobody7', password: 'x' },
            remoteAddress: '10.9.2.1',
          })
        ).statusCode,
      ).toBe(401);
    } finally {
      await second.close();
      await third.close();
    }
  });

  it('an idle-expired session is refused with SESSION_EXPIRED on a state change too, and its row is deleted', async () => {
    // The world's sign-ins from this address may still be within the minute: the login limit is not what this checks.
    const idleApp = await buildApp({
      database: t.database,
      clock: t.clock,
      config: { passwordCost: TEST_COST, idleTimeoutMinutes: 30, loginRatePerMinute: 10_000 },
    });
    try {
      const s = await signIn(idleApp, 'victim');
      t.clock.advance(31 * 60_000);
      const res = await s.request({ method: 'PATCH', url: `/api/orgs/${world.ids.orgA}`, payload: { name: '超时后' } });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('SESSION_EXPIRED');
      const [row] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from sessions where id = ${hashToken(s.cookie)}`,
      );
      expect(row!.n).toBe(0);
    } finally {
      await idleApp.close();
    }
  });
});

describe('fixes found by the matrix', () => {
  it('an empty account PATCH answers 400 (it was a 500 from the ORM) and changes nothing', async () => {
    const res = await world.s.adminA.patch(`/api/users/${world.ids.user}`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION');
  });

  it("another county's assessor is refused the scoring progress of county A's campaign (was a 200 with an empty list; issue 15: as if it did not exist)", async () => {
    expect((await world.s.assessorB.get(`/api/campaigns/${world.ids.campaign}/assessment/progress`)).statusCode).toBe(
      404,
    );
    expect((await world.s.assessorA.get(`/api/campaigns/${world.ids.campaign}/assessment/progress`)).statusCode).toBe(
      200,
    );
  });
});
