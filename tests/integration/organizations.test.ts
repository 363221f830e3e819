import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { Role } from '../../src/domain/roles';
import { queryRows } from '../../src/server/db/connect';
import { ORG_COLUMNS } from '../../src/server/modules/organizations/spreadsheet-columns';
import { buildSecretary, buildTwoCounties, buildUser, setupTestApp, signIn, type Session } from '../factories';

/**
 * The tests share one county tree (beforeAll) and change nothing another test reads; the three that move an
 * organization, appoint a secretary or count its audit rows take a database of their own (ownDatabase), so the tests
 * run in any order.
 */
let shared: World;
let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let s: Record<string, Session> = {};
type World = { t: typeof t; tree: typeof tree; s: typeof s };

async function buildWorld(): Promise<World> {
  const app = await setupTestApp();
  const built = await buildTwoCounties(app.db);
  await buildSecretary(app.db, built.villageA1.id, { name: '李建国', tenureStart: '2019-05-01' });
  const sessions: Record<string, Session> = {};
  const accounts: [string, Role, { scopeOrgId?: number; orgId?: number }][] = [
    ['adminA', 'org_admin', { scopeOrgId: built.countyA.id }],
    ['adminB', 'org_admin', { scopeOrgId: built.countyB.id }],
    ['townA', 'org_admin', { scopeOrgId: built.townA.id }],
    ['secA1', 'secretary', { orgId: built.villageA1.id }],
    ['leaderA', 'leader', { scopeOrgId: built.countyA.id }],
    ['assessorA', 'assessor', { scopeOrgId: built.countyA.id }],
    ['observerA', 'observer', { scopeOrgId: built.countyA.id }],
    ['auditorA', 'auditor', { scopeOrgId: built.countyA.id }],
  ];
  for (const [username, role, scope] of accounts) {
    await buildUser(app.db, { role, username, ...scope });
    sessions[username] = await signIn(app.app, username);
  }
  return { t: app, tree: built, s: sessions };
}
const use = (w: World) => void ({ t, tree, s } = w);

beforeAll(async () => {
  shared = await buildWorld();
});
beforeEach(() => use(shared));
afterAll(async () => shared.t.close());

/** For a test that changes the tree or counts audit rows others also make: a fresh world, closed after the test. */
async function ownDatabase() {
  const own = await buildWorld();
  onTestFinished(() => own.t.close());
  use(own);
}

const count = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

