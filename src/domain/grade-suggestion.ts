import { AppError } from './errors';
import { GRADES, GRADE_LABELS, type Grade } from './grades';
import {
  bestCounts,
  checkCounts,
  checkQuotas,
  quotaSummary,
  shareLabel,
  shareToFraction,
  validateQuotaRules,
  type GradeCounts,
  type QuotaCheck,
  type QuotaRule,
  type Share,
} from './quotas';
import { percent } from './tally';

/**
 * The suggested grade of each reporter (R-GRADE-2, R-GRADE-3) and the committee's final decision
 * (R-GRADE-4: 不能唯票定档 — the committee decides; departing from the suggestion needs a reason).
 */

export interface Standing {
  reporterId: string;
  /** Competition rank from the composite score, 1 = best. */
  rank: number;
  ballots: { counts: Record<Grade, number> };
  /** A recorded major error with serious impact this year (003), as described in the record. */
  majorError?: string | null;
  /** A recorded accountability case for weak party-building work (003). */
  accountability?: string | null;
}

/** Which automatic-差 conditions a campaign applies (003 applies all three). */
export interface AutoPoorRules {
  /** 一般+差 share of valid ballots above which — strictly — the grade is 差; null: not applied. */
  averageOrPoorShareAbove: Share | null;
  majorError: boolean;
  accountability: boolean;
}

export const AUTO_POOR_003: AutoPoorRules = {
  averageOrPoorShareAbove: { num: 1, den: 10 },
  majorError: true,
  accountability: true,
};

export interface GradingPolicy {
  quotaRules: QuotaRule[];
  /** Defaults to 003's rules. */
  autoPoor?: AutoPoorRules;
  /** Whether overriding an automatic 差 blocks locking (true, the default) or only warns. */
  autoPoorHard?: boolean;
}

export interface Suggested {
  reporterId: string;
  rank: number;
  grade: Grade;
  /** Why the grade is automatically 差; empty when it follows from rank and quotas. */
  autoReasons: string[];
  /** "排名第3，好等次名额上限6个，建议为好". */
  explanation: string;
}

export interface Suggestion {
  /** In rank order. */
  grades: Suggested[];
  checks: QuotaCheck[];
  /** null when every quota rule holds; otherwise what is broken and why, for the committee. */
  unmet: string | null;
}

export function autoPoorReasons(standing: Standing, rules: AutoPoorRules = AUTO_POOR_003): string[] {
  return autoPoorReasonsWith(
    standing,
    rules,
    rules.averageOrPoorShareAbove === null ? null : shareToFraction(rules.averageOrPoorShareAbove),
  );
}

/** low / valid > num / den, exactly: in doubles while both products are exact integers, else in BigInt. */
function above(
  low: number,
  valid: number,
  [num, den]: readonly [bigint, bigint],
  nd: readonly [number, number],
): boolean {
  const left = low * nd[1];
  const right = nd[0] * valid;
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return left > right;
  return BigInt(low) * den > num * BigInt(valid);
}

/** autoPoorReasons with the share's fraction worked out once for a whole campaign (300,000 standings). */
function autoPoorReasonsWith(standing: Standing, rules: AutoPoorRules, fraction: [bigint, bigint] | null): string[] {
  const reasons: string[] = [];
  const { counts } = standing.ballots;
  const valid = counts.good + counts.fair + counts.average + counts.poor;
  const low = counts.average + counts.poor;
  const share = rules.averageOrPoorShareAbove;
  if (share !== null && fraction !== null) {
    // Compared in integers: 5 of 50 is exactly 10% and is not "超过10%".
    if (valid > 0 && above(low, valid, fraction, [Number(fraction[0]), Number(fraction[1])])) {
      reasons.push(`现场测评“一般”“差”票${low}张，占有效票${percent(low, valid)}%，超过${shareLabel(share)}`);
    }
  }
  if (rules.majorError && standing.majorError?.trim()) {
    reasons.push(`年度基层党建工作出现重大失误造成严重影响：${standing.majorError.trim()}`);
  }
  if (rules.accountability && standing.accountability?.trim()) {
    reasons.push(`党组织书记抓基层党建工作不力被问责追责：${standing.accountability.trim()}`);
  }
  return reasons;
}

const isCount = (n: number) => Number.isInteger(n) && n >= 0;

function checkStandings(standings: readonly Standing[]) {
  const seen = new Set<string>();
  for (const s of standings) {
    if (seen.has(s.reporterId)) {
      throw new AppError('VALIDATION', `述职对象（${s.reporterId}）重复`, { field: 'reporterId' });
    }
    seen.add(s.reporterId);
    if (!Number.isInteger(s.rank) || s.rank < 1) {
      throw new AppError('VALIDATION', `述职对象（${s.reporterId}）的排名应为正整数`, { field: 'rank' });
    }
    const c = s.ballots.counts;
    if (!(isCount(c.good) && isCount(c.fair) && isCount(c.average) && isCount(c.poor))) {
      throw new AppError('VALIDATION', `述职对象（${s.reporterId}）的测评票数应为非负整数`, { field: 'ballots' });
    }
  }
}

