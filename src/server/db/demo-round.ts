/**
 * The demo's rounds, dated from the day `npm start` first runs (decision in docs/progress.md, issue 16): a newcomer
 * meets 清河县's round under way — nothing overdue — with every stage somewhere to look at. All through the use cases
 * (so the data obeys the rules and the audit log tells how it came about), except the phone ballots of the one real
 * round, which are inserted into `ballots` as seeded data. Deterministic apart from the dates (and the random ballot
 * and room codes, which are secrets by design and never shown).
 *
 * Calendar, with T = today in Beijing and Y the assessed year of the round under way:
 * - last year (Y-1): 清河县's round and every sub-round ran and were closed; 青山镇 left 前进村 one long-term
 *   rectification item in progress and a 巡察 item closed, which this year's carry-over brings into 前进村's report.
 * - this year (Y): the county published at T-50; 青山镇 (the `secretary`'s township) is in its reporting phase, due
 *   T+5; 柳河镇 finished early: meeting at T-20, results released, evaluation locked at T-12, flags derived and its
 *   rectification items in progress; 石桥镇's plan waits for the county's acknowledgement, 白水镇's was returned.
 */
import { sql } from 'drizzle-orm';
import { addDays, shanghaiDate } from '../../domain/calendar';
import type { CampaignSettings } from '../../domain/campaign-settings';
import type { PhaseKey } from '../../domain/campaign-phases';
import type { Grade } from '../../domain/grades';
import type { Role } from '../../domain/roles';
import type { AuditActor } from '../http/audit';
import type { AuthUser } from '../http/context';
import { type Database, type Db, queryRows } from './connect';

/**
 * Storylines that act on days counted from today, interleaved so that everything happens in calendar order (the
 * audit log then reads like the real history). Each storyline is plain sequential code that awaits `day(n)` before
 * acting on day n; only one runs at a time (the database sees one step after another), earliest day first, and on
 * the same day in the order the storylines were given.
 */
export async function runStory(lines: ((day: (n: number) => Promise<void>) => Promise<void>)[]) {
  const queue: { n: number; seq: number; go: () => void }[] = [];
  let seq = 0;
  // Resolved when the storyline that is running waits for a day or ends: then the next one may go.
  let yieldNow = () => {};
  const yielded = () =>
    new Promise<void>((res) => {
      yieldNow = res;
    });
  const day = (n: number) =>
    new Promise<void>((go) => {
      queue.push({ n, seq: seq++, go });
      yieldNow();
    });
  let failed: { error: unknown } | null = null;
  for (const line of lines) {
    const started = yielded();
    void line(day)
      .catch((error) => {
        failed ??= { error };
      })
      .finally(() => yieldNow());
    await started;
  }
  while (queue.length && !failed) {
    queue.sort((a, b) => a.n - b.n || a.seq - b.seq);
    const next = queue.shift()!;
    const done = yielded();
    next.go();
    await done;
  }
  if (failed) throw (failed as { error: unknown }).error;
}

/** Phase plans and stage deadlines as day offsets from today. */
type Plan = [PhaseKey, number, number][];

export interface DemoCalendar {
  today: string;
  /** The assessed year of the round under way: rounds run from the autumn into the next spring. */
  year: number;
  day(n: number): string;
  /** The instant of a step done n days ago (09:00 Beijing, a minute later per step that day); today's steps at `now`. */
  at(n: number): Date;
}

export function demoCalendar(now: Date): DemoCalendar {
  const today = shanghaiDate(now);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const steps = new Map<number, number>();
  return {
    today,
    year: m >= 7 ? y : y - 1,
    day: (n) => addDays(today, n),
    at: (n) => {
      if (n >= 0) return now;
      const k = steps.get(n) ?? 0;
      steps.set(n, k + 1);
      return new Date(Date.parse(`${addDays(today, n)}T09:00:00+08:00`) + k * 60_000);
    },
  };
}

/**
 * This year's county plan. The townships finish first (002 is bottom-up), the county meets after them. 实地考核 is
 * added to 002's phases (the notice sends teams to guide the townships): under way today, so the demo assessor scores.
 */
export const COUNTY_PLAN: Plan = [
  ['preparation', -52, -46],
  ['reports', -45, 15],
  ['review', -40, 20],
  ['field', -10, 28],
  ['meeting', 30, 31],
  ['evaluation', 32, 36],
  ['feedback', 37, 45],
  ['rectification', 46, 230],
  ['summary', 37, 50],
];
export const COUNTY_STAGES = { townships_systems: 14, work_committees: 28, all_levels: 45 } as const;
export const COUNTY_RESULTS_DUE = 35;
/** 青山镇: reports due T+5 (its meeting at T+12, seven days before). */
const QINGSHAN_PLAN: Plan = [
  ['preparation', -44, -41],
  ['reports', -40, 5],
  ['review', -35, 8],
  ['meeting', 12, 12],
  ['evaluation', 13, 14],
  ['feedback', 15, 25],
  ['rectification', 26, 200],
  ['summary', 15, 28],
];
/** 柳河镇: done early — meeting at T-20, evaluation locked at T-12, feedback and rectification under way. */
const LIUHE_PLAN: Plan = [
  ['preparation', -47, -44],
  ['reports', -43, -27],
  ['review', -40, -24],
  ['meeting', -20, -20],
  ['evaluation', -19, -12],
  ['feedback', -11, 5],
  ['rectification', -11, 180],
  ['summary', 6, 12],
];
const LAST_YEAR_SHIFT = -365;
/**
 * Last year's plan kept to the four phases every round has (述职报告, 述职评议会, 综合评价, 整改): nineteen rounds
 * are walked through their phases at the first start, and each phase costs two steps per round.
 */