describe('R-ORG-1 access matrix: every role × every route of the foundation, allowed and denied', () => {
  const cases: [string, (ids: typeof tree, user: string) => [string, string, unknown?], Record<string, number>][] = [
    [
      'read village A1',
      (i) => ['GET', `/api/orgs/${i.villageA1.id}`],
      { adminA: 200, adminB: 404, townA: 200, secA1: 200, leaderA: 200, assessorA: 200, observerA: 200, auditorA: 403 },
    ],
    [
      'read village A2',
      (i) => ['GET', `/api/orgs/${i.villageA2.id}`],
      { adminA: 200, adminB: 404, townA: 200, secA1: 404, leaderA: 200, assessorA: 200, observerA: 200, auditorA: 403 },
    ],
    [
      'read county B',
      (i) => ['GET', `/api/orgs/${i.countyB.id}`],
      { adminA: 404, adminB: 200, townA: 404, secA1: 404, leaderA: 404, assessorA: 404, observerA: 404, auditorA: 404 },
    ],
    [
      'children of county A',
      (i) => ['GET', `/api/orgs/${i.countyA.id}/children`],
      { adminA: 200, adminB: 404, townA: 403, secA1: 403, leaderA: 200, assessorA: 200, observerA: 200, auditorA: 403 },
    ],
    [
      'search',
      () => ['GET', '/api/orgs/search?q=村'],
      { adminA: 200, adminB: 200, townA: 200, secA1: 200, leaderA: 200, assessorA: 200, observerA: 200, auditorA: 403 },
    ],
    [
      'edit village A2',
      (i) => ['PATCH', `/api/orgs/${i.villageA2.id}`, { name: '甲一镇西村党支部' }],
      { adminA: 200, adminB: 404, townA: 200, secA1: 404, leaderA: 403, assessorA: 403, observerA: 403, auditorA: 403 },
    ],
    [
      'add member in B',
      (i) => ['POST', `/api/orgs/${i.villageB1.id}/members`, { name: '王五', position: '组织委员' }],
      { adminA: 404, adminB: 200, townA: 404, secA1: 404, leaderA: 404, assessorA: 404, observerA: 404, auditorA: 404 },
    ],
    [
      'export county A',
      (i) => ['GET', `/api/orgs/${i.countyA.id}/export`],
      { adminA: 200, adminB: 404, townA: 403, secA1: 403, leaderA: 200, assessorA: 200, observerA: 200, auditorA: 403 },
    ],
    [
      'list accounts',
      () => ['GET', '/api/users'],
      { adminA: 200, adminB: 200, townA: 200, secA1: 403, leaderA: 403, assessorA: 403, observerA: 403, auditorA: 403 },
    ],
    [
      'tree roots',
      () => ['GET', '/api/orgs/roots'],
      { adminA: 200, adminB: 200, townA: 200, secA1: 200, leaderA: 200, assessorA: 200, observerA: 200, auditorA: 403 },
    ],
    [
      'import template',
      () => ['GET', '/api/orgs/import/template'],
      { adminA: 200, adminB: 200, townA: 200, secA1: 200, leaderA: 200, assessorA: 200, observerA: 200, auditorA: 200 },
    ],
    [
      'create org under town A',
      (i, u) => [
        'POST',
        '/api/orgs',
        {
          parentId: i.townA.id,
          name: `新支部${u}`,
          code: `NEW-${u}`,
          kind: 'branch',
          sector: 'rural',
          level: 'grassroots',
        },
      ],
      { adminA: 200, adminB: 404, townA: 200, secA1: 403, leaderA: 403, assessorA: 403, observerA: 403, auditorA: 403 },
    ],
    [
      'appoint secretary in B',
      (i) => [
        'PUT',
        `/api/orgs/${i.villageB1.id}/secretary`,
        { name: '钱七', position: '书记', tenureStart: '2024-01-01' },
      ],
      { adminA: 404, adminB: 200, townA: 404, secA1: 404, leaderA: 404, assessorA: 404, observerA: 404, auditorA: 404 },
    ],
    [
      'move town B village',
      (i) => ['POST', `/api/orgs/${i.villageB1.id}/move`, { newParentId: i.countyB.id }],
      { adminA: 404, adminB: 200, townA: 404, secA1: 404, leaderA: 404, assessorA: 404, observerA: 404, auditorA: 404 },
    ],
    [
      'create account in county A',
      (i, u) => [
        'POST',
        '/api/users',
        {
          username: `acct_${u}`,
          displayName: '新账号',
          password: 'Strong#Pass99',
          role: 'observer',
          scopeOrgId: i.townA.id,
        },
      ],
      { adminA: 200, adminB: 404, townA: 200, secA1: 403, leaderA: 403, assessorA: 403, observerA: 403, auditorA: 403 },
    ],
    [
      'meta',
      () => ['GET', '/api/meta'],
      { adminA: 200, adminB: 200, townA: 200, secA1: 200, leaderA: 200, assessorA: 200, observerA: 200, auditorA: 200 },
    ],
    [
      'read audit log',
      () => ['GET', '/api/audit'],
      { adminA: 403, adminB: 403, townA: 403, secA1: 403, leaderA: 403, assessorA: 403, observerA: 403, auditorA: 200 },
    ],
  ];
  for (const [name, req, expected] of cases) {
    it(name, async () => {
      const got: Record<string, number> = {};
      for (const user of Object.keys(expected)) {
        const [method, url, body] = req(tree, user);
        got[user] = (await s[user].request({ method: method as 'GET', url, payload: body as object })).statusCode;
      }
      expect(got).toEqual(expected);
    });
  }

  it('unauthenticated requests get 401', async () => {
    for (const url of ['/api/orgs/roots', `/api/orgs/${tree.villageA1.id}`, '/api/users', '/api/audit']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('UNAUTHENTICATED');
    }
  });

  it("account changes (edit, password) only inside the admin's subtree; unlocking is the security admin's (decision 019)", async () => {
    const target = await buildUser(t.db, { role: 'leader', username: 'target_b', scopeOrgId: tree.countyB.id });
    for (const [url, method, body, expected] of [
      // Another county's account answers as a missing one (issue 15); unlocking is no business admin's duty at all.
      [`/api/users/${target.id}`, 'PATCH', { displayName: '改名' }, [404, 200, 403, 403]],
      [`/api/users/${target.id}/unlock`, 'POST', undefined, [403, 403, 403, 403]],
      [`/api/users/${target.id}/password`, 'POST', { password: 'Another#Pass77' }, [404, 200, 403, 403]],
    ] as const) {
      const codes = await Promise.all(
        ['adminA', 'adminB', 'secA1', 'auditorA'].map(
          async (u) => (await s[u].request({ method, url, payload: body })).statusCode,
        ),
      );
      expect(codes).toEqual(expected);
    }
  });

  it('an admin of county A cannot create an account scoped to county B', async () => {
    const res = await s.adminA.post('/api/users', {
      username: 'sneaky',
      displayName: '越权',
      password: 'Strong#Pass99',
      role: 'observer',
      scopeOrgId: tree.countyB.id,
    });
    // Another county's organization is answered as a missing one (issue 15).
    expect(res.statusCode).toBe(404);
  });
});

