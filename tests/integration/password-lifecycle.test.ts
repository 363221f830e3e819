/**
 * Issue 15, accounts: users change their own password (the current one required); a password an administrator set
 * must be changed at first sign-in, and until then the session can do nothing else; passwords expire after
 * PASSWORD_MAX_AGE_DAYS (default 90) with a warning PASSWORD_WARN_DAYS before.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/connect';
import { users } from '../../src/server/db/schema';
import { parseEnv } from '../../src/server/env';
import { buildTwoCounties, buildUser, setupTestApp, signIn, TEST_PASSWORD } from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
beforeAll(async () => {
  t = await setupTestApp({ config: { loginRatePerMinute: 10_000, passwordMaxAgeDays: 90, passwordWarnDays: 14 } });
  tree = await buildTwoCounties(t.db);
  await buildUser(t.db, { role: 'sys_admin', username: 'sys_a', scopeOrgId: tree.countyA.id });
  await buildUser(t.db, { role: 'security_admin', username: 'sec_a', scopeOrgId: tree.countyA.id });
});
afterAll(async () => t.close());

const DAY = 86_400_000;
const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: '10.50.0.1' });
const audits = async (action: string, username: string) =>
  (
    await queryRows<{ n: number }>(
      t.db,
      sql`
  select count(*)::int as n from audit_log where action = ${action} and result = 'success' and actor_name like ${`%(${username})`}`,
    )
  )[0]!.n;

describe("changing one's own password", () => {
  it('needs the current password, applies the complexity rule, refuses the same password, and ends the other sessions', async () => {
    await buildUser(t.db, { role: 'leader', username: 'self_change', scopeOrgId: tree.countyA.id });
    const s = await signIn(t.app, 'self_change');
    const other = await signIn(t.app, 'self_change');
    const wrong = await s.post('/api/auth/password', { currentPassword: 'Not#ThePass1', newPassword: 'Brand#New2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(wrong.json().message).toMatch(/当前密码/);
    const weak = await s.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.json().code).toBe('WEAK_PASSWORD');
    const same = await s.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect(same.json().code).toBe('PASSWORD_REUSED');
    const ok = await s.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Brand#New2026' });
    expect(ok.statusCode).toBe(200);
    expect((await s.get('/api/auth/me')).statusCode).toBe(200);
    expect((await other.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login('self_change', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login('self_change', 'Brand#New2026')).statusCode).toBe(200);
    expect(await audits('auth.password', 'self_change')).toBe(1);
  });

  it('wrong current passwords count toward the lockout, so a stolen session cannot guess the password', async () => {
    await buildUser(t.db, { role: 'leader', username: 'guessed', scopeOrgId: tree.countyA.id });
    const s = await signIn(t.app, 'guessed');
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(
        (await s.post('/api/auth/password', { currentPassword: `Guess#${i}abcdef`, newPassword: 'Brand#New2026' }))
          .statusCode,
      );
    expect(codes.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(codes.slice(4)).toEqual([423, 423]);
    expect(
      (await s.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Brand#New2026' })).statusCode,
    ).toBe(423);
  });
});

describe('a password set by an administrator must be changed at first sign-in', () => {
  it('a new account: signed in, it may only read itself, change the password or sign out', async () => {
    const sys = await signIn(t.app, 'sys_a');
    expect(
      (
        await sys.post('/api/users', {
          username: 'fresh_one',
          displayName: '新人',
          password: 'Initial#Pass1',
          role: 'leader',
          scopeOrgId: tree.countyA.id,
        })
      ).statusCode,
    ).toBe(200);
    const res = await login('fresh_one', 'Initial#Pass1');
    expect(res.statusCode).toBe(200);
    expect(res.json().password).toMatchObject({ mustChange: true, reason: 'reset' });
    const cookie = res.cookies.find((c) => c.name === 'sp_sid')!.value;
    const csrf = res.json().csrfToken as string;
    const as = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, payload, headers: { cookie: `sp_sid=${cookie}`, 'x-csrf-token': csrf } });
    for (const url of ['/api/orgs/roots', '/api/campaigns', '/api/my/tasks']) {
      const blocked = await as('GET', url);
      expect(blocked.statusCode, url).toBe(403);
      expect(blocked.json()).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    }
    expect((await as('GET', '/api/auth/me')).json().password.mustChange).toBe(true);
    expect(
      (await as('POST', '/api/auth/password', { currentPassword: 'Initial#Pass1', newPassword: 'Own#Choice2026' }))
        .statusCode,
    ).toBe(200);
    expect((await as('GET', '/api/orgs/roots')).statusCode).toBe(200);
    expect((await as('GET', '/api/auth/me')).json().password).toMatchObject({ mustChange: false, reason: null });
  });

  it('an administrator reset, and a security admin forcing a change, do the same', async () => {
    const u = await buildUser(t.db, { role: 'leader', username: 'reset_me', scopeOrgId: tree.countyA.id });
    const sys = await signIn(t.app, 'sys_a');
    expect((await sys.post(`/api/users/${u.id}/password`, { password: 'Temp#Pass2026' })).statusCode).toBe(200);
    const afterReset = await signIn(t.app, 'reset_me', 'Temp#Pass2026');
    expect((await afterReset.get('/api/orgs/roots')).json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(
      (await afterReset.post('/api/auth/password', { currentPassword: 'Temp#Pass2026', newPassword: 'Mine#Now2026x' }))
        .statusCode,
    ).toBe(200);
    const sec = await signIn(t.app, 'sec_a');
    expect((await sec.post(`/api/users/${u.id}/expire-password`)).statusCode).toBe(200);
    const forced = await signIn(t.app, 'reset_me', 'Mine#Now2026x');
    expect((await forced.get('/api/auth/me')).json().password).toMatchObject({ mustChange: true, reason: 'reset' });
    expect((await forced.get('/api/orgs/roots')).statusCode).toBe(403);
  });
});

describe('password expiry', () => {
  it('warns PASSWORD_WARN_DAYS before, then requires a change after PASSWORD_MAX_AGE_DAYS', async () => {
    const u = await buildUser(t.db, { role: 'leader', username: 'aging', scopeOrgId: tree.countyA.id });
    const changed = new Date(t.clock.now().getTime() - 80 * DAY);
    await t.db.update(users).set({ passwordChangedAt: changed }).where(eq(users.id, u.id));
    const early = await login('aging', TEST_PASSWORD);
    expect(early.json().password).toEqual({
      mustChange: false,
      reason: null,
      expiresAt: new Date(changed.getTime() + 90 * DAY).toISOString(),
      warn: true,
    });
    t.clock.advance(11 * DAY);
    const late = await signIn(t.app, 'aging');
    expect((await late.get('/api/auth/me')).json().password).toMatchObject({ mustChange: true, reason: 'expired' });
    expect((await late.get('/api/orgs/roots')).json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(
      (await late.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Fresh#Again2026' }))
        .statusCode,
    ).toBe(200);
    const fresh = (await late.get('/api/auth/me')).json().password;
    expect(fresh).toMatchObject({ mustChange: false, warn: false });
    expect(new Date(fresh.expiresAt).getTime()).toBe(t.clock.now().getTime() + 90 * DAY);
  });

  it('the expiry is an environment setting: PASSWORD_MAX_AGE_DAYS 90 and PASSWORD_WARN_DAYS 7 by default, 0 turns expiry off', () => {
    const env = parseEnv({});
    expect([env.PASSWORD_MAX_AGE_DAYS, env.PASSWORD_WARN_DAYS]).toEqual([90, 7]);
    expect(parseEnv({ PASSWORD_MAX_AGE_DAYS: '0' }).PASSWORD_MAX_AGE_DAYS).toBe(0);
  });
});
