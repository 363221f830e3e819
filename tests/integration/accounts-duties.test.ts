/**
 * Issue 15, 三员分立 (decision 019): 系统管理员 (sys_admin) manages accounts and organization data, 安全管理员
 * (security_admin) roles, lockouts and forced password changes, 安全审计员 (auditor) reads the audit log only; the
 * business 组织部管理员 (org_admin) manages the business accounts below it. No role manages an account of its own kind
 * or above, nobody manages their own account through the admin routes, and every account action — refused ones too —
 * is in the audit log.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/roles';
import { queryRows } from '../../src/server/db/connect';
import { auditLog } from '../../src/server/db/schema';
import { buildTwoCounties, buildUser, setupTestApp, signIn, TEST_PASSWORD, type Session } from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
const s: Record<string, Session> = {};
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await setupTestApp({ config: { loginRatePerMinute: 10_000 } });
  tree = await buildTwoCounties(t.db);
  const accounts: Array<[string, Role, { scopeOrgId?: number; orgId?: number }]> = [
    ['adminA', 'org_admin', { scopeOrgId: tree.countyA.id }],
    ['sysA', 'sys_admin', { scopeOrgId: tree.countyA.id }],
    ['secA', 'security_admin', { scopeOrgId: tree.countyA.id }],
    ['auditorA', 'auditor', { scopeOrgId: tree.countyA.id }],
    ['leaderA', 'leader', { scopeOrgId: tree.countyA.id }],
  ];
  for (const [username, role, scope] of accounts) {
    ids[username] = (await buildUser(t.db, { role, username, ...scope })).id;
    s[username] = await signIn(t.app, username);
  }
});
afterAll(async () => t.close());

let n = 0;
/** A fresh target account of the role (county A unless `b`), so each case starts from the same state. */
async function target(role: Role, b = false) {
  const scope = b ? tree.countyB.id : tree.townA.id;
  const binding = role === 'secretary' ? { orgId: b ? tree.villageB1.id : tree.villageA1.id } : { scopeOrgId: scope };
  return buildUser(t.db, { role, username: `target_${++n}`, ...binding });
}

type Action = 'password' | 'disable' | 'rename' | 'role' | 'unlock' | 'expire';
const act = (who: string, action: Action, id: number) => {
  const u = `/api/users/${id}`;
  switch (action) {
    case 'password':
      return s[who]!.post(`${u}/password`, { password: 'Reset#Pass2026' });
    case 'disable':
      return s[who]!.patch(u, { disabled: true });
    case 'rename':
      return s[who]!.patch(u, { displayName: '改名' });
    case 'role':
      return s[who]!.patch(u, { role: 'observer', scopeOrgId: tree.townA.id });
    case 'unlock':
      return s[who]!.post(`${u}/unlock`);
    case 'expire':
      return s[who]!.post(`${u}/expire-password`);
  }
};

const TARGETS: Role[] = ['leader', 'secretary', 'org_admin', 'sys_admin', 'security_admin', 'auditor'];
/** Target roles each actor may act on, per action; everything else is refused. */
const MAY: Record<string, Partial<Record<Action, Role[]>>> = {
  adminA: { password: ['leader', 'secretary'], disable: ['leader', 'secretary'], rename: ['leader', 'secretary'] },
  sysA: {
    password: ['leader', 'secretary', 'org_admin'],
    disable: ['leader', 'secretary', 'org_admin'],
    rename: ['leader', 'secretary', 'org_admin'],
  },
  secA: {
    role: ['leader', 'secretary', 'org_admin'],
    unlock: ['leader', 'secretary', 'org_admin'],
    expire: ['leader', 'secretary', 'org_admin'],
  },
  auditorA: {},
  leaderA: {},
};

describe('who may act on whose account', () => {
  for (const actor of Object.keys(MAY)) {
    it(`${actor}: every action on every kind of account, in scope and in the other county`, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const action of ['password', 'disable', 'rename', 'role', 'unlock', 'expire'] as Action[]) {
        for (const role of TARGETS) {
          const inScope = await target(role);
          const code = (await act(actor, action, inScope.id)).statusCode;
          got.push(`${action} ${role}: ${code === 200 ? 'allowed' : code === 403 ? 'refused' : code}`);
          want.push(`${action} ${role}: ${MAY[actor]![action]?.includes(role) ? 'allowed' : 'refused'}`);
          // Never outside the actor's subtree (404 or 403, whichever the HTTP surface answers for other scopes).
          const other = await target(role, true);
          const outside = (await act(actor, action, other.id)).statusCode;
          if (![403, 404].includes(outside)) got.push(`${action} ${role} in county B: ${outside}`);
        }
        // Nor on their own account through the admin routes (own password: POST /api/auth/password).
        const self = (await act(actor, action, ids[actor]!)).statusCode;
        if (self !== 403) got.push(`${action} self: ${self}`);
      }
      expect(got).toEqual(want);
    }, 60_000);
  }

  it('creating accounts: org_admin the business roles, sys_admin also org_admin, never a 三员 role; nobody else', async () => {
    const create = (who: string, role: Role) =>
      s[who]!.post('/api/users', {
        username: `new_${++n}`,
        displayName: '新账号',
        password: 'Strong#Pass99',
        role,
        ...(role === 'secretary' ? { orgId: tree.villageA2.id } : { scopeOrgId: tree.townA.id }),
      });
    const got: Record<string, string> = {};
    for (const who of ['adminA', 'sysA', 'secA', 'auditorA', 'leaderA']) {
      got[who] = (
        await Promise.all(TARGETS.map(async (r) => ((await create(who, r)).statusCode === 200 ? r : '-')))
      ).join(' ');
    }
    expect(got).toEqual({
      adminA: 'leader secretary - - - -',
      sysA: 'leader secretary org_admin - - -',
      secA: '- - - - - -',
      auditorA: '- - - - - -',
      leaderA: '- - - - - -',
    });
  });
});