describe('tree operations', () => {
  it('keeps secretary history when a new secretary is appointed', async () => {
    await ownDatabase();
    const res = await s.adminA.put(`/api/orgs/${tree.villageA1.id}/secretary`, {
      name: '赵新民',
      position: '书记',
      tenureStart: '2025-10-01',
    });
    expect(res.statusCode).toBe(200);
    const detail = (await s.adminA.get(`/api/orgs/${tree.villageA1.id}`)).json();
    expect(detail.secretary.name).toBe('赵新民');
    expect(
      detail.secretaryHistory.map((h: { name: string; tenureEnd: string | null }) => [h.name, h.tenureEnd]),
    ).toEqual([
      ['赵新民', null],
      ['李建国', '2025-10-01'],
    ]);
  });

  it('moves a subtree and refuses a move into its own subtree', async () => {
    await ownDatabase();
    const town2 = (
      await s.adminA.post('/api/orgs', {
        parentId: tree.countyA.id,
        name: '甲二镇党委',
        code: 'A-T2',
        kind: 'committee',
        sector: 'rural',
        level: 'township',
      })
    ).json().org;
    const cyc = await s.adminA.post(`/api/orgs/${tree.townA.id}/move`, { newParentId: tree.villageA2.id });
    expect(cyc.statusCode).toBe(400);
    expect(cyc.json().code).toBe('MOVE_CYCLE');
    const moved = await s.adminA.post(`/api/orgs/${tree.villageA2.id}/move`, { newParentId: town2.id });
    expect(moved.statusCode).toBe(200);
    const children = (await s.adminA.get(`/api/orgs/${town2.id}/children`)).json();
    expect(children.items.map((c: { code: string }) => c.code)).toEqual(['A-T1-V2']);
    // The township admin of 甲一镇 no longer sees the moved village: off its branch, as if it did not exist.
    expect((await s.townA.get(`/api/orgs/${tree.villageA2.id}`)).statusCode).toBe(404);
  });

  it('R-ORG-1 lazy tree: every node reports how many children it has, so the page knows what can expand', async () => {
    const roots = (await s.adminA.get('/api/orgs/roots')).json();
    expect(roots.items).toMatchObject([{ id: tree.countyA.id, childCount: expect.any(Number) }]);
    expect(roots.items[0].childCount).toBeGreaterThanOrEqual(1);
    const towns = (await s.adminA.get(`/api/orgs/${tree.countyA.id}/children`)).json();
    const townA = towns.items.find((i: { id: number }) => i.id === tree.townA.id);
    const villages = (await s.adminA.get(`/api/orgs/${tree.townA.id}/children`)).json();
    expect(townA.childCount).toBe(villages.total);
    expect(villages.total).toBeGreaterThanOrEqual(1);
    expect(villages.items.every((v: { childCount: number }) => v.childCount === 0)).toBe(true);
    const hit = (await s.adminA.get(`/api/orgs/search?q=${encodeURIComponent('甲一镇党委')}`)).json().items[0];
    expect(hit.childCount).toBe(villages.total);
  });

  it('search finds by name with the path of names', async () => {
    const res = (await s.adminA.get(`/api/orgs/search?q=${encodeURIComponent('东村')}`)).json();
    expect(res.total).toBe(1);
    expect(res.items[0].pathNames).toEqual(['甲县委', '甲一镇党委', '甲一镇东村党支部']);
  });
});

