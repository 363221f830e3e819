import { AppError } from './errors';
import { GRADES, gradeSetLabel, isGrade, type Grade } from './grades';

/**
 * Grade quotas as data (R-GRADE-2): 001 "好 ≤ 1/3", 003 "较好或以下 ≈ 40%", 000 "较好或以下应占一定比例".
 * A share is applied to the number of reporters n and rounded as the rule says; all arithmetic on shares
 * is exact (BigInt), because a float like 0.7 × 10 = 7.000000000000001 would round up to 8.
 */

export interface Fraction {
  num: number;
  den: number;
}
/** A fraction, or a number read as the decimal it prints as (0.4 = 4/10). Use a fraction for 1/3. */
export type Share = Fraction | number;
export type Rounding = 'floor' | 'ceil' | 'round';

export interface QuotaRule {
  id?: string;
  /** The grades counted together, e.g. ['good'] or ['fair', 'average', 'poor']. */
  grades: Grade[];
  op: 'max' | 'min';
  /** Exactly one of share and count. */
  share?: Share;
  count?: number;
  /** Required with share; 'round' rounds half up. */
  rounding?: Rounding;
  /** A hard rule (the default) stops the final grades being locked while broken; false only warns (003's "40%左右"). */
  hard?: boolean;
}

export interface QuotaCheck {
  rule: QuotaRule;
  label: string;
  /** The allowed maximum or required minimum for this n. */
  bound: number;
  actual: number;
  /** actual − bound: positive means over a max, negative means short of a min. */
  delta: number;
  ok: boolean;
  /** "好超出2个" / "较好及以下还差1个" / "好2个，上限2个". */
  message: string;
}

export type GradeCounts = Record<Grade, number>;

const ROUNDING_LABELS: Record<Rounding, string> = { floor: '向下取整', ceil: '向上取整', round: '四舍五入' };

/** Exact [numerator, denominator] of a share; numbers are taken at their shortest decimal spelling. */
export function shareToFraction(share: Share): [bigint, bigint] {
  if (typeof share !== 'number') return [BigInt(share.num), BigInt(share.den)];
  const [mantissa, exponent = '0'] = String(share).split('e');
  const [whole, decimals = ''] = mantissa!.split('.');
  let num = BigInt(whole + decimals);
  let den = 10n ** BigInt(decimals.length);
  const e = Number(exponent);
  if (e >= 0) num *= 10n ** BigInt(e);
  else den *= 10n ** BigInt(-e);
  return [num, den];
}

/** A well-formed share between 0 and 1 inclusive. */
export function isValidShare(share: unknown): share is Share {
  const wellFormed =
    typeof share === 'number'
      ? Number.isFinite(share)
      : typeof share === 'object' &&
        share !== null &&
        Number.isInteger((share as Fraction).num) &&
        Number.isInteger((share as Fraction).den) &&
        (share as Fraction).den > 0;
  if (!wellFormed) return false;
  const [num, den] = shareToFraction(share as Share);
  return num >= 0n && num <= den;
}

export function shareLabel(share: Share): string {
  if (typeof share !== 'number') return `${share.num}/${share.den}`;
  return `${Number((share * 100).toPrecision(12))}%`;
}

export function ruleLabel(rule: QuotaRule): string {
  const amount = rule.count !== undefined ? `${rule.count}个` : shareLabel(rule.share ?? 0);
  return `${gradeSetLabel(rule.grades)}${rule.op === 'max' ? '不超过' : '不少于'}${amount}`;
}

/** The bound of a rule for n reporters: e.g. 好 ≤ 1/3 of 7, floor → 2; 较好及以下 ≥ 40% of 20, ceil → 8. */
export function quotaLimit(rule: QuotaRule, n: number): number {
  if (rule.count !== undefined) return rule.count;
  const [num, den] = shareToFraction(rule.share ?? 0);
  const q = num * BigInt(n);
  switch (rule.rounding) {
    case 'ceil':
      return Number((q + den - 1n) / den);
    case 'round':
      return Number((2n * q + den) / (2n * den));
    default:
      return Number(q / den);
  }
}