describe('the findings of the review', () => {
  it('an organization-department admin can no longer reset the auditor, sign in as them, disable them or make new auditors', async () => {
    const auditor = await target('auditor');
    expect((await s.adminA!.post(`/api/users/${auditor.id}/password`, { password: 'Taken#Over2026' })).statusCode).toBe(
      403,
    );
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: auditor.username, password: 'Taken#Over2026' },
        })
      ).statusCode,
    ).toBe(401);
    expect((await s.adminA!.patch(`/api/users/${auditor.id}`, { disabled: true })).statusCode).toBe(403);
    expect(
      (
        await s.adminA!.post('/api/users', {
          username: 'fake_auditor',
          displayName: '审计员',
          password: 'Strong#Pass99',
          role: 'auditor',
          scopeOrgId: tree.countyA.id,
        })
      ).statusCode,
    ).toBe(403);
    expect((await signIn(t.app, auditor.username, TEST_PASSWORD)).csrf).toBeTruthy();
  });

  it('two admins of one scope cannot reset each other', async () => {
    const a = await buildUser(t.db, { role: 'org_admin', username: 'twin_a', scopeOrgId: tree.countyA.id });
    const b = await buildUser(t.db, { role: 'org_admin', username: 'twin_b', scopeOrgId: tree.countyA.id });
    const sa = await signIn(t.app, 'twin_a');
    const sb = await signIn(t.app, 'twin_b');
    expect((await sa.post(`/api/users/${b.id}/password`, { password: 'Taken#Over2026' })).statusCode).toBe(403);
    expect((await sb.post(`/api/users/${a.id}/password`, { password: 'Taken#Over2026' })).statusCode).toBe(403);
    expect((await sb.patch(`/api/users/${a.id}`, { disabled: true })).statusCode).toBe(403);
  });

  it('a security admin cannot grant a 三员 role or raise anyone to their own rank', async () => {
    const leader = await target('leader');
    for (const role of ['sys_admin', 'security_admin', 'auditor'] as Role[]) {
      expect((await s.secA!.patch(`/api/users/${leader.id}`, { role, scopeOrgId: tree.countyA.id })).statusCode).toBe(
        403,
      );
    }
    // A role change keeps the binding consistent: a secretary needs its organization.
    const bad = await s.secA!.patch(`/api/users/${leader.id}`, { role: 'secretary' });
    expect(bad.statusCode).toBe(400);
    expect(
      (await s.secA!.patch(`/api/users/${leader.id}`, { role: 'secretary', orgId: tree.villageA1.id })).statusCode,
    ).toBe(200);
  });
});

describe('the audit log records every account action', () => {
  it('allowed and refused actions alike, with the actor, target and outcome', async () => {
    const leader = await target('leader');
    const auditor = await target('auditor');
    await s.adminA!.post(`/api/users/${leader.id}/password`, { password: 'Reset#Pass2026' });
    await s.adminA!.post(`/api/users/${auditor.id}/password`, { password: 'Reset#Pass2026' });
    await s.secA!.post(`/api/users/${leader.id}/unlock`);
    await s.secA!.post(`/api/users/${leader.id}/expire-password`);
    await s.secA!.patch(`/api/users/${leader.id}`, { role: 'observer' });
    await s.sysA!.patch(`/api/users/${leader.id}`, { disabled: true });
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.targetType, 'user'),
          sql`${auditLog.action} like 'account.%'`,
          sql`${auditLog.targetId} in (${String(leader.id)}, ${String(auditor.id)})`,
        ),
      );
    const seen = rows
      .map(
        (r) =>
          `${r.actorName.replace(/.*\((.*)\)/, '$1')} ${r.action} ${r.targetId === String(leader.id) ? 'leader' : 'auditor'} ${r.result}`,
      )
      .sort();
    expect(seen).toEqual(
      [
        'adminA account.password auditor failure',
        'adminA account.password leader success',
        'secA account.expire_password leader success',
        'secA account.role leader success',
        'secA account.unlock leader success',
        'sysA account.update leader success',
      ].sort(),
    );
    // Refused rows are in the target's scope, so the county's auditor reads them.
    const [refused] = rows.filter((r) => r.result === 'failure');
    expect(refused!.scopePath).toBe(tree.townA.path);
    expect(refused!.detail).toMatchObject({ code: 'FORBIDDEN' });
  });

  it("sign-in rows carry the account's scope; an unknown username has none", async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'leaderA', password: 'Wrong#Pass1' },
      remoteAddress: '10.40.0.1',
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody_here', password: 'Wrong#Pass1' },
      remoteAddress: '10.40.0.1',
    });
    const rows = await queryRows<{ actor_name: string; scope_path: string | null }>(
      t.db,
      sql`
      select actor_name, scope_path from audit_log where action = 'auth.login' and ip = '10.40.0.1' order by seq`,
    );
    expect(rows.map((r) => r.scope_path)).toEqual([tree.countyA.path, null]);
  });
});
