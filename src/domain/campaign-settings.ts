/**
 * Everything a campaign (方案) fixes at the start that later phases read. Where the seeds differ,
 * the rule is a setting here and each seed's values live in campaign-templates.ts (R-CAMP-7).
 */
import { z } from 'zod';
import { AppError } from './errors';
import { COMPONENT_LABELS, COMPONENTS } from './composite';
import { GRADE_LABELS, GRADES, gradeSetLabel } from './grades';
import { shareLabel, validateQuotaRules, type Share } from './quotas';
import { SECTOR_CODES, SECTORS, sectorLabel } from './org-taxonomy';
import { orgMatchSchema, orgMatches, routeRuleSchema, scopePlanSchema, type OrgNode } from './routes';
import { addDays, phaseLabel, phasePlanSchema, validatePhasePlans, type PhaseKey } from './campaign-phases';
import { formatDateProse } from './calendar';

/** Checks run on a report before submission; the campaign decides which of them block it. */
export const REPORT_CHECKS = [
  { code: 'length', label: '字数上限' },
  { code: 'achievements_share', label: '成绩篇幅比例' },
  { code: 'required_sections', label: '必备内容' },
  { code: 'rectification_items', label: '回应上年度整改事项' },
  { code: 'key_content_items', label: '回应年度重点内容' },
] as const;
export type ReportCheck = (typeof REPORT_CHECKS)[number]['code'];

/** Who may read the published reports (R-REP-7: "在一定范围内公布"). */
export const AUDIENCES = [
  { code: 'committee', label: '仅本级党委' },
  { code: 'own_organization', label: '述职党组织的党员群众' },
  { code: 'campaign_scope', label: '参加述职评议考核的各基层党组织和党员群众' },
  { code: 'public', label: '社会公开' },
] as const;

const codes = <T extends readonly { code: string }[]>(list: T) =>
  list.map((x) => x.code) as [T[number]['code'], ...T[number]['code'][]];
const date = z.iso.date();
const text = z.string().trim().min(1);
/** A fraction ({num: 1, den: 3}) or a decimal (0.4), as quotas.ts reads shares. */
const share = z.union([
  z
    .object({ num: z.number().int().nonnegative(), den: z.number().int().positive() })
    .refine((f) => f.num <= f.den, { message: '比例应在0到1之间' }),
  z.number().min(0).max(1),
]);

/** The shape quotas.ts checks; its own validation (shape and joint feasibility) runs on top. */
const quotaSchema = z.object({
  grades: z.array(z.enum(GRADES)).min(1),
  op: z.enum(['max', 'min']),
  share: share.optional(),
  count: z.number().int().nonnegative().optional(),
  rounding: z.enum(['floor', 'ceil', 'round']).optional(),
  /** false where the seed gives a guide rather than a limit (003: "40%左右"). */
  hard: z.boolean(),
});

const ballotFormSchema = z.object({
  title: text,
  /** "XX" stands for the organization being rated, as in the seed's forms. */
  overall: text,
  problems: text,
  suggestions: text,
  note: text,
});
export type BallotForm = z.infer<typeof ballotFormSchema>;

const reporterTierSchema = z.object({
  key: text,
  label: text,
  match: orgMatchSchema.pick({ sectors: true, kinds: true, levels: true }),
  charLimit: z.number().int().positive().nullable(),
  speakingMinutes: z.number().int().positive().nullable(),
  writtenOnlyAllowed: z.boolean(),
});
export type ReporterTier = z.infer<typeof reporterTierSchema>;

const percent = z.number().int().min(0).max(100);

/** 点评方式 (R-MEET-1): 一述一评 — each speech followed by its 点评 (003); 集中点评 — all speeches, then the 点评 (004). */
export const COMMENT_MODES = [
  { code: 'one_by_one', label: '一述一评' },
  { code: 'collective', label: '集中点评' },
] as const;
export type CommentMode = (typeof COMMENT_MODES)[number]['code'];
export const commentModeLabel = (m: string) => COMMENT_MODES.find((x) => x.code === m)?.label ?? m;

/** Who decides key management (R-USE-4): each round for itself, or the organizer across its lower levels' rounds (004). */
export const KEY_SCOPES = [
  { code: 'own_round', label: '本级述职对象' },
  { code: 'sub_rounds', label: '各下级述职评议考核的基层党组织统一排序' },
] as const;

