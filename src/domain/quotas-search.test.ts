import { describe, expect, it } from 'vitest';
import { GRADES } from './grades';
import { bestCounts, quotaLimit, type GradeCounts, type QuotaRule } from './quotas';

/**
 * bestCounts prunes its search with lower bounds so it stays linear for 300,000 reporters. The pruning must not
 * change any answer: this compares it with the exhaustive search it replaced, on random cuts (ties), fixed 差
 * and rule sets, feasible and not.
 */
function exhaustive(cuts: readonly number[], fixedPoor: number, rules: readonly QuotaRule[]) {
  const m = cuts[cuts.length - 1] ?? 0;
  const n = m + fixedPoor;
  const compiled = rules.map((rule) => ({
    max: rule.op === 'max',
    bound: quotaLimit(rule, n),
    mask: GRADES.map((g) => (rule.grades.includes(g) ? 1 : 0)),
  }));
  const countsAt = (a: number, b: number, c: number) => [a, b - a, c - b, m - c + fixedPoor];
  const cost = (counts: number[]) =>
    compiled.reduce((sum, r) => {
      const d = r.mask.reduce((s: number, v: number, k: number) => s + v * counts[k]!, 0) - r.bound;
      return sum + (r.max ? Math.max(0, d) : Math.max(0, -d));
    }, 0);
  // Every (a, b, c) over the cuts, in the order of preference: fewest violations, then most 好, 较好, 一般.
  let best = { counts: countsAt(0, 0, 0), violation: Infinity };
  for (let i = cuts.length - 1; i >= 0; i--) {
    for (let j = cuts.length - 1; j >= i; j--) {
      for (let k = cuts.length - 1; k >= j; k--) {
        const v = cost(countsAt(cuts[i]!, cuts[j]!, cuts[k]!));
        if (v < best.violation) best = { counts: countsAt(cuts[i]!, cuts[j]!, cuts[k]!), violation: v };
      }
    }
  }
  return best;
}

/** bestCounts as it was before the pruning (commit 2d47da3), to compare the chosen counts exactly. */
// prettier-ignore
function original(
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
  const actual = (mask: number[], counts: number[]) => mask.reduce((s, v, k) => s + v * counts[k], 0);
  const cost = (counts: number[]) =>
    compiled.reduce((sum, r) => {
      const d = actual(r.mask, counts) - r.bound;
      return sum + (r.max ? Math.max(0, d) : Math.max(0, -d));
    }, 0);
  let best = { counts: countsAt(0, 0, 0), violation: Infinity };
  search: for (let i = cuts.length - 1; i >= 0; i--) {
    for (let j = cuts.length - 1; j >= i; j--) {
      const [a, b] = [cuts[i], cuts[j]];
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
        if (best.violation === 0) break search;
      }
    }
  }
  const [good, fair, average, poor] = best.counts;
  return { counts: { good, fair, average, poor }, violation: best.violation };
}

function neighbours(sorted: readonly number[], x: number): number[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return [sorted[lo - 1], sorted[lo]].filter((c) => c !== undefined);
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const SETS = [
  ['good'],
  ['good', 'fair'],
  ['fair', 'average', 'poor'],
  ['average', 'poor'],
  ['poor'],
  ['good', 'poor'],
] as const;

describe('bestCounts search pruning', () => {
  it('R-GRADE-2 gives the same minimum violation as the exhaustive search on 3,000 random cases', () => {
    const r = rng(20260115);
    for (let t = 0; t < 3000; t++) {
      const m = Math.floor(r() * 25);
      const cuts = [0];
      while (cuts[cuts.length - 1]! < m) cuts.push(Math.min(m, cuts[cuts.length - 1]! + 1 + Math.floor(r() * r() * 4)));
      const fixedPoor = r() < 0.4 ? Math.floor(r() * 5) : 0;
      const rules: QuotaRule[] = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
        const grades = [...SETS[Math.floor(r() * SETS.length)]!];
        const op = r() < 0.5 ? 'max' : 'min';
        return r() < 0.7
          ? {
              grades,
              op,
              share: { num: 1 + Math.floor(r() * 4), den: 5 + Math.floor(r() * 3) },
              rounding: (['floor', 'ceil', 'round'] as const)[Math.floor(r() * 3)],
              hard: true,
            }
          : { grades, op, count: Math.floor(r() * 8), hard: true };
      });
      const got = bestCounts(cuts, fixedPoor, rules);
      const want = exhaustive(cuts, fixedPoor, rules);
      expect(got.violation, JSON.stringify({ cuts, fixedPoor, rules })).toBe(want.violation);
      expect(got, JSON.stringify({ cuts, fixedPoor, rules })).toEqual(original(cuts, fixedPoor, rules));
      const sum = got.counts.good + got.counts.fair + got.counts.average + got.counts.poor;
      expect(sum).toBe(m + fixedPoor);
    }
  });

  it('R-GRADE-2 answers for 300,000 reporters (the unpruned search is quadratic and would not finish)', () => {
    const cuts = Array.from({ length: 300_001 }, (_, i) => i);
    const got = bestCounts(cuts, 120, [
      { grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor', hard: true },
      { grades: ['fair', 'average', 'poor'], op: 'min', share: 0.4, rounding: 'round', hard: false },
      { grades: ['poor'], op: 'max', count: 100, hard: true },
    ]);
    expect(got.counts.good).toBe(100_040);
    expect(got.violation).toBe(20);
  });
});
