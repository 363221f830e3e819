import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { queryRows } from '../../src/server/db/connect';
import { hashSurveyToken } from '../../src/server/modules/surveys/issue-tokens';
import { freshDatabase } from '../setup/db';
import {
  buildCampaign,
  buildOrg,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  type Session,
  signIn,
  TEST_COST,
  testClock,
} from '../factories';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

const HAN = /[\u4e00-\u9fa5]/;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const logLines: string[] = [];
let app: Awaited<ReturnType<typeof buildApp>>;
let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;

let w: Awaited<ReturnType<typeof world>>;

async function world() {
  const t = await buildTwoCounties(db());
  const villageA3 = await buildOrg(db(), { parent: t.townA, name: '甲一镇北村党支部', code: 'A-T1-V3' });
  for (const o of [t.villageA1, t.villageA2, villageA3]) await buildSecretary(db(), o.id);
  const campaign = await buildCampaign(db(), {
    organizerOrgId: t.townA.id,
    templateId: '003',
    state: 'published',
    reporterOrgIds: [t.villageA1.id, t.villageA2.id, villageA3.id],
    // 003 plans no 实地考核 phase: the survey falls in 综合评价 (R-CAMP-8).
    open: ['evaluation'],
  });
  const reporters = await queryRows<{ id: number; org_id: number }>(
    db(),
    sql`select id, org_id from campaign_reporters where campaign_id = ${campaign.id} order by id`,
  );
  const rid = (orgId: number) => reporters.find((r) => r.org_id === orgId)!.id;
  const admin = await buildUser(db(), { role: 'org_admin', scopeOrgId: t.countyA.id });
  const otherCounty = await buildUser(db(), { role: 'org_admin', scopeOrgId: t.countyB.id });
  const leader = await buildUser(db(), { role: 'leader', scopeOrgId: t.countyA.id });
  const secretary = await buildUser(db(), { role: 'secretary', orgId: t.villageA1.id });
  return {
    ...t,
    villageA3,
    campaign,
    r1: rid(t.villageA1.id),
    r2: rid(t.villageA2.id),
    r3: rid(villageA3.id),
    s: {
      admin: await signIn(app, admin.username),
      otherCounty: await signIn(app, otherCounty.username),
      leader: await signIn(app, leader.username),
      secretary: await signIn(app, secretary.username),
    },
  };
}

/**
 * Every test starts from its own database and app (its clock and captured log) with the world above, and first replays
 * the steps of the survey's story it stands on (replay below: the draft, the list, the draw, the links, opening,
 * answers, closing), so tests run in any order: they count rows of the whole database and read the whole log.
 */
beforeEach(async () => {
  logLines.length = 0;
  database = await freshDatabase();
  // Request logs at trace level, captured: no line may carry a token.
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  // Links are printed for phones at PUBLIC_URL, not at the address the organizer's browser used (README, "会场设置").
  app = await buildApp({
    database,
    clock: testClock(),
    config: { passwordCost: TEST_COST, publicUrl: 'http://192.168.1.10:3000' },
    logger: { level: 'trace', stream },
  });
  w = await world();
}, 60_000);
afterEach(async () => {
  await app?.close();
  await database?.close();
});

