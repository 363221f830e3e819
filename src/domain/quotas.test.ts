import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import type { Grade } from './grades';
import {
  bestCounts,
  checkQuotas,
  isValidShare,
  limitText,
  quotaLimit,
  quotaSummary,
  ruleLabel,
  validateQuotaRules,
  type QuotaRule,
} from './quotas';

const LOWER: Grade[] = ['fair', 'average', 'poor'];
const goodThird: QuotaRule = { grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor' };
const lower40: QuotaRule = { grades: LOWER, op: 'min', share: 0.4, rounding: 'ceil' };
const grades = (spec: Partial<Record<Grade, number>>) =>
  Object.entries(spec).flatMap(([g, n]) => Array<Grade>(n).fill(g as Grade));
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('quota limits', () => {
  it('R-GRADE-2: 好 ≤ 1/3 of 7 reporters, rounded down, allows 2', () => {
    expect(quotaLimit(goodThird, 7)).toBe(2);
    expect(limitText(goodThird, 7)).toBe('7个述职对象×1/3，向下取整为2个');
  });

  it('R-GRADE-2: 较好及以下 ≥ 40% of 20, rounded up, needs 8; of 7 needs 3', () => {
    expect(quotaLimit(lower40, 20)).toBe(8);
    expect(quotaLimit(lower40, 7)).toBe(3);
  });

  it('is exact where floats are not: 7% of 100 rounded up is 7, not 8', () => {
    expect(Math.ceil(0.07 * 100)).toBe(8);
    expect(quotaLimit({ grades: ['good'], op: 'max', share: 0.07, rounding: 'ceil' }, 100)).toBe(7);
    expect(quotaLimit({ grades: ['good'], op: 'max', share: 1e-1, rounding: 'ceil' }, 30)).toBe(3);
  });

  it('rounds half up with "round"', () => {
    const half: QuotaRule = { grades: ['good'], op: 'max', share: { num: 1, den: 2 }, rounding: 'round' };
    expect(quotaLimit(half, 5)).toBe(3);
    expect(quotaLimit({ ...lower40, rounding: 'round' }, 7)).toBe(3);
    expect(quotaLimit({ ...lower40, rounding: 'round' }, 6)).toBe(2);
  });

  it('takes counts as they are and gives 0 for no reporters', () => {
    expect(quotaLimit({ grades: ['poor'], op: 'min', count: 1 }, 20)).toBe(1);
    expect(quotaLimit(goodThird, 0)).toBe(0);
    expect(quotaLimit(lower40, 0)).toBe(0);
  });

  it('labels rules in Chinese', () => {
    expect(ruleLabel(goodThird)).toBe('好不超过1/3');
    expect(ruleLabel(lower40)).toBe('较好及以下不少于40%');
    expect(ruleLabel({ grades: ['poor'], op: 'min', count: 1 })).toBe('差不少于1个');
  });
});

describe('checking an assignment', () => {
  it('R-GRADE-2: reports the bound, the actual count and the gap per rule ("好超出2个" / "较好及以下还差1个")', () => {
    const rules = [goodThird, { ...lower40, share: 0.5 }];
    const checks = checkQuotas(grades({ good: 5, fair: 4 }), rules);
    expect(checks.map((c) => [c.bound, c.actual, c.delta, c.ok, c.message])).toEqual([
      [3, 5, 2, false, '好超出2个'],
      [5, 4, -1, false, '较好及以下还差1个'],
    ]);
    expect(quotaSummary(checks)).toBe('好超出2个；较好及以下还差1个');
  });

  it('says when the rules hold, at the edge included', () => {
    const checks = checkQuotas(grades({ good: 2, fair: 3, poor: 2 }), [goodThird, lower40]);
    expect(checks.map((c) => c.message)).toEqual(['好2个，上限2个', '较好及以下5个，下限3个']);
    expect(quotaSummary(checks)).toBe('符合等次比例要求');
    expect(checkQuotas([], [goodThird, lower40]).every((c) => c.ok)).toBe(true);
    expect(checkQuotas(grades({ poor: 9 }), [goodThird, lower40]).every((c) => c.ok)).toBe(true);
  });
});

describe('validating quota rules', () => {
  it('R-GRADE-2: accepts rules that can be met together (好 ≤ 1/3 with 较好及以下 ≥ 80%)', () => {
    expect(() => validateQuotaRules([goodThird, { ...lower40, share: 0.8 }])).not.toThrow();
    expect(() => validateQuotaRules([goodThird, lower40], 20)).not.toThrow();
    expect(() => validateQuotaRules([])).not.toThrow();
    expect(() => validateQuotaRules([], 0)).not.toThrow();
  });

  it('R-GRADE-2: refuses rules that can never be met together, naming them', () => {
    const goodHalf: QuotaRule = { grades: ['good'], op: 'min', share: 0.5, rounding: 'ceil' };
    const e = thrown(() => validateQuotaRules([goodHalf, { ...lower40, share: 0.6 }]));
    expect(e.code).toBe('QUOTA_RULES_CONFLICT');
    expect(e.message).toBe('等次比例规则无法同时满足：第1条「好不少于50%」与第2条「较好及以下不少于60%」');
    expect(e.details).toEqual({ field: 'quotaRules', indices: [0, 1] });
    // Only a minimal clashing set is named, not the rules that are merely present.
    const poorCap: QuotaRule = { grades: ['poor'], op: 'max', share: 1, rounding: 'floor' };
    const named = thrown(() => validateQuotaRules([poorCap, goodThird, goodHalf]));
    expect(named.message).toBe('等次比例规则无法同时满足：第2条「好不超过1/3」与第3条「好不少于50%」');
  });

  it('R-GRADE-2: shares meeting exactly at the edge are feasible as proportions, but not after rounding at an odd n', () => {
    const rules: QuotaRule[] = [
      { grades: ['good'], op: 'min', share: { num: 1, den: 2 }, rounding: 'ceil' },
      { grades: LOWER, op: 'min', share: { num: 1, den: 2 }, rounding: 'ceil' },
    ];
    expect(() => validateQuotaRules(rules)).not.toThrow();
    expect(() => validateQuotaRules(rules, 8)).not.toThrow();
    expect(thrown(() => validateQuotaRules(rules, 7)).message).toBe(
      '等次比例规则无法同时满足（7个述职对象时）：第1条「好不少于1/2」与第2条「较好及以下不少于1/2」',
    );
  });

  it('handles sets that are not a run of grades', () => {
    const rules: QuotaRule[] = [
      { grades: ['good', 'poor'], op: 'max', count: 0 },
      { grades: ['good'], op: 'min', share: 0.1, rounding: 'ceil' },
    ];
    expect(() => validateQuotaRules(rules)).not.toThrow(); // count rules wait for n
    expect(thrown(() => validateQuotaRules(rules, 10)).details).toEqual({ field: 'quotaRules', indices: [0, 1] });
    expect(() => validateQuotaRules(rules, 0)).not.toThrow();
  });

  it('refuses a count that does not fit n', () => {
    const e = thrown(() => validateQuotaRules([{ grades: ['good'], op: 'min', count: 3 }], 2));
    expect(e.message).toBe('等次比例规则无法同时满足（2个述职对象时）：第1条「好不少于3个」');
  });

  it.each([
    [{ ...goodThird, share: { num: 4, den: 3 } }, '第1条等次比例规则「好不超过4/3」：比例应在0到1（100%）之间'],
    [{ ...goodThird, share: -0.1 }, '第1条等次比例规则「好不超过-10%」：比例应在0到1（100%）之间'],
    [{ ...goodThird, share: { num: 1, den: 0 } }, '第1条等次比例规则「好不超过1/0」：比例应在0到1（100%）之间'],
    [{ ...goodThird, count: 2 }, '第1条等次比例规则「好不超过2个」：比例和个数须且只须填写一项'],
    [{ grades: ['good'], op: 'max' }, '第1条等次比例规则「好不超过0%」：比例和个数须且只须填写一项'],
    [
      { ...goodThird, grades: [] },
      '第1条等次比例规则「（无等次）不超过1/3」：等次范围须为好、较好、一般、差中的一项或多项',
    ],
    [{ ...goodThird, grades: ['good', 'good'] }, '第1条等次比例规则「好不超过1/3」：等次范围有重复'],
    [
      { ...goodThird, rounding: undefined },
      '第1条等次比例规则「好不超过1/3」：须指定取整方式（向下取整、向上取整或四舍五入）',
    ],
    [{ ...goodThird, op: 'most' }, '第1条等次比例规则「好不少于1/3」：须指明是上限还是下限'],
    [{ grades: ['good'], op: 'max', count: 1.5 }, '第1条等次比例规则「好不超过1.5个」：个数应为非负整数'],
  ])('refuses a malformed rule %j', (rule, message) => {
    const e = thrown(() => validateQuotaRules([rule as QuotaRule]));
    expect(e.message).toBe(message);
    expect(e.details).toEqual({ field: 'quotaRules', index: 0 });
  });

  it('refuses a bad number of reporters', () => {
    expect(thrown(() => validateQuotaRules([goodThird], -1)).message).toBe('述职对象数应为非负整数');
  });

  it('recognises valid shares', () => {
    expect(isValidShare(0)).toBe(true);
    expect(isValidShare(1)).toBe(true);
    expect(isValidShare({ num: 1, den: 3 })).toBe(true);
    expect(isValidShare(Number.NaN)).toBe(false);
    expect(isValidShare({ num: 0.5, den: 1 })).toBe(false);
    expect(isValidShare(null)).toBe(false);
  });
});

describe('best counts', () => {
  const singles = (n: number) => Array.from({ length: n + 1 }, (_, i) => i);

  it('R-GRADE-2: gives the most 好 the rules allow, then 较好', () => {
    expect(bestCounts(singles(20), 0, [goodThird, lower40])).toEqual({
      counts: { good: 6, fair: 14, average: 0, poor: 0 },
      violation: 0,
    });
    expect(bestCounts(singles(20), 0, [lower40]).counts).toEqual({ good: 12, fair: 8, average: 0, poor: 0 });
  });

  it('counts fixed 差 toward the rules and never splits a tie', () => {
    expect(bestCounts(singles(17), 3, [lower40]).counts).toEqual({ good: 12, fair: 5, average: 0, poor: 3 });
    // Cuts at 0, 1, 3, 7: a tie of two at positions 2–3 cannot be split, so only 1 好 of an allowed 2.
    expect(bestCounts([0, 1, 3, 7], 0, [goodThird]).counts).toEqual({ good: 1, fair: 6, average: 0, poor: 0 });
  });

  it('uses 一般 and 差 only when a rule asks for them', () => {
    const rules: QuotaRule[] = [
      { grades: ['average', 'poor'], op: 'min', count: 2 },
      { grades: ['poor'], op: 'min', count: 1 },
    ];
    expect(bestCounts(singles(5), 0, rules).counts).toEqual({ good: 3, fair: 0, average: 1, poor: 1 });
  });

  it('returns the closest assignment when the rules cannot be met', () => {
    const cap: QuotaRule = { grades: LOWER, op: 'max', share: 0.45, rounding: 'floor' };
    expect(bestCounts(singles(8), 12, [cap])).toEqual({
      counts: { good: 8, fair: 0, average: 0, poor: 12 },
      violation: 3,
    });
  });

  it('handles no reporters', () => {
    expect(bestCounts([0], 0, [goodThird, lower40])).toEqual({
      counts: { good: 0, fair: 0, average: 0, poor: 0 },
      violation: 0,
    });
  });
});
