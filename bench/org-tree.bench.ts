// Issue 2 performance: import of 100,000 organizations, and subtree/tree-page queries on that tree.
// Each figure is printed with a baseline measured in the same run on the same database.
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import os from 'node:os';
import { buildApp } from '../src/server/app';
import { openPglite, openPostgres, queryRows } from '../src/server/db/connect';
import { organizations, users } from '../src/server/db/schema';
import { hashPassword } from '../src/server/modules/auth/password-hash';
import { ORG_COLUMNS } from '../src/server/modules/organizations/spreadsheet-columns';

const N = Number(process.env.BENCH_ORGS ?? 100_000);
const cost = { N: 1024, r: 8, p: 1 };
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main() {
  const database = process.env.DATABASE_URL ? await openPostgres(process.env.DATABASE_URL) : await openPglite(undefined);
  await database.migrate();
  const { db } = database;
  const [root] = await db.insert(organizations).values({ name: '基准县委', code: 'R', kind: 'committee', sector: 'organ', level: 'county', path: '', depth: 0 }).returning();
  await db.execute(sql`update organizations set path = ${`/${root.id}/`} where id = ${root.id}`);
  await db.insert(users).values({ username: 'bench', displayName: '基准', role: 'org_admin', passwordHash: await hashPassword('Bench#Pass2025', cost), scopeOrgId: root.id });

  // 100 townships × (N/100 - 1) villages: wide enough to exercise paging of children.
  const towns = 100;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('组织与书记');
  ws.addRow(ORG_COLUMNS.map((c) => c.header));
  for (let t = 0; t < towns; t++) {
    ws.addRow([`T${t}`, `第${t}镇党委`, 'R', '党委', '农村', '乡镇级', `书记${t}`, '书记', '2020-01-01', '']);
    for (let v = 0; v < N / towns - 1; v++) ws.addRow([`T${t}-V${v}`, `第${t}镇第${v}村党支部`, `T${t}`, '党支部', '农村', '基层', `村书记${v}`, '书记', '2021-06-01', '']);
  }
  const file = Buffer.from(await wb.xlsx.writeBuffer());

  const app = await buildApp({ database, config: { passwordCost: cost } });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench', password: 'Bench#Pass2025' } });
  const cookie = `sp_sid=${login.cookies.find((c) => c.name === 'sp_sid')!.value}`;
  const csrf = login.json().csrfToken;
  const boundary = '----bench';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  let t0 = process.hrtime.bigint();
  const imp = await app.inject({ method: 'POST', url: '/api/orgs/import', payload, headers: { cookie, 'x-csrf-token': csrf, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  const importMs = ms(t0);
  if (imp.statusCode !== 200) throw new Error(imp.body);

  // Baseline: the same number of rows inserted raw (no parsing, validation or paths).
  await db.execute(sql`create table bench_raw (id serial primary key, name text, code text)`);
  t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, N - i) }, (_, k) => sql`(${`n${i + k}`}, ${`c${i + k}`})`);
    await db.execute(sql`insert into bench_raw (name, code) values ${sql.join(rows, sql`, `)}`);
  }
  const rawMs = ms(t0);

  const time = async (f: () => Promise<unknown>, reps = 20) => {
    const xs: number[] = [];
    for (let i = 0; i < reps; i++) { const s = process.hrtime.bigint(); await f(); xs.push(ms(s)); }
    xs.sort((a, b) => a - b);
    return xs[Math.floor(reps / 2)];
  };
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const townId = (await queryRows<{ id: number }>(db, sql`select id from organizations where code = 'T50'`))[0].id;
  const pk = await time(() => queryRows(db, sql`select * from organizations where id = ${townId}`));
  const subtree = await time(() => queryRows(db, sql`select count(*) from organizations where path like ${`/${root.id}/${townId}/%`}`));
  const firstPage = await time(async () => { await get('/api/orgs/roots'); await get(`/api/orgs/${root.id}/children?limit=200`); await get(`/api/orgs/${townId}/children?limit=200`); });
  const search = await time(() => get(`/api/orgs/search?q=${encodeURIComponent('第50镇第7')}`));

  const on = `${database.kind}, ${os.cpus().length} cores, node ${process.version}`;
  console.log(`import ${N} orgs via HTTP (.xlsx): ${importMs.toFixed(0)} ms; raw insert of ${N} rows ${rawMs.toFixed(0)} ms; ratio ${(importMs / rawMs).toFixed(2)} [${on}]`);
  console.log(`subtree count (1,000 orgs) ${subtree.toFixed(2)} ms vs primary-key read ${pk.toFixed(2)} ms; ratio ${(subtree / pk).toFixed(1)}`);
  console.log(`tree page first render data (roots + 2 child pages over HTTP) ${firstPage.toFixed(1)} ms; ratio to pk read ${(firstPage / pk).toFixed(1)}`);
  console.log(`name search over ${N} ${search.toFixed(1)} ms; ratio to pk read ${(search / pk).toFixed(1)}`);
  await app.close();
  await database.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