/** "7个述职对象×1/3，向下取整为2个" — how the bound was reached, for explanations. */
export function limitText(rule: QuotaRule, n: number): string {
  const limit = quotaLimit(rule, n);
  if (rule.count !== undefined) return `${limit}个`;
  return `${n}个述职对象×${shareLabel(rule.share ?? 0)}，${ROUNDING_LABELS[rule.rounding ?? 'floor']}为${limit}个`;
}

export function countGrades(assignment: readonly Grade[]): GradeCounts {
  const counts: GradeCounts = { good: 0, fair: 0, average: 0, poor: 0 };
  for (const g of assignment) counts[g] += 1;
  return counts;
}

const inSet = (rule: QuotaRule, counts: GradeCounts) => rule.grades.reduce((sum, g) => sum + counts[g], 0);

export function checkCounts(counts: GradeCounts, rules: readonly QuotaRule[]): QuotaCheck[] {
  const n = GRADES.reduce((sum, g) => sum + counts[g], 0);
  return rules.map((rule) => {
    const bound = quotaLimit(rule, n);
    const actual = inSet(rule, counts);
    const delta = actual - bound;
    const ok = rule.op === 'max' ? delta <= 0 : delta >= 0;
    const set = gradeSetLabel(rule.grades);
    const message = ok
      ? `${set}${actual}个，${rule.op === 'max' ? '上限' : '下限'}${bound}个`
      : rule.op === 'max'
        ? `${set}超出${delta}个`
        : `${set}还差${-delta}个`;
    return { rule, label: ruleLabel(rule), bound, actual, delta, ok, message };
  });
}

export const checkQuotas = (assignment: readonly Grade[], rules: readonly QuotaRule[]): QuotaCheck[] =>
  checkCounts(countGrades(assignment), rules);

/** One line for a results table: the broken rules ("好超出2个；较好及以下还差1个"), or that all hold. */
export function quotaSummary(checks: readonly QuotaCheck[]): string {
  const broken = checks.filter((c) => !c.ok);
  return broken.length ? broken.map((c) => c.message).join('；') : '符合等次比例要求';
}

/**
 * The grade counts of a best-first assignment where reporters can only be cut at `cuts` (positions in
 * rank order, ascending, from 0 to the number of free reporters; ties are never split) and `fixedPoor`
 * more reporters are already 差. Chooses the least total violation (the reporters by which the rules are
 * missed, summed over the rules), then as many 好 as possible, then 较好, then 一般 — the better ranks
 * get the better grades as far as the rules allow.
 */