function upload(session: Session, url: string, file: Buffer) {
  const boundary = `----svy${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="名单.xlsx"\r\nContent-Type: ${XLSX}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return session.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function sheet(rows: string[][], header = ['单位*', '姓名*', '类别*', '电话']) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('调查对象名单');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Rows of every .xlsx sheet as strings, for reading generated files back. */
async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: Record<string, unknown[][]> = {};
  wb.eachSheet((ws) => {
    out[ws.name] = [];
    ws.eachRow((row) => out[ws.name]!.push((row.values as unknown[]).slice(1)));
  });
  return out;
}

const count = async (table: string) =>
  Number((await queryRows<{ n: number }>(db(), sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);
const answer = (token: string, answers: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/api/survey/responses', payload: { token, answers } });

/** 30 people for village 1 (10 两代表一委员), 12 for village 2, 3 for village 3 (fewer than the sample). */
const listRows = () => [
  ...Array.from({ length: 30 }, (_, i) => [
    'A-T1-V1',
    `东村${i + 1}号`,
    i < 10 ? '两代表一委员' : '群众',
    `138${String(i).padStart(8, '0')}`,
  ]),
  ...Array.from({ length: 12 }, (_, i) => ['甲一镇西村党支部', `西村${i + 1}号`, i % 2 ? '群众' : '两代表一委员', '']),
  ...Array.from({ length: 3 }, (_, i) => ['A-T1-V3', `北村${i + 1}号`, '群众', '']),
];

describe('surveys (R-ASSESS-3)', () => {
  let surveyId: number;
  let items: Array<{ id: number; text: string }>;
  let tokens: string[];

  it('creates a draft with the default questionnaire and the campaign sample size; edits it', async () => {
    const res = await w.s.admin.post(`/api/campaigns/${w.campaign.id}/surveys`, {});
    expect(res.statusCode).toBe(200);
    surveyId = res.json().id;
    expect(res.json()).toMatchObject({ state: 'draft', sampleSize: 100 });
    const patched = await w.s.admin.patch(`/api/surveys/${surveyId}`, { sampleSize: 8 });
    expect(patched.json().sampleSize).toBe(8);
    const detail = (await w.s.admin.get(`/api/surveys/${surveyId}`)).json();
    expect(detail.items.length).toBeGreaterThanOrEqual(5);
    expect(detail.items[0].text).toContain('总体评价');
    const dup = await w.s.admin.patch(`/api/surveys/${surveyId}`, { items: ['题一', '题一'] });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().message).toBe('第2题与第1题重复');
    const ok = await w.s.admin.patch(`/api/surveys/${surveyId}`, {
      items: ['总体评价', '联系服务群众', '落实基本制度'],
    });
    expect(ok.statusCode).toBe(200);
    items = (await w.s.admin.get(`/api/surveys/${surveyId}`)).json().items;
    expect(items.map((i) => i.text)).toEqual(['总体评价', '联系服务群众', '落实基本制度']);
    const audit = await queryRows<{ action: string }>(
      db(),
      sql`select action from audit_log where target_type = 'survey' order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['survey.create', 'survey.update', 'survey.update']);
  });

  it('offers a template and refuses a list with any bad row, naming rows in Chinese and saving nothing', async () => {
    await replay(1);
    const tpl = await w.s.admin.get('/api/survey-respondents/template');
    expect(tpl.statusCode).toBe(200);
    const t = await readXlsx(tpl.rawPayload);
    expect(t['调查对象名单']![0]).toEqual(['单位*', '姓名*', '类别*', '电话']);
    expect(Object.keys(t)).toContain('填写说明');

    const bad = await upload(
      w.s.admin,
      `/api/surveys/${surveyId}/respondents/import`,
      await sheet([...listRows(), ['乙一镇南村党支部', '外县人', '群众', ''], ['A-T1-V1', '某人', '干部', '']]),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(
      /^文件有2处错误，未导入任何数据：第47行「单位」：「乙一镇南村党支部」不是本次考核的述职单位；第48行「类别」/,
    );
    expect(bad.json().details.errors).toHaveLength(2);
    expect(await count('survey_respondents')).toBe(0);

    const header = await upload(
      w.s.admin,
      `/api/surveys/${surveyId}/respondents/import`,
      await sheet([['x']], ['名称', '姓名', '类别', '电话']),
    );
    expect(header.statusCode).toBe(400);
    expect(header.json().message).toMatch(/表头应为/);
    const junk = await upload(
      w.s.admin,
      `/api/surveys/${surveyId}/respondents/import`,
      Buffer.from('not a spreadsheet'),
    );
    expect(junk.statusCode).toBe(400);
    expect(junk.json().message).toMatch(HAN);
    expect(await count('survey_respondents')).toBe(0);

    const good = await upload(w.s.admin, `/api/surveys/${surveyId}/respondents/import`, await sheet(listRows()));
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ imported: 45, units: 3 });
  });

  it('adds by hand (validated), searches and filters the list', async () => {
    await replay(2);
    const add = await w.s.admin.post(`/api/surveys/${surveyId}/respondents`, {
      reporterId: w.r2,
      name: '西村手录',
      category: '群众',
      phone: '13900001111',
    });
    expect(add.statusCode).toBe(200);
    const badCat = await w.s.admin.post(`/api/surveys/${surveyId}/respondents`, {
      reporterId: w.r2,
      name: '某某',
      category: '干部',
    });
    expect(badCat.statusCode).toBe(400);
    expect(badCat.json().message).toMatch(/类别/);
    const outside = await w.s.admin.post(`/api/surveys/${surveyId}/respondents`, {
      reporterId: 999999,
      name: '某某',
      category: '群众',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toBe('该单位不是本次考核的述职对象');
    const dup = await w.s.admin.post(`/api/surveys/${surveyId}/respondents`, {
      reporterId: w.r2,
      name: '西村手录',
      category: '群众',
      phone: '13900001111',
    });
    expect(dup.statusCode).toBe(409);

    const q = (await w.s.admin.get(`/api/surveys/${surveyId}/respondents?q=${encodeURIComponent('手录')}`)).json();
    expect(q.total).toBe(1);
    const byUnit = (
      await w.s.admin.get(`/api/surveys/${surveyId}/respondents?reporterId=${w.r1}&category=two_reps&limit=5`)
    ).json();
    expect(byUnit.total).toBe(10);
    expect(byUnit.items).toHaveLength(5);
    expect(byUnit.items.every((r: { categoryLabel: string }) => r.categoryLabel === '两代表一委员')).toBe(true);
  });

  const sampledNames = async (id: number) =>
    (
      await queryRows<{ reporter_id: number; name: string }>(
        db(),
        sql`
    select reporter_id, name from survey_respondents where survey_id = ${id} and sample_order is not null order by reporter_id, id`,
      )
    ).map((r) => `${r.reporter_id}:${r.name}`);

  it('draws reproducibly: the same seed gives the same respondents, the seed is recorded and audited', async () => {
    await replay(3);
    const first = await w.s.admin.post(`/api/surveys/${surveyId}/sample`, { seed: '2025-甲一镇' });
    expect(first.statusCode).toBe(200);
    expect(first.json().seed).toBe('2025-甲一镇');
    const units = first.json().units as Array<{
      reporterId: number;
      listed: number;
      sampled: number;
      shortfall: number;
    }>;
    expect(units.find((u) => u.reporterId === w.r1)).toMatchObject({ listed: 30, sampled: 8, shortfall: 0 });
    expect(units.find((u) => u.reporterId === w.r3)).toMatchObject({ listed: 3, sampled: 3, shortfall: 5 });
    const a = await sampledNames(surveyId);
    expect(a).toHaveLength(8 + 8 + 3);

    const other = await w.s.admin.post(`/api/surveys/${surveyId}/sample`, { seed: '另一个种子' });
    expect(other.statusCode).toBe(200);
    expect(await sampledNames(surveyId)).not.toEqual(a);
    await w.s.admin.post(`/api/surveys/${surveyId}/sample`, { seed: '2025-甲一镇' });
    expect(await sampledNames(surveyId)).toEqual(a);

    // Strata in proportion: village 1 lists 10 of 30 两代表一委员 → 8 × 1/3 ≈ 3 (largest remainder).
    const detail = (await w.s.admin.get(`/api/surveys/${surveyId}`)).json();
    const u1 = detail.units.find((u: { reporterId: number }) => u.reporterId === w.r1);
    expect(u1).toMatchObject({ sampled: 8, sampledTwoReps: 3, sampledResidents: 5 });
    expect(detail.survey.seed).toBe('2025-甲一镇');

    // A second survey over the same list with the same seed draws the same people (reproducible from the record).
    const second = (
      await w.s.admin.post(`/api/campaigns/${w.campaign.id}/surveys`, { title: '复核', sampleSize: 8 })
    ).json().id as number;
    await upload(w.s.admin, `/api/surveys/${second}/respondents/import`, await sheet(listRows()));
    await w.s.admin.post(`/api/surveys/${second}/respondents`, {
      reporterId: w.r2,
      name: '西村手录',
      category: '群众',
      phone: '13900001111',
    });
    await w.s.admin.post(`/api/surveys/${second}/sample`, { seed: '2025-甲一镇' });
    expect((await sampledNames(second)).map((s) => s.split(':')[1])).toEqual(a.map((s) => s.split(':')[1]));

    // Without a seed one is generated and shown.
    const gen = await w.s.admin.post(`/api/surveys/${second}/sample`, {});
    expect(gen.json().seed).toMatch(/^\d{12}$/);
    const audit = await queryRows<{ detail: { seed: string } }>(
      db(),
      sql`
      select detail from audit_log where action = 'survey.sample' and target_id = ${String(surveyId)} order by id`,
    );
    expect(audit.map((r) => r.detail.seed)).toEqual(['2025-甲一镇', '另一个种子', '2025-甲一镇']);
  });

  it('a list edited after the draw must be redrawn before opening', async () => {
    await replay(4);
    const add = await w.s.admin.post(`/api/surveys/${surveyId}/respondents`, {
      reporterId: w.r3,
      name: '北村补录',
      category: '两代表一委员',
    });
    expect(add.statusCode).toBe(200);
    const refused = await w.s.admin.post(`/api/surveys/${surveyId}/open`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('以下单位的名单在抽样后有变动，请重新抽样：甲一镇北村党支部');
    const before = await sampledNames(surveyId);
    await w.s.admin.post(`/api/surveys/${surveyId}/sample`, { seed: '2025-甲一镇' });
    const after = await sampledNames(surveyId);
    // Other units' draws do not move when one unit's list changes.
    expect(after.filter((s) => !s.startsWith(`${w.r3}:`))).toEqual(before.filter((s) => !s.startsWith(`${w.r3}:`)));
    expect(after.filter((s) => s.startsWith(`${w.r3}:`))).toHaveLength(4);
  });

  it('issues hashed links for one unit as .xlsx without names; only keyed hashes are stored', async () => {
    await replay(5);
    const tooMany = await w.s.admin.post(`/api/surveys/${surveyId}/tokens`, { reporterId: w.r1, count: 9 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().message).toMatch(/最多还能发放8个链接/);
    const res = await w.s.admin.post(`/api/surveys/${surveyId}/tokens`, { reporterId: w.r1, count: 6, format: 'xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const book = await readXlsx(res.rawPayload);
    const rows = book['调查链接']!.slice(1);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(String(r[1])).toMatch(/^http:\/\/192\.168\.1\.10:3000\/vote\/survey\.html#t=/);
    tokens = rows.map((r) => /#t=([A-Z0-9]+)$/.exec(String(r[1]))![1]!);
    const text = JSON.stringify(book);
    const names = await queryRows<{ name: string }>(
      db(),
      sql`select name from survey_respondents where survey_id = ${surveyId}`,
    );
    expect(names.some((n) => text.includes(n.name))).toBe(false);
    const stored = await queryRows<{ token_hash: string }>(
      db(),
      sql`select token_hash from survey_tokens where voided_at is null`,
    );
    expect(stored.map((s) => s.token_hash).sort()).toEqual(tokens.map(hashSurveyToken).sort());
    const dump = JSON.stringify(await queryRows(db(), sql`select * from survey_tokens`));
    expect(tokens.some((t) => dump.includes(t))).toBe(false);

    const pdf = await w.s.admin.post(`/api/surveys/${surveyId}/tokens`, { reporterId: w.r2, count: 2, format: 'pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the phone cannot answer before opening; opening is audited; redraw and list edits are then refused', async () => {
    await replay(6);
    const early = await app.inject({ method: 'POST', url: '/api/survey/sheet', payload: { token: tokens[0] } });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('调查尚未开始，请在通知的时间内填写');
    const open = await w.s.admin.post(`/api/surveys/${surveyId}/open`, {});
    expect(open.statusCode).toBe(200);
    expect(open.json().state).toBe('open');
    const redraw = await w.s.admin.post(`/api/surveys/${surveyId}/sample`, { seed: 'x' });
    expect(redraw.statusCode).toBe(409);
    expect(redraw.json().message).toBe('满意度调查调查中，不能重新抽样');
    const edit = await w.s.admin.post(`/api/surveys/${surveyId}/respondents`, {
      reporterId: w.r1,
      name: '迟到者',
      category: '群众',
    });
    expect(edit.statusCode).toBe(409);
    const items2 = await w.s.admin.patch(`/api/surveys/${surveyId}`, { items: ['新题'] });
    expect(items2.statusCode).toBe(409);
  });

  it('shows the questionnaire for a token, without any respondent data', async () => {
    await replay(7);
    const res = await app.inject({ method: 'POST', url: '/api/survey/sheet', payload: { token: tokens[0] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      title: '2025年度基层党建工作满意度调查',
      unitName: '甲一镇东村党支部',
      items: items.map((i) => ({ id: i.id, text: i.text })),
      levels: [
        { value: 'satisfied', label: '满意' },
        { value: 'fairly_satisfied', label: '比较满意' },
        { value: 'basically_satisfied', label: '基本满意' },
        { value: 'dissatisfied', label: '不满意' },
      ],
    });
  });

  const all = (level: string) => Object.fromEntries(items.map((i) => [String(i.id), level]));

  const ok = <R extends { statusCode: number; body: string }>(res: R) => {
    if (res.statusCode !== 200) throw new Error(res.body);
    return res;
  };
  /** The story's steps in order; replay(n) takes the first n, what the tests before a test's place in the story did. */
  const steps: Array<() => Promise<void>> = [
    async () => {
      // a draft of 8 per unit with three questions
      surveyId = ok(await w.s.admin.post(`/api/campaigns/${w.campaign.id}/surveys`, {})).json().id;
      ok(await w.s.admin.patch(`/api/surveys/${surveyId}`, { sampleSize: 8 }));
      ok(await w.s.admin.patch(`/api/surveys/${surveyId}`, { items: ['总体评价', '联系服务群众', '落实基本制度'] }));
      items = (await w.s.admin.get(`/api/surveys/${surveyId}`)).json().items;
    },
    async () => {
      ok(await upload(w.s.admin, `/api/surveys/${surveyId}/respondents/import`, await sheet(listRows())));
    }, // the 45
    async () => {
      // one more for 西村 by hand
      ok(
        await w.s.admin.post(`/api/surveys/${surveyId}/respondents`, {
          reporterId: w.r2,
          name: '西村手录',
          category: '群众',
          phone: '13900001111',
        }),
      );
    },
    async () => {
      ok(await w.s.admin.post(`/api/surveys/${surveyId}/sample`, { seed: '2025-甲一镇' }));
    }, // drawn
    async () => {
      // 北村's list edited after the draw, redrawn
      ok(
        await w.s.admin.post(`/api/surveys/${surveyId}/respondents`, {
          reporterId: w.r3,
          name: '北村补录',
          category: '两代表一委员',
        }),
      );
      ok(await w.s.admin.post(`/api/surveys/${surveyId}/sample`, { seed: '2025-甲一镇' }));
    },
    async () => {
      // links: 6 for 东村 (.xlsx, kept in tokens), 2 for 西村 (.pdf)
      const res = ok(
        await w.s.admin.post(`/api/surveys/${surveyId}/tokens`, { reporterId: w.r1, count: 6, format: 'xlsx' }),
      );
      tokens = (await readXlsx(res.rawPayload))
        ['调查链接']!.slice(1)
        .map((r) => /#t=([A-Z0-9]+)$/.exec(String(r[1]))![1]!);
      ok(await w.s.admin.post(`/api/surveys/${surveyId}/tokens`, { reporterId: w.r2, count: 2, format: 'pdf' }));
    },
    async () => {
      ok(await w.s.admin.post(`/api/surveys/${surveyId}/open`, {}));
    },
    async () => {
      ok(await answer(tokens[0]!, all('satisfied')));
    }, // the first link answered
    async () => {
      // two paper forms for 东村
      for (const level of ['dissatisfied', 'fairly_satisfied']) {
        ok(await w.s.admin.post(`/api/surveys/${surveyId}/paper-responses`, { reporterId: w.r1, answers: all(level) }));
      }
    },
    async () => {
      ok(await answer(tokens[1]!, { ...all('basically_satisfied'), [items[2]!.id]: 'satisfied' }));
    }, // the second
    async () => {
      ok(await w.s.admin.post(`/api/surveys/${surveyId}/close`, {}));
    },
  ];
  const replay = async (n: number) => {
    for (const step of steps.slice(0, n)) await step();
  };

  it('bad answers are refused in Chinese and save nothing', async () => {
    await replay(7);
    const unknownItem = await answer(tokens[0]!, { ...all('satisfied'), 999999: 'satisfied' });
    expect(unknownItem.statusCode).toBe(400);
    expect(unknownItem.json().code).toBe('UNKNOWN_ITEM');
    expect(unknownItem.json().message).toMatch(/不在本问卷中/);
    const unknownLevel = await answer(tokens[0]!, { ...all('satisfied'), [items[1]!.id]: '非常满意' });
    expect(unknownLevel.statusCode).toBe(400);
    expect(unknownLevel.json().message).toBe('第2题的选项无效，只能选择满意、比较满意、基本满意或不满意');
    const missing = await answer(tokens[0]!, { [items[0]!.id]: 'satisfied' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe('第2题尚未作答，请回答全部题目后提交');
    const unknownToken = await answer('ABCDEFGHJK' + 'M', all('satisfied'));
    expect([400, 404]).toContain(unknownToken.statusCode);
    expect(unknownToken.json().message).toMatch(/调查/);
    const mistyped = await answer(tokens[0]!.slice(0, 10) + (tokens[0]!.endsWith('2') ? '3' : '2'), all('satisfied'));
    expect(mistyped.statusCode).toBe(400);
    expect(mistyped.json().code).toBe('TOKEN_MISTYPED');
    const extra = await app.inject({
      method: 'POST',
      url: '/api/survey/responses',
      payload: { token: tokens[0], answers: all('satisfied'), name: '张三' },
    });
    expect(extra.statusCode).toBe(400);
    const signedIn = await w.s.admin.post('/api/survey/responses', { token: tokens[0], answers: all('satisfied') });
    expect(signedIn.statusCode).toBe(403);
    expect(await count('survey_responses')).toBe(0);
    const [t] = await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from survey_tokens where used`);
    expect(Number(t!.n)).toBe(0);
  });

  it('one token, 50 parallel submissions → exactly one response; then the token is refused as used', async () => {
    await replay(7);
    const responses = await Promise.all(Array.from({ length: 50 }, () => answer(tokens[0]!, all('satisfied'))));
    const status = responses.map((r) => r.statusCode);
    expect(status.filter((s) => s === 200)).toHaveLength(1);
    expect(status.filter((s) => s === 409)).toHaveLength(49);
    expect(responses.find((r) => r.statusCode === 409)!.json().message).toBe(
      '该调查链接已提交过问卷，每个链接只能提交一次',
    );
    expect(await count('survey_responses')).toBe(1);
    const again = await app.inject({ method: 'POST', url: '/api/survey/sheet', payload: { token: tokens[0] } });
    expect(again.statusCode).toBe(409);
  });

  it("staff enter paper forms one at a time, validated, within the unit's sample", async () => {
    await replay(8);
    // Village 1: 8 sampled, 6 links live → 2 paper forms fit.
    const paper = (answers: Record<string, string>, reporterId = w.r1) =>
      w.s.admin.post(`/api/surveys/${surveyId}/paper-responses`, { reporterId, answers });
    expect((await paper(all('dissatisfied'))).statusCode).toBe(200);
    const bad = await paper({ ...all('satisfied'), [items[0]!.id]: 'great' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/第1题的选项无效/);
    const unknown = await paper({ ...all('satisfied'), 424242: 'satisfied' });
    expect(unknown.statusCode).toBe(400);
    expect((await paper(all('fairly_satisfied'))).statusCode).toBe(200);
    const full = await paper(all('satisfied'));
    expect(full.statusCode).toBe(409);
    expect(full.json().message).toBe('甲一镇东村党支部的问卷已满：抽样8人，已发放链接6个，已录入纸质问卷2份');
    const leader = await w.s.leader.post(`/api/surveys/${surveyId}/paper-responses`, {
      reporterId: w.r2,
      answers: all('satisfied'),
    });
    expect(leader.statusCode).toBe(403);
    expect(await count('survey_responses')).toBe(3);
  });

  it('scopes access: another county and secretaries see nothing; a leader reads results but no names', async () => {
    await replay(9);
    for (const url of [
      `/api/surveys/${surveyId}`,
      `/api/surveys/${surveyId}/results`,
      `/api/surveys/${surveyId}/respondents`,
      `/api/campaigns/${w.campaign.id}/surveys`,
    ]) {
      const res = await w.s.otherCounty.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().message).toMatch(HAN);
      expect((await w.s.secretary.get(url)).statusCode, url).toBe(403);
    }
    expect((await w.s.otherCounty.post(`/api/surveys/${surveyId}/tokens`, { reporterId: w.r1 })).statusCode).toBe(404);
    expect((await w.s.otherCounty.post(`/api/surveys/${surveyId}/close`, {})).statusCode).toBe(404);
    expect(
      (
        await w.s.otherCounty.post(`/api/surveys/${surveyId}/paper-responses`, {
          reporterId: w.r1,
          answers: all('satisfied'),
        })
      ).statusCode,
    ).toBe(404);
    expect((await w.s.leader.get(`/api/surveys/${surveyId}/results`)).statusCode).toBe(200);
    expect((await w.s.leader.get(`/api/surveys/${surveyId}/respondents`)).statusCode).toBe(403);
    expect((await w.s.leader.post(`/api/surveys/${surveyId}/sample`, {})).statusCode).toBe(403);
  });

  it('results per unit and item as 得票率 with the unit score; .xlsx reads back the same numbers', async () => {
    await replay(9);
    await answer(tokens[1]!, { ...all('basically_satisfied'), [items[2]!.id]: 'satisfied' });
    const res = (await w.s.admin.get(`/api/surveys/${surveyId}/results`)).json();
    const u1 = res.units.find((u: { reporterId: number }) => u.reporterId === w.r1);
    // 4 responses × 3 items: satisfied 3+1, fairly 3, basically 2, dissatisfied 3 → 12 answers.
    expect(u1).toMatchObject({ sampled: 8, responses: 4, linkResponses: 2, paperResponses: 2 });
    expect(u1.overall.counts).toEqual({ satisfied: 4, fairly_satisfied: 3, basically_satisfied: 2, dissatisfied: 3 });
    expect(u1.overall.shares).toEqual({
      satisfied: 33.3,
      fairly_satisfied: 25,
      basically_satisfied: 16.7,
      dissatisfied: 25,
    });
    expect(u1.overall.score).toBe(Math.round(((4 * 100 + 3 * 80 + 2 * 60) / 12) * 100) / 100);
    expect(u1.items[2].summary.counts).toEqual({
      satisfied: 2,
      fairly_satisfied: 1,
      basically_satisfied: 0,
      dissatisfied: 1,
    });
    expect(u1.items[2].summary.shares.satisfied).toBe(50);
    const u2 = res.units.find((u: { reporterId: number }) => u.reporterId === w.r2);
    expect(u2.overall.score).toBeNull();
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/东村\d+号/);

    const x = await w.s.leader.get(`/api/surveys/${surveyId}/results.xlsx`);
    expect(x.statusCode).toBe(200);
    const book = await readXlsx(x.rawPayload);
    const head = book['汇总']![0] as string[];
    const row = book['汇总']!.find((r) => r[0] === '甲一镇东村党支部')!;
    expect(row[head.indexOf('满意得票率(%)')]).toBe(33.3);
    expect(row[head.indexOf('满意度得分')]).toBe(u1.overall.score);
    expect(row[head.indexOf('回收问卷')]).toBe(4);
    const items3 = book['分题']!.filter((r) => r[0] === '甲一镇东村党支部');
    expect(items3).toHaveLength(3);
    expect(JSON.stringify(book)).not.toMatch(/东村\d+号/);
  });

  it('closing refuses further answers; responses are unlinkable to tokens and respondents', async () => {
    await replay(10);
    const close = await w.s.admin.post(`/api/surveys/${surveyId}/close`, {});
    expect(close.statusCode).toBe(200);
    const late = await answer(tokens[2]!, all('satisfied'));
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toBe('调查已结束，不能再提交问卷');
    const latePaper = await w.s.admin.post(`/api/surveys/${surveyId}/paper-responses`, {
      reporterId: w.r2,
      answers: all('satisfied'),
    });
    expect(latePaper.statusCode).toBe(409);
    expect(await count('survey_responses')).toBe(4);

    const columns = async (table: string) =>
      (
        await queryRows<{ column_name: string }>(
          db(),
          sql`
      select column_name from information_schema.columns where table_name = ${table} order by ordinal_position`,
        )
      ).map((c) => c.column_name);
    expect(await columns('survey_responses')).toEqual(['id', 'survey_id', 'reporter_id', 'answers', 'source']);
    expect((await columns('survey_tokens')).filter((c) => /respondent|name|phone|response/.test(c))).toEqual([]);
    expect((await columns('survey_respondents')).filter((c) => /token|response/.test(c))).toEqual([]);
    // Random ids, not a sequence that could be matched with the order tokens were used.
    const ids = await queryRows<{ id: string }>(db(), sql`select id from survey_responses`);
    expect(ids.every((r) => /^[0-9a-f-]{36}$/.test(r.id))).toBe(true);
    // No audit row and no log line carries a token or marks a link answer.
    const audit = JSON.stringify(await queryRows(db(), sql`select action, detail from audit_log`));
    expect(tokens.some((t) => audit.includes(t))).toBe(false);
    const actions = new Set(
      (await queryRows<{ action: string }>(db(), sql`select action from audit_log where action like 'survey.%'`)).map(
        (a) => a.action,
      ),
    );
    const staffActions = [
      'survey.create',
      'survey.update',
      'survey.respondent_add',
      'survey.respondent_import',
      'survey.sample',
      'survey.tokens_issue',
      'survey.open',
      'survey.paper_enter',
      'survey.close',
    ];
    expect([...actions].filter((a) => !staffActions.includes(a))).toEqual([]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(tokens.some((t) => logLines.some((l) => l.includes(t)))).toBe(false);
  });
  it('limits guessed tokens per address (shared with ballot codes), not mistyped ones, and leaves other addresses alone', async () => {
    await replay(11);
    const { codeFromBytes } = await import('../../src/domain/ballot-codes');
    const { randomBytes } = await import('node:crypto');
    const guess = (token: string, remoteAddress = '10.9.9.9') =>
      app.inject({ method: 'POST', url: '/api/survey/sheet', payload: { token }, remoteAddress });
    // A mistyped token (check character wrong) is caught before any lookup and never counts.
    const typo = tokens[1]!.slice(0, -1) + (tokens[1]!.endsWith('2') ? '3' : '2');
    for (let i = 0; i < 35; i++) expect((await guess(typo)).statusCode).toBe(400);
    for (let i = 0; i < 30; i++) expect((await guess(codeFromBytes(randomBytes(16)))).statusCode).toBe(404);
    const blocked = await guess(tokens[1]!);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(blocked.json().message).toContain('无效调查码');
    // Another address reaches the survey itself (closed by the replayed steps: 409, not the limit).
    const other = await guess(tokens[1]!, '10.9.9.10');
    expect(other.statusCode).toBe(409);
    expect(other.json().code).not.toBe('RATE_LIMITED');
  });
});
