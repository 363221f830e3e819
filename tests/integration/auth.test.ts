import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTwoCounties, buildUser, setupTestApp, signIn, TEST_PASSWORD } from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
beforeAll(async () => {
  t = await setupTestApp({ config: { loginRatePerMinute: 8 } });
  tree = await buildTwoCounties(t.db);
});
afterAll(async () => t.close());

const login = (username: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('login security', () => {
  it('locks the account after 5 failed attempts for 10 minutes from that address, even with the right password', async () => {
    await buildUser(t.db, { role: 'org_admin', username: 'lock_me', scopeOrgId: tree.countyA.id });
    for (let i = 0; i < 4; i++) expect((await login('lock_me', 'Wrong#Pass1', '10.1.0.1')).statusCode).toBe(401);
    const fifth = await login('lock_me', 'Wrong#Pass1', '10.1.0.1');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED');
    expect((await login('lock_me', TEST_PASSWORD, '10.1.0.1')).statusCode).toBe(423);
    t.clock.advance(10 * 60_000 + 1000);
    expect((await login('lock_me', TEST_PASSWORD, '10.1.0.1')).statusCode).toBe(200);
  });

  it('rate-limits logins per client address', async () => {
    const codes = [];
    // A different (unknown) username each time, so the per-username lockout does not answer first.
    for (let i = 0; i < 9; i++) codes.push((await login(`nobody${i}`, 'Wrong#Pass1', '10.2.0.1')).statusCode);
    expect(codes.slice(0, 8).every((c) => c === 401)).toBe(true);
    expect(codes[8]).toBe(429);
    expect((await login('nobody9', 'Wrong#Pass1', '10.2.0.2')).statusCode).toBe(401);
  });

  it('ends a session after 30 idle minutes (injected clock)', async () => {
    await buildUser(t.db, { role: 'org_admin', username: 'idle_user', scopeOrgId: tree.countyA.id });
    const s = await signIn(t.app, 'idle_user');
    t.clock.advance(29 * 60_000);
    expect((await s.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await s.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const expired = await s.get('/api/auth/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('SESSION_EXPIRED');
  });

  it('refuses a state-changing request without the CSRF token, and changes nothing', async () => {
    await buildUser(t.db, { role: 'org_admin', username: 'csrf_user', scopeOrgId: tree.countyA.id });
    const s = await signIn(t.app, 'csrf_user');
    const res = await s.request({
      method: 'PATCH',
      url: `/api/orgs/${tree.villageA1.id}`,
      payload: { name: '被篡改' },
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF');
    expect((await s.get(`/api/orgs/${tree.villageA1.id}`)).json().org.name).toBe('甲一镇东村党支部');
    const ok = await s.patch(`/api/orgs/${tree.villageA1.id}`, { name: '甲一镇东村党支部（改）' });
    expect(ok.statusCode).toBe(200);
  });

  it('issues a new session token on login (no fixation) and logout invalidates it', async () => {
    await buildUser(t.db, { role: 'leader', username: 'fix_user', scopeOrgId: tree.countyA.id });
    const a = await signIn(t.app, 'fix_user');
    const b = await signIn(t.app, 'fix_user');
    expect(a.cookie).not.toBe(b.cookie);
    expect((await b.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('answers malformed bodies with a Chinese { code, message }', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/JSON/);
    const missing = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'VALIDATION' });
    expect(missing.json().message).toContain('密码');
  });
});