export function bestCounts(
  cuts: readonly number[],
  fixedPoor: number,
  rules: readonly QuotaRule[],
): { counts: GradeCounts; violation: number } {
  const m = cuts[cuts.length - 1] ?? 0;
  const n = m + fixedPoor;
  // Hot loop: bounds and grade masks are computed once, counts are plain numbers.
  const compiled = rules.map((rule) => ({
    max: rule.op === 'max',
    bound: quotaLimit(rule, n),
    mask: GRADES.map((g) => (rule.grades.includes(g) ? 1 : 0)),
    slope: (rule.grades.includes('average') ? 1 : 0) - (rule.grades.includes('poor') ? 1 : 0),
  }));
  const countsAt = (a: number, b: number, c: number) => [a, b - a, c - b, m - c + fixedPoor];
  const actual = (mask: number[], counts: number[]) => mask.reduce((s, v, k) => s + v * counts[k]!, 0);
  const cost = (counts: number[]) =>
    compiled.reduce((sum, r) => {
      const d = actual(r.mask, counts) - r.bound;
      return sum + (r.max ? Math.max(0, d) : Math.max(0, -d));
    }, 0);
  // Lower bounds of the violation over a region: each rule's count is linear in (a, b, c), so over the region
  // a ≤ b ≤ c ≤ m with some coordinates fixed its extremes sit at the region's corners; the sum of each rule's
  // own minimum bounds the joint minimum from below. The search skips what cannot beat the best found so far
  // and stops when nothing can — this keeps it linear in the number of cuts for the usual rules (300,000 reporters).
  const lowerBound = (corners: ReadonlyArray<readonly [number, number, number]>) =>
    compiled.reduce((sum, r) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const [a, b, c] of corners) {
        const v = actual(r.mask, countsAt(a, b, c));
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      return sum + (r.max ? Math.max(0, lo - r.bound) : Math.max(0, r.bound - hi));
    }, 0);
  const globalBound = lowerBound([
    [0, 0, 0],
    [0, 0, m],
    [0, m, m],
    [m, m, m],
  ]);
  let best = { counts: countsAt(0, 0, 0), violation: Infinity };
  search: for (let i = cuts.length - 1; i >= 0; i--) {
    const a = cuts[i]!;
    const boundA = lowerBound([
      [a, a, a],
      [a, a, m],
      [a, m, m],
    ]);
    if (boundA >= best.violation) continue;
    for (let j = cuts.length - 1; j >= i; j--) {
      const b = cuts[j]!;
      if (
        lowerBound([
          [a, b, b],
          [a, b, m],
        ]) >= best.violation
      )
        continue;
      // The violation is convex in c, so its minimum over the cuts sits at an end or next to a point
      // where some rule's count crosses its bound.
      const candidates = new Set([b, m]);
      for (const r of compiled) {
        if (r.slope === 0) continue;
        const crossing = b + (r.bound - actual(r.mask, countsAt(a, b, b))) * r.slope;
        for (const c of neighbours(cuts, crossing)) if (c >= b) candidates.add(c);
      }
      for (const c of [...candidates].sort((x, y) => y - x)) {
        const v = cost(countsAt(a, b, c));
        if (v < best.violation) best = { counts: countsAt(a, b, c), violation: v };
        if (best.violation <= globalBound) break search;
      }
      // Nothing else with this many 好 can do better than the bound for it.
      if (best.violation <= boundA) break;
    }
  }
  const [good, fair, average, poor] = best.counts;
  return { counts: { good: good!, fair: fair!, average: average!, poor: poor! }, violation: best.violation };
}

function neighbours(sorted: readonly number[], x: number): number[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return [sorted[lo - 1], sorted[lo]].filter((c) => c !== undefined);
}

const ruleError = (index: number, rule: QuotaRule, problem: string) =>
  new AppError('QUOTA_RULE_INVALID', `第${index + 1}条等次比例规则${safeLabel(rule)}：${problem}`, {
    field: 'quotaRules',
    index,
  });

const safeLabel = (rule: QuotaRule) => {
  try {
    return `「${ruleLabel(rule)}」`;
  } catch {
    return '';
  }
};

function checkShape(rule: QuotaRule, index: number): void {
  if (!Array.isArray(rule.grades) || rule.grades.length === 0 || !rule.grades.every(isGrade)) {
    throw ruleError(index, rule, '等次范围须为好、较好、一般、差中的一项或多项');
  }
  if (new Set(rule.grades).size !== rule.grades.length) throw ruleError(index, rule, '等次范围有重复');
  if (rule.op !== 'max' && rule.op !== 'min') throw ruleError(index, rule, '须指明是上限还是下限');
  if ((rule.share === undefined) === (rule.count === undefined)) {
    throw ruleError(index, rule, '比例和个数须且只须填写一项');
  }
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 0)) {
    throw ruleError(index, rule, '个数应为非负整数');
  }
  if (rule.share !== undefined) {
    if (!isValidShare(rule.share)) throw ruleError(index, rule, '比例应在0到1（100%）之间');
    if (!rule.rounding || !(rule.rounding in ROUNDING_LABELS)) {
      throw ruleError(index, rule, '须指定取整方式（向下取整、向上取整或四舍五入）');
    }
  }
}

