// R-GRADE-6: documents come from the locked evaluation only, and read back with the names, grades and numbers locked.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { queryRows } from '../../src/server/db/connect';
import { evaluationResults, evaluations } from '../../src/server/db/schema';
import {
  buildCampaign,
  buildOrg,
  buildReporter,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';

/**
 * The tests share one locked campaign (beforeAll; the describe "after the lock" locks it) and only read it; the two
 * that need it unlocked or count its audit rows take a database of their own (ownDatabase), so they run in any order.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
let s: Record<string, Session> = {};
let campaignId: number;
let rep: Record<string, number> = {};
type World = { t: typeof t; s: typeof s; campaignId: number; rep: typeof rep };
let shared: World;
const base = () => `/api/campaigns/${campaignId}/evaluation/outputs`;

const docxText = async (body: Buffer) => (await mammoth.extractRawText({ buffer: body })).value;
const audits = async (action: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log where action = ${action}`))[0]!.n;
async function workbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** A township campaign with three reporters and their computed results, still open; sets the module's variables. */
async function buildWorld(): Promise<World> {
  s = {};
  rep = {};
  t = await setupTestApp();
  const tree = await buildTwoCounties(t.db);
  const villageA3 = await buildOrg(t.db, {
    parent: tree.townA,
    name: '甲一镇北村党支部',
    code: 'A-T1-V3',
    sector: 'community',
  });
  const c = await buildCampaign(t.db, { organizerOrgId: tree.townA.id, templateId: '003', state: 'published' });
  campaignId = c.id;
  const tierKey = (c.settings as { reporterTiers: { key: string }[] }).reporterTiers[0]!.key;
  const add = async (key: string, orgId: number, name: string) => {
    const sec = await buildSecretary(t.db, orgId, { name });
    rep[key] = (
      await buildReporter(t.db, { campaignId, orgId, reportToOrgId: tree.townA.id, tierKey, secretaryId: sec.id })
    ).id;
  };
  await add('east', tree.villageA1.id, '李建国');
  await add('west', tree.villageA2.id, '王芳');
  await add('north', villageA3.id, '赵强');

  // The evaluation as the evaluation module leaves it: results computed while open, then locked by the committee.
  await t.db
    .insert(evaluations)
    .values({ campaignId, state: 'open', summary: {}, computedAt: new Date('2026-01-15T02:00:00Z') });
  const result = (reporterId: number, o: Partial<typeof evaluationResults.$inferInsert>) => ({
    reporterId,
    campaignId,
    components: {},
    autoPoorReasons: [],
    suggestionReasons: [],
    ...o,
  });
  await t.db.insert(evaluationResults).values([
    result(rep.east!, {
      components: { report: 90, ballots: 95.5, daily: 86 },
      composite: 91.5,
      rank: 1,
      sectorRank: 1,
      suggestedGrade: 'good',
      suggestionReasons: ['综合得分排名第1位'],
      finalGrade: 'good',
      opinionAchievements: '建成党群服务中心，发展党员3名。',
      opinionProblems: '三会一课记录不完整。',
      opinionDirection: '加强支部标准化建设。',
    }),
    result(rep.west!, {
      components: { report: 80, ballots: 82.25, daily: 78 },
      composite: 80.5,
      rank: 2,
      sectorRank: 2,
      suggestedGrade: 'fair',
      finalGrade: 'average',
      finalReason: '年内发生信访事件，党委研究下调为一般',
      opinionAchievements: '村集体经济增收。',
      opinionProblems: '党员教育管理偏松。',
      opinionDirection: '严格组织生活。',
    }),
    result(rep.north!, {
      components: { report: 70, ballots: 55, daily: 60 },
      composite: 62,
      rank: 3,
      sectorRank: 1,
      suggestedGrade: 'poor',
      suggestionReasons: ['“一般”“差”票占比12.5%，超过10%'],
      finalGrade: 'poor',
      opinionProblems: '软弱涣散问题突出。',
      opinionDirection: '限期整顿。',
    }),
  ]);

  const accounts = {
    townAdmin: await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.townA.id }),
    countyAdmin: await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.countyA.id }),
    otherCounty: await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.countyB.id }),
    leader: await buildUser(t.db, { role: 'leader', scopeOrgId: tree.countyA.id }),
    secEast: await buildUser(t.db, { role: 'secretary', orgId: tree.villageA1.id }),
    secForeign: await buildUser(t.db, { role: 'secretary', orgId: tree.villageB1.id }),
  };
  for (const [k, u] of Object.entries(accounts)) s[k] = await signIn(t.app, u.username);
  return { t, s, campaignId, rep };
}
const use = (w: World) => void ({ t, s, campaignId, rep } = w);

