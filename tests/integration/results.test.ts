import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Grade } from '../../src/domain/grades';
import { queryRows } from '../../src/server/db/connect';
import { buildCampaign, buildOrg, buildTwoCounties, buildUser, setupTestApp, signIn, type Session } from '../factories';

/**
 * Result use (R-USE-1…5) and the summary upward (R-SUM-1, R-SUM-2). Locked evaluations are inserted directly, so
 * this file tests the results module on its own, not the evaluation module's computation. Each test starts from its
 * own database (beforeEach) and first takes the round through the steps it comes after (`upTo`), so the tests run in
 * any order.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
const s: Record<string, Session> = {};
const villages: Awaited<ReturnType<typeof buildOrg>>[] = [];
const communities: Awaited<ReturnType<typeof buildOrg>>[] = [];
const campaignOf: Record<number, number> = {};

const count = async (table: string, where = 'true') =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`)))[0].n;

/** A campaign of townA for `year` whose evaluation holds `grades` (in rank order), locked or not. */
async function gradedCampaign(year: number, grades: (Grade | null)[], orgs: { id: number }[], locked = true) {
  const c = await buildCampaign(t.db, {
    organizerOrgId: tree.townA.id,
    year,
    state: 'published',
    reporterOrgIds: orgs.map((o) => o.id),
    open: ['summary'],
  });
  const reporters = await queryRows<{ id: number; orgId: number }>(
    t.db,
    sql`
    select id, org_id as "orgId" from campaign_reporters where campaign_id = ${c.id} order by id`,
  );
  for (const [i, r] of reporters.entries()) {
    await t.db.execute(sql`
      insert into evaluation_results (reporter_id, campaign_id, components, composite, rank, sector_rank, final_grade, opinion_direction)
      values (${r.id}, ${c.id}, '{}'::jsonb, ${95 - i}, ${i + 1}, ${i + 1}, ${grades[i] ?? null}, ${`方向${i + 1}`})`);
  }
  await t.db.execute(sql`
    insert into evaluations (campaign_id, state, locked_at) values (${c.id}, ${locked ? 'locked' : 'open'}, ${locked ? new Date(`${year + 1}-01-05T02:00:00Z`) : null})`);
  return { campaign: c, reporters };
}

beforeEach(async () => {
  villages.length = 0;
  communities.length = 0;
  t = await setupTestApp({ start: new Date('2026-01-10T02:00:00Z') });
  tree = await buildTwoCounties(t.db);
  villages.push(tree.villageA1, tree.villageA2);
  for (let i = 3; i <= 12; i++)
    villages.push(await buildOrg(t.db, { parent: tree.townA, name: `甲一镇${i}村党支部`, code: `A-T1-V${i}` }));
  for (let i = 1; i <= 2; i++)
    communities.push(
      await buildOrg(t.db, {
        parent: tree.townA,
        name: `甲一镇${i}社区党支部`,
        code: `A-T1-C${i}`,
        sector: 'community',
      }),
    );
  const users: [string, Parameters<typeof buildUser>[1]][] = [
    ['countyA', { role: 'org_admin', scopeOrgId: tree.countyA.id }],
    ['townA', { role: 'org_admin', scopeOrgId: tree.townA.id }],
    ['countyB', { role: 'org_admin', scopeOrgId: tree.countyB.id }],
    ['leaderTown', { role: 'leader', scopeOrgId: tree.townA.id }],
    ['secretary', { role: 'secretary', orgId: tree.villageA1.id }],
  ];
  for (const [name, o] of users) {
    await buildUser(t.db, { ...o, username: name });
    s[name] = await signIn(t.app, name);
  }
  // villageA1 is 较好 in 2023, 2024 and 2025; villageA2 too but 2023 is missing (not three in a row).
  await gradedCampaign(2023, ['fair'], [tree.villageA1]);
  await gradedCampaign(2024, ['fair', 'fair'], [tree.villageA1, tree.villageA2]);
  const orgs = [...villages, ...communities];
  // villages[9] (rank 10) is 差 mid-table, as an automatic 差 can be.
  const grades: Grade[] = [
    'good',
    'fair',
    'good',
    'good',
    'fair',
    'fair',
    'fair',
    'fair',
    'fair',
    'poor',
    'fair',
    'average',
    'fair',
    'poor',
  ];
  // Order so villageA1 and villageA2 (first two orgs) get 较好: rank 2 and 5 in this campaign.
  const ordered = [
    villages[2],
    tree.villageA1,
    villages[3],
    villages[4],
    tree.villageA2,
    ...villages.slice(5),
    ...communities,
  ];
  const current = await gradedCampaign(2025, grades, ordered, false);
  campaignOf[2025] = current.campaign.id;
  expect(orgs.length).toBe(14);
});