const honourSchema = z.object({ key: text, label: text, margin: z.number().min(1).max(5) });

export const settingsSchema = z.object({
  organizing: z.object({
    mode: z.enum(['top_down', 'bottom_up']),
    /** Deadlines by which lower levels finish their own rounds (R-CAMP-2, 002's 12-25 / 1-15 / 1-31). */
    stages: z.array(z.object({ key: text, label: text, completeBy: date })),
  }),
  scopePlan: scopePlanSchema,
  routes: z.array(routeRuleSchema),
  keyContentItems: z.array(z.object({ id: text, title: text, description: z.string() })).min(1),
  /** First matching tier wins (R-REP-1, R-REP-8, R-MEET-4). */
  reporterTiers: z.array(reporterTierSchema).min(1),
  report: z.object({
    achievementsMaxShare: share.nullable(),
    requiredSections: z.array(z.object({ key: text, title: text, minChars: z.number().int().nonnegative() })),
    blockingChecks: z.array(z.enum(codes(REPORT_CHECKS))),
    dueDaysBeforeMeeting: z.number().int().nonnegative(),
    lateSubmissionAllowed: z.boolean(),
    supervisorSignOffRequired: z.boolean(),
    paperCopyRequired: z.boolean(),
    attachments: z.object({ allowed: z.boolean(), maxSizeMb: z.number().positive() }),
    publicationAudience: z.enum(codes(AUDIENCES)),
  }),
  meeting: z.object({
    downwardReview: z.boolean(),
    selfCommitteeReport: z.object({ enabled: z.boolean(), completeBy: date.nullable() }),
    observers: z.object({ required: z.boolean(), byGroup: z.boolean() }),
    ballotForms: z.object({ reporter: ballotFormSchema, downward: ballotFormSchema.nullable() }),
    commentMode: z.enum(codes(COMMENT_MODES)).default('collective'),
  }),
  ballots: z.object({
    /** Weight 0: attends without rating (观察员). The others' weights share the ballot score. */
    categories: z.array(z.object({ key: text, label: text, weight: percent })).min(1),
    /** Smaller groups are not broken out, so nobody's ballot can be inferred. */
    minGroupSize: z.number().int().positive(),
  }),
  grading: z.object({
    points: z.object({ good: percent, fair: percent, average: percent, poor: percent }),
    quotas: z.array(quotaSchema),
    autoPoor: z.object({
      averageOrPoorShareAbove: share.nullable(),
      majorError: z.boolean(),
      accountability: z.boolean(),
    }),
    /** Keys of composite.ts's COMPONENTS, so compositeScore takes them as they are. */
    compositeWeights: z.record(z.enum(COMPONENTS), percent),
    /**
     * The plan sets no share of 较好 or below (004), yet 000 §6 asks for one: the committee states it at the lock, where
     * it is enforced as a hard minimum and recorded.
     */
    lowerShareStatedAtLock: z.boolean().default(false),
  }),
  fieldAssessment: z.object({ enabled: z.boolean() }),
  survey: z.object({ enabled: z.boolean(), sampleSize: z.number().int().nonnegative() }),
  keyManagement: z.object({
    enabled: z.boolean(),
    minShares: z.record(z.enum(SECTOR_CODES), share),
    scope: z.enum(codes(KEY_SCOPES)).default('own_round'),
  }),
  /** 平行考核、差额否决 (R-USE-5): the honours vetoed by the party-building result, each with its margin (1:1.5). */
  parallel: z
    .object({
      /** Percent of the party-building composite carried into the annual performance total. */
      ratio: z.number().min(0).max(100),
      honours: z.array(honourSchema),
    })
    .default({ ratio: 20, honours: [{ key: 'honour', label: '评先评优', margin: 1.5 }] }),
  summary: z.object({
    dueDaysAfterRound: z.number().int().nonnegative(),
    resultsDueDate: date.nullable(),
    /**
     * The upper body (e.g. 中共乌审旗委组织部) the summary goes to when it is not in this deployment (000 §8: every level
     * reports its round upward); a default the organizer can change when sending.
     */
    upperBody: z.string().trim().max(100).nullable().default(null),
  }),
  phases: z.array(phasePlanSchema),
});
export type CampaignSettings = z.infer<typeof settingsSchema>;

