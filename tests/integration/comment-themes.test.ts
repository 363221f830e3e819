import mammoth from 'mammoth';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/connect';
import {
  buildCampaign,
  buildMeeting,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let s: Record<string, Session> = {};
let campaignId = 0;
let roundId = 0;
let draftRound = 0;
let rep: Record<string, number> = {};

// Three problems in many wordings, "无"-type comments, and one text pasted onto four ballots.
const LIFE = [
  '三会一课开得不经常',
  '三会一课记录是事后补的',
  '主题党日活动形式单一',
  '主题党日内容老一套，三会一课不规范',
  '组织生活会走过场，三会一课打折扣',
  '支委会记录不全，三会一课落实差',
];
const TRASH = [
  '垃圾清运不及时',
  '村里垃圾到处堆放没人管',
  '人居环境整治垃圾问题突出',
  '垃圾桶满了也不清运',
  '生活垃圾乱倒，环境卫生差',
];
const MONEY = [
  '村集体经济薄弱，没有收入',
  '集体经济发展缓慢，缺少项目',
  '壮大集体经济办法不多',
  '集体经济合作社是空壳',
];
const COPY = '书记联系群众不够紧密，群众反映的问题解决不及时';
const A2_TEXT = '西村的意见只有三张票不能显示';

async function waitJob(who: Session, query = '') {
  for (let i = 0; i < 600; i++) {
    const res = await who.get(`/api/campaigns/${campaignId}/themes${query}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    if (body.job?.state === 'done') return body;
    if (body.job?.state === 'failed') throw new Error(body.job.error);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

// Each test starts from its own database with the released round's ballots (beforeEach) and first takes the steps it
// comes after (steps below), so the tests run in any order.
beforeEach(async () => {
  s = {};
  rep = {};
  t = await setupTestApp({ start: new Date('2025-11-20T04:00:00Z'), config: { idleTimeoutMinutes: 60 * 24 * 365 } });
  tree = await buildTwoCounties(t.db);
  const users = {
    townAdmin: { role: 'org_admin', scopeOrgId: tree.townA.id },
    adminB: { role: 'org_admin', scopeOrgId: tree.countyB.id },
    observerA: { role: 'observer', scopeOrgId: tree.townA.id },
    secA1: { role: 'secretary', orgId: tree.villageA1.id },
    secA2: { role: 'secretary', orgId: tree.villageA2.id },
  } as const;
  for (const [username, o] of Object.entries(users)) {
    await buildUser(t.db, { username, ...o });
    s[username] = await signIn(t.app, username);
  }
  campaignId = (
    await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2025,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id, tree.villageA2.id],
      open: ['rectification'],
    })
  ).id;
  for (const [k, org] of [
    ['A1', tree.villageA1.id],
    ['A2', tree.villageA2.id],
  ] as const) {
    rep[k] = (
      await queryRows<{ id: number }>(
        t.db,
        sql`select id from campaign_reporters where campaign_id = ${campaignId} and org_id = ${org}`,
      )
    )[0].id;
  }
  const meetingId = (await buildMeeting(t.db, { campaignId })).id;
  const anonymity = JSON.stringify({ minGroupSize: 5, categories: [{ key: 'members', label: '党员' }] });
  [{ id: roundId }] = await queryRows<{ id: number }>(
    t.db,
    sql`
    insert into ballot_rounds (meeting_id, mode, state, room_code, anonymity) values (${meetingId}, 'real', 'released', 'ROOM', ${anonymity}::jsonb) returning id`,
  );
  [{ id: draftRound }] = await queryRows<{ id: number }>(
    t.db,
    sql`
    insert into ballot_rounds (meeting_id, mode, state, room_code, anonymity) values (${(await buildMeeting(t.db, { campaignId })).id}, 'real', 'closed', 'ROOM2', ${anonymity}::jsonb) returning id`,
  );
  const a1 = [...LIFE, ...TRASH, ...MONEY, COPY, COPY, COPY, COPY, '无', '没有意见', '继续保持'];
  for (const [i, problems] of a1.entries()) {
    await t.db.execute(sql`insert into ballots (round_id, reporter_id, category, grade, problems, suggestions) values
      (${roundId}, ${rep.A1}, 'members', 'good', ${problems}, ${i % 3 === 0 ? '希望继续保持' : null})`);
  }
  // Three ballots: below the minimum group of five, so none of their words may show anywhere.
  for (let i = 0; i < 3; i++) {
    await t.db.execute(
      sql`insert into ballots (round_id, reporter_id, category, grade, problems) values (${roundId}, ${rep.A2}, 'members', 'fair', ${A2_TEXT})`,
    );
  }
  // An unreleased round's texts do not count either.
  for (let i = 0; i < 6; i++) {
    await t.db.execute(
      sql`insert into ballots (round_id, reporter_id, category, grade, problems) values (${draftRound}, ${rep.A1}, 'members', 'good', '未公布轮次的意见不能出现')`,
    );
  }
});
afterEach(async () => t?.close());

/** The steps of the tests before, as they take them. */
const steps = {
  /** The grouping job has run over the released round. */
  async grouped() {
    expect((await s.townAdmin.post(`/api/campaigns/${campaignId}/themes/jobs`, {})).statusCode).toBe(200);
    await waitJob(s.townAdmin);
  },
  /** …and the evaluation is locked, so the secretaries see their own themes. */
  async locked() {
    await steps.grouped();
    await t.db.execute(
      sql`insert into evaluations (campaign_id, state, locked_at) values (${campaignId}, 'locked', now())`,
    );
  },
};

describe('R-VOTE-6 comment themes from released ballots to a draft rectification item', () => {
  it('refuses the grouping to anyone but the organizer, and a round that is not released', async () => {
    for (const who of ['secA1', 'observerA']) {
      const res = await s[who].post(`/api/campaigns/${campaignId}/themes/jobs`, {});
      expect(res.statusCode, who).toBe(403);
      expect(res.json().message).toMatch(/组织部门/);
    }
    expect((await s.adminB.post(`/api/campaigns/${campaignId}/themes/jobs`, {})).statusCode).toBe(404);
    const unreleased = await s.townAdmin.post(`/api/campaigns/${campaignId}/themes/jobs`, { roundId: draftRound });
    expect(unreleased.statusCode).toBe(409);
    expect(unreleased.json()).toMatchObject({ code: 'NOT_RELEASED', message: '该测评轮次尚未公布结果，不能归纳意见' });
    expect((await s.townAdmin.post(`/api/campaigns/${campaignId}/themes/jobs`, { roundId: 'x' })).statusCode).toBe(400);
  });

  it('groups the released texts in the background: themes, no-problem count, copies flagged, nothing below the minimum group', async () => {
    const start = await s.townAdmin.post(`/api/campaigns/${campaignId}/themes/jobs`, {});
    expect(start.statusCode, start.body).toBe(200);
    expect(start.json().state).toBe('running');
    const body = await waitJob(s.townAdmin);
    const r = body.result;
    expect(r.sources.ballot).toBe(LIFE.length + TRASH.length + MONEY.length + 4 + 3 + 8);
    // 无, 没有意见, 继续保持 and the eight 希望继续保持 suggestions.
    expect(r.noProblem).toBe(11);
    const labels = r.themes.map((x: { label: string }) => x.label).join('|');
    expect(labels).toContain('三会一课');
    expect(labels).toContain('垃圾');
    expect(labels).toContain('集体经济');
    const life = r.themes.find((x: { label: string }) => x.label.includes('三会一课'));
    expect(life.count).toBe(LIFE.length);
    expect(life.reporters).toEqual([
      { reporterId: rep.A1, orgId: tree.villageA1.id, orgName: tree.villageA1.name, count: LIFE.length },
    ]);
    for (const q of life.quotes) expect(LIFE).toContain(q);
    expect(r.copies).toEqual([{ text: COPY, count: 4, reporters: [{ orgName: tree.villageA1.name, count: 4 }] }]);
    const text = JSON.stringify(body);
    expect(text).not.toContain(A2_TEXT);
    expect(text).not.toContain('未公布轮次');
    // No ballot id travels with a theme.
    const ids = await queryRows<{ id: string }>(t.db, sql`select id::text from ballots`);
    for (const { id } of ids) expect(text).not.toContain(id);
    const audit = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where action = 'themes.job.start'`,
    );
    expect(audit[0].n).toBe(1);
  });

  it('shows one reporter its themes: the organizer at once, the own secretary only after the lock', async () => {
    await steps.grouped();
    const url = `/api/campaigns/${campaignId}/themes/reporters/${tree.villageA1.id}`;
    const org = await s.townAdmin.get(url);
    expect(org.statusCode, org.body).toBe(200);
    expect(org.json().themes.length).toBeGreaterThanOrEqual(3);
    const before = await s.secA1.get(url);
    expect(before.statusCode).toBe(403);
    expect(before.json().code).toBe('NOT_LOCKED');
    expect((await s.secA2.get(url)).statusCode).toBe(403);
    expect((await s.adminB.get(url)).statusCode).toBe(404);
    await t.db.execute(
      sql`insert into evaluations (campaign_id, state, locked_at) values (${campaignId}, 'locked', now())`,
    );
    const after = await s.secA1.get(url);
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json().copies).toEqual([{ text: COPY, count: 4, suspicious: true }]);
    // The reporter below the minimum group: no theme, no quote.
    const a2 = await s.townAdmin.get(`/api/campaigns/${campaignId}/themes/reporters/${tree.villageA2.id}`);
    expect(a2.statusCode).toBe(200);
    expect(a2.json()).toMatchObject({ total: 0, themes: [] });
  });

  it('downloads 群众评议意见归纳 (.docx) per reporter and all themes (.xlsx)', async () => {
    await steps.locked();
    const docx = await s.townAdmin.get(`/api/campaigns/${campaignId}/themes/reporters/${tree.villageA1.id}/docx`);
    expect(docx.statusCode, docx.body).toBe(200);
    const { value } = await mammoth.extractRawText({ buffer: docx.rawPayload });
    expect(value).toContain('群众评议意见归纳');
    expect(value).toContain('三会一课');
    expect(value).toContain('可能存在串通填写情况');
    const xlsx = await s.townAdmin.get(`/api/campaigns/${campaignId}/themes/xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['意见主题', '各单位主题', '内容雷同意见']);
    expect(String(wb.getWorksheet('意见主题')!.getRow(2).getCell(2).value)).not.toBe('');
    expect((await s.secA2.get(`/api/campaigns/${campaignId}/themes/xlsx`)).statusCode).toBe(403);
  });

  it("turns a theme into a draft in the organization's problem inbox, which the secretary accepts, merges or rejects", async () => {
    await steps.locked();
    const view = (await s.townAdmin.get(`/api/campaigns/${campaignId}/themes/reporters/${tree.villageA1.id}`)).json();
    const life = view.themes.find((x: { label: string }) => x.label.includes('三会一课'));
    const trash = view.themes.find((x: { label: string }) => x.label.includes('垃圾'));
    const money = view.themes.find((x: { label: string }) => x.label.includes('集体经济'));
    expect(
      (await s.secA1.post(`/api/campaigns/${campaignId}/themes/drafts`, { orgId: tree.villageA1.id, themeId: life.id }))
        .statusCode,
    ).toBe(403);
    const missing = await s.townAdmin.post(`/api/campaigns/${campaignId}/themes/drafts`, {
      orgId: tree.villageA1.id,
      themeId: 9999,
    });
    expect(missing.statusCode).toBe(404);
    const drafts: number[] = [];
    for (const theme of [life, trash, money]) {
      const res = await s.townAdmin.post(`/api/campaigns/${campaignId}/themes/drafts`, {
        orgId: tree.villageA1.id,
        themeId: theme.id,
      });
      expect(res.statusCode, res.body).toBe(200);
      drafts.push(res.json().id);
    }
    const again = await s.townAdmin.post(`/api/campaigns/${campaignId}/themes/drafts`, {
      orgId: tree.villageA1.id,
      themeId: life.id,
    });
    expect(again.statusCode).toBe(409);

    const inbox = (await s.secA1.get(`/api/campaigns/${campaignId}/rectification/inbox`)).json();
    const entry = inbox.entries.find((e: { key: string }) => e.key === `comment_theme:${drafts[0]}`);
    expect(entry).toMatchObject({ sourceType: 'comment_theme', sourceLabel: '群众意见归纳', itemId: null });
    expect(entry.text).toContain(`（${LIFE.length}条）`);
    expect(entry.text).toContain(life.quotes[0]);
    // Accept: the inbox's own "turn into item".
    const created = await s.secA1.post(`/api/campaigns/${campaignId}/rectification/items`, {
      orgId: tree.villageA1.id,
      fromKey: entry.key,
    });
    expect(created.statusCode, created.body).toBe(200);
    const { item } = (await s.secA1.get(`/api/rectification/items/${created.json().id}`)).json();
    expect(item).toMatchObject({ sourceType: 'comment_theme', status: 'not_started' });
    // Merge the second into that item; reject the third with a reason (an empty one is refused).
    expect((await s.secA1.post(`/api/theme-drafts/${drafts[1]}/merge`, { itemId: created.json().id })).statusCode).toBe(
      200,
    );
    const empty = await s.secA1.post(`/api/theme-drafts/${drafts[2]}/reject`, { reason: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('请填写不采纳的理由');
    expect((await s.secA2.post(`/api/theme-drafts/${drafts[2]}/reject`, { reason: '不是本村' })).statusCode).toBe(403);
    expect((await s.secA1.post(`/api/theme-drafts/${drafts[2]}/reject`, { reason: '已在自查中整改' })).statusCode).toBe(
      200,
    );
    expect((await s.secA1.post(`/api/theme-drafts/${drafts[2]}/reject`, { reason: '再次' })).statusCode).toBe(409);
    const after = (await s.secA1.get(`/api/campaigns/${campaignId}/rectification/inbox`)).json();
    const themed = after.entries.filter((e: { sourceType: string }) => e.sourceType === 'comment_theme');
    expect(themed.map((e: { key: string; itemId: number }) => [e.key, e.itemId])).toEqual([
      [`comment_theme:${drafts[0]}`, created.json().id],
      [`comment_theme:${drafts[1]}`, created.json().id],
    ]);
    const actions = await queryRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where action like 'themes.draft.%' order by id`,
    );
    expect(actions.map((a) => a.action)).toEqual([
      'themes.draft.create',
      'themes.draft.create',
      'themes.draft.create',
      'themes.draft.merge',
      'themes.draft.reject',
    ]);
  });

  it("offers the largest themes as next year's key content (R-CAMP-1)", async () => {
    await steps.locked();
    const res = await s.townAdmin.get(`/api/campaigns/${campaignId}/themes/suggestions`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().year).toBe(2026);
    expect(
      res
        .json()
        .suggestions.map((x: { text: string }) => x.text)
        .join(''),
    ).toContain('2026年度述职重点内容');
  });
});