afterEach(async () => t.close());

/** What the tests below did to the round, in their order; a test runs the steps before it with `upTo`. */
const STEPS: Array<[string, () => Promise<unknown>]> = [
  [
    'locked',
    () =>
      t.db.execute(
        sql`update evaluations set state = 'locked', locked_at = '2026-01-05T02:00:00Z' where campaign_id = ${campaignOf[2025]}`,
      ),
  ],
  [
    'derived',
    async () =>
      expect((await s.townA.post(`/api/campaigns/${campaignOf[2025]}/results/derive`, {})).statusCode).toBe(200),
  ],
  [
    'talk recorded',
    async () => {
      const [talk] = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/results/follow-ups?kind=talk`)).json()
        .items;
      const body = {
        recordDate: '2026-01-09',
        recordBy: '镇党委书记 王某',
        recordContent: '指出问题，提出整改要求',
        done: true,
      };
      expect((await s.townA.post(`/api/result-follow-ups/${talk.id}/record`, body)).statusCode).toBe(200);
    },
  ],
  [
    'key proposed',
    async () =>
      expect((await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/propose`)).statusCode).toBe(200),
  ],
  [
    'key adjusted',
    async () => {
      const { items } = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/key-management?sector=rural`)).json();
      const act = async (id: number, body: object) =>
        expect((await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/${id}`, body)).statusCode).toBe(
          200,
        );
      await act(items[0].id, { action: 'remove', reason: '已在年中完成软弱涣散整顿' });
      await act(items[2].id, { action: 'remove', reason: '等次经复核，另行帮扶' });
      expect(
        (
          await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management`, {
            orgId: villages[6].id,
            reason: '群众反映问题较多',
          })
        ).statusCode,
      ).toBe(200);
      await act(items[1].id, { action: 'confirm' });
      await act(items[1].id, { action: 'upgrade', note: '班子配强，晋位为先进' });
    },
  ],
  [
    'performance imported',
    async () => {
      const rows: (string | number)[][] = [
        [villages[11].code, '', 99, 1],
        [villages[2].code, '', 97, 2],
        [villages[3].code, '', 95, 3],
        [villages[4].code, '', 90, 4],
      ];
      expect((await uploadPerformance(s.townA, await performanceSheet(rows))).statusCode).toBe(200);
    },
  ],
  [
    'honours set',
    async () => {
      await t.db.execute(sql`update campaigns set settings = jsonb_set(settings, '{parallel}',
      '{"ratio":20,"honours":[{"key":"honour","label":"评先评优","margin":1.5}]}') where id = ${campaignOf[2025]}`);
      expect(
        (await s.townA.put(`/api/campaigns/${campaignOf[2025]}/performance/honours`, { places: { honour: 2 } }))
          .statusCode,
      ).toBe(200);
    },
  ],
  [
    'rectification items',
    () =>
      t.db.execute(sql`
      insert into rectification_items (campaign_id, org_id, source_type, description, deadline, status)
      values (${campaignOf[2025]}, ${villages[11].id}, 'comment', '组织生活不规范', '2026-01-01', 'in_progress'),
             (${campaignOf[2025]}, ${villages[11].id}, 'self_review', '台账不全', '2026-06-01', 'closed')`),
  ],
  [
    'summary written',
    async () =>
      expect(
        (await s.townA.put(`/api/campaigns/${campaignOf[2025]}/summary`, { achievements: '压实了书记抓党建责任。' }))
          .statusCode,
      ).toBe(200),
  ],
  [
    'summary received',
    async () => {
      expect(
        (await s.townA.put(`/api/campaigns/${campaignOf[2025]}/summary`, { nextSteps: '持续压实责任。' })).statusCode,
      ).toBe(200);
      expect((await s.townA.post(`/api/campaigns/${campaignOf[2025]}/summary/submit`)).statusCode).toBe(200);
      expect((await s.countyA.post(`/api/campaigns/${campaignOf[2025]}/summary/receive`)).statusCode).toBe(200);
    },
  ],
];
/** Runs every step up to and including `last`. */
async function upTo(last: string) {
  const end = STEPS.findIndex(([name]) => name === last);
  expect(end).toBeGreaterThanOrEqual(0);
  for (const [, step] of STEPS.slice(0, end + 1)) await step();
}

async function performanceSheet(rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('绩效');
  ws.addRow(['组织编码', '党组织名称', '绩效得分', '绩效排名']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function uploadPerformance(session: Session, file: Buffer) {
  const boundary = '----spk';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return session.request({
    method: 'POST',
    url: `/api/campaigns/${campaignOf[2025]}/performance/import`,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

describe('R-USE-1…3 result flags from the locked decision', () => {
  it('refuses to derive before the committee locks the grades', async () => {
    const res = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/results/derive`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'EVALUATION_NOT_LOCKED' });
    expect(await count('result_flags')).toBe(0);
  });

  it('derives 不得评优秀, 约谈/限期整改 and 三年较好 with follow-up tasks, once', async () => {
    await t.db.execute(
      sql`update evaluations set state = 'locked', locked_at = '2026-01-05T02:00:00Z' where campaign_id = ${campaignOf[2025]}`,
    );
    const res = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/results/derive`, {});
    expect(res.statusCode, res.body).toBe(200);
    // 11 not 好 → 11 no_excellent; 2 一般 + 1 差 → 3 talk + 3 rectify; villageA1 → three_years_fair.
    expect(res.json()).toEqual({ flags: 11 + 3 + 3 + 1, followUps: 3 + 3 + 1 });
    const flags = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/results/flags?code=three_years_fair`)).json()
      .items;
    expect(flags.map((f: { orgName: string }) => f.orgName)).toEqual([tree.villageA1.name]);
    expect(flags[0].detail).toContain('2023—2025年连续三年');
    const talks = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/results/follow-ups?kind=talk`)).json().items;
    expect(talks).toHaveLength(3);
    expect(talks[0]).toMatchObject({ dueDate: '2026-02-04', state: 'open', assigneeName: tree.townA.name });
    const again = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/results/derive`, {});
    expect(again.json()).toEqual({ flags: 0, followUps: 0 });
  });

  it('exports the flag list for the cadre assessment', async () => {
    await upTo('derived');
    const res = await s.townA.get(`/api/campaigns/${campaignOf[2025]}/results/flags.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const labels = ws.getColumn(5).values.slice(2);
    expect(labels.filter((l) => l === '年度考核不得评优秀')).toHaveLength(11);
  });

  it('records a talk (date, who, content) and closes it; a future date or another county is refused', async () => {
    await upTo('derived');
    const [talk] = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/results/follow-ups?kind=talk`)).json().items;
    const body = {
      recordDate: '2026-01-09',
      recordBy: '镇党委书记 王某',
      recordContent: '指出问题，提出整改要求',
      done: true,
    };
    expect((await s.countyB.post(`/api/result-follow-ups/${talk.id}/record`, body)).statusCode).toBe(404);
    const future = await s.townA.post(`/api/result-follow-ups/${talk.id}/record`, {
      ...body,
      recordDate: '2026-02-01',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toContain('不能晚于今天');
    expect((await s.townA.post(`/api/result-follow-ups/${talk.id}/record`, body)).json()).toEqual({
      id: talk.id,
      state: 'done',
    });
    const twice = await s.townA.post(`/api/result-follow-ups/${talk.id}/record`, body);
    expect(twice.statusCode).toBe(409);
  });

  it('flags overdue follow-ups by the injected clock', async () => {
    await upTo('talk recorded');
    t.clock.set(new Date('2026-03-01T02:00:00Z'));
    s.townA = await signIn(t.app, 'townA'); // the jump runs past the idle timeout
    const overdue = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/results/follow-ups?overdue=true`)).json()
      .items;
    // 2 talks still open (due 02-04); rectify (due 04-05) and strengthen (07-04) are not yet overdue.
    expect(overdue.map((f: { kind: string }) => f.kind)).toEqual(['talk', 'talk']);
    t.clock.set(new Date('2026-01-10T02:00:00Z'));
    // The jump ran past the idle timeout: sign in again.
    for (const name of Object.keys(s)) s[name] = await signIn(t.app, name);
  });

  it('keeps other roles and counties out', async () => {
    await upTo('talk recorded');
    expect((await s.secretary.get(`/api/campaigns/${campaignOf[2025]}/results/flags`)).statusCode).toBe(403);
    expect((await s.countyB.get(`/api/campaigns/${campaignOf[2025]}/results/flags`)).statusCode).toBe(404);
    expect((await s.leaderTown.get(`/api/campaigns/${campaignOf[2025]}/results/flags`)).statusCode).toBe(200);
    expect((await s.leaderTown.post(`/api/campaigns/${campaignOf[2025]}/results/derive`, {})).statusCode).toBe(403);
  });
});

describe('R-USE-4 key management', () => {
  it('proposes at least 10% of rural and 5% of community, rounded up, the weakest first', async () => {
    await upTo('talk recorded');
    const res = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/propose`);
    expect(res.statusCode, res.body).toBe(200);
    const list = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/key-management`)).json();
    const rural = list.sectors.find((x: { sector: string }) => x.sector === 'rural');
    const community = list.sectors.find((x: { sector: string }) => x.sector === 'community');
    expect(rural).toMatchObject({ total: 12, required: 2, onList: 3, short: 0 });
    // The two weakest by rank, plus the mid-table 差.
    expect(
      list.items
        .filter((i: { sector: string }) => i.sector === 'rural')
        .map((i: { compositeRank: number }) => i.compositeRank),
    ).toEqual([12, 11, 10]);
    expect(list.items.find((i: { compositeRank: number }) => i.compositeRank === 10).reason).toContain('等次为“差”');
    expect(community).toMatchObject({ total: 2, required: 1, onList: 1, short: 0 });
    // The weakest community is the last-ranked organization (rank 14).
    expect(list.items.find((i: { sector: string }) => i.sector === 'community').compositeRank).toBe(14);
  });

  it('adjusts only with a reason, shows a sector falling short, and tracks 晋位升级', async () => {
    await upTo('key proposed');
    const { items } = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/key-management?sector=rural`)).json();
    const noReason = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/${items[0].id}`, {
      action: 'remove',
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    const removed = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/${items[0].id}`, {
      action: 'remove',
      reason: '已在年中完成软弱涣散整顿',
    });
    expect(removed.json().state).toBe('removed');
    expect(
      (
        await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/${items[2].id}`, {
          action: 'remove',
          reason: '等次经复核，另行帮扶',
        })
      ).json().state,
    ).toBe('removed');
    let list = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/key-management`)).json();
    expect(list.sectors.find((x: { sector: string }) => x.sector === 'rural').short).toBe(1);
    const outside = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management`, {
      orgId: tree.villageB1.id,
      reason: '外县',
    });
    expect(outside.statusCode).toBe(400);
    const added = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management`, {
      orgId: villages[6].id,
      reason: '群众反映问题较多',
    });
    expect(added.json().state).toBe('listed');
    list = (await s.townA.get(`/api/campaigns/${campaignOf[2025]}/key-management`)).json();
    expect(list.sectors.find((x: { sector: string }) => x.sector === 'rural').short).toBe(0);
    const upgradeProposed = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/${items[1].id}`, {
      action: 'upgrade',
      note: '晋位',
    });
    expect(upgradeProposed.statusCode).toBe(409);
    await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/${items[1].id}`, { action: 'confirm' });
    const up = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/key-management/${items[1].id}`, {
      action: 'upgrade',
      note: '班子配强，晋位为先进',
    });
    expect(up.json().state).toBe('upgraded');
    expect(await count('audit_log', "action like 'results.key.%'")).toBe(6);
  });
});

describe('R-USE-5 平行考核、差额否决', () => {
  const sheet = performanceSheet;
  const upload = uploadPerformance;

  it('imports all or nothing, with row-numbered errors', async () => {
    await upTo('key adjusted');
    const bad = await upload(
      s.townA,
      await sheet([
        [villages[2].code, '', 95, 1],
        ['NOPE', '', 90, 2],
        [villages[3].code, '', 'x', 3],
      ]),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('IMPORT_ROWS');
    expect(await count('performance_scores')).toBe(0);
    // Performance order: the 一般 village first, then two 好 villages, then the rest.
    const rows: (string | number)[][] = [
      [villages[11].code, '', 99, 1],
      [villages[2].code, '', 97, 2],
      [villages[3].code, '', 95, 3],
      [villages[4].code, '', 90, 4],
    ];
    const ok = await upload(s.townA, await sheet(rows));
    expect(ok.json(), ok.body).toEqual({ imported: 4, rankedFromScores: false });
  });

  it('takes 1:1.5 candidates by performance, vetoes 一般, converts the score', async () => {
    await upTo('performance imported');
    await t.db.execute(sql`update campaigns set settings = jsonb_set(settings, '{parallel}',
      '{"ratio":20,"honours":[{"key":"honour","label":"评先评优","margin":1.5}]}') where id = ${campaignOf[2025]}`);
    const set = await s.townA.put(`/api/campaigns/${campaignOf[2025]}/performance/honours`, { places: { honour: 2 } });
    expect(set.statusCode, set.body).toBe(200);
    const res = await s.townA.get(`/api/campaigns/${campaignOf[2025]}/performance/parallel`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    expect(v.honours).toEqual([{ key: 'honour', label: '评先评优', places: 2, margin: 1.5, candidates: 3 }]);
    const byOrg = (id: number) => v.rows.find((r: { orgId: number }) => r.orgId === id);
    expect(byOrg(villages[11].id)).toMatchObject({
      honours: { honour: { candidate: true, honour: false } },
      gradeLabel: '一般',
    });
    expect(byOrg(villages[11].id).honours.honour.note).toContain('差额否决');
    expect(byOrg(villages[2].id)).toMatchObject({
      honours: { honour: { candidate: true, honour: true } },
      converted: 19,
    });
    expect(byOrg(villages[3].id).honours.honour).toMatchObject({ candidate: true, honour: true });
    expect(byOrg(villages[4].id).honours.honour.candidate).toBe(false);
    expect(
      (await s.townA.put(`/api/campaigns/${campaignOf[2025]}/performance/honours`, { places: { nope: 1 } })).statusCode,
    ).toBe(400);
    expect(
      (await s.townA.put(`/api/campaigns/${campaignOf[2025]}/performance/honours`, { places: { honour: -1 } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await s.leaderTown.put(`/api/campaigns/${campaignOf[2025]}/performance/honours`, { places: { honour: 1 } }))
        .statusCode,
    ).toBe(403);
  });
});

describe('R-SUM-1/R-SUM-2 summary report upward', () => {
  it('computes the due date from the round and the figures from the records', async () => {
    await upTo('honours set');
    await t.db.execute(sql`
      insert into rectification_items (campaign_id, org_id, source_type, description, deadline, status)
      values (${campaignOf[2025]}, ${villages[11].id}, 'comment', '组织生活不规范', '2026-01-01', 'in_progress'),
             (${campaignOf[2025]}, ${villages[11].id}, 'self_review', '台账不全', '2026-06-01', 'closed')`);
    const res = await s.townA.get(`/api/campaigns/${campaignOf[2025]}/summary`);
    expect(res.statusCode, res.body).toBe(200);
    const sum = res.json();
    expect(sum.state).toBe('draft');
    expect(sum.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sum.figures).toMatchObject({
      reporters: 14,
      items: 2,
      closed: 1,
      grades: { good: 3, fair: 8, average: 1, poor: 2 },
    });
    expect(sum.sections.overview).toContain('共确定述职对象14个');
  });

  it('writes the .docx with the ranking and the open items per unit', async () => {
    await upTo('rectification items');
    await s.townA.put(`/api/campaigns/${campaignOf[2025]}/summary`, { achievements: '压实了书记抓党建责任。' });
    const res = await s.townA.get(`/api/campaigns/${campaignOf[2025]}/summary.docx`);
    expect(res.statusCode).toBe(200);
    const { value } = await mammoth.extractRawText({ buffer: res.rawPayload });
    expect(value).toContain('压实了书记抓党建责任。');
    expect(value).toContain('好3个，较好8个，一般1个，差2个');
    expect(value).toContain(villages[2].name);
    expect(value).toContain('未销号问题1个，其中逾期1个：组织生活不规范');
    expect(value).toContain(`方向12`); // the committee's direction for the unit, as the suggestion
  });

  it('is submitted to the level above, which alone receives it', async () => {
    await upTo('summary written');
    expect((await s.countyA.post(`/api/campaigns/${campaignOf[2025]}/summary/receive`)).statusCode).toBe(409);
    const incomplete = await s.townA.post(`/api/campaigns/${campaignOf[2025]}/summary/submit`);
    expect(incomplete.json(), incomplete.body).toMatchObject({
      code: 'SUMMARY_INCOMPLETE',
      message: '请先填写总结报告的：下一步工作打算和建议',
    });
    await s.townA.put(`/api/campaigns/${campaignOf[2025]}/summary`, { nextSteps: '持续压实责任。' });
    expect((await s.townA.post(`/api/campaigns/${campaignOf[2025]}/summary/submit`)).json()).toEqual({
      state: 'submitted',
      recipient: tree.countyA.name,
    });
    const edit = await s.townA.put(`/api/campaigns/${campaignOf[2025]}/summary`, { nextSteps: '改' });
    expect(edit.statusCode).toBe(409);
    expect((await s.townA.post(`/api/campaigns/${campaignOf[2025]}/summary/receive`)).statusCode).toBe(403);
    expect((await s.countyB.post(`/api/campaigns/${campaignOf[2025]}/summary/receive`)).statusCode).toBe(404);
    const inbox = (await s.countyA.get('/api/summary-reports/inbox')).json().items;
    expect(inbox.map((i: { campaignId: number }) => i.campaignId)).toEqual([campaignOf[2025]]);
    expect((await s.countyB.get('/api/summary-reports/inbox')).json().items).toEqual([]);
    expect((await s.countyA.get(`/api/campaigns/${campaignOf[2025]}/summary`)).statusCode).toBe(200);
    expect((await s.countyA.post(`/api/campaigns/${campaignOf[2025]}/summary/receive`)).json()).toEqual({
      state: 'received',
    });
  });
});

describe('dashboard', () => {
  it('aggregates grades by sector, rectification by unit and rank changes across years', async () => {
    await upTo('summary received');
    const res = await s.townA.get(`/api/campaigns/${campaignOf[2025]}/dashboard`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.gradeBySector.find((g: { sector: string }) => g.sector === 'community')).toMatchObject({
      fair: 1,
      poor: 1,
    });
    expect(d.rectification[0]).toMatchObject({ orgName: villages[11].name, total: 2, closed: 1, overdue: 1 });
    expect(d.years).toEqual([2023, 2024, 2025]);
    const a2 = d.rankChanges.find((r: { orgId: number }) => r.orgId === tree.villageA2.id);
    expect(a2).toMatchObject({ ranks: { 2024: 2, 2025: 5 }, change: -3 });
    expect((await s.countyB.get(`/api/campaigns/${campaignOf[2025]}/dashboard`)).statusCode).toBe(404);
  });
});
