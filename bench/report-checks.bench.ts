/**
 * How long the checks on one 5,000-字 report take, similarity against 500 stored signatures included,
 * as the server runs them on every save. Baseline, measured in the same run: counting that report's 字数.
 * Run: npx tsx bench/report-checks.bench.ts
 */
import { checkReport, reportText, type ReportCheckSettings, type ReportSection } from '../src/domain/report-checks';
import { minhashSignature } from '../src/domain/similarity';
import { countChars } from '../src/domain/word-count';

const TARGET_CHARS = 5000;
const OTHER_REPORTS = 500;
const WARMUP = 30;
const RUNS = 300;

/** mulberry32: the same reports on every run and machine. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = ['白家湾村', '幸福里社区', '东关社区', '县农业农村局', '第二中学', '县人民医院', '红旗村', '城关镇'];
const SENTENCES: Record<string, string[]> = {
  achievements: [
    '全年召开支委会{n}次，专题研究党建工作{n}次，我本人讲党课{n}次。',
    '发展党员{n}名，其中35岁以下{n}名，确定入党积极分子{n}名。',
    '推动{p}与{n}家驻区单位签订共建协议，认领项目{n}个。',
    '投入资金{n}万元改造党群服务中心{n}平方米，开设老年食堂，每天服务{n}名老人。',
    '组织党员志愿服务{n}次，参与{n}人次，解决群众急难愁盼问题{n}件。',
    '以“支部+合作社+农户”模式发展特色产业，带动{n}户群众增收，户均增收{n}元。',
    '落实“三会一课”制度，全年开展主题党日{n}次，党员参学率{n}%。',
    '对照上年度指出的问题逐项整改，完成整改{n}项，建立长效制度{n}项。',
  ],
  problems: [
    '一是理论学习不够深入，{p}全年集中研讨只有{n}次，学用结合有差距。',
    '二是党员队伍结构老化，60岁以上党员{n}名，占比{n}%。',
    '三是“三会一课”质量不高，部分党员大会以传达文件为主，讨论交流少。',
    '四是流动党员管理薄弱，{n}名外出党员参加组织生活不足{n}次。',
    '五是党建与业务融合不紧，{n}个党员示范岗中有{n}个没有具体任务。',
    '六是支部委员履职不均衡，个别委员全年牵头组织活动不足{n}次。',
  ],
  causes: [
    '从主观上看，我对抓党建的认识还有偏差，抓业务的时间多、抓党建的时间少。',
    '工作方法比较简单，习惯用开会、发通知的办法推动工作，深入党员群众中间少。',
    '对支部委员压担子不够，分工后督促检查少，有的工作停留在布置上。',
    '从客观上看，{p}青壮年大量外出，后备力量不足，党员发展来源少。',
  ],
  measures: [
    '一是每月至少集中学习{n}次，每季度开展{n}次结合业务的专题研讨。',
    '二是计划发展党员{n}名，重点从返乡青年、致富带头人中培养。',
    '三是建立流动党员线上管理台账，每季度组织{n}次线上主题党日。',
    '四是每次党员大会安排不少于{n}分钟讨论交流，每月检查组织生活记录{n}次。',
    '五是建立支部委员履职清单，每季度逐人报告履职情况。',
    '六是我本人每月到{p}调研{n}次，带头解决{n}件群众反映集中的问题。',
  ],
};
const TITLES = {
  achievements: '一、主要做法和成效',
  problems: '二、存在问题',
  causes: '三、原因剖析',
  measures: '四、下步措施',
};
// Share of a report each part takes, so the generated report passes the 1/3 rule like a good one.
const SHARES = { achievements: 0.3, problems: 0.3, causes: 0.15, measures: 0.25 };

function buildReport(seed: number, chars: number): ReportSection[] {
  const next = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const fill = (s: string) =>
    s.replace(/\{n\}/g, () => String(1 + Math.floor(next() * 98))).replace(/\{p\}/g, () => pick(PLACES));
  return (Object.keys(SHARES) as (keyof typeof SHARES)[]).map((key) => {
    let text = '';
    while (countChars(text) < chars * SHARES[key]) text += fill(pick(SENTENCES[key])) + (next() < 0.25 ? '\n' : '');
    return { key, title: TITLES[key], text };
  });
}

const settings: ReportCheckSettings = {
  charLimit: 3000,
  achievementsMaxShare: { num: 1, den: 3 },
  requiredSections: [
    { key: 'achievements', title: '工作成效', minChars: 0 },
    { key: 'problems', title: '突出问题', minChars: 200 },
    { key: 'causes', title: '问题根源', minChars: 100 },
    { key: 'measures', title: '破解措施', minChars: 150 },
  ],
  keyContentItems: [
    '推动基层党组织和党员干部深入学习贯彻习近平新时代中国特色社会主义思想',
    '党组织书记履行抓基层党建工作第一责任人职责',
    '加强党支部建设和党员队伍建设，联系服务群众',
    '落实基层党建工作重点任务，推进基层党组织建设',
    '推进全面从严治党向基层延伸、优化改进基层党建考核',
    '巩固党史学习教育成果，常态化开展“我为群众办实事”活动',
    '落实党风廉政建设责任制、中央八项规定精神',
    '聚焦问题导向，讲清上年度党委书记点评指出问题整改情况',
  ].map((title, i) => ({ id: `k${i + 1}`, title })),
  rectificationItems: [
    '“三会一课”记录不规范，部分会议记录不全',
    '发展党员程序执行不严格，档案材料不齐全',
    '流动党员管理薄弱，长期不参加组织生活',
    '党建与业务融合不紧，党员示范岗没有具体任务',
    '巡察反馈：党费收缴不及时、标准不准确',
  ].map((description, i) => ({ id: `r${i + 1}`, description })),
  blockingChecks: ['length', 'required_sections', 'rectification_items'],
};

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
};
function time(fn: () => unknown): number[] {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const started = performance.now();
const sections = buildReport(1, TARGET_CHARS);
const text = reportText(sections);
const previousReportText = reportText(buildReport(2, TARGET_CHARS));

const t0 = performance.now();
// As the server stores them: one signature per report, computed when the report is saved.
const otherReports = Array.from({ length: OTHER_REPORTS }, (_, i) => {
  const other = buildReport(100 + i, 1500 + ((i * 37) % 3500));
  return { id: `o${i}`, label: `党组织${i + 1}`, signature: minhashSignature(reportText(other)) };
});
const signaturesMs = performance.now() - t0;

const results = checkReport({ sections, settings, previousReportText, otherReports });
const check = stats(time(() => checkReport({ sections, settings, previousReportText, otherReports })));
const baseline = stats(time(() => countChars(text)));
const ratio = check.median / baseline.median;
const round = (x: number) => Math.round(x * 1000) / 1000;

console.log(
  `report: ${countChars(text)} 字, ${OTHER_REPORTS} other reports (signatures built in ${signaturesMs.toFixed(1)} ms)`,
);
console.log(`checks: ${results.map((r) => `${r.id}=${r.level}`).join(' ')}`);
console.log(`checkReport      median ${check.median.toFixed(3)} ms   p95 ${check.p95.toFixed(3)} ms   (${RUNS} runs)`);
console.log(`baseline countChars median ${baseline.median.toFixed(3)} ms   p95 ${baseline.p95.toFixed(3)} ms`);
console.log(`ratio (checkReport / countChars, medians): ${ratio.toFixed(1)}x`);
console.log(
  JSON.stringify({
    bench: 'report-checks',
    chars: countChars(text),
    otherReports: OTHER_REPORTS,
    runs: RUNS,
    checkMedianMs: round(check.median),
    checkP95Ms: round(check.p95),
    baselineMedianMs: round(baseline.median),
    baselineP95Ms: round(baseline.p95),
    ratio: Math.round(ratio * 10) / 10,
    totalMs: Math.round(performance.now() - started),
  }),
);