/**
 * Throws when a rule is malformed or the rules cannot all be met. With n, the check is exact for that
 * many reporters, rounding included (好 ≥ 1/2 and 较好及以下 ≥ 1/2, both rounded up, fail at n = 7).
 * Without n, the shares are checked as proportions before rounding, and count rules are left to the
 * check with n, since whether they fit depends on it.
 */
export function validateQuotaRules(rules: readonly QuotaRule[], n?: number): void {
  rules.forEach(checkShape);
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) {
    throw new AppError('VALIDATION', '述职对象数应为非负整数', { field: 'n' });
  }
  const indexed = rules.map((rule, index) => ({ rule, index }));
  const feasible = (subset: typeof indexed) =>
    n === undefined
      ? sharesFeasible(subset.map((x) => x.rule).filter((r) => r.share !== undefined))
      : bestCounts(
          Array.from({ length: n + 1 }, (_, i) => i),
          0,
          subset.map((x) => x.rule),
        ).violation === 0;
  if (feasible(indexed)) return;
  // Deletion filter: drop every rule the conflict survives without, leaving a minimal conflicting set.
  let conflict = indexed;
  for (const x of indexed) {
    const without = conflict.filter((y) => y !== x);
    if (!feasible(without)) conflict = without;
  }
  const names = conflict.map((x) => `第${x.index + 1}条「${ruleLabel(x.rule)}」`).join('与');
  const scope = n === undefined ? '' : `（${n}个述职对象时）`;
  throw new AppError('QUOTA_RULES_CONFLICT', `等次比例规则无法同时满足${scope}：${names}`, {
    field: 'quotaRules',
    indices: conflict.map((x) => x.index),
  });
}

/**
 * Is there a split of 100% over the four grades meeting every share rule? A bounded non-empty polytope
 * has a vertex, so it is enough to try each point where three of the inequalities (rules or "share ≥ 0")
 * are tight together with "shares sum to 1", solved exactly by Cramer's rule on integers.
 */
function sharesFeasible(rules: readonly QuotaRule[]): boolean {
  const fractions = rules.map((r) => shareToFraction(r.share ?? 0));
  const scale = fractions.reduce((l, [, den]) => (l * den) / gcd(l, den), 1n);
  // Each row: coefficients over GRADES, right-hand side scaled by `scale`, sense (1: ≤, -1: ≥).
  const rows = [
    ...rules.map((r, i) => ({
      a: GRADES.map((g) => (r.grades.includes(g) ? 1n : 0n)),
      rhs: (fractions[i]![0] * scale) / fractions[i]![1],
      sense: r.op === 'max' ? 1n : -1n,
    })),
    ...GRADES.map((_, k) => ({ a: GRADES.map((__, i) => (i === k ? 1n : 0n)), rhs: 0n, sense: -1n })),
  ];
  const total = { a: GRADES.map(() => 1n), rhs: scale };
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      for (let k = j + 1; k < rows.length; k++) {
        const system = [total, rows[i]!, rows[j]!, rows[k]!];
        let d = det(system.map((r) => r.a));
        if (d === 0n) continue;
        let xs = GRADES.map((_, col) => det(system.map((r) => r.a.map((v, c) => (c === col ? r.rhs : v)))));
        if (d < 0n) [d, xs] = [-d, xs.map((x) => -x)];
        // x = xs / d; compare a·xs with rhs·d to stay in integers.
        const holds = rows.every(
          (r) => r.sense * (r.a.reduce<bigint>((s, v, c) => s + v * xs[c]!, 0n) - r.rhs * d) <= 0n,
        );
        if (holds) return true;
      }
    }
  }
  return false;
}

function det(m: bigint[][]): bigint {
  if (m.length === 1) return m[0]![0]!;
  return m[0]!.reduce((sum, v, col) => {
    if (v === 0n) return sum;
    const minor = m.slice(1).map((row) => row.filter((_, c) => c !== col));
    return sum + (col % 2 === 0 ? 1n : -1n) * v * det(minor);
  }, 0n);
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