/**
 * Automatic 差 first; then the others, best rank first, get the best grades the quota rules allow
 * (see bestCounts). Reporters sharing a rank always get the same grade, so a quota boundary that falls
 * inside a tie leaves the whole tie at the lower grade. When the rules cannot all be met (e.g. more
 * automatic 差 than a maximum allows) the closest assignment is returned and `unmet` says why.
 */
export function suggestGrades(standings: readonly Standing[], policy: GradingPolicy): Suggestion {
  validateQuotaRules(policy.quotaRules);
  checkStandings(standings);
  const rules = policy.quotaRules;
  const autoRules = policy.autoPoor ?? AUTO_POOR_003;
  const fraction =
    autoRules.averageOrPoorShareAbove === null ? null : shareToFraction(autoRules.averageOrPoorShareAbove);
  // One pass, no intermediate object per reporter: a province has 300,000 standings.
  const auto: Array<{ s: Standing; reasons: string[] }> = [];
  const free: Standing[] = [];
  let sorted = true;
  for (const s of standings) {
    const reasons = autoPoorReasonsWith(s, autoRules, fraction);
    if (reasons.length > 0) auto.push({ s, reasons });
    else {
      if (free.length && free[free.length - 1]!.rank > s.rank) sorted = false;
      free.push(s);
    }
  }
  if (!sorted) free.sort((a, b) => a.rank - b.rank);

  const groups: Standing[][] = [];
  for (const s of free) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.rank === s.rank) last.push(s);
    else groups.push([s]);
  }
  const cuts = [0];
  for (const g of groups) cuts.push(cuts[cuts.length - 1]! + g.length);
  const { counts, violation } = bestCounts(cuts, auto.length, rules);
  const freeCounts: GradeCounts = { ...counts, poor: counts.poor - auto.length };

  const groupGrades: Grade[] = [];
  let position = 0;
  for (const group of groups) {
    let end = 0;
    groupGrades.push(GRADES.find((g) => position < (end += freeCounts[g])) ?? 'poor');
    position += group.length;
  }
  const checks = checkCounts(counts, rules);
  // The reason depends on the grade only (the best-ranked group holding it), so it is worked out once per grade.
  const whyByGrade = new Map<Grade, string>();
  const whyOf = (grade: Grade) => {
    let why = whyByGrade.get(grade);
    if (why === undefined) {
      why =
        grade !== 'good'
          ? `${whyNotBetter(grade, groups[groupGrades.indexOf(grade)]!.length, counts, rules)}，`
          : freeCounts.good < free.length
            ? `好等次名额上限${freeCounts.good}个，`
            : '';
      whyByGrade.set(grade, why);
    }
    return why;
  };
  const suggested: Suggested[] = [];
  groups.forEach((group, i) => {
    const grade = groupGrades[i]!;
    const rankText = `排名第${group[0]!.rank}${group.length > 1 ? `（并列${group.length}个）` : ''}`;
    // 好 is only "capped" when someone ranked lower did not get it.
    const why = whyOf(grade);
    const explanation = `${rankText}，${why}建议为${GRADE_LABELS[grade]}`;
    for (const s of group)
      suggested.push({ reporterId: s.reporterId, rank: s.rank, grade, autoReasons: [], explanation });
  });
  for (const { s, reasons } of auto) {
    suggested.push({
      reporterId: s.reporterId,
      rank: s.rank,
      grade: 'poor',
      autoReasons: reasons,
      explanation: `排名第${s.rank}，自动定为差：${reasons.join('；')}`,
    });
  }
  suggested.sort((a, b) => a.rank - b.rank);

  const causes = [
    auto.length ? `其中自动定为“差”的${auto.length}个不能调整` : '',
    groups.some((g) => g.length > 1) ? '排名并列的不拆分等次' : '',
  ].filter(Boolean);
  const unmet = violation
    ? `无法同时满足等次比例要求：${quotaSummary(checks)}${causes.length ? `（${causes.join('，')}）` : ''}，请党委研究决定`
    : null;
  return { grades: suggested, checks, unmet };
}

/**
 * Why a grade was not the next better one: moving up the best-ranked group holding it (`size`
 * reporters) would break, or break further, the rules named here.
 */