beforeAll(async () => {
  shared = await buildWorld();
});
beforeEach(() => use(shared));
afterAll(async () => shared.t.close());

/** For a test that needs the campaign unlocked or counts its audit rows: a world of its own, closed after the test. */
async function ownDatabase() {
  const own = await buildWorld();
  onTestFinished(() => own.t.close());
}

const lock = () =>
  t.db
    .update(evaluations)
    .set({ state: 'locked', lockedAt: new Date('2026-01-20T02:00:00Z'), decisionNote: '镇党委2026年第2次会议' })
    .where(eq(evaluations.campaignId, campaignId));

describe('evaluation outputs API', () => {
  it('is described in the OpenAPI document with its query options', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, { get?: { parameters?: { name: string }[] } }>;
    expect(paths['/api/campaigns/{id}/evaluation/outputs/notice']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['id', 'issuer', 'docNumber', 'addressee', 'date']),
    );
    expect(paths['/api/campaigns/{id}/evaluation/outputs/feedback-letters/{reporterId}']?.get).toBeDefined();
  });

  it('refuses a malformed query with a Chinese 400', async () => {
    const res = await s.townAdmin!.get(`${base()}/notice?date=2026-13-45`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('evaluation outputs before the lock', () => {
  it('refuses every document with a Chinese 409 and writes no audit row', async () => {
    await ownDatabase();
    for (const path of ['/notice', '/ranking', '/cadre-sheets', '/feedback-letters', `/feedback-letters/${rep.east}`]) {
      const res = await s.townAdmin!.get(base() + path);
      expect(res.statusCode, path).toBe(409);
      expect(res.json()).toMatchObject({ code: 'EVALUATION_NOT_LOCKED' });
      expect(res.json().message).toMatch(/尚未.*锁定/);
    }
    expect((await s.secEast!.get(`${base()}/feedback-letters/${rep.east}`)).statusCode).toBe(409);
    expect(await audits('evaluation.output.feedback')).toBe(0);
    const status = await s.townAdmin!.get(base());
    expect(status.json()).toMatchObject({ locked: false, canManage: true });
  });
});

describe('evaluation outputs after the lock', () => {
  beforeAll(async () => {
    // The shared campaign, whatever world the test before this describe used.
    use(shared);
    await lock();
  });

  it('the 通报 lists every secretary under the grade the committee locked, in 公文 layout', async () => {
    const res = await s.townAdmin!.get(
      `${base()}/notice?issuer=${encodeURIComponent('中共甲一镇委员会')}&docNumber=${encodeURIComponent('甲组通〔2026〕3号')}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const text = await docxText(res.rawPayload);
    expect(text).toContain('中共甲一镇委员会');
    expect(text).toContain('甲组通〔2026〕3号');
    expect(text).toContain('关于2025年度党组织书记抓基层党建工作述职评议考核结果的通报');
    expect(text).toContain('各基层党组织：');
    expect(text).toContain('对3名党组织书记');
    expect(text).toMatch(/综合评价为“好”等次的（1名）\s*甲一镇东村党支部书记李建国。/);
    // The committee's grade, not the suggestion: 王芳 was suggested 较好 and lowered to 一般.
    expect(text).toMatch(/综合评价为“一般”等次的（1名）\s*甲一镇西村党支部书记王芳。/);
    expect(text).not.toContain('“较好”等次的');
    expect(text).toMatch(/综合评价为“差”等次的（1名）\s*甲一镇北村党支部书记赵强。/);
    expect(text).toContain('镇党委2026年第2次会议');
    expect(text).toContain('2026年1月20日');
    expect(await audits('evaluation.output.notice')).toBe(1);
  });

  it('a feedback letter carries the name, grade, opinion and 整改要求; score and rank only when asked', async () => {
    const res = await s.townAdmin!.get(`${base()}/feedback-letters/${rep.east}?showScores=true`);
    expect(res.statusCode).toBe(200);
    const text = await docxText(res.rawPayload);
    expect(text).toContain('李建国同志：');
    expect(text).toContain('甲一镇东村党支部');
    expect(text).toContain('综合评价等次为“好”');
    expect(text).toContain('综合得分91.50分（测评得分95.50分，平时掌握86.00分，述职评议90.00分）');
    expect(text).toContain('在参加述职评议考核的3个党组织中排名第1位');
    expect(text).toContain('建成党群服务中心，发展党员3名。');
    expect(text).toContain('三会一课记录不完整。');
    expect(text).toContain('加强支部标准化建设。');
    expect(text).toContain('整改要求');
    expect(text).not.toContain('不得评定为“优秀”');

    const plain = await docxText((await s.townAdmin!.get(`${base()}/feedback-letters/${rep.west}`)).rawPayload);
    expect(plain).toContain('王芳同志：');
    expect(plain).toContain('综合评价等次为“一般”');
    expect(plain).not.toContain('综合得分');
    expect(plain).toContain('约谈提醒、限期整改');
    expect(plain).toContain('不得评定为“优秀”');
  });

  it('all letters come as one .zip, one letter per reporter in rank order', async () => {
    const res = await s.countyAdmin!.get(`${base()}/feedback-letters`);
    expect(res.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual([
      '1-反馈意见-甲一镇东村党支部-李建国.docx',
      '2-反馈意见-甲一镇西村党支部-王芳.docx',
      '3-反馈意见-甲一镇北村党支部-赵强.docx',
    ]);
    const north = await docxText(await zip.file(names[2]!)!.async('nodebuffer'));
    expect(north).toContain('赵强同志：');
    expect(north).toContain('综合评价等次为“差”');
    // R-GRADE-5: no written opinion was entered for 北村 (the lock warns of it); its letter leaves the parts out
    // instead of printing "（无）" under each heading.
    expect(north).not.toContain('（无）');
    expect(north).not.toContain('主要成绩');
    expect(north).toContain('整改要求');
  });

  it('the ranking table has rank, organization, sector, components, composite, both grades and the reason as numbers and text', async () => {
    const res = await s.townAdmin!.get(`${base()}/ranking`);
    expect(res.statusCode).toBe(200);
    const ws = (await workbook(res.rawPayload)).getWorksheet('综合评价排名')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).values).toEqual([
      undefined,
      '排名',
      '党组织',
      '领域',
      '书记',
      '测评得分',
      '平时掌握',
      '述职评议',
      '综合得分',
      '领域内排名',
      '建议等次',
      '确定等次',
      '理由',
    ]);
    expect(ws.getRow(2).values).toEqual([
      undefined,
      1,
      '甲一镇东村党支部',
      '农村',
      '李建国',
      95.5,
      86,
      90,
      91.5,
      1,
      '好',
      '好',
      '综合得分排名第1位',
    ]);
    expect(ws.getRow(3).values).toEqual([
      undefined,
      2,
      '甲一镇西村党支部',
      '农村',
      '王芳',
      82.25,
      78,
      80,
      80.5,
      2,
      '较好',
      '一般',
      '年内发生信访事件，党委研究下调为一般',
    ]);
    expect(ws.getRow(4).getCell(2).value).toBe('甲一镇北村党支部');
    expect(ws.getRow(4).getCell(3).value).toBe('社区');
    expect(ws.getRow(4).getCell(11).value).toBe('差');
  });

  it('the cadre-file workbook has a 名册 and one sheet per secretary with the decision date as a date', async () => {
    const res = await s.townAdmin!.get(`${base()}/cadre-sheets`);
    expect(res.statusCode).toBe(200);
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['名册', '1-李建国', '2-王芳', '3-赵强']);
    const sheet = wb.getWorksheet('2-王芳')!;
    const field = (label: string) => {
      for (let i = 2; i <= 8; i++)
        if (sheet.getRow(i).getCell(1).value === label) return sheet.getRow(i).getCell(2).value;
      throw new Error(`no ${label}`);
    };
    expect(field('姓名')).toBe('王芳');
    expect(field('所在党组织')).toBe('甲一镇西村党支部');
    expect(field('年度')).toBe(2025);
    expect(field('综合评价等次')).toBe('一般');
    expect(field('综合评价意见')).toContain('存在问题：党员教育管理偏松。');
    expect(field('党委研究确定日期')).toEqual(new Date('2026-01-20T00:00:00Z'));
    expect(wb.getWorksheet('名册')!.getRow(4).values).toEqual([
      undefined,
      3,
      '赵强',
      '书记',
      '甲一镇北村党支部',
      2025,
      '差',
      new Date('2026-01-20T00:00:00Z'),
      '3-赵强',
    ]);
  });

  it('a reporter downloads only their own letter, without score or rank, and nothing else', async () => {
    const status = await s.secEast!.get(base());
    expect(status.json()).toMatchObject({ locked: true, canManage: false, ownReporterId: rep.east });
    const own = await s.secEast!.get(`${base()}/feedback-letters/${rep.east}?showScores=true`);
    expect(own.statusCode).toBe(200);
    const text = await docxText(own.rawPayload);
    expect(text).toContain('李建国同志：');
    expect(text).not.toContain('综合得分');
    expect(text).not.toContain('排名');
    const other = await s.secEast!.get(`${base()}/feedback-letters/${rep.west}`);
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toBe('只能下载本人的反馈意见');
    for (const path of ['/notice', '/ranking', '/cadre-sheets', '/feedback-letters']) {
      expect((await s.secEast!.get(base() + path)).statusCode, path).toBe(403);
    }
  });

  it('another county, a leader and a foreign secretary are denied; a missing reporter is 404', async () => {
    for (const who of ['otherCounty', 'leader', 'secForeign']) {
      for (const path of [
        '',
        '/notice',
        '/ranking',
        '/cadre-sheets',
        '/feedback-letters',
        `/feedback-letters/${rep.east}`,
      ]) {
        const res = await s[who]!.get(base() + path);
        expect(res.statusCode, `${who} ${path}`).toBe(who === 'leader' ? 403 : 404);
        expect(res.json().code).toBe(who === 'leader' ? 'FORBIDDEN' : 'NOT_FOUND');
      }
    }
    expect((await s.townAdmin!.get(`${base()}/feedback-letters/999999`)).statusCode).toBe(404);
    expect((await s.townAdmin!.get(`/api/campaigns/999999/evaluation/outputs/notice`)).statusCode).toBe(404);
  });

  it('each generation wrote one audit row in the organizer scope', async () => {
    // The documents the tests above generate, in a database of its own so that only these are counted.
    await ownDatabase();
    await lock();
    for (const [who, path] of [
      ['townAdmin', `/feedback-letters/${rep.east}?showScores=true`],
      ['townAdmin', `/feedback-letters/${rep.west}`],
      ['countyAdmin', '/feedback-letters'],
      ['townAdmin', '/ranking'],
      ['townAdmin', '/cadre-sheets'],
      ['secEast', `/feedback-letters/${rep.east}?showScores=true`],
    ] as const)
      expect((await s[who]!.get(base() + path)).statusCode, path).toBe(200);
    // showScores letter + plain letter + reporter's own letter + the zip
    expect(await audits('evaluation.output.feedback')).toBe(4);
    expect(await audits('evaluation.output.ranking')).toBe(1);
    expect(await audits('evaluation.output.cadre_file')).toBe(1);
    const [row] = await queryRows<{ scope_path: string; target_id: string; detail: { letters: number } }>(
      t.db,
      sql`select scope_path, target_id, detail from audit_log where action = 'evaluation.output.feedback' and detail->>'format' = 'zip'`,
    );
    expect(row).toMatchObject({ target_id: String(campaignId), detail: { letters: 3 } });
    expect(row!.scope_path).toMatch(/^\/\d+\/\d+\/$/);
  });

  it('the locked result rows cannot be changed afterwards (the documents stay true)', async () => {
    await expect(
      t.db.update(evaluationResults).set({ finalGrade: 'good' }).where(eq(evaluationResults.reporterId, rep.west!)),
    ).rejects.toThrow();
  });
});
