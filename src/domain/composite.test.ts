import { describe, expect, it } from 'vitest';
import {
  ballotScore,
  competitionRanks,
  compositeScore,
  rank,
  rankNote,
  round2,
  roundHalfUp,
  validateWeights,
  type Weights,
} from './composite';
import { mulberry32 } from './sampling';
import type { AppError } from './errors';

const W: Weights = { ballots: 40, field: 30, survey: 20, daily: 10 };
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('weights', () => {
  it('R-GRADE-1: weights must add up to 100%, naming the field', () => {
    expect(() => validateWeights(W)).not.toThrow();
    expect(() => validateWeights({ ballots: 33.3, field: 33.3, daily: 33.4 })).not.toThrow();
    const e = thrown(() => validateWeights({ ballots: 40, field: 30, survey: 25 }));
    expect(e.message).toBe('综合评价权重之和应为100%，当前为95%');
    expect(e.details).toEqual({ field: 'weights' });
    expect(thrown(() => validateWeights({})).message).toBe('综合评价权重之和应为100%，当前为0%');
  });

  it('refuses a negative or unknown weight, naming it', () => {
    expect(thrown(() => validateWeights({ ballots: 110, field: -10 })).message).toBe(
      '综合评价权重「实地考核」应为不小于0的数',
    );
    expect(thrown(() => validateWeights({ ballots: 100, bonus: 0 } as Weights)).message).toBe(
      '综合评价权重中有未知的评价项「bonus」',
    );
  });
});

describe('ballot score', () => {
  const counts = (good: number, fair: number, average: number, poor: number) => ({ good, fair, average, poor });

  it('R-GRADE-1: averages grade points 好100/较好80/一般60/差0 over valid ballots', () => {
    expect(ballotScore([{ category: 'a', counts: counts(30, 10, 5, 5) }])).toBe(82);
    expect(ballotScore([{ category: 'a', counts: counts(1, 1, 1, 0) }])).toBe(80);
  });

  it('R-GRADE-1: grade points are configurable', () => {
    const gradePoints = { good: 100, fair: 85, average: 70, poor: 40 };
    expect(ballotScore([{ category: 'a', counts: counts(1, 1, 1, 1) }], { gradePoints })).toBe(73.75);
    const e = thrown(() => ballotScore([], { gradePoints: { ...gradePoints, poor: -1 } }));
    expect(e.message).toBe('等次分值「差」应在0到100之间');
  });

  it('R-GRADE-1: weights evaluator categories, scaling up when a category cast no ballot', () => {
    const byCategory = [
      { category: '党委委员', counts: counts(10, 0, 0, 0) },
      { category: '群众代表', counts: counts(0, 0, 30, 0) },
      { category: '两代表一委员', counts: counts(0, 0, 0, 0) },
    ];
    const categoryWeights = { 党委委员: 40, 群众代表: 40, 两代表一委员: 20 };
    // Without weights 40 ballots count alike: (1000 + 1800) / 40 = 70.
    expect(ballotScore(byCategory)).toBe(70);
    // 100×40% + 60×40%, over the 80% present = 80.
    expect(ballotScore(byCategory, { categoryWeights })).toBe(80);
  });

  it('refuses category weights that do not add up or miss a category with ballots', () => {
    const byCategory = [{ category: '党委委员', counts: counts(1, 0, 0, 0) }];
    expect(thrown(() => ballotScore(byCategory, { categoryWeights: { 党委委员: 90 } })).message).toBe(
      '评议人类别权重之和应为100%，当前为90%',
    );
    const e = thrown(() => ballotScore(byCategory, { categoryWeights: { 群众代表: 100 } }));
    expect(e.message).toBe('评议人类别「党委委员」未设置权重');
    expect(e.details).toEqual({ field: 'categoryWeights' });
    expect(thrown(() => ballotScore(byCategory, { categoryWeights: { 党委委员: 0, 观察员: 100 } })).message).toContain(
      '权重均为0',
    );
  });

  it('is null without a valid ballot', () => {
    expect(ballotScore([])).toBeNull();
    expect(ballotScore([{ category: 'a', counts: counts(0, 0, 0, 0) }])).toBeNull();
  });
});

