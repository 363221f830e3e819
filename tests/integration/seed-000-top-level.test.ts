import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Grade } from '../../src/domain/grades';
import { queryRows } from '../../src/server/db/connect';
import { buildCampaign, buildOrg, buildTwoCounties, buildUser, setupTestApp, signIn, type Session } from '../factories';

/**
 * Seed 000 (the national method) run by the top organizer of this deployment, a county whose upper body is not in it:
 * the flags of §7 from the locked grades, and §8 "各级党委（党组）开展述职评议考核情况，应及时向上一级党组织报告" — the
 * county's own summary goes to an upper body outside the deployment as .docx and .xlsx, marked sent.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
const s: Record<string, Session> = {};
let campaignId: number;
let orgs: Awaited<ReturnType<typeof buildOrg>>[] = [];
const GRADES_000: Grade[] = ['good', 'fair', 'fair', 'average', 'poor'];

const docxText = async (buffer: Buffer) => (await mammoth.extractRawText({ buffer })).value;

// The story's two steps are separate tests, each on a database of its own with the locked grades below: deriving the
// flags (§7) and reporting upward (§8) do not need each other, and either may run first.
beforeEach(async () => {
  orgs = [];
  t = await setupTestApp({ start: new Date('2026-02-10T02:00:00Z') });
  tree = await buildTwoCounties(t.db);
  orgs.push(tree.townA);
  for (let i = 2; i <= 5; i++) {
    orgs.push(
      await buildOrg(t.db, {
        parent: tree.countyA,
        name: `甲${i}镇党委`,
        code: `A-T${i}`,
        kind: 'committee',
        level: 'township',
      }),
    );
  }
  const c = await buildCampaign(t.db, {
    organizerOrgId: tree.countyA.id,
    templateId: '000',
    year: 2025,
    state: 'published',
    reporterOrgIds: orgs.map((o) => o.id),
    open: ['summary'],
    openAt: t.clock.now(),
  });
  campaignId = c.id;
  const reporters = await queryRows<{ id: number; orgId: number }>(
    t.db,
    sql`
    select id, org_id as "orgId" from campaign_reporters where campaign_id = ${campaignId} order by id`,
  );
  for (const [i, r] of reporters.entries()) {
    await t.db.execute(sql`
      insert into evaluation_results (reporter_id, campaign_id, components, composite, rank, sector_rank, suggested_grade, final_grade)
      values (${r.id}, ${campaignId}, '{}'::jsonb, ${95 - i * 4}, ${i + 1}, ${i + 1}, ${GRADES_000[i]!}, ${GRADES_000[i]!})`);
  }
  await t.db.execute(sql`insert into evaluations (campaign_id, state, computed_at, locked_at, decision_note)
    values (${campaignId}, 'locked', '2026-02-01T02:00:00Z', '2026-02-02T02:00:00Z', '2026年2月2日县委常委会议')`);
  await buildUser(t.db, { role: 'org_admin', username: 'county', scopeOrgId: tree.countyA.id });
  await buildUser(t.db, { role: 'org_admin', username: 'countyB', scopeOrgId: tree.countyB.id });
  for (const u of ['county', 'countyB']) s[u] = await signIn(t.app, u);
});
afterEach(async () => t?.close());

describe('seed 000: results from the locked grades (§7)', () => {
  it('R-USE-1 R-USE-2 not 好 → no 优秀; 一般 and 差 → 约谈提醒 and 限期整改, with follow-up tasks', async () => {
    const res = await s.county.post(`/api/campaigns/${campaignId}/results/derive`, {});
    expect(res.statusCode, res.body).toBe(200);
    // 4 not 好; 一般 + 差 = 2 talks and 2 rectifications.
    expect(res.json()).toEqual({ flags: 4 + 2 + 2, followUps: 2 + 2 });
    const flags = (await s.county.get(`/api/campaigns/${campaignId}/results/flags`)).json().items as {
      orgName: string;
      code: string;
      detail: string;
    }[];
    const of = (name: string) =>
      flags
        .filter((f) => f.orgName === name)
        .map((f) => f.code)
        .sort();
    expect(of(orgs[0]!.name)).toEqual([]);
    expect(of(orgs[1]!.name)).toEqual(['no_excellent']);
    expect(of(orgs[3]!.name)).toEqual(['no_excellent', 'rectify', 'talk']);
    expect(flags.find((f) => f.orgName === orgs[4]!.name && f.code === 'rectify')!.detail).toBe(
      '综合评价等次为“差”，应限期整改；问题严重的依规严肃追责问责',
    );
    const talks = (await s.county.get(`/api/campaigns/${campaignId}/results/follow-ups?kind=talk`)).json().items;
    expect(talks.map((f: { assigneeName: string }) => f.assigneeName)).toEqual([tree.countyA.name, tree.countyA.name]);
  });
});

describe('seed 000 §8: the top organizer reports its round upward too', () => {
  it('R-SUM-2 R-SUM-1 the summary goes to an upper body outside the deployment as .docx and .xlsx, marked sent', async () => {
    let sum = (await s.county.get(`/api/campaigns/${campaignId}/summary`)).json();
    expect(sum.upperLevel).toEqual({ name: null, inDeployment: false });
    expect(sum.signature).toBe('中共甲县委组织部');
    // No meeting, ballot or survey took place in this record: the overview does not invent them.
    expect(sum.sections.overview).toBe(
      '2025年度党组织书记抓基层党建工作述职评议考核共确定述职对象5个。实地考核0个单位。' +
        '经中共甲县委员会研究审定，5名党组织书记评定等次：“好”1个、“较好”2个、“一般”1个、“差”1个。',
    );
    await s.county.put(`/api/campaigns/${campaignId}/summary`, {
      achievements: '书记抓党建责任进一步压实。',
      problems: '个别乡镇党委书记履职不到位。',
      nextSteps: '抓好整改，落实约谈。',
    });
    const nowhere = await s.county.post(`/api/campaigns/${campaignId}/summary/submit`, {});
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json()).toMatchObject({
      code: 'NO_UPPER_LEVEL',
      message: '本级的上级党组织不在本系统中，请填写接收总结报告的上级党组织（如“某某市委组织部”）',
    });
    expect(
      (await s.countyB.post(`/api/campaigns/${campaignId}/summary/submit`, { recipient: '中共某市委组织部' }))
        .statusCode,
    ).toBe(404);

    const sent = await s.county.post(`/api/campaigns/${campaignId}/summary/submit`, { recipient: '中共某市委组织部' });
    expect(sent.json(), sent.body).toEqual({ state: 'sent', recipient: '中共某市委组织部' });
    sum = (await s.county.get(`/api/campaigns/${campaignId}/summary`)).json();
    expect(sum).toMatchObject({ state: 'sent', upperLevel: { name: '中共某市委组织部', inDeployment: false } });
    expect((await s.county.put(`/api/campaigns/${campaignId}/summary`, { nextSteps: '改' })).statusCode).toBe(409);

    // What went upward is kept as it was: a later change of the records does not rewrite it.
    const first = (await s.county.get(`/api/campaigns/${campaignId}/summary.docx`)).rawPayload;
    const text = await docxText(first);
    expect(text).toContain('中共某市委组织部：');
    expect(text).toContain('中共甲县委组织部');
    expect(text).toContain('书记抓党建责任进一步压实。');
    expect(text).not.toContain('（待补充）');
    await t.db.execute(sql`insert into rectification_items (campaign_id, org_id, source_type, description, deadline, status)
      values (${campaignId}, ${orgs[4]!.id}, 'comment', '后来发现的问题', '2026-06-01', 'in_progress')`);
    const again = (await s.county.get(`/api/campaigns/${campaignId}/summary.docx`)).rawPayload;
    expect(Buffer.compare(first, again)).toBe(0);
    const xlsx = await s.county.get(`/api/campaigns/${campaignId}/results-table.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(2).getCell(3).value).toBe(orgs[0]!.name);
    const [audit] = await queryRows<{ detail: { recipient: string } }>(
      t.db,
      sql`select detail from audit_log where action = 'results.summary.send'`,
    );
    expect(audit!.detail.recipient).toBe('中共某市委组织部');
    // Nobody in this deployment receives it: it is not in any inbox.
    expect((await s.county.get('/api/summary-reports/inbox')).json().items).toEqual([]);
  });
});