const FIELD_LABELS: Record<string, string> = {
  organizing: '组织方式',
  mode: '方式',
  stages: '分级完成时限',
  key: '编号',
  label: '名称',
  completeBy: '完成时间',
  scopePlan: '范围构成',
  sectors: '领域',
  count: '数量',
  routes: '述职路由',
  match: '适用范围',
  kinds: '组织类别',
  levels: '层级',
  subtreeOf: '所属上级',
  maxDepth: '层数',
  orgIds: '党组织',
  reportTo: '听取述职的党组织',
  keyContentItems: '重点内容',
  id: '编号',
  title: '标题',
  description: '说明',
  reporterTiers: '述职对象类别',
  charLimit: '字数上限',
  speakingMinutes: '发言时间（分钟）',
  writtenOnlyAllowed: '可书面述职',
  report: '述职报告',
  achievementsMaxShare: '成绩篇幅比例',
  num: '分子',
  den: '分母',
  requiredSections: '必备内容',
  minChars: '最少字数',
  blockingChecks: '阻止提交的检查',
  dueDaysBeforeMeeting: '会前报送天数',
  lateSubmissionAllowed: '允许逾期报送',
  supervisorSignOffRequired: '主管领导审阅签字',
  paperCopyRequired: '报送纸质版',
  attachments: '附件',
  allowed: '允许',
  maxSizeMb: '大小上限（MB）',
  publicationAudience: '公开范围',
  meeting: '述职评议会',
  downwardReview: '下评',
  selfCommitteeReport: '向本级党委述职',
  enabled: '开展',
  observers: '上级派员指导',
  required: '必须',
  byGroup: '分组指导',
  ballotForms: '评议表',
  reporter: '述职评议表',
  downward: '下评评议表',
  overall: '总体评价',
  problems: '问题不足',
  suggestions: '意见建议',
  note: '填表说明',
  ballots: '测评',
  categories: '参评人员类别',
  weight: '权重',
  minGroupSize: '最小统计人数',
  grading: '综合评价',
  points: '等次分值',
  quotas: '等次比例',
  grades: '等次',
  op: '方式',
  share: '比例',
  rounding: '取整方式',
  autoPoor: '自动定为“差”',
  averageOrPoorShareAbove: '“一般”“差”票比例',
  majorError: '重大失误',
  accountability: '被问责',
  compositeWeights: '综合评价权重',
  fieldAssessment: '实地考核',
  survey: '满意度调查',
  sampleSize: '样本数',
  keyManagement: '重点管理',
  minShares: '最低比例',
  summary: '总结报告',
  dueDaysAfterRound: '报送时限（天）',
  resultsDueDate: '结果报送截止日期',
  phases: '阶段',
  start: '开始日期',
  end: '结束日期',
  hard: '硬性约束',
  commentMode: '点评方式',
  scope: '范围',
  lowerShareStatedAtLock: '锁定时由党委确定“较好”及以下比例',
  parallel: '平行考核',
  ratio: '折算比例',
  honours: '差额否决事项',
  margin: '差额比例',
  upperBody: '上级党组织（本系统外）',
  ...GRADE_LABELS,
  ...Object.fromEntries(SECTORS.map((s) => [s.code, s.label])),
};

const COMPONENT_NAMES: Record<string, string> = COMPONENT_LABELS;
// Composite parts reuse top-level key names ('report', 'ballots') with other meanings.
const segmentName = (p: PropertyKey, parent: PropertyKey | undefined) =>
  (parent === 'compositeWeights' ? COMPONENT_NAMES[String(p)] : undefined) ?? FIELD_LABELS[String(p)] ?? String(p);
const fieldName = (path: PropertyKey[]) =>
  path.map((p, i) => (typeof p === 'number' ? `第${p + 1}项` : segmentName(p, path[i - 1]))).join('·');