const LAST_YEAR_PLAN: Plan = COUNTY_PLAN.filter(([key]) =>
  ['reports', 'meeting', 'evaluation', 'rectification'].includes(key),
);

export function datedSettings(base: CampaignSettings, cal: DemoCalendar, plan: Plan, shift = 0): CampaignSettings {
  const s = structuredClone(base);
  s.phases = plan.map(([key, a, b]) => ({ key, start: cal.day(a + shift), end: cal.day(b + shift) }));
  for (const st of s.organizing.stages) {
    const n = COUNTY_STAGES[st.key as keyof typeof COUNTY_STAGES];
    if (n !== undefined) st.completeBy = cal.day(n + shift);
  }
  if (s.summary.resultsDueDate) s.summary.resultsDueDate = cal.day(COUNTY_RESULTS_DUE + shift);
  return s;
}

/** A signed-in user as the use cases take it, and the audit actor for a step at `at`. */
export interface As {
  user: AuthUser;
  actor(at: Date): AuditActor;
}

export async function accountAs(db: Db, username: string): Promise<As> {
  const [u] = await queryRows<{
    id: number;
    display_name: string;
    role: Role;
    scope_org_id: number | null;
    org_id: number | null;
    path: string;
  }>(
    db,
    sql`
    select u.id, u.display_name, u.role, u.scope_org_id, u.org_id, o.path
    from users u join organizations o on o.id = coalesce(u.scope_org_id, u.org_id) where u.username = ${username}`,
  );
  if (!u) throw new Error(`demo account ${username} missing`);
  const user: AuthUser = {
    id: u.id,
    username,
    displayName: u.display_name,
    role: u.role,
    scopeOrgId: u.scope_org_id,
    orgId: u.org_id,
    scopePath: u.path,
  };
  return { user, actor: (at) => ({ actorId: u.id, actorName: `${u.display_name}(${username})`, ip: null, at }) };
}

async function orgIdsByCode(db: Db) {
  return new Map(
    (
      await queryRows<{ code: string; id: number }>(db, sql`select code, id from organizations where code like 'QH%'`)
    ).map((r) => [r.code, r.id]),
  );
}

const PHASE_ORDER: PhaseKey[] = [
  'preparation',
  'reports',
  'review',
  'meeting',
  'field',
  'evaluation',
  'feedback',
  'rectification',
  'summary',
];

/**
 * Follows the plan as an organizer would under decision 018: a phase opens by itself on its start day, so "open" is an
 * early opening (with a reason) only when the day has not come; "close" ends a phase still open (confirming the open
 * work it names), and is nothing when the phase has already ended by its date.
 */
async function followPlan(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  key: PhaseKey,
  action: 'open' | 'close',
) {
  const { changePhase } = await import('../modules/campaigns/transition-phase');
  const { getCampaign } = await import('../modules/campaigns/repo');
  const { phaseStatus } = await import('../../domain/campaign-phases');
  const { campaign } = await getCampaign(db, campaignId);
  const phase = campaign.phases.find((p) => p.key === key);
  if (!phase) return;
  const status = phaseStatus(phase, shanghaiDate(actor.at));
  if (action === 'open' && status === 'not_started') {
    await changePhase(db, user, actor, campaignId, key, 'open', { reason: '演示数据：按本级安排提前开启' });
  } else if (action === 'close' && status === 'open') {
    await changePhase(db, user, actor, campaignId, key, 'close', {
      reason: '演示数据：按计划结束本阶段',
      confirm: true,
    });
  }
}

/** Opens (and closes) the campaign's phases in their order, each on its planned start (end) day, up to `until`. */
async function runPhases(
  db: Db,
  as: As,
  cal: DemoCalendar,
  campaignId: number,
  plan: Plan,
  opts: {
    shift?: number;
    open: PhaseKey[];
    close: PhaseKey[];
    day?: (n: number) => Promise<void>;
  },
) {
  const shift = opts.shift ?? 0;
  const events: { n: number; key: PhaseKey; action: 'open' | 'close' }[] = [];
  for (const [key, a, b] of plan) {
    if (opts.open.includes(key)) events.push({ n: a + shift, key, action: 'open' });
    if (opts.close.includes(key)) events.push({ n: b + shift, key, action: 'close' });
  }
  // Same day: opens before closes, and in the round's order (a phase opens only after the one before it).
  events.sort(
    (x, y) =>
      x.n - y.n ||
      (x.action === y.action ? PHASE_ORDER.indexOf(x.key) - PHASE_ORDER.indexOf(y.key) : x.action === 'open' ? -1 : 1),
  );
  for (const e of events) {
    await opts.day?.(e.n);
    await followPlan(db, as.user, as.actor(cal.at(Math.min(e.n, -1))), campaignId, e.key, e.action);
  }
}