describe('composite score', () => {
  it('R-GRADE-1: weighted sum with a Chinese formula', () => {
    const r = compositeScore({ ballots: 82, field: 90, survey: 88.5, daily: 95 }, W);
    expect(r.score).toBe(87.0);
    expect(r.formula).toBe(
      '综合得分 = 测评得分×40% + 实地考核×30% + 满意度×20% + 平时掌握×10% = 82×40% + 90×30% + 88.5×20% + 95×10% = 87',
    );
    expect(r.missing).toEqual([]);
    expect(r.note).toBeNull();
  });

  it('R-GRADE-1: a missing component is left out and the other weights are scaled back to 100%, saying so', () => {
    const r = compositeScore({ ballots: 80, field: 90, survey: null, daily: 100 }, W);
    expect(r.missing).toEqual(['survey']);
    expect(r.score).toBe(86.25);
    expect(r.formula).toBe(
      '综合得分 = 测评得分×50% + 实地考核×37.5% + 平时掌握×12.5% = 80×50% + 90×37.5% + 100×12.5% = 86.25',
    );
    expect(r.note).toBe(
      '满意度得分缺失，其余各项权重按原比例折算为合计100%（测评得分40%→50%，实地考核30%→37.5%，平时掌握10%→12.5%）',
    );
  });

  it('rounds half up to two decimals and leaves zero-weight components out of the formula', () => {
    const r = compositeScore({ ballots: 80.015, report: 90 }, { ballots: 100, report: 0 });
    expect(r.score).toBe(80.02);
    expect(r.formula).toBe('综合得分 = 测评得分×100% = 80.02×100% = 80.02');
    expect(round2(1.005)).toBe(1.01);
  });

  it('roundHalfUp skips the 12-digit pass only where it cannot change the result', () => {
    const full = (x: number, d: number) => Math.round(Number((x * 10 ** d).toPrecision(12))) / 10 ** d;
    const rnd = mulberry32(7);
    const xs: number[] = [1.005, 100.49999999999999, 0.125, 2.675, 84.445, -1.005, -0.125, 0, 100, Number.NaN];
    for (let i = 0; i < 20_000; i++) {
      // Ratios of small integers, as the scores are, many of them exactly on a half, plus noise of a few ulps.
      const v = Math.floor(rnd() * 20_000) / (1 + Math.floor(rnd() * 400));
      xs.push(
        v,
        v + Number.EPSILON * v * (rnd() - 0.5) * 8,
        Math.floor(rnd() * 20_000) / 200 + 0.005,
        (rnd() - 0.5) * 1e6,
      );
    }
    for (const x of xs)
      for (const d of [2, 4]) expect(Object.is(roundHalfUp(x, d), full(x, d)), `${x} to ${d}`).toBe(true);
  });

  it('refuses missing everything, scores out of range and scores without a weight', () => {
    expect(thrown(() => compositeScore({}, W)).message).toBe('各项得分均缺失，无法计算综合得分');
    expect(thrown(() => compositeScore({ field: 101 }, W)).message).toBe('「实地考核」得分应在0到100之间');
    const e = thrown(() => compositeScore({ ballots: 90, report: 80 }, W));
    expect(e.message).toBe('「述职评议」未设置权重');
    expect(e.details).toEqual({ field: 'scores' });
    expect(thrown(() => compositeScore({ ballots: 90 }, { ballots: 90 })).message).toContain('之和应为100%');
  });
});

describe('ranking', () => {
  const items = [
    { id: 'a', score: 90, sector: 'rural', ballots: 80 },
    { id: 'b', score: 95, sector: 'community', ballots: 70 },
    { id: 'c', score: 90, sector: 'rural', ballots: 80 },
    { id: 'd', score: 85, sector: 'rural', ballots: 99 },
    { id: 'e', score: 90, sector: 'community', ballots: 85 },
  ];

  it('R-GRADE-1: competition ranking 1, 2, 2, 4 with input order kept among equals', () => {
    const r = rank(items, (x) => x.score);
    expect(r.map((x) => [x.item.id, x.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['e', 2],
      ['d', 5],
    ]);
    expect(r[0].groupRank).toBeNull();
  });

  it('R-GRADE-1: breaks ties by the stated tie-breakers, and ranks within each sector', () => {
    const r = rank(items, (x) => x.score, { tieBreakers: [(x) => x.ballots], groupOf: (x) => x.sector });
    expect(r.map((x) => [x.item.id, x.rank, x.groupRank])).toEqual([
      ['b', 1, 1],
      ['e', 2, 2],
      ['a', 3, 1],
      ['c', 3, 1],
      ['d', 5, 3],
    ]);
    expect(rankNote(['测评得分'])).toBe(
      '注：按综合得分（保留两位小数）从高到低排名；得分相同的依次比较测评得分；仍相同的并列，其后名次顺延（如1、2、2、4）。',
    );
    expect(rankNote()).not.toContain('依次比较');
  });

  it('handles no items, one item and all equal', () => {
    expect(rank([], (x: number) => x)).toEqual([]);
    expect(rank([7], (x) => x)).toEqual([{ item: 7, rank: 1, groupRank: null }]);
    expect(rank([5, 5, 5], (x) => x).map((x) => x.rank)).toEqual([1, 1, 1]);
  });

  it('refuses a score that is not a number', () => {
    expect(thrown(() => rank([1, Number.NaN], (x) => x)).message).toBe('排名依据的得分不是有效数字');
  });
});

describe('ranking a whole campaign (competitionRanks)', () => {
  it('R-GRADE-1 equals rank() overall and by group on random scores with many ties, unranked entries left null', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let c = 0; c < 200; c++) {
      const n = Math.floor(next() * 60);
      // Two decimals from a narrow range, so ties are common; about one in ten has no score.
      const scores = Array.from({ length: n }, () => (next() < 0.1 ? null : Math.round((80 + next() * 3) * 100) / 100));
      const groups = Array.from({ length: n }, () => Math.floor(next() * 3));
      const fast = competitionRanks(scores, groups);
      const items = scores.map((s, i) => ({ i, s })).filter((x) => x.s !== null);
      const slow = rank(items, (x) => x.s!, { groupOf: (x) => String(groups[x.i]) });
      const want = {
        rank: scores.map(() => null as number | null),
        groupRank: scores.map(() => null as number | null),
      };
      for (const r of slow) {
        want.rank[r.item.i] = r.rank;
        want.groupRank[r.item.i] = r.groupRank;
      }
      expect({ rank: fast.rank, groupRank: fast.groupRank }, `case ${c}`).toEqual(want);
      expect(
        fast.order.map((i) => i),
        `case ${c}`,
      ).toEqual(slow.map((r) => r.item.i));
    }
    expect(competitionRanks([90, 95, 90, null, 80]).rank).toEqual([2, 1, 2, null, 4]);
    expect(() => competitionRanks([90, Number.NaN])).toThrow('排名依据的得分不是有效数字');
  });
});