/** zod's own wording is for developers; organizers read these. */
const zhIssue: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? '必须填写' : '类型不正确';
    case 'too_small':
      if (iss.origin === 'string') return '不能为空';
      if (iss.origin === 'array') return `至少需要${iss.minimum}项`;
      return iss.inclusive ? `不能小于${iss.minimum}` : `必须大于${iss.minimum}`;
    case 'too_big':
      return iss.origin === 'number' ? `不能大于${iss.maximum}` : `不能超过${iss.maximum}`;
    case 'invalid_format':
      return iss.format === 'date' ? '日期格式应为YYYY-MM-DD' : '格式不正确';
    case 'invalid_value':
      return '不是允许的选项';
    default:
      return '取值无效';
  }
};

const invalid = (field: string, message: string) => new AppError('INVALID_SETTINGS', message, { field });

/** quotas.ts names rules by their position in its own list; here they sit under grading.quotas. */
function checkQuotas(quotas: CampaignSettings['grading']['quotas']) {
  try {
    validateQuotaRules(quotas);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const d = e.details as { index?: number; indices?: number[] } | undefined;
    const index = d?.index ?? d?.indices?.at(-1);
    throw invalid(index === undefined ? 'grading.quotas' : `grading.quotas.${index}`, e.message);
  }
}

function checkUnique(items: { key: string }[], path: string, what: string) {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.key)) throw invalid(`${path}.${i}.key`, `${what}编号重复：${it.key}`);
    seen.add(it.key);
  });
}

function checkWeights(s: CampaignSettings) {
  const w = s.grading.compositeWeights;
  const total = COMPONENTS.reduce((sum, c) => sum + w[c], 0);
  if (total !== 100) throw invalid('grading.compositeWeights', `综合评价各项权重之和应为100，当前为${total}`);
  if (!s.fieldAssessment.enabled && w.field > 0) {
    throw invalid('grading.compositeWeights.field', '未开展实地考核，「实地考核」权重应为0');
  }
  if (!s.survey.enabled && w.survey > 0) {
    throw invalid('grading.compositeWeights.survey', '未开展满意度调查，「满意度调查」权重应为0');
  }
  const ballotTotal = s.ballots.categories.reduce((sum, c) => sum + c.weight, 0);
  if (ballotTotal !== 100) throw invalid('ballots.categories', `参评人员各类别权重之和应为100，当前为${ballotTotal}`);
  GRADES.forEach((g, i) => {
    const prev = GRADES[i - 1];
    if (prev && s.grading.points[g] >= s.grading.points[prev]) {
      throw invalid(
        `grading.points.${g}`,
        `等次分值应依次递减：「${GRADE_LABELS[g]}」不应高于或等于「${GRADE_LABELS[prev]}」`,
      );
    }
  });
}

function checkDates(s: CampaignSettings) {
  validatePhasePlans(s.phases);
  const at = (key: PhaseKey) => s.phases.findIndex((p) => p.key === key);
  const reports = s.phases[at('reports')]!;
  const meeting = s.phases[at('meeting')]!;
  const due = addDays(meeting.start, -s.report.dueDaysBeforeMeeting);
  if (reports.end > due) {
    throw invalid(
      `phases.${at('reports')}.end`,
      `述职报告应在述职评议会召开${s.report.dueDaysBeforeMeeting}天前报送，「述职报告」阶段应不晚于${formatDateProse(due)}结束`,
    );
  }
  const summaryAt = at('summary');
  if (summaryAt >= 0) {
    const roundEnd = s.phases
      .filter((p) => (['meeting', 'field', 'evaluation', 'feedback'] as PhaseKey[]).includes(p.key))
      .reduce((latest, p) => (p.end > latest ? p.end : latest), '');
    const limit = addDays(roundEnd, s.summary.dueDaysAfterRound);
    if (s.phases[summaryAt]!.end > limit) {
      throw invalid(
        `phases.${summaryAt}.end`,
        `总结报告应在述职评议考核工作结束后${s.summary.dueDaysAfterRound}日内完成，「总结」阶段应不晚于${formatDateProse(limit)}结束`,
      );
    }
  }
  s.organizing.stages.forEach((st, i) => {
    const prev = s.organizing.stages[i - 1];
    if (prev && st.completeBy < prev.completeBy) {
      throw invalid(`organizing.stages.${i}.completeBy`, `「${st.label}」的完成时间早于前一级「${prev.label}」`);
    }
  });
}

