import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/connect';
import { issueCodes } from '../../src/server/modules/ballots/issue-codes';
import {
  buildCampaign,
  buildOrg,
  buildReporter,
  buildSecretary,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

/**
 * Seed 003 (无定河镇): a township round run as the plan runs it — 一述一评 at a 党委扩大会议 with invited
 * 两代表一委员 and 党员群众代表 named per unit, phone and paper forms (附件1, and 附件2 for the 下评), the committee's
 * lock, and the summary upward signed by the township's own committee. Everything goes through the routes.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
const s: Record<string, Session> = {};
const org: Record<string, Awaited<ReturnType<typeof buildOrg>>> = {};
const rep: Record<string, number> = {};
let campaignId: number;
let meetingId: number;
let roundId: number;
let roomCode: string;
let codes: string[] = [];
let adminUser: Awaited<ReturnType<typeof buildUser>>;

const docxText = async (buffer: Buffer) => (await mammoth.extractRawText({ buffer })).value;
const one = async <T>(q: ReturnType<typeof sql>) => (await queryRows<T>(t.db, q))[0]!;

beforeAll(async () => {
  t = await setupTestApp({
    start: new Date('2023-12-18T01:00:00Z'),
    config: { voteWaitMs: 3000, idleTimeoutMinutes: 60 * 24 * 365 },
  });
  org.banner = await buildOrg(t.db, {
    name: '中共乌审旗委员会',
    code: 'WS',
    kind: 'committee',
    sector: 'organ',
    level: 'county',
  });
  org.town = await buildOrg(t.db, {
    parent: org.banner,
    name: '中共无定河镇委员会',
    code: 'WS-WDH',
    kind: 'committee',
    level: 'township',
  });
  org.east = await buildOrg(t.db, { parent: org.town, name: '东湾村党组织', code: 'WS-WDH-01' });
  org.west = await buildOrg(t.db, { parent: org.town, name: '西湾村党支部', code: 'WS-WDH-02' });
  org.unity = await buildOrg(t.db, {
    parent: org.town,
    name: '团结社区党支部',
    code: 'WS-WDH-03',
    sector: 'community',
  });
  const c = await buildCampaign(t.db, {
    organizerOrgId: org.town.id,
    templateId: '003',
    year: 2023,
    state: 'published',
    reporterOrgIds: [],
    open: ['summary'],
    openAt: t.clock.now(),
  });
  campaignId = c.id;
  for (const [key, o, name] of [
    ['east', org.east, '高建军'],
    ['west', org.west, '刘海'],
    ['unity', org.unity, '王丽'],
  ] as const) {
    const sec = await buildSecretary(t.db, o.id, { name });
    rep[key] = (
      await buildReporter(t.db, {
        campaignId,
        orgId: o.id,
        reportToOrgId: org.town.id,
        tierKey: 'all',
        secretaryId: sec.id,
      })
    ).id;
  }
  const townSec = await buildSecretary(t.db, org.town.id, { name: '张书记' });
  rep.down = (
    await buildReporter(t.db, {
      campaignId,
      orgId: org.town.id,
      reportToOrgId: org.town.id,
      tierKey: 'all',
      role: 'downward',
      secretaryId: townSec.id,
    })
  ).id;
  adminUser = await buildUser(t.db, { role: 'org_admin', username: 'town1', scopeOrgId: org.town.id });
  await buildUser(t.db, { role: 'org_admin', username: 'town2', scopeOrgId: org.town.id });
  await buildUser(t.db, { role: 'org_admin', username: 'banner', scopeOrgId: org.banner.id });
  for (const u of ['town1', 'town2', 'banner']) s[u] = await signIn(t.app, u);
}, 60_000);
afterAll(async () => t?.close());

/**
 * A scenario is one test: each step below builds on the one before (the meeting, its attendees, the round and its
 * codes, the votes, the lock, the summary), as the township runs them, so they run in this order inside the single
 * test at the end of the file (order-free, decision 024); a failure names its step.
 */
const story: { name: string; run: () => Promise<void> }[] = [];
const step = (name: string, run: () => Promise<void>) => void story.push({ name, run });
const chapter = (name: string, register: () => void) => {
  const first = story.length;
  register();
  for (const st of story.slice(first)) st.name = `${name} › ${st.name}`;
};

chapter('seed 003: the meeting', () => {
  step(
    "R-MEET-1 R-CAMP-7 the console follows 003's 一述一评: each speech, then its 点评, before the next speaker",
    async () => {
      const created = await s.town1.post(`/api/campaigns/${campaignId}/meetings`, {
        title: '无定河镇2023年度党组织书记抓基层党建工作述职评议会',
        meetingDate: '2023-12-19',
        place: '镇党委三楼会议室',
      });
      expect(created.statusCode, created.body).toBe(200);
      meetingId = created.json().id;
      expect(created.json()).toMatchObject({ commentMode: 'one_by_one', commentModeLabel: '一述一评' });
      expect((await s.town1.post(`/api/meetings/${meetingId}/agenda/default`)).statusCode).toBe(200);

      // The first speaker's clock runs; leaving the speech for its 点评 records when it ended.
      let d = (await s.town1.post(`/api/meetings/${meetingId}/advance`)).json();
      expect(d.flow).toMatchObject({ mode: 'one_by_one', current: '述职：东湾村党组织', next: '点评：东湾村党组织' });
      expect((await s.town1.post(`/api/meetings/${meetingId}/timer`, { action: 'start' })).statusCode).toBe(200);
      t.clock.advance(4 * 60_000);
      const seen = [d.flow.current];
      for (;;) {
        const res = await s.town1.post(`/api/meetings/${meetingId}/advance`);
        if (res.statusCode === 409) {
          expect(res.json()).toMatchObject({ code: 'FLOW_END', message: '议程已全部进行完毕' });
          break;
        }
        d = res.json();
        seen.push(d.flow.current);
      }
      expect(seen).toEqual([
        '述职：东湾村党组织',
        '点评：东湾村党组织',
        '述职：西湾村党支部',
        '点评：西湾村党支部',
        '述职：团结社区党支部',
        '点评：团结社区党支部',
        '述职：中共无定河镇委员会',
        '点评：中共无定河镇委员会',
        '评议测评',
        '上级组织部门讲话',
        '总结讲话',
      ]);
      const east = d.agenda.find((a: { reporterId: number }) => a.reporterId === rep.east);
      expect(Date.parse(east.speechEndedAt) - Date.parse(east.speechStartedAt)).toBe(4 * 60_000);
      expect(
        await one<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'meeting.advance'`),
      ).toEqual({ n: 11 });
    },
  );

  step(
    'R-MEET-2 invited 两代表一委员 and 党员群众代表 are named with their unit, imported from .xlsx, counted and printed in the 会议记录',
    async () => {
      const committee = ['张书记', '李镇长', '王委员', '赵委员', '孙委员'].map((name) => ({
        categoryKey: 'committee',
        name,
        unit: '无定河镇党委',
        identity: '党委委员',
        present: true,
      }));
      const deputies = [
        { categoryKey: 'deputies', name: '高秀兰', unit: '东湾村', identity: '人大代表', present: true },
        { categoryKey: 'deputies', name: '马文斌', unit: '西湾村', identity: '党代表', present: true },
        { categoryKey: 'deputies', name: '白玉梅', unit: '团结社区', identity: '政协委员', present: false },
      ];
      const saved = await s.town1.put(`/api/meetings/${meetingId}/attendees`, { rows: [...committee, ...deputies] });
      expect(saved.statusCode, saved.body).toBe(200);
      const att = (key: string) => saved.json().attendance.find((a: { categoryKey: string }) => a.categoryKey === key);
      expect(att('deputies')).toMatchObject({ expected: 3, present: 2, fromList: true });
      expect(att('committee')).toMatchObject({ expected: 5, present: 5, fromList: true });

      // Head counts of a named category follow the list; other counts are refused, not kept beside the names.
      const counts = await s.town1.put(`/api/meetings/${meetingId}/attendance`, {
        rows: [{ categoryKey: 'deputies', expected: 10, present: 10 }],
      });
      expect(counts.statusCode).toBe(400);
      expect(counts.json()).toMatchObject({
        code: 'ATTENDANCE_FROM_LIST',
        message: '「“两代表一委员”」已按参会人员名单统计（应到3人、实到2人），请修改名单',
      });

      const sheet = async (rows: string[][]) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('参会人员名单');
        ws.addRow(['人员类别', '姓名', '所在单位', '身份或职务', '是否出席']);
        for (const r of rows) ws.addRow(r);
        return Buffer.from(await wb.xlsx.writeBuffer());
      };
      const upload = (file: Buffer) => {
        const boundary = '----att';
        const payload = Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
          ),
          file,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        return s.town1.request({
          method: 'POST',
          url: `/api/meetings/${meetingId}/attendees/import`,
          payload,
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        });
      };
      const bad = await upload(
        await sheet([
          ['基层党员干部群众代表', '刘群', '东湾村', '村民代表', '是'],
          ['村民', '错类别', '西湾村', '', ''],
        ]),
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details.errors[0]).toMatchObject({ row: 3 });
      expect(bad.json().details.errors[0].message).toContain('人员类别「村民」不在本次测评设置中');
      const grassroots = [
        ['基层党员干部群众代表', '刘群', '东湾村', '村民代表', '是'],
        ['基层党员干部群众代表', '陈红', '西湾村', '党员代表', ''],
        ['基层党员干部群众代表', '杨光', '团结社区', '居民代表', '是'],
        ['基层党员干部群众代表', '吴敏', '团结社区', '居民代表', '否'],
      ];
      const ok = await upload(await sheet(grassroots));
      expect(ok.json(), ok.body).toEqual({ imported: 4, categories: 1 });
      const d = (await s.town1.get(`/api/meetings/${meetingId}`)).json();
      expect(d.attendees).toHaveLength(12);
      expect(d.attendance.find((a: { categoryKey: string }) => a.categoryKey === 'grassroots')).toMatchObject({
        expected: 4,
        present: 3,
        fromList: true,
      });

      const record = await docxText((await s.town1.get(`/api/meetings/${meetingId}/record.docx`)).rawPayload);
      expect(record).toContain('点评方式：一述一评。');
      expect(record).toContain('每位书记述职后由主持会议的党委书记当场点评（一述一评）');
      expect(record).toContain('参会人员名单');
      for (const text of ['高秀兰', '东湾村', '人大代表', '白玉梅', '团结社区', '政协委员', '缺席', '吴敏'])
        expect(record).toContain(text);
      expect(record).toContain('应到12人，实到10人。');

      const template = await s.town1.get(`/api/meetings/${meetingId}/attendees/template.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['参会人员名单', '填写说明']);
    },
  );

  step('R-VOTE-1 R-CAMP-4 phone and paper forms name each organization as 003 附件1 and 附件2 read', async () => {
    // Voting opens on the meeting's day (R-CAMP-8), not the day before.
    t.clock.set(new Date('2023-12-19T01:00:00Z'));
    const round = await s.town1.post(`/api/meetings/${meetingId}/ballot-rounds`, { mode: 'real' });
    expect(round.statusCode, round.body).toBe(200);
    roundId = round.json().id;
    roomCode = round.json().roomCode;
    const user = { ...adminUser, scopePath: org.town.path, role: 'org_admin' as const };
    codes = (
      await issueCodes(
        t.db,
        user as never,
        { actorId: adminUser.id, actorName: 'test', ip: null, at: t.clock.now() },
        roundId,
        'committee',
        6,
      )
    ).codes;
    {
      const o = await s.town1.post(`/api/ballot-rounds/${roundId}/open`, {});
      expect(o.statusCode, o.body).toBe(200);
    }
    const sheet = await t.app.inject({ method: 'POST', url: '/api/vote/sheet', payload: { code: codes[0], roomCode } });
    expect(sheet.statusCode, sheet.body).toBe(200);
    const form = (id: number) => sheet.json().reporters.find((r: { reporterId: number }) => r.reporterId === id).form;
    expect(form(rep.east).overall).toBe('您对东湾村党组织书记抓基层党建工作情况的总体评价');
    expect(form(rep.west).problems).toBe('您认为西湾村党支部书记抓基层党建工作存在哪些问题和不足');
    expect(form(rep.down)).toMatchObject({
      title: '党委书记抓基层党建工作报告评议表',
      overall: '您对无定河镇党委书记抓基层党建工作情况的总体评价',
      suggestions: '您对无定河镇党委书记抓基层党建工作的意见建议',
    });
    const paper = await docxText((await s.town1.get(`/api/meetings/${meetingId}/paper-forms.docx`)).rawPayload);
    expect(paper).toContain('您对东湾村党组织书记抓基层党建工作情况的总体评价');
    expect(paper).toContain('您对无定河镇党委书记抓基层党建工作情况的总体评价');
    expect(paper).not.toMatch(/党组织党组织|党支部党组织|委员会党委/);
  });

  step('R-VOTE-4 five phones and three paper forms per reporter are counted; the round is released', async () => {
    const ballot = (code: string, grade: string) => ({
      code,
      roomCode,
      ballots: [rep.east, rep.west, rep.unity, rep.down].map((reporterId) => ({ reporterId, grade })),
    });
    const votes = await Promise.all(
      codes.slice(0, 5).map((code, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/vote/ballots',
          payload: ballot(code, i === 4 ? 'fair' : 'good'),
        }),
      ),
    );
    expect(votes.map((v) => v.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const closed = await s.town1.post(`/api/ballot-rounds/${roundId}/close`, {});
    expect(closed.statusCode, closed.body).toBe(200);
    expect(
      (
        await s.town1.post(`/api/ballot-rounds/${roundId}/paper-counts`, {
          counts: { grassroots: { issued: 4, collected: 3 } },
        })
      ).statusCode,
    ).toBe(200);
    const paper: [number, { good: number; fair: number; average: number; poor: number; invalid: number }][] = [
      [rep.east, { good: 2, fair: 0, average: 0, poor: 0, invalid: 1 }],
      [rep.west, { good: 1, fair: 1, average: 1, poor: 0, invalid: 0 }],
      [rep.unity, { good: 3, fair: 0, average: 0, poor: 0, invalid: 0 }],
      [rep.down, { good: 2, fair: 1, average: 0, poor: 0, invalid: 0 }],
    ];
    for (const clerk of [s.town1, s.town2]) {
      for (const [reporterId, c] of paper) {
        const res = await clerk.post(`/api/ballot-rounds/${roundId}/paper-tallies`, {
          reporterId,
          category: 'grassroots',
          counts: c,
          problems: [],
          suggestions: [],
        });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    const released = await s.town1.post(`/api/ballot-rounds/${roundId}/release`, {
      explanation: '纸质表1份未收回，系代表提前离会。',
    });
    expect(released.statusCode, released.body).toBe(200);
    const results = (await s.town1.get(`/api/ballot-rounds/${roundId}/results`)).json();
    // The results page's 平均分 is unweighted; the evaluation weights by evaluator category: both say how.
    expect(results.scoreFormula.unweighted).toContain('不区分参评人员类别');
    expect(results.scoreFormula.weighted).toContain('党委（扩大）会议成员40%');
  });
});

chapter("seed 003: the committee's decision and the summary upward", () => {
  step('R-GRADE-5 the lock warns of missing written opinions and names them', async () => {
    expect((await s.town1.post(`/api/campaigns/${campaignId}/evaluation/recompute`)).statusCode).toBe(200);
    const opinion = await s.town1.put(`/api/campaigns/${campaignId}/evaluation/results/${rep.east}/opinion`, {
      achievements: '班子团结，集体经济有起色。',
      problems: '组织生活不够规范。',
      direction: '严格“三会一课”。',
    });
    expect(opinion.statusCode, opinion.body).toBe(200);
    await s.town1.put(`/api/campaigns/${campaignId}/evaluation/results/${rep.west}/opinion`, {
      achievements: '党员教育扎实。',
    });
    const preview = (await s.town1.get(`/api/campaigns/${campaignId}/evaluation/lock`)).json();
    expect(preview.missingOpinions).toEqual(
      expect.arrayContaining([
        { reporterId: rep.west, name: '西湾村党支部', missing: ['存在问题', '努力方向'] },
        { reporterId: rep.unity, name: '团结社区党支部', missing: ['主要成绩', '存在问题', '努力方向'] },
      ]),
    );
    expect(preview.missingOpinions.map((m: { reporterId: number }) => m.reporterId)).not.toContain(rep.east);
    const warning = preview.warnings.find((w: string) => w.includes('书面综合评价意见不完整'));
    expect(warning).toContain('西湾村党支部（缺存在问题、努力方向）');
    expect(warning).toContain('团结社区党支部（缺主要成绩、存在问题、努力方向）');
    const locked = await s.town1.post(`/api/campaigns/${campaignId}/evaluation/lock`, {
      confirm: true,
      decisionNote: '2023年12月25日镇党委会议',
    });
    expect(locked.statusCode, locked.body).toBe(200);
    expect(
      locked.json().warnings.some((w: string) => w.includes('团结社区党支部（缺主要成绩、存在问题、努力方向）')),
    ).toBe(true);
    const zip = await JSZip.loadAsync(
      (await s.town1.get(`/api/campaigns/${campaignId}/evaluation/outputs/feedback-letters`)).rawPayload,
    );
    for (const name of Object.keys(zip.files)) {
      expect(await docxText(await zip.file(name)!.async('nodebuffer'))).not.toContain('（无）');
    }
  });

  step(
    'R-SUM-1 R-VOTE-4 R-CAMP-4 the summary counts phone and paper forms and ratings apart, with the 下评, says only what applies, signed by the township committee',
    async () => {
      const sum = (await s.town1.get(`/api/campaigns/${campaignId}/summary`)).json();
      // 5 phones × 4 reporters = 20 ratings; paper: 3 forms collected, 12 ratings of which 1 spoiled.
      expect(sum.figures).toMatchObject({
        ballots: 32,
        ballotForms: { phone: 5, paper: 3 },
        ballotRatings: { phone: 20, paper: 12, valid: 31 },
      });
      const overview: string = sum.sections.overview;
      expect(overview).toContain(
        '召开述职评议会1场、收回测评表8份（手机测评5份、纸质测评表3份），共评价32人次（手机20人次、纸质12人次），其中有效评价31人次。',
      );
      // 下评: 4 good + 1 fair by phone, 2 good + 1 fair on paper.
      expect(overview).toContain(
        '“下评”中，下一级党组织书记对本级党委书记抓基层党建工作的有效评价8人次：“好”6票（75.0%）、“较好”2票（25.0%）。',
      );
      expect(overview).toContain('经中共无定河镇委员会研究审定');
      // 003 has neither a survey nor field assessment, and the round found no problem to rectify.
      expect(overview).not.toMatch(/满意度|实地考核/);
      expect(sum.sections.problems).toBe('');
      expect(sum).toMatchObject({
        signature: '中共无定河镇委员会',
        upperLevel: { name: '中共乌审旗委员会', inDeployment: true },
      });

      await s.town1.put(`/api/campaigns/${campaignId}/summary`, {
        achievements: '压实了村社区党组织书记抓党建责任。',
        problems: '个别村组织生活不规范。',
        nextSteps: '抓好问题整改。',
      });
      const docx = await docxText((await s.town1.get(`/api/campaigns/${campaignId}/summary.docx`)).rawPayload);
      expect(docx).toContain('中共无定河镇委员会');
      expect(docx).not.toContain('组织部');
      expect(docx).not.toContain('各单位查找的问题均已整改销号');
      expect(docx).not.toContain('需整改的问题和建议');
      expect(docx).not.toContain('（待补充）');
      expect((await s.town1.post(`/api/campaigns/${campaignId}/summary/submit`)).json()).toEqual({
        state: 'submitted',
        recipient: '中共乌审旗委员会',
      });
      expect((await s.banner.post(`/api/campaigns/${campaignId}/summary/receive`)).json()).toEqual({
        state: 'received',
      });
    },
  );
});

it('seed 003: a township round from the meeting to the summary upward, in its order', async () => {
  for (const { name, run } of story) {
    try {
      await run();
    } catch (e) {
      if (e instanceof Error) e.message = `${name}: ${e.message}`;
      throw e;
    }
  }
}, 300_000);