async function sheet(rows: unknown[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('组织与书记');
  ws.addRow(ORG_COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function upload(session: Session, file: Buffer, filename = 'orgs.xlsx') {
  const boundary = `----spk${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return session.request({
    method: 'POST',
    url: '/api/orgs/import',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

describe('R-ORG-4 spreadsheet import', () => {
  it('lists every bad row with its number and reason, and imports nothing', async () => {
    const before = [await count('organizations'), await count('secretaries')];
    const file = await sheet([
      ['A-T1-V9', '甲一镇新村党支部', 'A-T1', '党支部', '农村', '基层', '孙志明', '书记', '2024-03-15', ''],
      ['A-X1', '缺上级的支部', 'NOPE', '党支部', '农村', '基层', '', '', '', ''],
      ['A-T1-V9', '重复编码支部', 'A-T1', '党支部', '农村', '基层', '', '', '', ''],
      ['A-X2', '类别错误支部', 'A-T1', '党小组', '农村', '基层', '', '', '', ''],
      ['A-X3', '日期错误支部', 'A-T1', '党支部', '农村', '基层', '周某', '书记', '2024-13-45', ''],
      ['A-X4', '', 'A-T1', '党支部', '农村', '基层', '', '', '', ''],
      ['A-X5', '越权支部', 'B-T1', '党支部', '农村', '基层', '', '', '', ''],
    ]);
    const res = await upload(s.adminA, file);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('IMPORT_INVALID');
    const errors = body.details.errors as { row: number; column: string; message: string }[];
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, '上级组织编码'],
      [4, '组织编码'],
      [5, '组织类别'],
      [6, '书记任职时间'],
      [7, '组织名称'],
      [8, '上级组织编码'],
    ]);
    expect(errors[0].message).toContain('NOPE');
    expect(errors[1].message).toContain('第2行重复');
    expect(errors[5].message).toContain('不在您的管理范围内');
    expect([await count('organizations'), await count('secretaries')]).toEqual(before);
  });

  it('imports good rows (parents later in the file allowed), then exports them back', async () => {
    const file = await sheet([
      ['A-T3-V1', '甲三镇一村党支部', 'A-T3', '党支部', '农村', '基层', '钱丽华', '书记', '2023-01-10', '13800000000'],
      ['A-T3', '甲三镇党委', 'A', '党委', '农村', '乡镇级', '', '', '', ''],
    ]);
    const res = await upload(s.adminA, file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ orgs: 2, secretaries: 1 });
    const hit = (await s.adminA.get(`/api/orgs/search?q=${encodeURIComponent('甲三镇一村')}`)).json().items[0];
    expect(hit.pathNames).toEqual(['甲县委', '甲三镇党委', '甲三镇一村党支部']);
    const audit = (await s.auditorA.get('/api/audit?action=org.import')).json();
    expect(audit.items[0].detail).toMatchObject({ orgs: 2, secretaries: 1 });

    const exported = await s.adminA.get(`/api/orgs/${tree.countyA.id}/export`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const codes: string[] = [];
    wb.getWorksheet('组织与书记')!.eachRow((row, n) => n > 1 && codes.push(String(row.getCell(1).value)));
    expect(codes).toEqual(expect.arrayContaining(['A', 'A-T3', 'A-T3-V1']));
  });

  it('refuses a file that is not a spreadsheet with a Chinese message', async () => {
    const res = await upload(s.adminA, Buffer.from('not a zip'), 'x.xlsx');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_FILE' });
  });
});

describe('audit log', () => {
  it('records state changes and the database refuses to alter them', async () => {
    // Its own database: the test deletes and updates nothing, but counts the one appointment it makes itself.
    await ownDatabase();
    expect(
      (
        await s.adminA.put(`/api/orgs/${tree.villageA1.id}/secretary`, {
          name: '赵新民',
          position: '书记',
          tenureStart: '2025-10-01',
        })
      ).statusCode,
    ).toBe(200);
    const rows = await queryRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where action = 'org.secretary.appoint' and target_id = ${String(tree.villageA1.id)}`,
    );
    expect(rows.length).toBe(1);
    // Drizzle wraps the driver error; the trigger's message is on its cause.
    const refusal = (q: Promise<unknown>) =>
      q.then(
        () => 'allowed',
        (e: { cause?: Error }) => String(e.cause?.message),
      );
    expect(await refusal(t.db.execute(sql`update audit_log set action = 'x'`))).toContain('append-only');
    expect(await refusal(t.db.execute(sql`delete from audit_log`))).toContain('append-only');
  });
});
