import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/roles';
import {
  buildCampaign,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';

/**
 * The web offers what the server says the user may do (decision 025): `abilities` of /api/auth/me and of the login
 * answer, and `permissions.can` of a campaign. The pages test no role, so these tables are what each role is offered.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
let campaignId: number;
const s: Record<string, Session> = {};
const users: [string, Role, { scopeOrgId?: number; orgId?: number }][] = [];

beforeAll(async () => {
  t = await setupTestApp();
  const tree = await buildTwoCounties(t.db);
  await buildSecretary(t.db, tree.villageA1.id);
  campaignId = (
    await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
    })
  ).id;
  users.push(
    ['countyAdmin', 'org_admin', { scopeOrgId: tree.countyA.id }],
    ['townAdmin', 'org_admin', { scopeOrgId: tree.townA.id }],
    ['otherAdmin', 'org_admin', { scopeOrgId: tree.countyB.id }],
    ['leader', 'leader', { scopeOrgId: tree.countyA.id }],
    ['assessor', 'assessor', { scopeOrgId: tree.countyA.id }],
    ['observer', 'observer', { scopeOrgId: tree.countyA.id }],
    ['secretary', 'secretary', { orgId: tree.villageA1.id }],
    ['sysadmin', 'sys_admin', { scopeOrgId: tree.countyA.id }],
    ['secadmin', 'security_admin', { scopeOrgId: tree.countyA.id }],
    ['auditor', 'auditor', { scopeOrgId: tree.countyA.id }],
  );
  for (const [username, role, o] of users) {
    await buildUser(t.db, { username, role, ...o });
    s[username] = await signIn(t.app, username);
  }
});
afterAll(async () => t.close());

describe('abilities of the signed-in user', () => {
  it('sections in menu order, per role, the same from login and from /api/auth/me', async () => {
    const sections: Record<string, string[]> = {};
    for (const [username] of users) {
      const me = await s[username]!.get('/api/auth/me');
      expect(me.statusCode).toBe(200);
      sections[username] = me.json().abilities.sections;
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'Test#Pass2025' },
      });
      expect(login.json().abilities, username).toEqual(me.json().abilities);
    }
    expect(sections.townAdmin).toEqual(['orgs', 'campaigns', 'reports', 'rectification', 'accounts', 'tasks']);
    expect(sections.leader).toEqual(['orgs', 'campaigns', 'reports', 'rectification', 'tasks']);
    expect(sections.assessor).toEqual(['assess', 'orgs', 'campaigns', 'reports', 'rectification', 'tasks']);
    expect(sections.observer).toEqual(['orgs', 'campaigns', 'reports', 'rectification', 'tasks']);
    expect(sections.secretary).toEqual(['orgs', 'campaigns', 'reports', 'rectification']);
    expect(sections.sysadmin).toEqual(['orgs', 'accounts']);
    expect(sections.secadmin).toEqual(['accounts']);
    expect(sections.auditor).toEqual(['audit']);
  });

  it('actions offered follow the duties: organizations, campaigns, reports, accounts', async () => {
    const a = async (u: string) => (await s[u]!.get('/api/auth/me')).json().abilities;
    expect((await a('townAdmin')).orgs).toEqual({ edit: true, ownOnly: false });
    expect((await a('sysadmin')).orgs).toEqual({ edit: true, ownOnly: false });
    expect((await a('leader')).orgs).toEqual({ edit: false, ownOnly: false });
    expect((await a('secretary')).orgs).toEqual({ edit: false, ownOnly: true });
    expect((await a('townAdmin')).campaigns).toEqual({ create: true, receiveSummaries: true });
    expect((await a('leader')).campaigns).toEqual({ create: false, receiveSummaries: false });
    expect((await a('secretary')).reports).toEqual({ write: true, review: false, publish: false });
    expect((await a('leader')).reports).toEqual({ write: false, review: true, publish: false });
    expect((await a('townAdmin')).reports).toEqual({ write: false, review: true, publish: true });
    expect((await a('secretary')).rectification).toEqual({ ownOrganization: true });
    expect((await a('townAdmin')).accounts).toEqual({
      create: ['secretary', 'leader', 'assessor', 'observer'],
      assignRole: [],
      securitySettings: false,
    });
    expect((await a('secadmin')).accounts).toMatchObject({ create: [], securitySettings: true });
    expect((await a('secadmin')).accounts.assignRole).toContain('org_admin');
    expect((await a('auditor')).accounts).toEqual({ create: [], assignRole: [], securitySettings: false });
  });

  it('the security settings are offered to exactly those they are answered to', async () => {
    for (const [username] of users) {
      const offered = (await s[username]!.get('/api/auth/me')).json().abilities.accounts.securitySettings as boolean;
      expect((await s[username]!.get('/api/security/policy')).statusCode, username).toBe(offered ? 200 : 403);
    }
  });
});

describe("abilities on one campaign's pages", () => {
  it('manage, organize and apply only for the organization department covering the organizer', async () => {
    const can: Record<string, unknown> = {};
    for (const name of ['countyAdmin', 'townAdmin', 'leader', 'assessor', 'observer', 'secretary']) {
      const d = await s[name]!.get(`/api/campaigns/${campaignId}`);
      expect(d.statusCode, name).toBe(200);
      can[name] = d.json().permissions.can;
    }
    const all = { manage: true, organizeAssessment: true, manageResults: true, organizeRectification: true };
    const none = { manage: false, organizeAssessment: false, manageResults: false, organizeRectification: false };
    expect(can).toEqual({
      countyAdmin: all,
      townAdmin: all,
      leader: none,
      assessor: none,
      observer: none,
      secretary: none,
    });
  });
});