/** Parses and checks a campaign's settings; throws AppError naming the field at fault, in Chinese. */
export function validateSettings(input: unknown): CampaignSettings {
  const parsed = settingsSchema.safeParse(input, { error: zhIssue });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(issue.path.join('.'), `${fieldName(issue.path)}：${issue.message}`);
  }
  const s = parsed.data;
  checkUnique(s.reporterTiers, 'reporterTiers', '述职对象类别');
  checkUnique(
    s.keyContentItems.map((k) => ({ key: k.id })),
    'keyContentItems',
    '重点内容',
  );
  checkUnique(s.report.requiredSections, 'report.requiredSections', '必备内容');
  checkUnique(s.ballots.categories, 'ballots.categories', '参评人员类别');
  checkUnique(s.organizing.stages, 'organizing.stages', '分级完成时限');
  checkUnique(s.parallel.honours, 'parallel.honours', '差额否决事项');
  checkWeights(s);
  checkQuotas(s.grading.quotas);
  checkDates(s);
  if (s.survey.enabled && s.survey.sampleSize === 0)
    throw invalid('survey.sampleSize', '开展满意度调查时，样本数应大于0');
  if (s.meeting.downwardReview && !s.meeting.ballotForms.downward) {
    throw invalid('meeting.ballotForms.downward', '开展“下评”须设置下评评议表');
  }
  return s;
}

/** The tier whose limits apply to a reporter; nobody may fall outside every tier unnoticed. */
export function reporterTier(settings: CampaignSettings, org: OrgNode): ReporterTier {
  const tier = settings.reporterTiers.find((t) => orgMatches(new Map(), org, t.match));
  if (!tier) {
    throw new AppError('NO_REPORTER_TIER', `「${org.name}」不属于任何述职对象类别，无法确定字数上限和发言时间`, {
      field: 'reporterTiers',
    });
  }
  return tier;
}

const yesNo = (b: boolean) => (b ? '是' : '否');
const cnDate = formatDateProse;
const ROUNDING = { floor: '向下取整', ceil: '向上取整', round: '四舍五入' } as const;

