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
 * A campaign's page offers only the pages its user can open (issue 16): permissions.pages of the campaign detail must
 * say "yes" exactly where the page's own request is answered, for every role — so no button leads to 无权访问.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
let campaignId: number;
const s: Record<string, Session> = {};

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
  const users: [string, Role, { scopeOrgId?: number; orgId?: number }][] = [
    ['countyAdmin', 'org_admin', { scopeOrgId: tree.countyA.id }],
    ['townAdmin', 'org_admin', { scopeOrgId: tree.townA.id }],
    ['leader', 'leader', { scopeOrgId: tree.countyA.id }],
    ['assessor', 'assessor', { scopeOrgId: tree.countyA.id }],
    ['observer', 'observer', { scopeOrgId: tree.countyA.id }],
    ['secretary', 'secretary', { orgId: tree.villageA1.id }],
  ];
  for (const [username, role, o] of users) {
    await buildUser(t.db, { username, role, ...o });
    s[username] = await signIn(t.app, username);
  }
});
afterAll(async () => t.close());

const PAGE_REQUEST: Record<string, (id: number) => string> = {
  progress: (id) => `/api/campaigns/${id}/progress`,
  meetings: (id) => `/api/campaigns/${id}/meetings`,
  evaluation: (id) => `/api/campaigns/${id}/evaluation`,
  myResult: (id) => `/api/campaigns/${id}/evaluation/mine`,
  observers: (id) => `/api/campaigns/${id}/observers`,
  visits: (id) => `/api/campaigns/${id}/visits`,
  surveys: (id) => `/api/campaigns/${id}/surveys`,
  assessment: (id) => `/api/campaigns/${id}/checklists`,
  rectification: (id) => `/api/rectification/items?campaignId=${id}`,
  results: (id) => `/api/campaigns/${id}/results/flags`,
};

describe('campaign pages offered by role', () => {
  it('every page offered answers, every page withheld is refused', async () => {
    const offered: Record<string, string[]> = {};
    for (const [name, session] of Object.entries(s)) {
      const detail = await session.get(`/api/campaigns/${campaignId}`);
      expect(detail.statusCode, name).toBe(200);
      const pages = detail.json().permissions.pages as Record<string, boolean>;
      expect(Object.keys(pages).sort()).toEqual(Object.keys(PAGE_REQUEST).sort());
      for (const [page, url] of Object.entries(PAGE_REQUEST)) {
        const status = (await session.get(url(campaignId))).statusCode;
        expect(status, `${name} ${page}`).toBe(pages[page] ? 200 : 403);
      }
      offered[name] = Object.keys(pages).filter((p) => pages[p]);
    }
    // What each role is offered, in words of the pages.
    expect(offered.townAdmin).toEqual([
      'progress',
      'meetings',
      'evaluation',
      'observers',
      'visits',
      'surveys',
      'assessment',
      'rectification',
      'results',
    ]);
    expect(offered.leader).toEqual([
      'progress',
      'meetings',
      'evaluation',
      'visits',
      'surveys',
      'assessment',
      'rectification',
      'results',
    ]);
    expect(offered.assessor).toEqual(['meetings', 'visits', 'surveys', 'rectification']);
    expect(offered.observer).toEqual(['meetings', 'evaluation', 'visits', 'surveys', 'rectification']);
    expect(offered.secretary).toEqual(['myResult', 'rectification']);
  });
});
