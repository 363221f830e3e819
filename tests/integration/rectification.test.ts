import mammoth from 'mammoth';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/connect';
import { buildCampaign, buildMeeting, buildOrg, buildUser, setupTestApp, signIn, type Session } from '../factories';
import { goodSections, patchSettings, upload } from './reports-helpers';

/** Sets a campaign's publication audience (R-REP-7 setting); returns the one it had. */
async function patchAudience(id: number, audience: string) {
  let was = '';
  await patchSettings(t.db, id, (x) => {
    was = x.report.publicationAudience;
    x.report.publicationAudience = audience as typeof x.report.publicationAudience;
  });
  return was;
}

/**
 * Every test starts from its own two counties, accounts and two published 003 rounds (beforeEach) in the file's
 * database, and builds the items it needs with the helpers below (`upTo`, `priorItems`), so the tests run in any order
 * (decision 024). Counts of whole tables are taken before and after a step inside one test, so other tests' rows in the
 * same database do not change them.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildCounties>>;
let s: Record<string, Session> = {};
let users: Record<string, string> = {};
let campaignId = 0;
let campaignB = 0;
const rep: Record<string, number> = {};
let worlds = 0;

const count = async (table: string, where = 'true') =>
  (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`)))[0].n;
const one = async <T>(q: ReturnType<typeof sql>) => (await queryRows<T>(t.db, q))[0];
const reporterOf = async (campaign: number, orgId: number) =>
  (
    await one<{ id: number }>(
      sql`select id from campaign_reporters where campaign_id = ${campaign} and org_id = ${orgId}`,
    )
  ).id;
const shanghaiNoon = (day: string) => new Date(`${day}T04:00:00Z`);

interface Entry {
  key: string;
  sourceType: string;
  sourceId: number | null;
  text: string;
  itemId: number | null;
}
const inbox = async (who: Session, orgId?: number) => {
  const res = await who.get(`/api/campaigns/${campaignId}/rectification/inbox${orgId ? `?orgId=${orgId}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { entries: Entry[]; pending: number };
};
const createItem = (who: Session, body: Record<string, unknown>, campaign = campaignId) =>
  who.post(`/api/campaigns/${campaign}/rectification/items`, body);
const item = async (who: Session, id: number) => {
  const res = await who.get(`/api/rectification/items/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const act = (who: Session, id: number, action: string, note?: string) =>
  who.post(`/api/rectification/items/${id}/actions`, note ? { action, note } : { action });
const verify = (who: Session, id: number, body: Record<string, unknown>) =>
  who.post(`/api/rectification/items/${id}/verifications`, body);

/** A complete item of villageA1 made by hand (巡察 feedback), ready to start. */
async function manualItem(who: Session, o: Record<string, unknown> = {}) {
  const res = await createItem(who, {
    orgId: tree.villageA1.id,
    description: '巡察反馈：“三会一课”记录不规范',
    owner: '张书记',
    responsibleLeader: '李镇长',
    measures: '逐月检查会议记录',
    deadline: '2025-12-31',
    ...o,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id as number;
}

/** buildTwoCounties's tree (same names) with the organization codes suffixed, so each test builds its own. */
async function buildCounties(n: number) {
  const org = (o: Parameters<typeof buildOrg>[1] & { code: string }) =>
    buildOrg(t.db, { ...o, code: `${o.code}-R${n}` });
  const countyA = await org({ name: '甲县委', code: 'A', kind: 'committee', sector: 'organ', level: 'county' });
  const townA = await org({
    parent: countyA,
    name: '甲一镇党委',
    code: 'A-T1',
    kind: 'committee',
    level: 'township',
  });
  const villageA1 = await org({ parent: townA, name: '甲一镇东村党支部', code: 'A-T1-V1' });
  const villageA2 = await org({ parent: townA, name: '甲一镇西村党支部', code: 'A-T1-V2' });
  const countyB = await org({ name: '乙县委', code: 'B', kind: 'committee', sector: 'organ', level: 'county' });
  const townB = await org({
    parent: countyB,
    name: '乙一镇党委',
    code: 'B-T1',
    kind: 'committee',
    level: 'township',
  });
  const villageB1 = await org({ parent: townB, name: '乙一镇南村党支部', code: 'B-T1-V1' });
  return { countyA, townA, villageA1, villageA2, countyB, townB, villageB1 };
}

beforeAll(async () => {
  // Sessions must outlive the clock jumps of the overdue tests; every test signs its own accounts in.
  t = await setupTestApp({
    start: shanghaiNoon('2025-11-20'),
    config: { idleTimeoutMinutes: 60 * 24 * 365, loginRatePerMinute: 10_000 },
  });
});
afterAll(async () => t?.close());

beforeEach(async () => {
  const n = ++worlds;
  t.clock.set(shanghaiNoon('2025-11-20'));
  tree = await buildCounties(n);
  const accounts = {
    townAdmin: { role: 'org_admin', scopeOrgId: tree.townA.id },
    countyAdmin: { role: 'org_admin', scopeOrgId: tree.countyA.id },
    adminB: { role: 'org_admin', scopeOrgId: tree.countyB.id },
    leaderA: { role: 'leader', scopeOrgId: tree.townA.id },
    observerA: { role: 'observer', scopeOrgId: tree.townA.id },
    auditor: { role: 'auditor', scopeOrgId: tree.countyA.id },
    secA1: { role: 'secretary', orgId: tree.villageA1.id },
    secA2: { role: 'secretary', orgId: tree.villageA2.id },
    secB1: { role: 'secretary', orgId: tree.villageB1.id },
  } as const;
  s = {};
  users = {};
  for (const [key, o] of Object.entries(accounts)) {
    users[key] = `${key}_${n}`;
    await buildUser(t.db, { username: users[key], ...o });
    s[key] = await signIn(t.app, users[key]);
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
  campaignB = (
    await buildCampaign(t.db, {
      organizerOrgId: tree.townB.id,
      templateId: '003',
      year: 2025,
      state: 'published',
      reporterOrgIds: [tree.villageB1.id],
      open: ['rectification'],
    })
  ).id;
  rep.A1 = await reporterOf(campaignId, tree.villageA1.id);
  rep.A2 = await reporterOf(campaignId, tree.villageA2.id);
  rep.B1 = await reporterOf(campaignB, tree.villageB1.id);
});

/**
 * The life of one 巡察 item of villageA1 (due 2025-12-01) as the status-transition tests walk it, step by step; each
 * step checks its own outcome. `upTo(step)` replays the steps through `step` and returns the item's id.
 */
const STEPS = ['started', 'overdue', 'submitted', 'closed', 'reopened'] as const;
type Step = (typeof STEPS)[number];
async function upTo(last: Step) {
  const id = await manualItem(s.secA1, { deadline: '2025-12-01' });
  for (const step of STEPS.slice(0, STEPS.indexOf(last) + 1)) {
    if (step === 'started') {
      expect((await act(s.secA1, id, 'start')).json().status).toBe('in_progress');
      const progress = await s.secA1.post(`/api/rectification/items/${id}/progress`, {
        note: '已整理两个月记录',
        percent: 60,
      });
      expect(progress.statusCode, progress.body).toBe(200);
    } else if (step === 'overdue') {
      t.clock.set(shanghaiNoon('2025-12-02'));
      expect((await item(s.secA1, id)).item.overdue).toBe(true);
    } else if (step === 'submitted') {
      expect((await act(s.secA1, id, 'submit')).json().status).toBe('pending_verification');
    } else if (step === 'closed') {
      expect((await verify(s.townAdmin, id, { result: 'fail', note: '记录仍不完整' })).json().status).toBe(
        'in_progress',
      );
      const ok = await upload(
        s.secA1,
        `/api/rectification/items/${id}/evidence`,
        Buffer.from('%PDF-1.4 记录'),
        '会议记录.pdf',
        'application/pdf',
      );
      expect(ok.statusCode, ok.body).toBe(200);
      expect((await act(s.secA1, id, 'submit')).json().status).toBe('pending_verification');
      const pass = await verify(s.townAdmin, id, { result: 'pass', evidenceIds: [ok.json().id], note: '记录齐全' });
      expect(pass.statusCode, pass.body).toBe(200);
    } else {
      const res = await verify(s.townAdmin, id, { result: 'reopen', note: '群众反映问题反弹' });
      expect(res.statusCode, res.body).toBe(200);
    }
  }
  return id;
}

/**
 * The items of villageA1 the later tests find when the file runs in order: the 巡察 item verified and reopened (its
 * follow-up in progress), and an open 巡察 item due 2025-12-31. The clock is left on 2025-12-02.
 */
async function priorItems() {
  await upTo('reopened');
  await manualItem(s.townAdmin, { description: '巡察反馈：村级财务公开不及时' });
}

describe('R-FIX-1 problem inbox: every source lands in one list per organization', () => {
  let meetingId = 0;
  // Each test its own sources of villageA1 (and a comment and ballots of villageA2) in its own campaign.
  beforeEach(async () => {
    meetingId = (await buildMeeting(t.db, { campaignId })).id;
    const [a1] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into meeting_agenda_items (meeting_id, reporter_id, position) values (${meetingId}, ${rep.A1}, 1) returning id`,
    );
    const [a2] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into meeting_agenda_items (meeting_id, reporter_id, position) values (${meetingId}, ${rep.A2}, 2) returning id`,
    );
    await t.db.execute(sql`insert into meeting_comments (meeting_id, agenda_item_id, kind, author_name, author_role, body) values
      (${meetingId}, ${a1.id}, 'comment', '王某', '镇党委书记', '发展党员工作断档，后备力量不足'),
      (${meetingId}, ${a1.id}, 'question', '王某', '镇党委书记', '这是提问，不是点评'),
      (${meetingId}, ${a2.id}, 'comment', '王某', '镇党委书记', '西村的问题，不该出现在东村')`);
    // A released real round: five ballots for A1 (reaches the minimum group of 5), two for A2 (hidden).
    const [round] = await queryRows<{ id: number }>(
      t.db,
      sql`
      insert into ballot_rounds (meeting_id, mode, state, room_code, anonymity)
      values (${meetingId}, 'real', 'released', 'ROOM', ${JSON.stringify({ minGroupSize: 5, categories: [{ key: 'members', label: '党员' }] })}::jsonb) returning id`,
    );
    for (let i = 0; i < 5; i++) {
      await t.db.execute(sql`insert into ballots (round_id, reporter_id, category, grade, problems) values
        (${round.id}, ${rep.A1}, 'members', 'good', ${i < 2 ? `村务公开不及时${i}` : null})`);
    }
    for (let i = 0; i < 2; i++) {
      await t.db.execute(
        sql`insert into ballots (round_id, reporter_id, category, grade, problems) values (${round.id}, ${rep.A2}, 'members', 'fair', '西村小组意见')`,
      );
    }
    // A failed checklist item with its note.
    const [cl] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into checklists (campaign_id, title) values (${campaignId}, '村级细则') returning id`,
    );
    const [ci] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into checklist_items (checklist_id, section, position, title, max_points, method) values (${cl.id}, '组织建设', 1, '党员活动室规范使用', 5, 'site') returning id`,
    );
    await t.db.execute(
      sql`insert into field_scores (reporter_id, item_id, score, failed, note, scored_at) values (${rep.A1}, ${ci.id}, 1, true, '活动室堆放杂物', now())`,
    );
    // A closed survey: 2 of 6 answers 不满意 on the first item (33%), none on the second.
    const [sv] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into surveys (campaign_id, title, state, sample_size) values (${campaignId}, '满意度', 'closed', 6) returning id`,
    );
    const [q1] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into survey_items (survey_id, position, text) values (${sv.id}, 1, '为民办实事') returning id`,
    );
    const [q2] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into survey_items (survey_id, position, text) values (${sv.id}, 2, '班子团结') returning id`,
    );
    for (let i = 0; i < 6; i++) {
      const answers = { [q1.id]: i < 2 ? 'dissatisfied' : 'satisfied', [q2.id]: 'satisfied' };
      await t.db.execute(
        sql`insert into survey_responses (survey_id, reporter_id, answers, source) values (${sv.id}, ${rep.A1}, ${JSON.stringify(answers)}::jsonb, 'link')`,
      );
    }
    // An unannounced visit's problem, and a submitted report with its 突出问题 section.
    const [visit] = await queryRows<{ id: number }>(
      t.db,
      sql`
      insert into research_visits (campaign_id, org_id, visited_on, visitors, seen, author_id)
      values (${campaignId}, ${tree.villageA1.id}, '2025-11-10', '组织委员', '走访', (select id from users where username = ${users.townAdmin})) returning id`,
    );
    await t.db.execute(
      sql`insert into visit_problems (visit_id, campaign_id, org_id, position, text, source_id) values (${visit.id}, ${campaignId}, ${tree.villageA1.id}, 1, '党务公开栏内容陈旧', ${visit.id})`,
    );
    await t.db.execute(sql`insert into reports (reporter_id, campaign_id, org_id, state, sections) values
      (${rep.A1}, ${campaignId}, ${tree.villageA1.id}, 'submitted', ${JSON.stringify(goodSections(0))}::jsonb)`);
  });

  it("lists comments, released ballot texts, failed field items, dissatisfied survey items, visits and the report's 突出问题", async () => {
    const { entries } = await inbox(s.secA1);
    const by = (type: string) => entries.filter((e) => e.sourceType === type);
    expect(by('comment').map((e) => e.text)).toEqual(['发展党员工作断档，后备力量不足']);
    expect(
      by('ballot_text')
        .map((e) => e.text)
        .sort(),
    ).toEqual(['村务公开不及时0', '村务公开不及时1']);
    expect(by('field_item').map((e) => e.text)).toEqual(['党员活动室规范使用：活动室堆放杂物']);
    expect(by('survey_item')).toHaveLength(1);
    expect(by('survey_item')[0].text).toContain('为民办实事');
    expect(by('research_visit').map((e) => e.text)).toEqual(['党务公开栏内容陈旧']);
    expect(by('self_review').length).toBe(5); // 一是 … 五是
    expect(by('self_review')[0].text).toMatch(/^一是理论学习不够深入/);
    expect(entries.every((e) => e.itemId === null)).toBe(true);
  });

  it("never shows ballot texts below the round's minimum group size, nor of an unreleased round", async () => {
    const a2 = await inbox(s.townAdmin, tree.villageA2.id);
    expect(a2.entries.filter((e) => e.sourceType === 'ballot_text')).toEqual([]);
    expect(a2.entries.map((e) => e.text)).toContain('西村的问题，不该出现在东村');
    await t.db.execute(sql`update ballot_rounds set state = 'closed' where meeting_id = ${meetingId}`);
    expect((await inbox(s.secA1)).entries.filter((e) => e.sourceType === 'ballot_text')).toEqual([]);
    await t.db.execute(sql`update ballot_rounds set state = 'released' where meeting_id = ${meetingId}`);
  });

  it('"turn into item" copies the source; a second time is refused; the inbox points to the item; audited', async () => {
    const { entries } = await inbox(s.secA1);
    const comment = entries.find((e) => e.sourceType === 'comment')!;
    const ballot = entries.find((e) => e.sourceType === 'ballot_text')!;
    const audits = await count('audit_log', `action = 'rectification.item.create'`);
    const res = await createItem(s.secA1, { orgId: tree.villageA1.id, fromKey: comment.key });
    expect(res.statusCode, res.body).toBe(200);
    const row = await one<{ source_type: string; source_id: number; source_text: string; description: string }>(
      sql`select * from rectification_items where id = ${res.json().id}`,
    );
    expect(row).toMatchObject({
      source_type: 'comment',
      source_id: comment.sourceId,
      source_text: comment.text,
      description: comment.text,
    });
    const again = await createItem(s.secA1, { orgId: tree.villageA1.id, fromKey: comment.key });
    expect([again.statusCode, again.json().code]).toEqual([409, 'ALREADY_ITEM']);
    expect(again.json().message).toMatch(/已转为整改事项/);
    const b = await createItem(s.secA1, {
      orgId: tree.villageA1.id,
      fromKey: ballot.key,
      description: '村务公开不及时，群众有意见',
    });
    expect(b.statusCode, b.body).toBe(200);
    const after = await inbox(s.secA1);
    expect(after.entries.find((e) => e.key === comment.key)!.itemId).toBe(res.json().id);
    expect(after.entries.find((e) => e.key === ballot.key)!.itemId).toBe(b.json().id);
    expect(await count('audit_log', `action = 'rectification.item.create'`)).toBe(audits + 2);
    expect((await createItem(s.secA1, { orgId: tree.villageA1.id, fromKey: 'comment:999999' })).statusCode).toBe(404);
  });

  it('manual entry of 巡察 feedback by the upper level shows in the inbox as its own item', async () => {
    const id = await manualItem(s.townAdmin, { description: '巡察反馈：村级财务公开不及时' });
    const { entries } = await inbox(s.secA1);
    expect(entries.find((e) => e.sourceType === 'inspection' && e.itemId === id)?.text).toBe(
      '巡察反馈：村级财务公开不及时',
    );
  });

  it("the inbox is denied across counties, to another village's secretary and to the auditor", async () => {
    for (const who of ['adminB', 'secA2', 'secB1', 'auditor']) {
      const res = await s[who].get(`/api/campaigns/${campaignId}/rectification/inbox?orgId=${tree.villageA1.id}`);
      expect(res.statusCode, who).toBe(['adminB', 'secB1'].includes(who) ? 404 : 403);
    }
  });
});

describe('R-FIX-2 items: bad input is refused in Chinese and saves nothing', () => {
  it('a deadline before creation, a missing problem, an unknown organization or one outside the campaign', async () => {
    const before = await count('rectification_items');
    const audits = await count('audit_log');
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [
        { orgId: tree.villageA1.id, description: '问题', deadline: '2025-11-19' },
        400,
        'VALIDATION',
        /整改时限（2025年11月19日）不能早于创建日期（2025年11月20日）/,
      ],
      [{ orgId: tree.villageA1.id, description: '   ' }, 400, 'VALIDATION', /问题不能为空/],
      [{ orgId: tree.villageA1.id, description: '问题', deadline: '2025-02-30' }, 400, 'VALIDATION', /./],
      [{ orgId: tree.villageB1.id, description: '问题' }, 403, 'FORBIDDEN', /./],
      [{ orgId: tree.townA.id, description: '问题' }, 400, 'VALIDATION', /不是本次述职评议考核的述职对象/],
      [{ orgId: tree.villageA1.id, description: '问题', evidenceRequired: false }, 403, 'FORBIDDEN', /免予提交佐证/],
      [{ orgId: tree.villageA1.id, description: '问题', extra: 1 }, 400, 'VALIDATION', /./],
    ];
    for (const [body, status, code, msg] of cases) {
      const res = await createItem(body.orgId === tree.townA.id ? s.townAdmin : s.secA1, body);
      expect([res.statusCode, res.json().code], JSON.stringify(body)).toEqual([status, code]);
      expect(res.json().message).toMatch(msg);
    }
    expect(await count('rectification_items')).toBe(before);
    expect(await count('audit_log')).toBe(audits);
  });

  it('开始整改 needs owner, measures and deadline; editing the deadline to before creation is refused', async () => {
    const res = await createItem(s.secA1, { orgId: tree.villageA1.id, description: '软弱涣散' });
    const id = res.json().id;
    const start = await act(s.secA1, id, 'start');
    expect([start.statusCode, start.json().message]).toEqual([400, '责任人不能为空']);
    const early = await s.secA1.patch(`/api/rectification/items/${id}`, { deadline: '2025-11-01' });
    expect(early.statusCode).toBe(400);
    expect(early.json().message).toContain('不能早于创建日期');
    expect((await item(s.secA1, id)).item.deadline).toBeNull();
    expect((await item(s.secA1, id)).item.status).toBe('not_started');
    // Deleting a fresh item is fine; the list no longer has it.
    expect((await s.secA1.delete(`/api/rectification/items/${id}`)).statusCode).toBe(200);
    expect(await count('rectification_items', `id = ${id}`)).toBe(0);
  });
});

describe('R-FIX-2 status transitions, overdue on the injected clock, verification records', () => {
  it('start → progress with percent → submit; a progress note before starting is refused', async () => {
    const id = await manualItem(s.secA1, { deadline: '2025-12-01' });
    const early = await s.secA1.post(`/api/rectification/items/${id}/progress`, { note: '已整理', percent: 10 });
    expect([early.statusCode, early.json().message]).toEqual([409, '请先“开始整改”再填报进展']);
    expect((await act(s.secA1, id, 'start')).json().status).toBe('in_progress');
    expect(
      (await s.secA1.post(`/api/rectification/items/${id}/progress`, { note: '已整理两个月记录', percent: 60 }))
        .statusCode,
    ).toBe(200);
    expect(
      (await s.secA1.post(`/api/rectification/items/${id}/progress`, { note: 'x', percent: 101 })).statusCode,
    ).toBe(400);
    const d = await item(s.secA1, id);
    expect([d.item.progress, d.item.statusLabel, d.item.overdue]).toEqual([60, '整改中', false]);
    expect(d.timeline.map((x: { note: string }) => x.note)).toEqual(['开始整改', '已整理两个月记录']);
  });

  it('the day after the deadline the item is overdue (red), listed for the upper level; not on the deadline itself', async () => {
    const id = await upTo('started');
    t.clock.set(shanghaiNoon('2025-12-01'));
    expect((await item(s.secA1, id)).item.overdue).toBe(false);
    t.clock.set(shanghaiNoon('2025-12-02'));
    const d = await item(s.secA1, id);
    expect([d.item.overdue, d.item.statusLabel]).toEqual([true, '整改中（已逾期）']);
    const escalated = (
      await s.countyAdmin.get(`/api/rectification/items?overdue=true&campaignId=${campaignId}`)
    ).json();
    expect(escalated.items.map((i: { id: number }) => i.id)).toContain(id);
    expect(escalated.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    expect(escalated.items.find((i: { id: number }) => i.id === id).upperOrgName).toBe('甲一镇党委');
    expect(escalated.summary.overdue).toBeGreaterThanOrEqual(1);
    const notOverdue = (
      await s.countyAdmin.get(`/api/rectification/items?overdue=false&campaignId=${campaignId}`)
    ).json();
    expect(notOverdue.items.map((i: { id: number }) => i.id)).not.toContain(id);
  });

  it('closing an item that is not 待验收 is a Chinese 409 and writes no verification', async () => {
    const id = await upTo('overdue');
    const before = await count('rectification_verifications');
    const res = await verify(s.townAdmin, id, { result: 'pass', evidence: '已查看' });
    expect([res.statusCode, res.json().code]).toEqual([409, 'TRANSITION_REFUSED']);
    expect(res.json().message).toBe('只有“待验收”的整改事项才能验收销号，该事项当前为“整改中”');
    expect(await count('rectification_verifications')).toBe(before);
  });

  it('the secretary cannot verify their own item; pass without evidence is refused where evidence is required', async () => {
    const id = await upTo('overdue');
    expect((await act(s.secA1, id, 'submit')).json().status).toBe('pending_verification');
    expect((await item(s.secA1, id)).item.overdue).toBe(true); // 待验收 is not closed yet
    const before = await count('rectification_verifications');
    expect((await verify(s.secA1, id, { result: 'pass', evidence: '自查' })).statusCode).toBe(403);
    expect((await verify(s.observerA, id, { result: 'pass', evidence: '看过' })).statusCode).toBe(403);
    expect((await verify(s.adminB, id, { result: 'pass', evidence: '看过' })).statusCode).toBe(404);
    const bare = await verify(s.townAdmin, id, { result: 'pass' });
    expect([bare.statusCode, bare.json().message]).toEqual([400, '验收销号须注明或选择佐证材料（该事项要求提供佐证）']);
    const fail = await verify(s.townAdmin, id, { result: 'fail' });
    expect([fail.statusCode, fail.json().message]).toEqual([400, '退回整改须填写验收意见']);
    expect(await count('rectification_verifications')).toBe(before);
    expect((await item(s.secA1, id)).item.status).toBe('pending_verification');
  });

  it('fail sends back; evidence uploaded (type/size checked); pass closes with the files cited', async () => {
    const id = await upTo('submitted');
    const back = await verify(s.townAdmin, id, { result: 'fail', note: '记录仍不完整' });
    expect(back.json().status).toBe('in_progress');
    const bad = await upload(s.secA1, `/api/rectification/items/${id}/evidence`, Buffer.from('MZ'), 'virus.exe');
    expect([bad.statusCode, bad.json().message]).toEqual([
      400,
      '佐证材料类型不支持：可上传图片（jpg/png等）、PDF或Office文档',
    ]);
    const big = await upload(
      s.secA1,
      `/api/rectification/items/${id}/evidence`,
      Buffer.alloc(10 * 1024 * 1024 + 1, 1),
      'big.pdf',
      'application/pdf',
    );
    expect(big.statusCode).toBe(413);
    const ok = await upload(
      s.secA1,
      `/api/rectification/items/${id}/evidence`,
      Buffer.from('%PDF-1.4 记录'),
      '会议记录.pdf',
      'application/pdf',
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await count('rectification_evidence', `item_id = ${id}`)).toBe(1);
    await act(s.secA1, id, 'submit');
    const other = await verify(s.townAdmin, id, { result: 'pass', evidenceIds: [999999] });
    expect(other.statusCode).toBe(400);
    const pass = await verify(s.townAdmin, id, { result: 'pass', evidenceIds: [ok.json().id], note: '记录齐全' });
    expect(pass.statusCode, pass.body).toBe(200);
    const d = await item(s.observerA, id);
    expect([d.item.status, d.item.statusLabel, d.item.overdue, d.item.progress]).toEqual([
      'closed',
      '已销号',
      false,
      100,
    ]);
    expect(
      d.timeline.filter((x: { kind: string }) => x.kind === 'verification').map((x: { result: string }) => x.result),
    ).toEqual(['fail', 'pass']);
    expect(d.timeline.at(-1).evidence).toContain('会议记录.pdf');
    const file = await s.townAdmin.get(`/api/rectification/items/${id}/evidence/${ok.json().id}`);
    expect(file.rawPayload.toString()).toBe('%PDF-1.4 记录');
    expect((await s.secA2.get(`/api/rectification/items/${id}/evidence/${ok.json().id}`)).statusCode).toBe(404);
    // A closed item is a record: no edits, no progress.
    expect((await s.secA1.patch(`/api/rectification/items/${id}`, { owner: '别人' })).statusCode).toBe(409);
    expect((await s.secA1.post(`/api/rectification/items/${id}/progress`, { note: '再改' })).statusCode).toBe(409);
    expect(
      await count(
        'audit_log',
        `action in ('rectification.verify.pass', 'rectification.verify.fail') and target_id = '${id}'`,
      ),
    ).toBe(2);
  });

  it('reopen is a new verification record and a new item pointing back; the closed one stays closed', async () => {
    const id = await upTo('closed');
    const res = await verify(s.townAdmin, id, { result: 'reopen', note: '群众反映问题反弹' });
    expect(res.statusCode, res.body).toBe(200);
    const d = await item(s.townAdmin, id);
    expect(d.item.status).toBe('closed');
    expect(d.reopenedAs).toEqual([res.json().newItemId]);
    const fresh = await item(s.secA1, res.json().newItemId);
    expect([fresh.item.status, fresh.item.sourceType, fresh.item.sourceText]).toEqual([
      'in_progress',
      'reopen',
      '群众反映问题反弹',
    ]);
  });

  it('verification records are append-only: the database refuses UPDATE and DELETE', async () => {
    const id = await upTo('reopened');
    const [v] = await queryRows<{ id: number }>(
      t.db,
      sql`select id from rectification_verifications where item_id = ${id} order by id limit 1`,
    );
    await expect(
      t.db.execute(sql`update rectification_verifications set result = 'pass' where id = ${v.id}`),
    ).rejects.toThrow();
    await expect(t.db.execute(sql`delete from rectification_verifications where id = ${v.id}`)).rejects.toThrow();
    expect(
      (await one<{ result: string }>(sql`select result from rectification_verifications where id = ${v.id}`)).result,
    ).toBe('fail');
  });

  it("sub-items roll up into the parent by weight; the parent's own percent is refused", async () => {
    const parent = await manualItem(s.secA1, { description: '阵地建设不规范', deadline: '2026-03-31' });
    await act(s.secA1, parent, 'start');
    const sub = async (weight: number) =>
      (
        await createItem(s.secA1, {
          orgId: tree.villageA1.id,
          parentId: parent,
          weight,
          description: `子项${weight}`,
          owner: '张',
          measures: '改',
          deadline: '2026-03-01',
        })
      ).json().id as number;
    const a = await sub(3);
    const b = await sub(1);
    await act(s.secA1, a, 'start');
    await act(s.secA1, b, 'start');
    await s.secA1.post(`/api/rectification/items/${a}/progress`, { note: '完成', percent: 100 });
    await s.secA1.post(`/api/rectification/items/${b}/progress`, { note: '刚开始', percent: 20 });
    const d = await item(s.secA1, parent);
    expect(d.item.progress).toBe(80); // (3×100 + 1×20) / 4
    expect(d.subItems.map((x: { id: number }) => x.id)).toEqual([a, b]);
    const own = await s.secA1.post(`/api/rectification/items/${parent}/progress`, { note: '整体', percent: 50 });
    expect(own.statusCode).toBe(400);
    const submit = await act(s.secA1, parent, 'submit');
    expect([submit.statusCode, submit.json().code]).toEqual([409, 'SUB_ITEMS_OPEN']);
    // An overdue sub-item is escalated itself; the normal list keeps sub-items under their item.
    t.clock.set(shanghaiNoon('2026-03-02'));
    const escalated = (
      await s.townAdmin.get(`/api/rectification/items?overdue=true&campaignId=${campaignId}&limit=500`)
    )
      .json()
      .items.map((i: { id: number }) => i.id);
    expect(escalated).toEqual(expect.arrayContaining([a, b]));
    expect(escalated).not.toContain(parent); // due 2026-03-31
    const all = (await s.townAdmin.get(`/api/rectification/items?campaignId=${campaignId}&limit=500`))
      .json()
      .items.map((i: { id: number }) => i.id);
    expect(all).toContain(parent);
    expect(all).not.toContain(a);
    t.clock.set(shanghaiNoon('2025-12-02'));
  });
});

describe('R-FIX-3 commitments (公开承诺) and the progress 通报', () => {
  it('a commitment for another organization is a Chinese 403 and saves nothing', async () => {
    const before = await count('commitments');
    const res = await s.secA1.post(`/api/campaigns/${campaignId}/commitments`, {
      orgId: tree.villageA2.id,
      content: '替西村承诺',
    });
    expect([res.statusCode, res.json().message]).toEqual([403, '只能为本组织起草公开承诺，不能替其他党组织作出承诺']);
    expect(
      (
        await s.townAdmin.post(`/api/campaigns/${campaignId}/commitments`, {
          orgId: tree.villageA1.id,
          content: '代写',
        })
      ).statusCode,
    ).toBe(403);
    expect((await s.secA1.post(`/api/campaigns/${campaignId}/commitments`, { content: '  ' })).statusCode).toBe(400);
    expect(await count('commitments')).toBe(before);
  });

  it("draft → filed → returned → filed → acknowledged → published to the campaign's audience", async () => {
    await priorItems();
    const created = await s.secA1.post(`/api/campaigns/${campaignId}/commitments`, {
      content: '一、年底前完成阵地改造。',
    });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json().id;
    expect((await s.secA1.post(`/api/commitments/${id}/file`)).json().state).toBe('filed');
    expect((await s.secA1.patch(`/api/commitments/${id}`, { content: '改' })).statusCode).toBe(409);
    // Only the organizer's organization department reviews.
    expect((await s.adminB.post(`/api/commitments/${id}/review`, { action: 'acknowledge' })).statusCode).toBe(404);
    expect((await s.secA1.post(`/api/commitments/${id}/review`, { action: 'acknowledge' })).statusCode).toBe(403);
    expect((await s.townAdmin.post(`/api/commitments/${id}/review`, { action: 'return' })).statusCode).toBe(400);
    expect(
      (await s.townAdmin.post(`/api/commitments/${id}/review`, { action: 'return', reason: '请写明时限' })).json()
        .state,
    ).toBe('returned');
    expect(
      (await s.secA1.patch(`/api/commitments/${id}`, { content: '一、2026年3月底前完成阵地改造。' })).statusCode,
    ).toBe(200);
    await s.secA1.post(`/api/commitments/${id}/file`);
    // Before publication another village's secretary does not see it; the town admin does.
    expect((await s.secA2.get(`/api/campaigns/${campaignId}/commitments`)).json().items).toEqual([]);
    expect((await s.townAdmin.get(`/api/campaigns/${campaignId}/commitments`)).json().items[0].canReview).toBe(true);
    expect((await s.townAdmin.post(`/api/commitments/${id}/review`, { action: 'acknowledge' })).json().state).toBe(
      'acknowledged',
    );
    expect((await s.secA1.post(`/api/campaigns/${campaignId}/commitments/publish`)).statusCode).toBe(403);
    expect((await s.townAdmin.post(`/api/campaigns/${campaignId}/commitments/publish`)).json().published).toBe(1);
    // Template 003 publishes to 参加述职评议考核的各基层党组织: the other village reads it, another county does not.
    const seen = (await s.secA2.get(`/api/campaigns/${campaignId}/commitments`)).json().items;
    expect(seen.map((k: { content: string; state: string }) => [k.content, k.state])).toEqual([
      ['一、2026年3月底前完成阵地改造。', 'published'],
    ]);
    // Another county gets what a missing campaign gets, and not the campaign's title (issue 15).
    const missing = await s.secB1.get('/api/campaigns/999999/commitments');
    for (const url of [
      `/api/campaigns/${campaignId}/commitments`,
      `/api/campaigns/${campaignId}/rectification/published-progress`,
    ]) {
      const other = await s.secB1.get(url);
      expect([other.statusCode, other.json()], url).toEqual([404, missing.json()]);
    }
    expect(await count('audit_log', `target_type = 'commitment' and target_id = '${id}'`)).toBe(6);
    // With the commitment, the unit's rectification progress is published to the same audience (R-FIX-3):
    // problems, measures, deadlines and status, without evidence or notes.
    const progress = (await s.secA2.get(`/api/campaigns/${campaignId}/rectification/published-progress`)).json();
    expect(progress.units.map((u: { orgId: number }) => u.orgId)).toEqual([tree.villageA1.id]);
    const unit = progress.units[0];
    expect(unit.commitments[0].content).toBe('一、2026年3月底前完成阵地改造。');
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      sql`
      select count(*)::int as n from rectification_items where campaign_id = ${campaignId} and org_id = ${tree.villageA1.id} and parent_id is null`,
    );
    expect(unit.total).toBe(n);
    expect(n).toBeGreaterThan(0);
    expect(Object.keys(unit.items[0]).sort()).toEqual([
      'deadline',
      'description',
      'measures',
      'overdue',
      'progress',
      'status',
      'statusLabel',
    ]);
    // Published to everyone (社会公开), the commitment and the campaign it belongs to are there for another county too.
    const was = await patchAudience(campaignId, 'public');
    const open = (await s.secB1.get(`/api/campaigns/${campaignId}/rectification/published-progress`)).json();
    expect(open.units.map((u: { orgId: number }) => u.orgId)).toEqual([tree.villageA1.id]);
    expect(open.campaign.id).toBe(campaignId);
    await patchAudience(campaignId, was);
  });

  it("the 通报 .docx lists items per unit with status and overdue; only the organizer's staff export it", async () => {
    await priorItems();
    t.clock.set(shanghaiNoon('2026-01-05')); // past the 2025-12-31 deadlines of the open items
    const res = await s.townAdmin.get(`/api/campaigns/${campaignId}/rectification/bulletin.docx`);
    t.clock.set(shanghaiNoon('2025-12-02'));
    expect(res.statusCode).toBe(200);
    const { value } = await mammoth.extractRawText({ buffer: res.rawPayload });
    expect(value).toContain('问题整改进展情况的通报');
    expect(value).toContain('甲一镇东村党支部');
    expect(value).toContain('已销号');
    expect(value).toMatch(/逾期/);
    expect(value).toContain('甲一镇党委');
    for (const who of ['secA1', 'adminB', 'observerA']) {
      expect((await s[who].get(`/api/campaigns/${campaignId}/rectification/bulletin.docx`)).statusCode, who).toBe(
        who === 'adminB' ? 404 : 403,
      );
    }
  });
});

describe("R-FIX-4 / R-PREP-1 carry-over into next year's campaign and its report check", () => {
  let next = 0;
  let nextRep = 0;
  /** The township's round of the next year (2026) and its villageA1 reporter. */
  async function buildNext() {
    next = (
      await buildCampaign(t.db, {
        organizerOrgId: tree.townA.id,
        templateId: '003',
        year: 2026,
        state: 'published',
        reporterOrgIds: [tree.villageA1.id, tree.villageA2.id],
        open: ['rectification'],
      })
    ).id;
    nextRep = await reporterOf(next, tree.villageA1.id);
  }

  it("imports open items and 巡察 feedback into each reporter's preparation list and as carry_over items, idempotently", async () => {
    await priorItems();
    await buildNext();
    const open = await queryRows<{ id: number }>(
      t.db,
      sql`
      select id from rectification_items where campaign_id = ${campaignId} and parent_id is null and status <> 'closed' order by id`,
    );
    const inspections = await count(
      'rectification_items',
      `campaign_id = ${campaignId} and parent_id is null and source_type = 'inspection'`,
    );
    const closedInspections = await count(
      'rectification_items',
      `campaign_id = ${campaignId} and parent_id is null and source_type = 'inspection' and status = 'closed'`,
    );
    expect(closedInspections).toBe(1); // the verified one still goes to the preparation list
    expect((await s.secA1.post(`/api/campaigns/${next}/rectification/carry-over`)).statusCode).toBe(403);
    expect((await s.adminB.post(`/api/campaigns/${next}/rectification/carry-over`)).statusCode).toBe(404);
    const res = await s.townAdmin.post(`/api/campaigns/${next}/rectification/carry-over`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      fromCampaign: { id: campaignId, year: 2025 },
      carried: open.length,
      priorItems: open.length + closedInspections,
      skipped: [],
    });
    expect(inspections).toBeGreaterThan(closedInspections);
    const carried = await queryRows<{
      carried_from_id: number;
      source_type: string;
      status: string;
      deadline: string | null;
    }>(
      t.db,
      sql`
      select carried_from_id, source_type, status, deadline from rectification_items where campaign_id = ${next} order by carried_from_id`,
    );
    expect(carried.map((c) => c.carried_from_id)).toEqual(open.map((o) => o.id));
    expect(
      carried.every((c) => c.source_type === 'carry_over' && c.status === 'not_started' && c.deadline === null),
    ).toBe(true);
    const prior = await queryRows<{ reference: string }>(
      t.db,
      sql`select reference from prior_rectification_items where campaign_id = ${next} and org_id = ${tree.villageA1.id} order by id`,
    );
    expect(prior.map((p) => p.reference)).toEqual(expect.arrayContaining(open.map((o) => `ZG-${o.id}`)));
    const again = await s.townAdmin.post(`/api/campaigns/${next}/rectification/carry-over`);
    expect(again.json()).toMatchObject({ carried: 0, priorItems: 0 });
    expect(await count('rectification_items', `campaign_id = ${next}`)).toBe(open.length);
    // The first campaign of an organizer has nothing to carry.
    const none = await s.adminB.post(`/api/campaigns/${campaignB}/rectification/carry-over`);
    expect([none.statusCode, none.json().code]).toEqual([409, 'NO_PREVIOUS_CAMPAIGN']);
  });

  it("next year's report check lists an unanswered carried item and passes once the report answers each", async () => {
    // The test above: this year's items carried into next year's round.
    await priorItems();
    await buildNext();
    const carried = await s.townAdmin.post(`/api/campaigns/${next}/rectification/carry-over`);
    expect(carried.statusCode, carried.body).toBe(200);
    const open = await s.secA1.post('/api/reports/open', { reporterId: nextRep });
    expect(open.statusCode, open.body).toBe(200);
    const reportId = open.json().id;
    const sections = goodSections(1);
    expect((await s.secA1.put(`/api/reports/${reportId}/sections`, { sections })).statusCode).toBe(200);
    const rect = (await s.secA1.get(`/api/reports/${reportId}`))
      .json()
      .checks.results.find((r: { id: string }) => r.id === 'rectification_items');
    const prior = await queryRows<{ reference: string; text: string }>(
      t.db,
      sql`
      select reference, text from prior_rectification_items where campaign_id = ${next} and org_id = ${tree.villageA1.id} and removed_at is null order by id`,
    );
    expect(rect.level).not.toBe('pass');
    // Some may already be answered in words by the stock text; at least one carried item is listed by its code.
    const unanswered = rect.details.unanswered as { id: string; title: string }[];
    expect(unanswered.length).toBeGreaterThan(0);
    expect(unanswered.every((u) => /^ZG-\d+ /.test(u.title))).toBe(true);
    expect(rect.message).toContain(unanswered[0].title.split(' ')[0]);
    const answers = prior.map((p) => `针对${p.reference}，已制定措施并明确时限。`).join('');
    sections[3] = { ...sections[3], text: `${sections[3].text}${answers}` };
    expect((await s.secA1.put(`/api/reports/${reportId}/sections`, { sections })).statusCode).toBe(200);
    const again = (await s.secA1.get(`/api/reports/${reportId}`))
      .json()
      .checks.results.find((r: { id: string }) => r.id === 'rectification_items');
    expect(again.level).toBe('pass');
  });
});

describe("access: own organization, the upper level's subtree, never across counties; observers read only", () => {
  it('list scoping by role', async () => {
    await priorItems();
    const ids = async (who: string) =>
      ((await s[who].get('/api/rectification/items?limit=500')).json().items as { orgId: number }[]).map(
        (i) => i.orgId,
      );
    expect(new Set(await ids('secA1'))).toEqual(new Set([tree.villageA1.id]));
    expect(await ids('secA2')).toEqual([]);
    expect((await ids('townAdmin')).length).toBeGreaterThan(0);
    expect(await ids('countyAdmin')).toEqual(await ids('townAdmin'));
    expect(await ids('observerA')).toEqual(await ids('townAdmin'));
    expect(await ids('adminB')).toEqual([]);
    expect((await s.auditor.get('/api/rectification/items')).statusCode).toBe(403);
  });

  it('single items: another village, another county denied; an observer reads but changes nothing', async () => {
    await priorItems();
    const [anItem] = await queryRows<{ id: number }>(
      t.db,
      sql`
      select id from rectification_items where org_id = ${tree.villageA1.id} and status = 'in_progress' order by id limit 1`,
    );
    for (const who of ['secA2', 'adminB', 'secB1'])
      expect((await s[who].get(`/api/rectification/items/${anItem.id}`)).statusCode, who).toBe(404);
    const seen = await item(s.observerA, anItem.id);
    expect(seen.can).toEqual({ edit: false, verify: false });
    expect((await item(s.leaderA, anItem.id)).can.verify).toBe(true);
    const before = await count('rectification_progress');
    expect(
      (await s.observerA.post(`/api/rectification/items/${anItem.id}/progress`, { note: '观察员' })).statusCode,
    ).toBe(403);
    expect((await s.observerA.patch(`/api/rectification/items/${anItem.id}`, { owner: '观察员' })).statusCode).toBe(
      403,
    );
    expect((await s.secA2.post(`/api/rectification/items/${anItem.id}/progress`, { note: '西村' })).statusCode).toBe(
      404,
    );
    expect((await s.adminB.patch(`/api/rectification/items/${anItem.id}`, { owner: '乙县' })).statusCode).toBe(404);
    expect(await count('rectification_progress')).toBe(before);
  });
});