/**
 * Last year's round, closed: every sub-round filed, published, taken through its phases and closed, then the county's.
 * 青山镇's round leaves 前进村 two items: a 巡察 finding closed with evidence, and a long-term one still in progress.
 * Day offsets are written as in this year's plan and moved back a year.
 */
export async function seedDemoLastYear(db: Db, cal: DemoCalendar) {
  const { createCampaign } = await import('../modules/campaigns/create-campaign');
  const { updateSettings } = await import('../modules/campaigns/update-settings');
  const { publishCampaign } = await import('../modules/campaigns/publish-campaign');
  const { reviewFiling, submitFiling } = await import('../modules/campaigns/file-plan');
  const { endCampaign } = await import('../modules/campaigns/end-campaign');
  const { createItem } = await import('../modules/rectification/create-item');
  const { updateItem } = await import('../modules/rectification/update-item');
  const { transitionItem } = await import('../modules/rectification/transition-item');
  const { addProgress } = await import('../modules/rectification/add-progress');
  const { verifyItem } = await import('../modules/rectification/verify-item');
  const { getCampaign } = await import('../modules/campaigns/repo');
  const S = LAST_YEAR_SHIFT;
  const at = (n: number) => cal.at(n + S);
  const admin = await accountAs(db, 'admin');
  const town = await accountAs(db, 'town_admin');
  const secretary = await accountAs(db, 'secretary');
  const ids = await orgIdsByCode(db);

  const created = await createCampaign(db, admin.user, admin.actor(at(-53)), {
    templateId: '002',
    year: cal.year - 1,
    organizerOrgId: ids.get('QH')!,
  });
  const { campaign } = await getCampaign(db, created.id);
  await updateSettings(db, admin.user, admin.actor(at(-53)), created.id, {
    settings: countyRoutes(datedSettings(campaign.settings, cal, LAST_YEAR_PLAN, S), ids),
  });
  const published = await publishCampaign(db, admin.user, admin.actor(at(-50)), created.id);
  const qingshan = published.subCampaigns.find((sub) => sub.organizer.id === ids.get('QH-T01'))!.id;
  const organizerOf = (id: number) => (id === qingshan ? town : admin);
  for (const sub of published.subCampaigns)
    await submitFiling(db, organizerOf(sub.id).user, organizerOf(sub.id).actor(at(-48)), sub.id, '按县委方案执行');
  for (const sub of published.subCampaigns)
    await reviewFiling(db, admin.user, admin.actor(at(-47)), sub.id, 'acknowledge');
  for (const sub of published.subCampaigns)
    await publishCampaign(db, organizerOf(sub.id).user, organizerOf(sub.id).actor(at(-46)), sub.id);

  // The rest in calendar order: phases of every round (sub-rounds before the county when closing: 002 is bottom-up,
  // the county closes its meeting after theirs), 青山镇's items, the closes.
  const steps: { n: number; rank: number; run: () => Promise<unknown> }[] = [];
  const rounds = [...published.subCampaigns.map((sub) => sub.id), created.id];
  for (const [k, id] of rounds.entries()) {
    const as = organizerOf(id);
    for (const [key, a, b] of LAST_YEAR_PLAN) {
      steps.push({ n: a, rank: -1000 + k, run: () => followPlan(db, as.user, as.actor(at(a)), id, key, 'open') });
      steps.push({ n: b, rank: k, run: () => followPlan(db, as.user, as.actor(at(b)), id, key, 'close') });
    }
    steps.push({ n: 231, rank: k, run: () => endCampaign(db, as.user, as.actor(at(231)), id, 'close') });
  }
  const qianjin = ids.get('QH-T01-V01')!;
  const item = (description: string) =>
    createItem(db, town.user, town.actor(at(47)), qingshan, { orgId: qianjin, description });
  let inspection = 0;
  let economy = 0;
  const own = (n: number, run: () => Promise<unknown>) => steps.push({ n, rank: 0, run });
  own(47, async () => {
    inspection = (await item('巡察反馈：村级财务公开不及时，部分项目资金使用情况未按季度公开')).id;
    economy = (await item('村集体经济薄弱，经营性收入主要依靠土地租金，缺少稳定增收项目')).id;
  });
  own(48, async () => {
    await updateItem(db, secretary.user, secretary.actor(at(48)), inspection, {
      rootCause: '村务监督委员会作用发挥不够，公开制度执行不严',
      owner: '前进村党支部书记',
      responsibleLeader: '青山镇纪委书记',
      measures: '每月10日前在村务公开栏和微信群同步公开财务收支，村务监督委员会逐项审核签字',
      deadline: cal.day(140 + S),
    });
    await updateItem(db, secretary.user, secretary.actor(at(48)), economy, {
      rootCause: '产业规划不清，党支部领办合作社起步晚',
      owner: '前进村党支部书记',
      responsibleLeader: '青山镇党委副书记',
      // A long-term item: its deadline lies ahead, so it carries over without being overdue.
      measures: '党支部领办食用菌种植合作社，三年内集体经营性收入达到20万元',
      deadline: cal.day(75),
    });
  });
  own(49, async () => {
    await transitionItem(db, secretary.user, secretary.actor(at(49)), inspection, 'start');
    await transitionItem(db, secretary.user, secretary.actor(at(49)), economy, 'start');
  });
  own(85, () =>
    addProgress(db, secretary.user, secretary.actor(at(85)), inspection, {
      note: '已连续三个月按时公开，村民代表会议通报整改情况',
      percent: 80,
    }),
  );
  own(125, () =>
    transitionItem(db, secretary.user, secretary.actor(at(125)), inspection, 'submit', '整改完成，提交验收'),
  );
  own(130, () =>
    verifyItem(db, town.user, town.actor(at(130)), inspection, {
      result: 'pass',
      evidence: '村务公开栏照片及三个月财务公开台账',
      note: '经实地查看，公开内容完整及时，同意销号',
    }),
  );
  own(165, () =>
    addProgress(db, secretary.user, secretary.actor(at(165)), economy, {
      note: '合作社已注册，建成食用菌大棚8个',
      percent: 40,
    }),
  );
  steps.sort((x, y) => x.n - y.n || x.rank - y.rank);
  for (const st of steps) await st.run();
  return { campaignId: created.id, qingshan, carried: [economy], closed: [inspection] };
}

