import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTwoCounties, buildUser, setupTestApp, signIn } from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
beforeAll(async () => {
  t = await setupTestApp();
});
afterAll(async () => t.close());

describe('health and OpenAPI', () => {
  it('answers health with the database kind', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('serves an OpenAPI document listing the routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/orgs/search', '/api/auth/login', '/api/audit']),
    );
  });

  it('logs in and browses the tree', async () => {
    const tree = await buildTwoCounties(t.db);
    await buildUser(t.db, { role: 'org_admin', username: 'smoke_admin', scopeOrgId: tree.countyA.id });
    const s = await signIn(t.app, 'smoke_admin');
    const roots = await s.get('/api/orgs/roots');
    expect(roots.json().items.map((o: { name: string }) => o.name)).toEqual(['甲县委']);
  });
});
