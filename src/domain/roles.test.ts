import { describe, expect, it } from 'vitest';
import { assignableRoles, mayActOnAccount, ROLE_CODES, SYSTEM_ROLES, type AccountAction } from './roles';

const ACTIONS: AccountAction[] = ['create', 'edit', 'disable', 'password', 'role', 'unlock', 'expire'];

describe('三员分立 (decision 019)', () => {
  it('no role acts on an account of its own kind or above', () => {
    for (const actor of ROLE_CODES)
      for (const action of ACTIONS) {
        expect(mayActOnAccount(actor, action, actor), `${actor} ${action} own kind`).toBe(false);
        for (const target of SYSTEM_ROLES)
          expect(mayActOnAccount(actor, action, target), `${actor} ${action} ${target}`).toBe(false);
      }
    expect(mayActOnAccount('sys_admin', 'password', 'org_admin')).toBe(true);
    expect(mayActOnAccount('org_admin', 'password', 'org_admin')).toBe(false);
  });

  it('duties are split: accounts (系统管理员, 组织部管理员), roles/locks/forced changes (安全管理员), nothing for the auditor', () => {
    const duties = Object.fromEntries(
      ROLE_CODES.map((r) => [r, ACTIONS.filter((a) => mayActOnAccount(r, a, 'leader'))]),
    );
    expect(duties).toEqual({
      org_admin: ['create', 'edit', 'disable', 'password'],
      sys_admin: ['create', 'edit', 'disable', 'password'],
      security_admin: ['role', 'unlock', 'expire'],
      auditor: [],
      secretary: [],
      leader: [],
      assessor: [],
      observer: [],
    });
  });

  it("roles are given only below one's own rank", () => {
    expect(assignableRoles('org_admin', 'create')).toEqual(['secretary', 'leader', 'assessor', 'observer']);
    expect(assignableRoles('sys_admin', 'create')).toEqual([
      'org_admin',
      'secretary',
      'leader',
      'assessor',
      'observer',
    ]);
    expect(assignableRoles('security_admin', 'create')).toEqual([]);
    expect(assignableRoles('security_admin', 'role')).toEqual([
      'org_admin',
      'secretary',
      'leader',
      'assessor',
      'observer',
    ]);
  });
});
