import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/roles';
import { queryRows } from '../../src/server/db/connect';
import {
  buildCampaign,
  buildOrg,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let s: Record<string, Session> = {};
let uid: Record<string, number> = {};
let campaignId = 0;
let campaignB = 0;
let rep: Record<string, number> = {};
let checklistId = 0;
let items: { id: number; title: string; maxPoints: number }[] = [];

const count = async (table: string, where = 'true') =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`)))[0].n;
const audits = (action: string) => count('audit_log', `action = '${action}'`);
/** The evaluation's sums of a completed assessment, and whether they belong to its current submission. */
const fieldTally = async (reporterId: number) => {
  const [row] = await queryRows<{ score: string; max: string; current: boolean }>(
    t.db,
    sql`
    select f.score, f.max_points as max, f.completed_at = a.completed_at as current
    from evaluation_field_tallies f join assessment_assignments a on a.reporter_id = f.reporter_id where f.reporter_id = ${reporterId}`,
  );
  return row ? { score: Number(row.score), max: Number(row.max), current: row.current } : null;
};
const score = (who: string, reporterId: number, body: Record<string, unknown>) =>
  s[who].put(`/api/assessment/reporters/${reporterId}/scores`, { clientId: randomUUID(), failed: false, ...body });

function upload(session: Session, url: string, file: Buffer, filename: string, type: string) {
  const boundary = `----photo${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return session.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}
// A whole 1×1 PNG: photos are served with the type read from their bytes (issue 15), so a bare signature is not enough.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);

/**
 * Every test starts from its own database with the county, the accounts and the two campaigns below, and builds the
 * checklists, teams and scores it needs with the helpers after it (what the earlier steps of the story did), so tests
 * run in any order: the counts asserted below (scores, audit rows, teams) are of the whole database.
 */
beforeEach(async () => {
  s = {};
  uid = {};
  rep = {};
  checklistId = 0;
  items = [];
  t = await setupTestApp();
  tree = await buildTwoCounties(t.db);
  const organ = await buildOrg(t.db, {
    parent: tree.countyA,
    name: '甲县财政局机关党支部',
    code: 'A-JG1',
    sector: 'organ',
  });
  await buildSecretary(t.db, tree.townA.id, { name: '王镇书记' });
  const accounts: [string, Role, { scopeOrgId?: number; orgId?: number }][] = [
    ['adminA', 'org_admin', { scopeOrgId: tree.countyA.id }],
    ['adminB', 'org_admin', { scopeOrgId: tree.countyB.id }],
    ['leaderA', 'leader', { scopeOrgId: tree.countyA.id }],
    ['assessorA1', 'assessor', { scopeOrgId: tree.countyA.id }],
    ['assessorA2', 'assessor', { scopeOrgId: tree.countyA.id }],
    ['assessorB', 'assessor', { scopeOrgId: tree.countyB.id }],
    ['secA1', 'secretary', { orgId: tree.villageA1.id }],
  ];
  for (const [username, role, scope] of accounts) {
    uid[username] = (await buildUser(t.db, { role, username, ...scope })).id;
    s[username] = await signIn(t.app, username);
  }
  const c = await buildCampaign(t.db, {
    organizerOrgId: tree.countyA.id,
    state: 'published',
    reporterOrgIds: [tree.townA.id, tree.villageA1.id, tree.villageA2.id, organ.id],
    // 002 plans no 实地考核 phase: field scoring falls in 综合评价 (R-CAMP-8).
    open: ['evaluation'],
  });
  campaignId = c.id;
  campaignB = (
    await buildCampaign(t.db, { organizerOrgId: tree.countyB.id, state: 'published', reporterOrgIds: [tree.townB.id] })
  ).id;
  const rows = await queryRows<{ id: number; org_id: number; campaign_id: number }>(
    t.db,
    sql`select id, org_id, campaign_id from campaign_reporters`,
  );
  const byOrg = (orgId: number, cid: number) => rows.find((r) => r.org_id === orgId && r.campaign_id === cid)!.id;
  rep.town = byOrg(tree.townA.id, campaignId);
  rep.v1 = byOrg(tree.villageA1.id, campaignId);
  rep.v2 = byOrg(tree.villageA2.id, campaignId);
  rep.organ = byOrg(organ.id, campaignId);
  rep.townB = byOrg(tree.townB.id, campaignB);
  // Villages and the organ branch report in the grassroots tier of the county template.
  await t.db.execute(
    sql`update campaign_reporters set tier_key = 'grassroots' where id in (${rep.v1}, ${rep.v2}, ${rep.organ})`,
  );
});
afterEach(async () => t?.close());

/** The three checklists 从模板创建 (township, village, organ). */
async function templateChecklists() {
  for (const kind of ['township', 'village', 'organ']) {
    const res = await s.adminA.post(`/api/campaigns/${campaignId}/checklists/from-template`, { kind });
    if (res.statusCode !== 200) throw new Error(res.body);
  }
}

/** The test checklist alone (书记带头 10, 阵地开放 5, 台账 5 = 20 points), applying to every reporter. */
async function testChecklist() {
  const created = await s.adminA.post(`/api/campaigns/${campaignId}/checklists`, {
    title: '测试细则',
    appliesTo: {},
    items: [
      { section: '班子建设', title: '书记带头', maxPoints: 10, method: 'interview', guidance: '访谈党员' },
      { section: '阵地建设', title: '阵地开放', maxPoints: 5, method: 'site' },
      { section: '阵地建设', title: '台账', maxPoints: 5, method: 'documents' },
    ],
  });
  if (created.statusCode !== 200) throw new Error(created.body);
  checklistId = created.json().id;
  const list = (await s.adminA.get(`/api/campaigns/${campaignId}/checklists`)).json();
  items = list.checklists.find((c: { id: number }) => c.id === checklistId).items;
}

/** 第一考评组 (assessorA1: the township and 东村) and 第二考评组 (assessorA2: 西村). */
async function teams() {
  for (const body of [
    { name: '第一考评组', leaderName: '李组长', memberIds: [uid.assessorA1], reporterIds: [rep.town, rep.v1] },
    { name: '第二考评组', memberIds: [uid.assessorA2], reporterIds: [rep.v2] },
  ]) {
    const res = await s.adminA.post(`/api/campaigns/${campaignId}/assessment-teams`, body);
    if (res.statusCode !== 200) throw new Error(res.body);
  }
}

/**
 * The township scored by assessorA1 on the test checklist: 书记带头 9, 阵地开放 1 failed with its note and a photo, and
 * 台账 `third` when given (left unscored otherwise); not completed.
 */
async function townScored(third?: number) {
  await testChecklist();
  await teams();
  const ok = (res: { statusCode: number; body: string }) => {
    if (res.statusCode !== 200) throw new Error(res.body);
    return res;
  };
  ok(await score('assessorA1', rep.town, { itemId: items[0].id, score: 9 }));
  ok(
    await score('assessorA1', rep.town, { itemId: items[1].id, score: 1, failed: true, note: '党群服务中心大门紧锁' }),
  );
  ok(
    await upload(
      s.assessorA1,
      `/api/assessment/reporters/${rep.town}/items/${items[1].id}/photos`,
      PNG,
      '现场.png',
      'image/png',
    ),
  );
  if (third !== undefined) ok(await score('assessorA1', rep.town, { itemId: items[2].id, score: third }));
}

describe('checklists (R-ASSESS-1/2)', () => {
  it('从模板创建: township, village and organ defaults, each out of 100, appliesTo derived from the campaign; audited', async () => {
    const before = await audits('assessment.checklist.create');
    for (const kind of ['township', 'village', 'organ']) {
      const res = await s.adminA.post(`/api/campaigns/${campaignId}/checklists/from-template`, { kind });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await audits('assessment.checklist.create')).toBe(before + 3);
    const list = (await s.adminA.get(`/api/campaigns/${campaignId}/checklists`)).json();
    expect(list.checklists.map((c: { total: number }) => c.total)).toEqual([100, 100, 100]);
    expect(list.checklists[0].appliesTo).toEqual({ tierKeys: ['committees'], sectors: ['rural', 'community'] });
    expect(list.checklists[2].appliesTo).toEqual({ sectors: ['organ'] });
    expect(
      list.checklists[1].items.every((i: { method: string }) => ['site', 'documents', 'interview'].includes(i.method)),
    ).toBe(true);
    // Each reporter gets the first checklist that applies.
    const progress = (await s.adminA.get(`/api/campaigns/${campaignId}/assessment/progress`)).json();
    const title = (id: number) =>
      progress.items.find((r: { reporterId: number }) => r.reporterId === id).checklistTitle;
    expect(title(rep.town)).toContain('乡镇');
    expect(title(rep.v1)).toContain('村（社区）');
    expect(title(rep.organ)).toContain('机关');
  });

  it('bad items are refused in Chinese and nothing is saved', async () => {
    await templateChecklists();
    const lists = await count('checklists');
    const itemsBefore = await count('checklist_items');
    const base = { section: '班子建设', title: '组织生活', maxPoints: 10, method: 'site' };
    const cases: [unknown, string][] = [
      [{ title: '测试', items: [base, { ...base, maxPoints: 0 }] }, '第2项：分值必须大于0'],
      [{ title: '测试', items: [{ ...base, maxPoints: -5 }] }, '第1项：分值必须大于0'],
      [{ title: '测试', items: [{ ...base, method: 'phone' }] }, '第1项：考核方式只能是看现场、查资料或访群众'],
      [{ title: '测试', appliesTo: { tierKeys: ['nope'] }, items: [base] }, '述职对象类别不存在：nope'],
    ];
    for (const [body, message] of cases) {
      const res = await s.adminA.post(`/api/campaigns/${campaignId}/checklists`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toBe(message);
    }
    expect(await count('checklists')).toBe(lists);
    expect(await count('checklist_items')).toBe(itemsBefore);
    const [first] = (await s.adminA.get(`/api/campaigns/${campaignId}/checklists`)).json().checklists;
    const bad = await s.adminA.patch(`/api/checklist-items/${first.items[0].id}`, { maxPoints: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('分值必须大于0');
  });

  it('item CRUD: add, edit, remove, and the total follows; other counties and non-admins cannot edit', async () => {
    await templateChecklists();
    const created = await s.adminA.post(`/api/campaigns/${campaignId}/checklists`, {
      title: '测试细则',
      appliesTo: {},
      items: [
        { section: '班子建设', title: '书记带头', maxPoints: 10, method: 'interview', guidance: '访谈党员' },
        { section: '阵地建设', title: '阵地开放', maxPoints: 5, method: 'site' },
      ],
    });
    expect(created.statusCode, created.body).toBe(200);
    checklistId = created.json().id;
    const added = await s.adminA.post(`/api/checklists/${checklistId}/items`, {
      section: '阵地建设',
      title: '台账',
      maxPoints: 2.5,
      method: 'documents',
    });
    expect(added.statusCode, added.body).toBe(200);
    expect((await s.adminA.patch(`/api/checklist-items/${added.json().id}`, { maxPoints: 5 })).statusCode).toBe(200);
    const extra = await s.adminA.post(`/api/checklists/${checklistId}/items`, {
      section: '其他',
      title: '临时',
      maxPoints: 1,
      method: 'site',
    });
    expect((await s.adminA.delete(`/api/checklist-items/${extra.json().id}`)).statusCode).toBe(200);
    const list = (await s.adminA.get(`/api/campaigns/${campaignId}/checklists`)).json();
    const mine = list.checklists.find((c: { id: number }) => c.id === checklistId);
    expect(mine.total).toBe(20);
    expect(mine.sections).toEqual([
      { section: '班子建设', items: 1, points: 10 },
      { section: '阵地建设', items: 2, points: 10 },
    ]);
    items = mine.items;
    for (const who of ['adminB', 'leaderA', 'assessorA1', 'secA1']) {
      expect(
        (
          await s[who].post(`/api/checklists/${checklistId}/items`, {
            section: 'x',
            title: 'y',
            maxPoints: 1,
            method: 'site',
          })
        ).statusCode,
      ).toBe(who === 'adminB' ? 404 : 403);
    }
    expect((await s.adminB.get(`/api/campaigns/${campaignId}/checklists`)).statusCode).toBe(404);
    // The test checklist is scored against everyone from here on: move it first.
    expect(
      (await s.adminA.patch(`/api/checklists/${list.checklists[0].id}`, { appliesTo: { tierKeys: ['nobody'] } }))
        .statusCode,
    ).toBe(400);
    for (const c of list.checklists.filter((c: { id: number }) => c.id !== checklistId)) {
      expect((await s.adminA.delete(`/api/checklists/${c.id}`)).statusCode).toBe(200);
    }
  });
});

describe('teams (考评组)', () => {
  it('creates teams with assessors of the subtree and one team per reporter', async () => {
    const res = await s.adminA.post(`/api/campaigns/${campaignId}/assessment-teams`, {
      name: '第一考评组',
      leaderName: '李组长',
      memberIds: [uid.assessorA1],
      reporterIds: [rep.town, rep.v1],
    });
    expect(res.statusCode, res.body).toBe(200);
    const res2 = await s.adminA.post(`/api/campaigns/${campaignId}/assessment-teams`, {
      name: '第二考评组',
      memberIds: [uid.assessorA2],
      reporterIds: [rep.v2],
    });
    expect(res2.statusCode, res2.body).toBe(200);
    expect(await audits('assessment.team.create')).toBe(2);
  });

  it('refuses a member from another county, a non-assessor, a reporter already in a team or of another campaign', async () => {
    await teams();
    const before = await count('assessment_teams');
    const cases: [unknown, number, string][] = [
      [{ name: '第三组', memberIds: [uid.assessorB] }, 400, 'VALIDATION'],
      [{ name: '第三组', memberIds: [uid.leaderA] }, 400, 'VALIDATION'],
      [{ name: '第三组', reporterIds: [rep.v2] }, 409, 'ALREADY_ASSIGNED'],
      [{ name: '第三组', reporterIds: [rep.townB] }, 400, 'VALIDATION'],
      [{ name: '第一考评组' }, 409, 'TEAM_EXISTS'],
    ];
    for (const [body, status, code] of cases) {
      const res = await s.adminA.post(`/api/campaigns/${campaignId}/assessment-teams`, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().code).toBe(code);
    }
    expect(
      (
        await s.adminA.post(`/api/campaigns/${campaignId}/assessment-teams`, { name: '第三组', reporterIds: [rep.v2] })
      ).json().message,
    ).toContain('已分配给其他考评组');
    expect(await count('assessment_teams')).toBe(before);
    expect((await s.adminB.post(`/api/campaigns/${campaignId}/assessment-teams`, { name: '乙组' })).statusCode).toBe(
      404,
    );
  });

  it('lists with search by team, member or reporter name', async () => {
    await teams();
    const all = (await s.adminA.get(`/api/campaigns/${campaignId}/assessment-teams`)).json();
    expect(all.total).toBe(2);
    const byReporter = (
      await s.adminA.get(`/api/campaigns/${campaignId}/assessment-teams?q=${encodeURIComponent('西村')}`)
    ).json();
    expect(byReporter.items.map((x: { name: string }) => x.name)).toEqual(['第二考评组']);
    const cands = (await s.adminA.get(`/api/campaigns/${campaignId}/assessment-teams/candidates`)).json();
    expect(cands.items.map((x: { username: string }) => x.username).sort()).toEqual(['assessorA1', 'assessorA2']);
  });
});

describe('scoring (assessor on the phone)', () => {
  const url = (r: number) => `/api/assessment/reporters/${r}/scores`;

  it('a score above the item maximum is refused with a clear Chinese error; nothing saved', async () => {
    await testChecklist();
    await teams();
    const before = await count('field_scores');
    const res = await score('assessorA1', rep.town, { itemId: items[0].id, score: 10.5 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'SCORE_ABOVE_MAX', message: '「书记带头」的得分10.5超过该项分值10分' });
    expect((await score('assessorA1', rep.town, { itemId: items[0].id, score: -1 })).statusCode).toBe(400);
    expect(await count('field_scores')).toBe(before);
  });

  it('a failed item without a note is refused', async () => {
    await testChecklist();
    await teams();
    const res = await score('assessorA1', rep.town, { itemId: items[1].id, score: 1, failed: true, note: '  ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('NOTE_REQUIRED');
    expect(await count('field_scores')).toBe(0);
  });

  it('idempotent by clientId: the re-sent entry is stored once; a new clientId corrects the same row', async () => {
    await testChecklist();
    await teams();
    const clientId = randomUUID();
    const body = { itemId: items[0].id, score: 8, failed: false, clientId, scoredAt: '2025-11-20T01:00:00.000Z' };
    const first = await s.assessorA1.put(url(rep.town), body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ score: 8, duplicate: false, scoredAt: '2025-11-20T01:00:00.000Z' });
    const again = await s.assessorA1.put(url(rep.town), body);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true });
    // Even a re-send carrying a changed value is the same entry: stored once, unchanged.
    expect((await s.assessorA1.put(url(rep.town), { ...body, score: 2 })).json()).toMatchObject({
      score: 8,
      duplicate: true,
    });
    expect(await count('field_scores')).toBe(1);
    expect(await audits('assessment.score.save')).toBe(1);
    const fix = await score('assessorA1', rep.town, { itemId: items[0].id, score: 9 });
    expect(fix.json()).toMatchObject({ id: first.json().id, score: 9, duplicate: false });
    expect(await count('field_scores')).toBe(1);
    expect(await audits('assessment.score.save')).toBe(2);
    // The same clientId cannot be reused for another item.
    expect(
      (await s.assessorA1.put(url(rep.town), { ...body, clientId: fix.json().clientId, itemId: items[1].id })).json()
        .code,
    ).toBe('CLIENT_ID_REUSED');
  });

  it('a failed item with a note and a photo; photo type and size limits', async () => {
    await testChecklist();
    await teams();
    const res = await score('assessorA1', rep.town, {
      itemId: items[1].id,
      score: 1,
      failed: true,
      note: '党群服务中心大门紧锁',
    });
    expect(res.statusCode, res.body).toBe(200);
    const photoUrl = `/api/assessment/reporters/${rep.town}/items/${items[1].id}/photos`;
    const ok = await upload(s.assessorA1, photoUrl, PNG, '现场.png', 'image/png');
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await upload(s.assessorA1, photoUrl, Buffer.from('not an image'), 'a.png', 'image/png')).statusCode).toBe(
      415,
    );
    const big = Buffer.concat([PNG, Buffer.alloc(8 * 1024 * 1024 + 1)]);
    expect((await upload(s.assessorA1, photoUrl, big, 'big.png', 'image/png')).statusCode).toBe(413);
    expect(
      (
        await upload(
          s.assessorA1,
          `/api/assessment/reporters/${rep.town}/items/${items[2].id}/photos`,
          PNG,
          'x.png',
          'image/png',
        )
      ).statusCode,
    ).toBe(400);
    expect(await count('field_score_photos')).toBe(1);
    const photo = await s.adminA.get(`/api/assessment/reporters/${rep.town}/photos/${ok.json().id}`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
  });

  it('completion requires every item scored and lists what is missing', async () => {
    await townScored();
    const res = await s.assessorA1.post(`/api/assessment/reporters/${rep.town}/complete`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'ASSESSMENT_INCOMPLETE', message: '还有1项未评分：「台账」' });
    expect(res.json().details.missing.map((m: { id: number }) => m.id)).toEqual([items[2].id]);
    expect(await count('assessment_assignments', 'completed_at is not null')).toBe(0);
    expect((await score('assessorA1', rep.town, { itemId: items[2].id, score: 5 })).statusCode).toBe(200);
    const done = await s.assessorA1.post(`/api/assessment/reporters/${rep.town}/complete`);
    expect(done.statusCode, done.body).toBe(200);
    expect(await audits('assessment.complete')).toBe(1);
    // Locked until reopened.
    expect((await score('assessorA1', rep.town, { itemId: items[2].id, score: 4 })).json().code).toBe(
      'ASSESSMENT_COMPLETED',
    );
    const sheet = (await s.adminA.get(`/api/assessment/reporters/${rep.town}`)).json();
    expect(sheet.summary).toEqual({ items: 3, scored: 3, failed: 1, score: 15 });
    expect(sheet.canReopen).toBe(true);
    const progress = (await s.adminA.get(`/api/campaigns/${campaignId}/assessment/progress?status=completed`)).json();
    expect(progress.items).toHaveLength(1);
    expect(progress.items[0]).toMatchObject({
      reporterId: rep.town,
      percent: 75,
      status: 'completed',
      teamName: '第一考评组',
    });
    // The submission sums the scores once for the evaluation (evaluation_field_tallies): 15 of 20 points.
    expect(await fieldTally(rep.town)).toEqual({ score: 15, max: 20, current: true });
  });

  it('reopen: organizer only, with a reason; audited', async () => {
    await townScored(5);
    expect((await s.assessorA1.post(`/api/assessment/reporters/${rep.town}/complete`)).statusCode).toBe(200);
    expect(
      (await s.assessorA1.post(`/api/assessment/reporters/${rep.town}/reopen`, { reason: '重评' })).statusCode,
    ).toBe(403);
    expect((await s.adminB.post(`/api/assessment/reporters/${rep.town}/reopen`, { reason: '重评' })).statusCode).toBe(
      404,
    );
    expect((await s.adminA.post(`/api/assessment/reporters/${rep.town}/reopen`, { reason: '' })).statusCode).toBe(400);
    const ok = await s.adminA.post(`/api/assessment/reporters/${rep.town}/reopen`, { reason: '台账项需复核' });
    expect(ok.statusCode, ok.body).toBe(200);
    const [a] = await queryRows<{ detail: { reason: string } }>(
      t.db,
      sql`select detail from audit_log where action = 'assessment.reopen'`,
    );
    expect(a.detail.reason).toBe('台账项需复核');
    expect(await fieldTally(rep.town)).toBeNull();
    expect((await score('assessorA1', rep.town, { itemId: items[2].id, score: 4 })).statusCode).toBe(200);
  });

  it("access: another team's assessor, another county, a secretary are denied; an assessor sees only its team", async () => {
    // As the story left it: completed with 台账 5, reopened and 台账 rescored 4 (9 + 1 + 4 = 14).
    await townScored(4);
    const before = await count('field_scores');
    const denied: Record<string, number[]> = {};
    for (const who of ['assessorA2', 'assessorB', 'adminB', 'secA1', 'adminA', 'leaderA']) {
      denied[who] = [(await score(who, rep.town, { itemId: items[0].id, score: 1 })).statusCode];
    }
    expect(denied).toEqual({
      assessorA2: [403],
      assessorB: [404],
      adminB: [404],
      secA1: [403],
      adminA: [403],
      leaderA: [403],
    });
    expect(await count('field_scores')).toBe(before);
    for (const who of ['assessorA2', 'assessorB', 'adminB', 'secA1']) {
      expect((await s[who].get(`/api/assessment/reporters/${rep.town}`)).statusCode, who).toBe(
        ['assessorB', 'adminB'].includes(who) ? 404 : 403,
      );
    }
    for (const who of ['adminB', 'secA1']) {
      expect((await s[who].get(`/api/campaigns/${campaignId}/assessment/progress`)).statusCode, who).toBe(
        who === 'adminB' ? 404 : 403,
      );
      expect((await s[who].get(`/api/campaigns/${campaignId}/assessment/export`)).statusCode, who).toBe(
        who === 'adminB' ? 404 : 403,
      );
    }
    expect((await s.leaderA.get(`/api/assessment/reporters/${rep.town}`)).statusCode).toBe(200);
    const mine = (await s.assessorA1.get(`/api/campaigns/${campaignId}/assessment/progress`)).json();
    expect(mine.items.map((r: { reporterId: number }) => r.reporterId).sort()).toEqual([rep.town, rep.v1].sort());
    expect(mine.canViewAll).toBe(false);
    const my = (await s.assessorA2.get('/api/assessment/my')).json();
    expect(my.teams).toHaveLength(1);
    expect(my.teams[0].reporters.map((r: { reporterId: number }) => r.reporterId)).toEqual([rep.v2]);
    expect((await s.secA1.get('/api/assessment/my')).json().teams).toEqual([]);
  });

  it('an item with scores cannot be removed or lowered below a given score', async () => {
    // As the story left it: completed with 台账 5, reopened and 台账 rescored 4 (9 + 1 + 4 = 14).
    await townScored(4);
    expect((await s.adminA.delete(`/api/checklist-items/${items[0].id}`)).json().code).toBe('ITEM_SCORED');
    expect((await s.adminA.patch(`/api/checklist-items/${items[0].id}`, { maxPoints: 5 })).json().code).toBe(
      'ITEM_SCORED_ABOVE',
    );
    expect((await s.adminA.delete(`/api/checklists/${checklistId}`)).json().code).toBe('CHECKLIST_SCORED');
  });

  it('raising the points of a scored item drops the field sums of the completed assessments scored on it', async () => {
    // As the story left it: completed with 台账 5, reopened and 台账 rescored 4 (9 + 1 + 4 = 14).
    await townScored(4);
    expect((await s.assessorA1.post(`/api/assessment/reporters/${rep.town}/complete`)).statusCode).toBe(200);
    const before = await fieldTally(rep.town);
    expect(before).toMatchObject({ score: 14, current: true });
    // Another edit of the item (its guidance) leaves the sums alone.
    expect((await s.adminA.patch(`/api/checklist-items/${items[0].id}`, { guidance: '查阅会议记录' })).statusCode).toBe(
      200,
    );
    expect(await fieldTally(rep.town)).toEqual(before);
    const max = Number(
      (
        await queryRows<{ m: string }>(t.db, sql`select max_points as m from checklist_items where id = ${items[0].id}`)
      )[0]!.m,
    );
    expect((await s.adminA.patch(`/api/checklist-items/${items[0].id}`, { maxPoints: max + 5 })).statusCode).toBe(200);
    expect(await fieldTally(rep.town)).toBeNull();
    expect((await s.adminA.patch(`/api/checklist-items/${items[0].id}`, { maxPoints: max })).statusCode).toBe(200);
    expect(
      (await s.adminA.post(`/api/assessment/reporters/${rep.town}/reopen`, { reason: '恢复原状' })).statusCode,
    ).toBe(200);
  });

  it('exports scores per reporter and per item as .xlsx', async () => {
    // As the story left it: completed with 台账 5, reopened and 台账 rescored 4 (9 + 1 + 4 = 14).
    await townScored(4);
    const res = await s.adminA.get(`/api/campaigns/${campaignId}/assessment/export`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sum = wb.getWorksheet('得分汇总')!;
    const town = sum.getSheetValues().find((r) => Array.isArray(r) && r[1] === '甲一镇党委') as unknown[];
    expect(town).toBeDefined();
    expect(town[2]).toBe('王镇书记');
    expect(town[9]).toBe(14);
    const detail = wb.getWorksheet('评分明细')!;
    const failed = detail
      .getSheetValues()
      .find((r) => Array.isArray(r) && r[8] === '党群服务中心大门紧锁') as unknown[];
    expect(failed[7]).toBe('是');
  });
});