/** The demo county has no 系统党委 (its organ branches sit directly under the 县直工委), so that rule is dropped. */
export function countyRoutes(s: CampaignSettings, ids: Map<string, number>): CampaignSettings {
  const out = structuredClone(s);
  out.routes = out.routes.slice(1);
  out.routes[0]!.reportTo = ids.get('QH-SQ')!;
  out.routes[1]!.reportTo = ids.get('QH-FG')!;
  return out;
}

export { LIUHE_PLAN, QINGSHAN_PLAN };

/** Deterministic choices from a seed (mulberry32). */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACHIEVEMENTS = [
  '全年召开支委会12次，专题研究党建工作4次，本人讲党课3次，发展党员2名，其中35岁以下1名。',
  '投入资金18万元改造党群服务中心，开设老年食堂，每天服务40余名老人。',
  '党支部领办合作社1个，带动36户增收，村集体经营性收入达到21万元。',
  '组建党员志愿服务队2支，开展人居环境整治15次，清理沟渠8公里。',
  '推行“四议两公开”，全年公开村务事项46项，群众满意率明显提高。',
];
const PROBLEMS = [
  '一是理论学习不够深入，支部集中学习多以读文件为主，全年专题研讨只有2次，学用结合有差距。',
  '二是党员队伍结构老化，60岁以上党员占比超过一半，年轻党员外出务工多，参加组织生活难。',
  '三是“三会一课”质量不高，部分党员大会以传达文件为主，讨论交流少，党员主体作用发挥不充分。',
  '四是村集体经济基础薄弱，经营性收入主要依靠土地租金，缺少稳定增收项目，带动群众增收能力不强。',
  '五是党建与乡村振兴结合不紧，抓产业发展办法不多，对返乡创业青年的引导服务不够主动。',
  '六是流动党员管理松散，外出党员中有的全年未参加组织生活，联系方式更新不及时。',
];
const CAUSES = [
  '根源在于本人抓党建的责任意识还不够强，重业务轻党建的思想仍然存在，对党建工作研究部署多、督促检查少。',
  '对年轻人才的发现培养缺乏长远规划，制度执行不够严格，考核激励作用发挥不够。',
  '对上年度点评指出的问题，整改跟踪不够及时，有的问题只改了表面，没有建立长效机制。',
];
const MEASURES = [
  '一是建立月学习制度，每月至少开展1次专题研讨，由支委轮流领学。',
  '二是实施“头雁”培养计划，明年发展35岁以下党员2名，储备后备干部3名。',
  '三是规范“三会一课”，每次党员大会确定1个议题充分讨论。',
  '四是发展特色种植，争取项目资金30万元，力争集体经营性收入增长20%。',
  '五是每半年对照问题清单开展1次自查，整改情况在党员大会上通报，接受党员群众监督。',
];

/** A 述职报告 in the four required parts, achievements well under a third, varied per organization. */
export function demoReportSections(orgName: string, variant: number) {
  const pick = <T>(xs: T[], n: number) => xs.map((_, i) => xs[(i + variant) % xs.length]!).slice(0, n);
  return [
    { key: 'achievements', title: '工作成效', text: `${orgName}党组织：${pick(ACHIEVEMENTS, 2).join('')}` },
    { key: 'problems', title: '突出问题', text: pick(PROBLEMS, 5).join('') },
    { key: 'causes', title: '问题根源', text: pick(CAUSES, 3).join('') },
    { key: 'measures', title: '破解措施', text: pick(MEASURES, 5).join('') },
  ];
}

const BALLOT_PROBLEMS = [
  '村务公开不够及时',
  '党员活动阵地利用不充分',
  '年轻党员发展偏少',
  '集体经济增收办法不多',
  '联系服务群众不够经常',
];
const BALLOT_SUGGESTIONS = ['建议每月固定主题党日', '建议发展特色产业', '建议加强流动党员管理', '建议完善村规民约'];

/**
 * Grades a village gets from the 30 people who rated at 柳河镇's meeting: most 好/较好, two villages with more
 * 一般 (one of them is suggested 一般, so its flags — 约谈提醒, 限期整改 — follow).
 */