/** Label/value lines in Chinese for showing a campaign's settings to people. */
export function describeSettings(s: CampaignSettings): { label: string; value: string }[] {
  const lines: { label: string; value: string }[] = [];
  const add = (label: string, value: string) => lines.push({ label, value });

  add('组织方式', s.organizing.mode === 'top_down' ? '自上而下、分级开展' : '自下而上、压茬进行');
  for (const st of s.organizing.stages) add(st.label, `${cnDate(st.completeBy)}前完成`);
  if (s.scopePlan.length) add('述职范围', s.scopePlan.map((e) => `${e.label}${e.count}个`).join('、'));
  for (const r of s.routes) add('述职路由', r.reportTo === null ? `${r.label}（待指定听取述职的党组织）` : r.label);
  s.keyContentItems.forEach((k, i) => add(`重点内容（${i + 1}）`, k.title));
  for (const t of s.reporterTiers) {
    const parts = [
      t.charLimit === null ? '书面述职报告不限字数' : `书面述职报告${t.charLimit}字以内`,
      t.speakingMinutes === null ? '' : `现场述职发言${t.speakingMinutes}分钟`,
      t.writtenOnlyAllowed ? '可书面述职' : '',
    ];
    add(t.label, parts.filter(Boolean).join('，'));
  }
  const r = s.report;
  if (r.achievementsMaxShare !== null) add('成绩部分篇幅', `不超过${shareLabel(r.achievementsMaxShare)}`);
  if (r.requiredSections.length) {
    add(
      '必备内容',
      r.requiredSections.map((x) => (x.minChars ? `${x.title}（不少于${x.minChars}字）` : x.title)).join('、'),
    );
  }
  add('阻止提交的检查', r.blockingChecks.map((c) => REPORT_CHECKS.find((x) => x.code === c)!.label).join('、') || '无');
  add('述职报告报送时间', `述职评议会召开${r.dueDaysBeforeMeeting}天前`);
  add('允许逾期报送', yesNo(r.lateSubmissionAllowed));
  add('主管领导审阅签字', yesNo(r.supervisorSignOffRequired));
  add('报送加盖公章的纸质版', yesNo(r.paperCopyRequired));
  add('附件（视频、幻灯片等）', r.attachments.allowed ? `允许，单个不超过${r.attachments.maxSizeMb}MB` : '不允许');
  add('述职报告公开范围', AUDIENCES.find((a) => a.code === r.publicationAudience)!.label);

  const m = s.meeting;
  add('下评（书记向下一级党组织书记报告并接受评议）', yesNo(m.downwardReview));
  add(
    '向本级党委述职',
    m.selfCommitteeReport.enabled
      ? `是${m.selfCommitteeReport.completeBy ? `，${cnDate(m.selfCommitteeReport.completeBy)}前完成` : ''}`
      : '否',
  );
  add('上级派员参加述职评议会', m.observers.required ? (m.observers.byGroup ? '是，分组指导' : '是') : '否');
  add(
    '点评方式',
    m.commentMode === 'one_by_one' ? '一述一评（每位书记述职后当场点评）' : '集中点评（全部述职后逐一点评）',
  );
  add('评议表', [m.ballotForms.reporter.title, m.ballotForms.downward?.title].filter(Boolean).join('、'));
  add(
    '参评人员',
    s.ballots.categories
      .map((c) => (c.weight ? `${c.label}（权重${c.weight}%）` : `${c.label}（不参加测评）`))
      .join('、'),
  );
  add('分类统计最少人数', `${s.ballots.minGroupSize}人`);

  const g = s.grading;
  add('等次分值', GRADES.map((x) => `${GRADE_LABELS[x]}${g.points[x]}分`).join('，'));
  for (const q of g.quotas) {
    const bound = `${q.op === 'max' ? '不超过' : '不少于'}${q.share === undefined ? `${q.count}个` : shareLabel(q.share)}`;
    add(
      `${gradeSetLabel(q.grades)}等次比例`,
      `${bound}${q.rounding ? `（${ROUNDING[q.rounding]}）` : ''}${q.hard ? '' : '，作为参考'}`,
    );
  }
  const auto = [
    g.autoPoor.averageOrPoorShareAbove !== null &&
      `现场测评“一般”“差”票超过${shareLabel(g.autoPoor.averageOrPoorShareAbove)}`,
    g.autoPoor.majorError && '年度基层党建工作出现重大失误造成严重影响',
    g.autoPoor.accountability && '党组织书记抓基层党建工作不力被问责追责',
  ].filter(Boolean);
  add('直接确定为“差”', auto.length ? auto.join('；') : '无');
  if (g.lowerShareStatedAtLock) add('“较好”及以下等次比例', '由党委（党组）在审定等次时研究确定');
  add(
    '综合评价权重',
    COMPONENTS.filter((c) => g.compositeWeights[c] > 0)
      .map((c) => `${COMPONENT_LABELS[c]}${g.compositeWeights[c]}%`)
      .join('，'),
  );

  add('实地考核', yesNo(s.fieldAssessment.enabled));
  add('满意度调查', s.survey.enabled ? `是，每单位约${s.survey.sampleSize}人` : '否');
  if (s.keyManagement.enabled) {
    const shares = Object.entries(s.keyManagement.minShares) as [string, Share][];
    add(
      '重点管理',
      shares.map(([sec, f]) => `${sectorLabel(sec)}不低于${shareLabel(f)}`).join('，') +
        (s.keyManagement.scope === 'sub_rounds' ? '（各下级述职评议考核的基层党组织统一排序确定）' : ''),
    );
  }
  if (s.parallel.honours.length) {
    add(
      '平行考核、差额否决',
      `${s.parallel.honours.map((h) => `${h.label}（1:${h.margin}）`).join('、')}；党建得分按${s.parallel.ratio}%折算计入年度绩效`,
    );
  }
  add('总结报告', `工作结束后${s.summary.dueDaysAfterRound}日内报送`);
  if (s.summary.resultsDueDate) add('评议结果报送截止', cnDate(s.summary.resultsDueDate));
  if (s.summary.upperBody) add('总结报告报送', s.summary.upperBody);
  for (const p of s.phases) add(`「${phaseLabel(p.key)}」阶段`, `${cnDate(p.start)}至${cnDate(p.end)}`);
  return lines;
}