describe("R-VOTE-6 a county's themes take in its townships' rounds", () => {
  it("groups a township round's texts in the county campaign, and a draft lands in the village's own round", async () => {
    await buildUser(t.db, { username: 'countyAdmin', role: 'org_admin', scopeOrgId: tree.countyA.id });
    const county = await signIn(t.app, 'countyAdmin');
    const top = await buildCampaign(t.db, {
      organizerOrgId: tree.countyA.id,
      templateId: '002',
      year: 2026,
      state: 'published',
      reporterOrgIds: [tree.townA.id],
      open: ['rectification'],
    });
    const sub = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2026,
      state: 'published',
      parentId: top.id,
      reporterOrgIds: [tree.villageA1.id],
      open: ['rectification'],
    });
    const [{ id: reporterId }] = await queryRows<{ id: number }>(
      t.db,
      sql`select id from campaign_reporters where campaign_id = ${sub.id} and org_id = ${tree.villageA1.id}`,
    );
    const [{ id: round }] = await queryRows<{ id: number }>(
      t.db,
      sql`
      insert into ballot_rounds (meeting_id, mode, state, room_code, anonymity)
      values (${(await buildMeeting(t.db, { campaignId: sub.id })).id}, 'real', 'released', 'ROOM3', ${JSON.stringify({ minGroupSize: 5, categories: [{ key: 'members', label: '党员' }] })}::jsonb) returning id`,
    );
    for (const problems of [...TRASH, ...TRASH]) {
      await t.db.execute(
        sql`insert into ballots (round_id, reporter_id, category, grade, problems) values (${round}, ${reporterId}, 'members', 'good', ${problems})`,
      );
    }

    expect((await county.post(`/api/campaigns/${top.id}/themes/jobs`, {})).statusCode).toBe(200);
    let body: {
      job?: { state: string };
      result?: { reporters: Array<{ orgId: number; total: number }>; themes: Array<{ label: string; count: number }> };
    } = {};
    for (let i = 0; i < 600 && body.job?.state !== 'done'; i++) {
      body = (await county.get(`/api/campaigns/${top.id}/themes`)).json();
      if (body.job?.state === 'failed') throw new Error(JSON.stringify(body.job));
      if (body.job?.state !== 'done') await new Promise((r) => setTimeout(r, 100));
    }
    expect(body.result!.reporters).toContainEqual(
      expect.objectContaining({ orgId: tree.villageA1.id, total: TRASH.length * 2 }),
    );
    const trash = body.result!.themes.find((x) => x.label.includes('垃圾'));
    expect(trash?.count).toBeGreaterThanOrEqual(TRASH.length); // the repeated texts also form copy groups

    const view = (await county.get(`/api/campaigns/${top.id}/themes/reporters/${tree.villageA1.id}`)).json();
    const theme = view.themes.find((x: { label: string }) => x.label.includes('垃圾'));
    const made = await county.post(`/api/campaigns/${top.id}/themes/drafts`, {
      orgId: tree.villageA1.id,
      themeId: theme.id,
    });
    expect(made.statusCode, made.body).toBe(200);
    const [draft] = await queryRows<{ campaign_id: number; reporter_id: number }>(
      t.db,
      sql`select campaign_id, reporter_id from theme_drafts where id = ${made.json().id}`,
    );
    expect(draft).toEqual({ campaign_id: sub.id, reporter_id: reporterId });
    const inbox = (await s.secA1.get(`/api/campaigns/${sub.id}/rectification/inbox`)).json();
    expect(inbox.entries.map((e: { key: string }) => e.key)).toContain(`comment_theme:${made.json().id}`);
  });
});