function ballotGrades(index: number, voters: number, rand: () => number): Grade[] {
  const profile: [number, number, number, number] =
    index === 10
      ? [0.1, 0.35, 0.5, 0.05]
      : index === 7
        ? [0.25, 0.45, 0.3, 0]
        : index < 3
          ? [0.8, 0.2, 0, 0]
          : [0.55, 0.4, 0.05, 0];
  const grades: Grade[] = ['good', 'fair', 'average', 'poor'];
  return Array.from({ length: voters }, () => {
    let r = rand();
    for (let g = 0; g < 4; g++) {
      if (r < profile[g]!) return grades[g]!;
      r -= profile[g]!;
    }
    return 'good';
  });
}

/**
 * 柳河镇's round from its plan to rectification, on its own dates (it finished early): reports by its village
 * secretaries, the meeting with 点评 and a real ballot round, the composite evaluation locked with opinions, result
 * flags and their follow-ups, rectification items started from the meeting's 点评.
 */
export async function seedLiuheRound(
  database: Database,
  cal: DemoCalendar,
  day: (n: number) => Promise<void>,
  campaignId: number,
) {
  const db = database.db;
  const { publishCampaign } = await import('../modules/campaigns/publish-campaign');
  const { openReport } = await import('../modules/reports/open-report');
  const { saveReport } = await import('../modules/reports/save-report');
  const { transitionReport } = await import('../modules/reports/transition-report');
  const { createMeeting } = await import('../modules/meetings/create-meeting');
  const { defaultAgendaEntries, setAgenda } = await import('../modules/meetings/set-agenda');
  const { saveAttendance } = await import('../modules/meetings/save-attendance');
  const { addComment } = await import('../modules/meetings/comments');
  const { closeMeeting, setStep } = await import('../modules/meetings/set-step');
  const { closeVoting, createRound, openVoting, releaseResults } = await import('../modules/ballots/manage-round');
  const { issueCodes } = await import('../modules/ballots/issue-codes');
  const { BallotMixer } = await import('../modules/ballots/mixer');
  const { saveInputs } = await import('../modules/evaluation/inputs');
  const { recomputeEvaluation } = await import('../modules/evaluation/recompute');
  const { setFinalGrade, setOpinion } = await import('../modules/evaluation/decide');
  const { lockEvaluation } = await import('../modules/evaluation/lock');
  const { deriveResultFlags } = await import('../modules/results/derive-flags');
  const { createItem } = await import('../modules/rectification/create-item');
  const { updateItem } = await import('../modules/rectification/update-item');
  const { transitionItem } = await import('../modules/rectification/transition-item');
  const { addProgress } = await import('../modules/rectification/add-progress');
  const { inboxEntries } = await import('../modules/rectification/inbox');
  const { campaignOf, requireReporter } = await import('../modules/rectification/repo');
  const rand = rng(20251231);
  const liuhe = await accountAs(db, 'liuhe_admin');

  const phase = async (n: number, key: PhaseKey, action: 'open' | 'close') => {
    await day(n);
    await followPlan(db, liuhe.user, liuhe.actor(cal.at(n)), campaignId, key, action);
  };
  await day(-45);
  await publishCampaign(db, liuhe.user, liuhe.actor(cal.at(-45)), campaignId);
  await phase(-45, 'preparation', 'open');
  await phase(-44, 'preparation', 'close');
  await phase(-43, 'reports', 'open');
  await phase(-40, 'review', 'open');

  const reporters = await queryRows<{ id: number; orgId: number; orgName: string; username: string }>(
    db,
    sql`
    select r.id, r.org_id as "orgId", o.name as "orgName", u.username
    from campaign_reporters r join organizations o on o.id = r.org_id join users u on u.org_id = r.org_id and u.role = 'secretary'
    where r.campaign_id = ${campaignId} and r.role = 'reporter' and r.removed_at is null order by o.code`,
  );
  const authors = new Map<number, As>();
  const reportIds = new Map<number, number>();
  // Written over a week, each submitted two days later and approved two days after that.
  const steps: { n: number; i: number; act: 'write' | 'submit' | 'approve' }[] = [];
  for (const [i, r] of reporters.entries()) {
    authors.set(r.id, await accountAs(db, r.username));
    const first = -36 + (i % 6);
    steps.push({ n: first, i, act: 'write' }, { n: first + 2, i, act: 'submit' }, { n: first + 4, i, act: 'approve' });
  }
  steps.sort((a, b) => a.n - b.n || a.i - b.i);
  for (const { n, i, act } of steps) {
    await day(n);
    const r = reporters[i]!;
    const sec = authors.get(r.id)!;
    if (act === 'write') {
      const reportId = await openReport(db, sec.user, sec.actor(cal.at(n)), r.id);
      reportIds.set(r.id, reportId);
      await saveReport(
        db,
        sec.user,
        sec.actor(cal.at(n)),
        reportId,
        demoReportSections(r.orgName.replace(/党(总)?支部$/, ''), i),
        cal.day(n),
      );
    } else if (act === 'submit') {
      await transitionReport(db, sec.user, sec.actor(cal.at(n)), reportIds.get(r.id)!, 'submit', '', cal.day(n));
    } else {
      await transitionReport(
        db,
        liuhe.user,
        liuhe.actor(cal.at(n)),
        reportIds.get(r.id)!,
        'approve',
        '符合要求，同意提交述职评议会',
        cal.day(n),
      );
    }
  }
  await phase(-27, 'reports', 'close');
  await phase(-24, 'review', 'close');

  // The meeting (一述一评), its attendance and 点评.
  await day(-25);
  const meeting = await createMeeting(db, liuhe.user, liuhe.actor(cal.at(-25)), campaignId, {
    title: `柳河镇${cal.year}年度党组织书记抓基层党建工作述职评议会`,
    meetingDate: cal.day(-20),
    place: '柳河镇党群服务中心三楼会议室',
    chair: '镇党委书记',
    recorder: '党建办工作人员',
  });
  await setAgenda(db, liuhe.user, liuhe.actor(cal.at(-25)), meeting.id, await defaultAgendaEntries(db, campaignId));
  const present = { committee: 7, deputies: 8, grassroots: 15 };
  await day(-21);
  await saveAttendance(db, liuhe.user, liuhe.actor(cal.at(-21)), meeting.id, [
    { categoryKey: 'committee', expected: 7, present: present.committee, names: '镇党委委员' },
    { categoryKey: 'deputies', expected: 9, present: present.deputies, names: null },
    { categoryKey: 'grassroots', expected: 16, present: present.grassroots, names: null },
    { categoryKey: 'observers', expected: 1, present: 1, names: '县委组织部组织二股' },
  ]);
  await phase(-20, 'meeting', 'open');
  const at = () => liuhe.actor(cal.at(-20));
  await setStep(db, liuhe.user, at(), meeting.id, 'reports');
  const agenda = await queryRows<{ id: number; reporterId: number }>(
    db,
    sql`
    select id, reporter_id as "reporterId" from meeting_agenda_items where meeting_id = ${meeting.id} order by position`,
  );
  const COMMENTS = [
    '抓党建促乡村振兴思路清晰，但集体经济增收办法不多，要在发展特色产业上下功夫。',
    '“三会一课”落实不够规范，党员大会讨论交流少，要提高组织生活质量。',
    '发展党员工作有断档，年轻党员偏少，要把返乡青年中的优秀分子培养成党员。',
    '村务公开不够及时，群众对部分项目资金使用有疑问，要严格落实“四议两公开”。',
  ];
  for (const [i, item] of agenda.entries()) {
    await addComment(db, liuhe.user, at(), meeting.id, {
      agendaItemId: item.id,
      kind: 'comment',
      authorName: '镇党委书记',
      authorRole: '主持人',
      body: COMMENTS[i % COMMENTS.length]!,
    });
  }

  // One real ballot round: codes printed for everyone present, voting opened and closed on the day.
  await setStep(db, liuhe.user, at(), meeting.id, 'rating');
  const round = await createRound(db, liuhe.user, at(), meeting.id, 'real');
  const rating = ['committee', 'deputies', 'grassroots'] as const;
  for (const c of rating) await issueCodes(db, liuhe.user, at(), round.id, c, present[c]);
  await openVoting(db, liuhe.user, at(), round.id);
  const mixer = new BallotMixer(() => db, { queued: () => {}, committed: () => {}, failed: () => {} });
  await closeVoting(db, liuhe.user, at(), round.id, undefined, { database, mixer });
  // The phone ballots, as seeded data: each code rated every reporter once (its uses), the ballots beside them.
  const codes = await queryRows<{ id: number; category: string }>(
    db,
    sql`select id, category from ballot_codes where round_id = ${round.id} order by id`,
  );
  const uses: { codeId: number; reporterId: number }[] = [];
  const rows: {
    roundId: number;
    reporterId: number;
    category: string;
    grade: Grade;
    problems: string | null;
    suggestions: string | null;
  }[] = [];
  for (const [i, r] of reporters.entries()) {
    const grades = ballotGrades(i, codes.length, rand);
    codes.forEach((c, k) => {
      uses.push({ codeId: c.id, reporterId: r.id });
      const lower = grades[k] !== 'good';
      rows.push({
        roundId: round.id,
        reporterId: r.id,
        category: c.category,
        grade: grades[k]!,
        problems: lower && rand() < 0.6 ? BALLOT_PROBLEMS[Math.floor(rand() * BALLOT_PROBLEMS.length)]! : null,
        suggestions: rand() < 0.25 ? BALLOT_SUGGESTIONS[Math.floor(rand() * BALLOT_SUGGESTIONS.length)]! : null,
      });
    });
  }
  const { ballotCodeUses, ballots } = await import('./schema');
  for (let i = 0; i < uses.length; i += 500) await db.insert(ballotCodeUses).values(uses.slice(i, i + 500));
  for (let i = 0; i < rows.length; i += 500) await db.insert(ballots).values(rows.slice(i, i + 500));
  await releaseResults(db, liuhe.user, at(), round.id, undefined);
  await setStep(db, liuhe.user, at(), meeting.id, 'summary');
  await closeMeeting(db, liuhe.user, at(), meeting.id);
  await phase(-19, 'meeting', 'close');

  // 综合评价: 平时掌握 and 述职评议 scores, the composite, the committee's opinions, the lock.
  await phase(-19, 'evaluation', 'open');
  await day(-16);
  await saveInputs(
    db,
    liuhe.user,
    liuhe.actor(cal.at(-16)),
    campaignId,
    reporters.map((r, i) => ({
      reporterId: r.id,
      dailyScore: i === 10 ? 72 : 80 + ((i * 7) % 17),
      dailyNote: null,
      reportScore: i === 10 ? 70 : 82 + ((i * 5) % 15),
      reportNote: null,
      majorError: false,
      majorErrorNote: null,
      accountability: false,
      accountabilityNote: null,
    })),
    'form',
  );
  await day(-15);
  const recomputeAt = liuhe.actor(cal.at(-15));
  await recomputeEvaluation(db, campaignId, { actor: recomputeAt, now: recomputeAt.at });
  await day(-13);
  // 不能唯票定档 (R-GRADE-4): the committee grades the weakest village 一般, with its reason on record.
  const weakest = reporters[10]!;
  await setFinalGrade(db, liuhe.user, liuhe.actor(cal.at(-13)), campaignId, weakest.id, {
    grade: 'average',
    reason:
      '测评中“一般”票占比较高，镇党委实地了解村务公开不及时、集体经济增收乏力等问题突出，经镇党委会议研究定为一般',
  });
  for (const [i, r] of reporters.entries()) {
    await setOpinion(db, liuhe.user, liuhe.actor(cal.at(-13)), campaignId, r.id, {
      achievements: `${r.orgName}书记履行第一责任人职责较好，${ACHIEVEMENTS[i % ACHIEVEMENTS.length]!.replace(/。$/, '')}。`,
      problems: PROBLEMS[(i + 3) % PROBLEMS.length]!.replace(/^[一二三四五六]是/, ''),
      direction: MEASURES[(i + 1) % MEASURES.length]!.replace(/^[一二三四五]是/, '下一步要'),
    });
  }
  await day(-12);
  await lockEvaluation(db, liuhe.user, liuhe.actor(cal.at(-12)), campaignId, `镇党委会议（${cal.day(-12)}）研究确定`);
  await phase(-12, 'evaluation', 'close');

  // 结果运用 and 整改: flags with their follow-ups; each 点评 becomes an item, started by the village secretary.
  await phase(-11, 'feedback', 'open');
  await phase(-11, 'rectification', 'open');
  await day(-11);
  await deriveResultFlags(db, liuhe.user, liuhe.actor(cal.at(-11)), campaignId, {
    talkDueDays: 30,
    rectifyDueDays: 90,
    strengthenDueDays: 180,
  });
  const campaign = await campaignOf(db, campaignId);
  const made: { i: number; r: (typeof reporters)[number]; id: number }[] = [];
  await day(-10);
  for (const [i, r] of reporters.entries()) {
    const rep = await requireReporter(db, campaignId, r.orgId);
    const entry = (await inboxEntries(db, liuhe.user, campaign, rep)).find((e) => e.sourceType === 'comment');
    if (!entry) continue;
    const item = await createItem(db, liuhe.user, liuhe.actor(cal.at(-10)), campaignId, {
      orgId: r.orgId,
      fromKey: entry.key,
    });
    // Every fourth is still to be planned by its secretary.
    if (i % 4 !== 3) made.push({ i, r, id: item.id });
  }
  await day(-9);
  for (const { i, r, id } of made) {
    const sec = authors.get(r.id)!;
    await updateItem(db, sec.user, sec.actor(cal.at(-9)), id, {
      rootCause: CAUSES[i % CAUSES.length]!,
      owner: `${r.orgName.replace(/党(总)?支部$/, '')}党组织书记`,
      responsibleLeader: '柳河镇党委副书记',
      measures: MEASURES[i % MEASURES.length]!.replace(/^[一二三四五]是/, ''),
      deadline: cal.day(30 + (i % 5) * 15),
    });
  }
  await day(-8);
  for (const { r, id } of made) {
    const sec = authors.get(r.id)!;
    await transitionItem(db, sec.user, sec.actor(cal.at(-8)), id, 'start');
  }
  await day(-3);
  for (const { i, r, id } of made.filter((m) => m.i % 2 === 0)) {
    const sec = authors.get(r.id)!;
    await addProgress(db, sec.user, sec.actor(cal.at(-3)), id, {
      note: i % 4 === 0 ? '已制定整改方案并在党员大会上通报' : '整改措施已落实一半，正在推进',
      percent: 30 + (i % 3) * 10,
    });
  }
  return { meetingId: meeting.id, roundId: round.id, items: made.length };
}