function whyNotBetter(grade: Grade, size: number, counts: GradeCounts, rules: readonly QuotaRule[]): string {
  const better = GRADES[GRADES.indexOf(grade) - 1]!;
  const moved = { ...counts, [grade]: counts[grade] - size, [better]: counts[better] + size };
  const before = checkCounts(counts, rules);
  const worse = checkCounts(moved, rules).filter(
    (c, i) => !c.ok && Math.abs(c.delta) > (before[i]!.ok ? 0 : Math.abs(before[i]!.delta)),
  );
  return `未能定为${GRADE_LABELS[better]}（定为${GRADE_LABELS[better]}将使${worse.map((c) => c.message).join('、')}）`;
}

/** The per-rule bins of any assignment, e.g. one the committee changed: "好超出2个；较好及以下还差1个". */
export function quotaBins(assignment: readonly Grade[], rules: readonly QuotaRule[]) {
  const checks = checkQuotas(assignment, rules);
  return { checks, summary: quotaSummary(checks) };
}

export interface Decision {
  reporterId: string;
  /** Shown in messages. */
  name: string;
  suggested: Grade;
  final: Grade;
  reason?: string | null;
  /** From the suggestion: non-empty when the reporter met an automatic-差 condition. */
  autoReasons: readonly string[];
}

/** A final grade that departs from the suggestion must carry the committee's reason (R-GRADE-4). */
export function missingReason(decision: Decision): string | null {
  if (decision.final === decision.suggested || decision.reason?.trim()) return null;
  const { name, final, suggested } = decision;
  return `「${name}」最终等次（${GRADE_LABELS[final]}）与建议等次（${GRADE_LABELS[suggested]}）不一致，须填写调整理由`;
}

export function validateDecision(decision: Decision): void {
  const problem = missingReason(decision);
  if (problem) throw new AppError('REASON_REQUIRED', problem, { field: 'reason', reporterId: decision.reporterId });
}

/**
 * What stands between the final grades and locking them. Missing reasons always block; an overridden
 * automatic 差 and a broken quota rule block unless the policy marks them not hard.
 */
export function lockCheck(decisions: readonly Decision[], policy: GradingPolicy) {
  const blockers: string[] = [];
  const warnings: string[] = [];
  for (const d of decisions) {
    const problem = missingReason(d);
    if (problem) blockers.push(problem);
    if (d.autoReasons.length > 0 && d.final !== 'poor') {
      (policy.autoPoorHard === false ? warnings : blockers).push(
        `「${d.name}」符合自动定为“差”的情形（${d.autoReasons.join('；')}），最终等次为${GRADE_LABELS[d.final]}`,
      );
    }
  }
  const { checks } = quotaBins(
    decisions.map((d) => d.final),
    policy.quotaRules,
  );
  for (const c of checks.filter((x) => !x.ok)) {
    (c.rule.hard === false ? warnings : blockers).push(`等次比例要求「${c.label}」未满足：${c.message}`);
  }
  return { canLock: blockers.length === 0, blockers, warnings, checks };
}

/** The three parts of the written opinion per reporter (R-GRADE-5): 肯定成绩，指出问题，明确方向. */
export const OPINION_PARTS = [
  { key: 'achievements', label: '主要成绩' },
  { key: 'problems', label: '存在问题' },
  { key: 'direction', label: '努力方向' },
] as const;

export interface OpinionGap {
  reporterId: string;
  name: string;
  /** Labels of the parts left empty. */
  missing: string[];
}

/** Reporters whose written opinion lacks a part: their feedback letters would have nothing to say there. */
export function opinionGaps(
  rows: readonly {
    reporterId: string;
    name: string;
    achievements: string | null;
    problems: string | null;
    direction: string | null;
  }[],
): OpinionGap[] {
  return rows
    .map((r) => ({
      reporterId: r.reporterId,
      name: r.name,
      missing: OPINION_PARTS.filter((p) => !r[p.key]?.trim()).map((p) => p.label),
    }))
    .filter((g) => g.missing.length > 0);
}

/** One warning line for the lock dialog, naming each reporter and the parts missing (the first 20, then a count). */
export function opinionWarning(gaps: readonly OpinionGap[]): string | null {
  if (!gaps.length) return null;
  const shown = gaps
    .slice(0, 20)
    .map((g) => `${g.name}（缺${g.missing.join('、')}）`)
    .join('；');
  return `${gaps.length}个述职对象的书面综合评价意见不完整，反馈意见中将没有相应内容：${shown}${gaps.length > 20 ? `等` : ''}`;
}

/**
 * The share of 较好 or below the committee states at the lock where the plan sets none (004; 000 §6 "应占一定比例"):
 * a hard minimum, rounded up ("不低于").
 */
export function statedLowerShareRule(percent: number): QuotaRule {
  return { grades: ['fair', 'average', 'poor'], op: 'min', share: percent / 100, rounding: 'ceil', hard: true };
}
