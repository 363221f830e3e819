import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo, seedDemoCampaign } from '../../src/server/db/demo-seed';
import { setupTestApp, signIn, TEST_COST, type Session } from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
const s: Record<string, Session> = {};
let seeded: { campaignId: number; subCampaigns: number };

beforeAll(async () => {
  t = await setupTestApp();
  await seedDemo(t.db, { now: t.clock.now(), passwordCost: TEST_COST });
  seeded = await seedDemoCampaign(t.db, { now: t.clock.now() });
  for (const u of ['admin', 'town_admin', 'beiling_admin', 'secretary', 'auditor'])
    s[u] = await signIn(t.app, u, DEMO_PASSWORD);
});
afterAll(async () => t.close());

describe("demo data: 清河县's round of the year under way (R-CAMP-2, R-CAMP-3, R-ORG-2)", () => {
  it('is published with a sub-campaign per township and 工委 that hears reports', async () => {
    const d = (await s.admin.get(`/api/campaigns/${seeded.campaignId}`)).json();
    expect(d.campaign).toMatchObject({ state: 'published', year: 2025, organizer: { name: '中共清河县委员会' } });
    // 15 towns with villages, 社区工委 (all communities by rule), 县直工委, 非公工委; the 街道 has only communities.
    expect(d.children).toHaveLength(18);
    const states = Object.fromEntries(d.children.map((c: any) => [c.organizer.name, c.filingState]));
    expect(states['中共青山镇委员会']).toBe('filed');
    expect(states['中共白水镇委员会']).toBe('returned');
    expect(states['中共柳河镇委员会']).toBe('pending');
    // Dated from "today" (2025-11-20 in Beijing): the 工委 finish four weeks from now, the townships two.
    const sq = d.children.find((c: any) => c.organizer.name === '中共清河县社区工作委员会');
    expect(sq.completeBy).toBe('2025-12-18');
    expect(d.children.find((c: any) => c.organizer.name === '中共青山镇委员会').completeBy).toBe('2025-12-04');
  });

  it("北岭县's admin sees none of 清河县's campaigns", async () => {
    expect((await s.beiling_admin.get('/api/campaigns')).json().total).toBe(0);
    expect((await s.beiling_admin.get(`/api/campaigns/${seeded.campaignId}`)).statusCode).toBe(404);
  });

  it('the 青山镇 admin sees only its own round, with the county round named as parent', async () => {
    const list = (await s.town_admin.get('/api/campaigns')).json();
    expect(list.items.map((c: any) => c.organizer.name)).toEqual(['中共青山镇委员会']);
    const d = (await s.town_admin.get(`/api/campaigns/${list.items[0].id}`)).json();
    expect(d.parent).toMatchObject({ id: seeded.campaignId, organizer: { name: '中共清河县委员会' } });
    expect(d.filing.state).toBe('filed');
  });

  it("the 青山镇 admin's own plan names the county's route targets itself and marks those rules inherited (read-only)", async () => {
    const [own] = (await s.town_admin.get('/api/campaigns')).json().items;
    const d = (await s.town_admin.get(`/api/campaigns/${own.id}`)).json();
    const routes = d.settings.routes as { label: string; reportTo: number }[];
    expect(d.inheritedRoutes).toEqual(routes.map((_, i) => i));
    expect(routes.map((r) => d.orgNames[r.reportTo])).toEqual([
      '中共清河县社区工作委员会',
      '中共清河县非公有制经济组织和社会组织工作委员会',
    ]);
    // What the page used to look up by itself, and was refused (a toast each time the plan opened); a sibling off
    // the township's branch now answers like a missing id (issue 15).
    for (const r of routes) expect((await s.town_admin.get(`/api/orgs/${r.reportTo}`)).statusCode).toBe(404);
    // The county's own plan has nothing inherited.
    expect((await s.admin.get(`/api/campaigns/${seeded.campaignId}`)).json().inheritedRoutes).toEqual([]);
  });

  it('the 前进村 secretary sees no round before the township publishes; the auditor none', async () => {
    expect((await s.secretary.get('/api/campaigns')).json().total).toBe(0);
    expect((await s.auditor.get('/api/campaigns')).statusCode).toBe(403);
  });
});

describe('demo accounts (README table, decision 019)', () => {
  it('one account per role, the 三员 included; each signs in with the published password and is not sent to change it', async () => {
    const { ROLE_CODES } = await import('../../src/domain/roles');
    const roles = new Set<string>();
    for (const u of [
      'admin',
      'town_admin',
      'beiling_admin',
      'univ_admin',
      'secretary',
      'leader',
      'assessor',
      'observer',
      'auditor',
      'sysadmin',
      'secadmin',
      'sysauditor',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u, password: DEMO_PASSWORD },
      });
      expect(res.statusCode, u).toBe(200);
      expect(res.json().password.mustChange, u).toBe(false);
      roles.add(res.json().user.role);
    }
    expect([...roles].sort()).toEqual([...ROLE_CODES].sort());
    // The system-level 系统管理员 sees every county's accounts; the 安全管理员 the settings.
    const sys = await signIn(t.app, 'sysadmin', DEMO_PASSWORD);
    const names = ((await sys.get('/api/users?limit=100')).json().items as Array<{ username: string }>).map(
      (a) => a.username,
    );
    expect(names).toEqual(expect.arrayContaining(['admin', 'beiling_admin', 'univ_admin', 'secadmin']));
    const sec = await signIn(t.app, 'secadmin', DEMO_PASSWORD);
    expect((await sec.get('/api/security/policy')).json()).toMatchObject({
      passwordMaxAgeDays: 90,
      lockoutAttempts: 5,
    });
  });
});