/**
 * This year's round as a set of storylines run in calendar order. `living` (the product's first start) adds last
 * year's closed round before it and the townships that moved on; without it (end-to-end specs that drive the rest
 * themselves) the county round is published with 青山镇's plan filed and 白水镇's returned.
 */
export async function seedDemoYear(db: Db, cal: DemoCalendar, opts: { living: Database | null }) {
  const { createCampaign } = await import('../modules/campaigns/create-campaign');
  const { updateSettings } = await import('../modules/campaigns/update-settings');
  const { publishCampaign } = await import('../modules/campaigns/publish-campaign');
  const { reviewFiling, submitFiling } = await import('../modules/campaigns/file-plan');
  const { getCampaign } = await import('../modules/campaigns/repo');
  const { carryOver } = await import('../modules/rectification/carry-over');
  const admin = await accountAs(db, 'admin');
  const town = await accountAs(db, 'town_admin');
  const ids = await orgIdsByCode(db);
  let campaignId = 0;
  const subs = new Map<string, number>();
  /** A township's own plan on its own dates, filed with the county (R-CAMP-3). */
  const ownPlan = async (
    as: As,
    n: number,
    code: string,
    plan: Plan,
    note: string,
    tweak: (s: CampaignSettings) => void = () => {},
  ) => {
    const id = subs.get(code)!;
    const { campaign } = await getCampaign(db, id);
    const settings = datedSettings(campaign.settings, cal, plan);
    tweak(settings);
    await updateSettings(db, as.user, as.actor(cal.at(n)), id, { settings });
    await submitFiling(db, as.user, as.actor(cal.at(n)), id, note);
  };

  const county = async (day: (n: number) => Promise<void>) => {
    await day(-54);
    const created = await createCampaign(db, admin.user, admin.actor(cal.at(-54)), {
      templateId: '002',
      year: cal.year,
      organizerOrgId: ids.get('QH')!,
    });
    campaignId = created.id;
    const { campaign } = await getCampaign(db, created.id);
    await updateSettings(db, admin.user, admin.actor(cal.at(-54)), created.id, {
      settings: countyRoutes(datedSettings(campaign.settings, cal, COUNTY_PLAN), ids),
    });
    await day(-53);
    const published = await publishCampaign(db, admin.user, admin.actor(cal.at(-53)), created.id);
    for (const s of published.subCampaigns) subs.set([...ids].find(([, v]) => v === s.organizer.id)![0], s.id);
    for (const [n, key, action] of [
      [-52, 'preparation', 'open'],
      [-46, 'preparation', 'close'],
      [-45, 'reports', 'open'],
      [-40, 'review', 'open'],
    ] as const) {
      await day(n);
      await followPlan(db, admin.user, admin.actor(cal.at(n)), created.id, key, action);
    }
    await day(-30);
    await (await import('../modules/assessment/demo')).seedDemoAssessment(db, {
      now: cal.at(-30),
      campaignId: created.id,
    });
    await (await import('../modules/surveys/demo')).seedDemoSurvey(db, { now: cal.at(-30), campaignId: created.id });
  };
  const baishui = async (day: (n: number) => Promise<void>) => {
    await day(-48);
    await submitFiling(db, admin.user, admin.actor(cal.at(-48)), subs.get('QH-T02')!, '拟采取书面述职');
    await day(-47);
    await reviewFiling(
      db,
      admin.user,
      admin.actor(cal.at(-47)),
      subs.get('QH-T02')!,
      'return',
      '村党组织书记应以现场述职为主，请调整后重新报备',
    );
  };
  const qingshan = async (day: (n: number) => Promise<void>) => {
    await day(-49);
    if (!opts.living) {
      await submitFiling(
        db,
        town.user,
        town.actor(cal.at(-49)),
        subs.get('QH-T01')!,
        '按县委方案执行，镇述职评议会在县委规定时间前召开',
      );
      return;
    }
    await ownPlan(town, -49, 'QH-T01', QINGSHAN_PLAN, `按县委方案执行，${cal.day(12)}召开镇述职评议会`);
    const id = subs.get('QH-T01')!;
    await day(-47);
    await reviewFiling(db, admin.user, admin.actor(cal.at(-47)), id, 'acknowledge');
    await day(-44);
    await publishCampaign(db, town.user, town.actor(cal.at(-44)), id);
    await runPhases(db, town, cal, id, QINGSHAN_PLAN, {
      open: ['preparation', 'reports'],
      close: ['preparation'],
      day,
    });
    // Last year's open items and 巡察 feedback land in each village's preparation list (R-PREP-1, R-FIX-4).
    await day(-39);
    await carryOver(db, town.user, town.actor(cal.at(-39)), id);
    await runPhases(db, town, cal, id, QINGSHAN_PLAN, { open: ['review'], close: [], day });
  };
  const liuhe = async (day: (n: number) => Promise<void>) => {
    const as = await accountAs(db, 'liuhe_admin');
    await day(-49);
    // Its own rule on top of the county's: 好 at most a third (as 001 has it), so the grades are told apart.
    await ownPlan(as, -49, 'QH-T03', LIUHE_PLAN, '镇党委提前部署，述职评议会安排在县委规定时间之前', (s) => {
      s.grading.quotas.push({ grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor', hard: true });
    });
    await day(-48);
    await reviewFiling(db, admin.user, admin.actor(cal.at(-48)), subs.get('QH-T03')!, 'acknowledge');
    await seedLiuheRound(opts.living!, cal, day, subs.get('QH-T03')!);
  };
  const shiqiao = async (day: (n: number) => Promise<void>) => {
    await day(-2);
    await submitFiling(db, admin.user, admin.actor(cal.at(-2)), subs.get('QH-T04')!, '按县委方案执行');
  };
  await runStory(opts.living ? [county, qingshan, baishui, liuhe, shiqiao] : [county, qingshan, baishui]);
  return { campaignId, subCampaigns: subs.size, qingshan: subs.get('QH-T01')!, liuhe: subs.get('QH-T03')! };
}
