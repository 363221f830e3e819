import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/connect';
import { buildImportTemplate } from '../../src/server/modules/organizations/import-template';
import { ORG_COLUMNS, ORG_SHEET_NAME } from '../../src/server/modules/organizations/spreadsheet-columns';
import { buildTwoCounties, buildUser, setupTestApp, signIn, type Session } from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
const s: Record<string, Session> = {};

beforeAll(async () => {
  t = await setupTestApp();
  tree = await buildTwoCounties(t.db);
  await buildUser(t.db, { role: 'org_admin', username: 'adminA', scopeOrgId: tree.countyA.id });
  await buildUser(t.db, { role: 'org_admin', username: 'adminB', scopeOrgId: tree.countyB.id });
  await buildUser(t.db, { role: 'secretary', username: 'secA1', orgId: tree.villageA1.id });
  for (const u of ['adminA', 'adminB', 'secA1']) s[u] = await signIn(t.app, u);
});
afterAll(async () => t.close());

const count = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

async function sheet(rows: unknown[][], opts: { helpSheetFirst?: boolean } = {}) {
  const wb = new ExcelJS.Workbook();
  if (opts.helpSheetFirst) wb.addWorksheet('填写说明').addRow(['列名', '说明']);
  const ws = wb.addWorksheet(ORG_SHEET_NAME);
  ws.addRow(ORG_COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function upload(session: Session, url: string, file: Buffer) {
  const boundary = `----spk${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="组织.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return session.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}
/** Polls like the page does, until the job has finished one way or the other. */
async function finished(session: Session, id: number) {
  for (let i = 0; i < 200; i++) {
    const res = await session.get(`/api/orgs/import-jobs/${id}`);
    expect(res.statusCode).toBe(200);
    const job = res.json().job;
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import job did not finish');
}

describe('R-ORG-4 import as a background job with progress', () => {
  it('reports every bad row in Chinese with its row number, and writes nothing', async () => {
    const before = [await count('organizations'), await count('secretaries'), await count('audit_log')];
    const file = await sheet([
      ['A-J1', '甲县新建党支部', 'A', '党支部', '农村', '基层', '', '', '', ''],
      ['A-J2', '甲县另一党支部', 'ZZZ', '党支部', '农村', '基层', '', '', '', ''],
      ['A-J3', '乙县的下级', 'B-T1', '党支部', '农村', '基层', '', '', '', ''],
    ]);
    const res = await upload(s.adminA, '/api/orgs/import-jobs', file);
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json().job;
    expect(started.fileName).toBe('组织.xlsx');
    const job = await finished(s.adminA, started.id);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('IMPORT_INVALID');
    expect(job.error.message).toContain('未导入任何数据');
    expect(job.error.details.errors.map((e: { row: number }) => e.row)).toEqual([3, 4]);
    expect(job.error.details.errors[1].message).toContain('不在您的管理范围内');
    // The job row itself is bookkeeping; no organization, secretary or audit row was written.
    expect([await count('organizations'), await count('secretaries'), await count('audit_log')]).toEqual(before);
  });

  it('imports a file made from the downloaded template (help sheet, real date cells) and reports the result', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildImportTemplate()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(ORG_SHEET_NAME)!;
    ws.addRow([
      'A-J5',
      '甲县第五党支部',
      'A',
      '党支部',
      '机关',
      '基层',
      '赵文',
      '书记',
      new Date('2024-03-15T00:00:00Z'),
      '',
    ]);
    ws.addRow(['A-J5-1', '甲县第五党支部第一党小组', 'A-J5', '党支部', '机关', '基层', '', '', '', '']);
    const res = await upload(s.adminA, '/api/orgs/import-jobs', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(s.adminA, res.json().job.id);
    expect(job).toMatchObject({ status: 'done', result: { orgs: 2, secretaries: 1 }, error: null });
    const hit = (await s.adminA.get(`/api/orgs/search?q=${encodeURIComponent('第一党小组')}`)).json();
    expect(hit.items[0].pathNames).toEqual(['甲县委', '甲县第五党支部', '甲县第五党支部第一党小组']);
    const detail = (await s.adminA.get(`/api/orgs/${hit.items[0].parentId}`)).json();
    expect(detail.secretary).toMatchObject({ name: '赵文', tenureStart: '2024-03-15' });
  });

  it('reads the sheet named 组织与书记 even when another sheet comes first', async () => {
    const res = await upload(
      s.adminA,
      '/api/orgs/import',
      await sheet([['A-J6', '甲县第六党支部', 'A', '党支部', '机关', '基层', '', '', '', '']], {
        helpSheetFirst: true,
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ orgs: 1, secretaries: 0 });
  });

  it("refuses a sheet whose header is not the template's, in Chinese", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet(ORG_SHEET_NAME).addRow(['编码', '名称']);
    const res = await upload(s.adminA, '/api/orgs/import-jobs', Buffer.from(await wb.xlsx.writeBuffer()));
    const job = await finished(s.adminA, res.json().job.id);
    expect(job.error).toMatchObject({ code: 'TEMPLATE_MISMATCH' });
    expect(job.error.message).toContain('组织编码');
  });

  it('only an org-department admin may start a job, and only its owner may read it', async () => {
    const file = await sheet([['A-J7', '甲县第七党支部', 'A', '党支部', '机关', '基层', '', '', '', '']]);
    expect((await upload(s.secA1, '/api/orgs/import-jobs', file)).statusCode).toBe(403);
    const res = await upload(s.adminA, '/api/orgs/import-jobs', file);
    const id = res.json().job.id;
    await finished(s.adminA, id);
    expect((await s.adminB.get(`/api/orgs/import-jobs/${id}`)).statusCode).toBe(404);
    expect((await s.secA1.get(`/api/orgs/import-jobs/${id}`)).statusCode).toBe(404);
    expect((await s.adminA.get('/api/orgs/import-jobs/abc')).statusCode).toBe(400);
  });
});

describe('R-ORG-4 a large import does not hold up other requests and leaves nothing behind', () => {
  const N = 2500;
  // Bounded by time, not by a count of loops: the machine is shared and its speed varies.
  const until = () => Date.now() + 120_000;
  const bulk = () =>
    sheet(
      Array.from({ length: N }, (_, i) => [
        `A-K${i}`,
        `甲县批量党支部${i}`,
        'A',
        '党支部',
        '农村',
        '基层',
        '',
        '',
        '',
        '',
      ]),
    );
  const staged = async (jobId: number) =>
    (
      await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from org_import_staging where job_id = ${jobId}`,
      )
    )[0].n;
  const status = async (jobId: number) =>
    (await queryRows<{ status: string }>(t.db, sql`select status from org_import_jobs where id = ${jobId}`))[0].status;

  it('serves a concurrent read between staging batches; nothing is visible until the final move', async () => {
    const orgsBefore = await count('organizations');
    const res = await upload(s.adminA, '/api/orgs/import-jobs', await bulk());
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().job.id;
    // Reads issued while the job runs: a tree read over HTTP, then what is staged and visible.
    const seen: { staged: number; orgs: number; status: string }[] = [];
    for (const end = until(); Date.now() < end; ) {
      const roots = await s.adminA.get('/api/orgs/roots');
      expect(roots.statusCode).toBe(200);
      const now = { staged: await staged(id), orgs: await count('organizations'), status: await status(id) };
      seen.push(now);
      if (now.status === 'done' || now.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen.at(-1)!.status).toBe('done');
    // Some read completed after part of the rows were staged and before the job finished: the import
    // gave the connection away between batches, and the half-staged rows were not in organizations.
    const midway = seen.filter((x) => x.staged > 0 && x.staged < N && x.status === 'writing');
    expect(midway.length).toBeGreaterThan(0);
    expect(midway.every((x) => x.orgs === orgsBefore)).toBe(true);
    expect(await count('organizations')).toBe(orgsBefore + N);
    expect(await staged(id)).toBe(0);
  });

  it('a code taken during the import fails the whole job with a row-numbered error and cleans its staging rows', async () => {
    const file = sheet(
      Array.from({ length: N }, (_, i) => [
        `A-L${i}`,
        `甲县另批党支部${i}`,
        'A',
        '党支部',
        '农村',
        '基层',
        '',
        '',
        '',
        '',
      ]),
    );
    const orgsBefore = await count('organizations');
    const res = await upload(s.adminA, '/api/orgs/import-jobs', await file);
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().job.id;
    // As soon as the first batch is staged, someone else takes the code of the file's row 2,002.
    let taken = false;
    for (const end = until(); Date.now() < end && !taken; ) {
      if ((await staged(id)) > 0) {
        await t.db.execute(sql`insert into organizations (parent_id, name, code, kind, sector, level, path, depth)
          values (${tree.countyA.id}, '同时新建的党支部', 'A-L2000', 'branch', 'rural', 'grassroots', ${`${tree.countyA.path}0/`}, 1)`);
        taken = true;
      }
      const st = await status(id);
      if (st === 'done' || st === 'failed') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(taken).toBe(true);
    const job = await finished(s.adminA, id);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('IMPORT_INVALID');
    expect(job.error.details.errors).toEqual([
      { row: 2002, column: '组织编码', message: '组织编码「A-L2000」在导入期间已被占用' },
    ]);
    expect(await staged(id)).toBe(0);
    expect(await count('org_import_staging')).toBe(0);
    // Only the concurrently created organization exists; none of the file's.
    expect(await count('organizations')).toBe(orgsBefore + 1);
    expect(
      (
        await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from organizations where code like 'A-L%'`)
      )[0].n,
    ).toBe(1);
  });

  it('a job whose process stopped has its staging rows cleared by the next start', async () => {
    const userId = (await queryRows<{ id: number }>(t.db, sql`select id from users where username = 'adminA'`))[0].id;
    const [stale] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into org_import_jobs (user_id, file_name, status, updated_at)
      values (${userId}, 'x.xlsx', 'writing', now() - interval '1 hour') returning id`,
    );
    await t.db.execute(sql`insert into org_import_staging (job_id, row, id, parent_id, name, code, parent_code, kind, sector, level,
      path, depth, anchor_id, anchor_path, anchor_depth) values (${stale.id}, 2, 999999, ${tree.countyA.id}, '残留', 'A-Z', '', 'branch',
      'rural', 'grassroots', '/x/', 1, ${tree.countyA.id}, '/x/', 0)`);
    const res = await upload(
      s.adminA,
      '/api/orgs/import-jobs',
      await sheet([['A-M1', '甲县M党支部', 'A', '党支部', '农村', '基层', '', '', '', '']]),
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(await staged(stale.id)).toBe(0);
    expect((await finished(s.adminA, res.json().job.id)).status).toBe('done');
  });
});
