import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import type { Grade } from './grades';
import { seededRng } from './sampling';
import { percent, percentNote, reconcile, tallyBallots, tallyRow, type BallotInput } from './tally';

const ballots = (reporterId: string, category: string, spec: Partial<Record<Grade | 'invalid', number>>) =>
  Object.entries(spec).flatMap(([g, n]) =>
    Array.from(
      { length: n },
      (): BallotInput => ({ reporterId, category, grade: g === 'invalid' ? null : (g as Grade) }),
    ),
  );

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('percentages', () => {
  it.each([
    [1, 8, 12.5],
    [1, 16, 6.3],
    [1, 80, 1.3],
    [1, 3, 33.3],
    [2, 3, 66.7],
    [1, 6, 16.7],
    [7, 7, 100],
    [0, 5, 0],
    [0, 0, 0],
  ])('%i of %i is %s%% (one decimal, half up)', (count, total, expected) => {
    expect(percent(count, total)).toBe(expected);
  });

  it('states the rounding rule for the table note', () => {
    expect(percentNote()).toContain('保留一位小数');
    expect(percentNote()).toContain('四舍五入');
  });
});

describe('tally', () => {
  it('R-VOTE-1: counts per grade, shares, 一般+差 share and valid/invalid ballots', () => {
    const row = tallyRow(ballots('r1', 'c', { good: 30, fair: 12, average: 5, poor: 3, invalid: 2 }));
    expect(row.valid).toBe(50);
    expect(row.invalid).toBe(2);
    expect(row.counts).toEqual({ good: 30, fair: 12, average: 5, poor: 3 });
    expect(row.percents).toEqual({ good: 60, fair: 24, average: 10, poor: 6 });
    expect(row.averageOrPoor).toBe(8);
    expect(row.averageOrPoorPercent).toBe(16);
  });

  it('computes 一般+差 from the counts, not by adding rounded percentages', () => {
    const row = tallyRow(ballots('r', 'c', { good: 4, average: 1, poor: 1 }));
    expect(row.percents.average + row.percents.poor).toBe(33.4);
    expect(row.averageOrPoorPercent).toBe(33.3);
  });

  it('R-VOTE-5: a reporter in scope without ballots still gets a row, in scope order', () => {
    const [a, b] = tallyBallots(ballots('b', 'c', { good: 5 }), { rng: seededRng('s'), reporterIds: ['a', 'b'] });
    expect(a.reporterId).toBe('a');
    expect(a.overall.valid).toBe(0);
    expect(a.overall.percents.good).toBe(0);
    expect(a.byCategory).toEqual([]);
    expect(a.pooled).toBeNull();
    expect(a.problems).toBeNull();
    expect(b.overall.counts.good).toBe(5);
    expect(tallyBallots([], { rng: seededRng('s') })).toEqual([]);
  });

  it('refuses a ballot for a reporter outside the scope', () => {
    const e = thrown(() => tallyBallots(ballots('x', 'c', { good: 1 }), { rng: seededRng('s'), reporterIds: ['a'] }));
    expect(e.message).toContain('不在本次述职范围内');
  });

  it('R-VOTE-2: shows a category breakdown only for groups of at least the minimum (default 5)', () => {
    const all = [
      ...ballots('r', '两代表一委员', { good: 5 }),
      ...ballots('r', '党委委员', { good: 6, fair: 3, poor: 1 }),
      ...ballots('r', '群众代表', { fair: 12 }),
    ];
    const [t] = tallyBallots(all, { rng: seededRng('s') });
    expect(t.byCategory.map((c) => [c.category, c.valid])).toEqual([
      ['两代表一委员', 5],
      ['党委委员', 10],
      ['群众代表', 12],
    ]);
    expect(t.pooled).toBeNull();
  });

  it('R-VOTE-2: pools a small group with the next smallest so it cannot be recovered by subtraction', () => {
    const all = [
      ...ballots('r', '观察员', { poor: 2, invalid: 3 }),
      ...ballots('r', '党委委员', { good: 6, fair: 4 }),
      ...ballots('r', '群众代表', { fair: 12 }),
    ];
    const [t] = tallyBallots(all, { rng: seededRng('s') });
    expect(t.byCategory.map((c) => c.category)).toEqual(['群众代表']);
    expect(t.pooled?.categories).toEqual(['观察员', '党委委员']);
    expect(t.pooled?.row?.counts).toEqual({ good: 6, fair: 4, average: 0, poor: 2 });
    expect(t.overall.counts.poor).toBe(2);
  });

  it('R-VOTE-2: hides every breakdown when even all categories together are below the minimum', () => {
    const all = [...ballots('r', 'a', { good: 2 }), ...ballots('r', 'b', { poor: 1 })];
    const [t] = tallyBallots(all, { rng: seededRng('s') });
    expect(t.byCategory).toEqual([]);
    expect(t.pooled).toEqual({ categories: ['b', 'a'], row: null });
    expect(t.overall.valid).toBe(3);
  });

  it('honours a configured minimum group size and refuses a bad one', () => {
    const all = ballots('r', 'a', { good: 3 });
    expect(tallyBallots(all, { rng: seededRng('s'), minGroup: 3 })[0].byCategory).toHaveLength(1);
    expect(thrown(() => tallyBallots(all, { rng: seededRng('s'), minGroup: 0 })).message).toBe(
      '最小分组人数应为正整数',
    );
  });

  it('R-VOTE-2: shuffles free texts with the supplied generator, drops blanks, hides them below the minimum', () => {
    const texts = Array.from(
      { length: 8 },
      (_, i): BallotInput => ({
        reporterId: 'r',
        category: 'c',
        grade: 'good',
        problems: i === 3 ? '   ' : `问题${i}`,
        suggestions: `建议${i}`,
      }),
    );
    const [a] = tallyBallots(texts, { rng: seededRng('same') });
    const [b] = tallyBallots(texts, { rng: seededRng('same') });
    const [c] = tallyBallots(texts, { rng: seededRng('other') });
    expect(a.problems).toEqual(b.problems);
    expect(a.problems).toHaveLength(7);
    expect([...a.problems!].sort()).toEqual(
      texts
        .map((t) => t.problems!)
        .filter((p) => p.trim())
        .sort(),
    );
    expect([a.problems, a.suggestions]).not.toEqual([c.problems, c.suggestions]);
    expect(a.suggestions).not.toEqual(texts.map((t) => t.suggestions));
    const [few] = tallyBallots(texts.slice(0, 4), { rng: seededRng('s') });
    expect(few.problems).toBeNull();
    expect(few.suggestions).toBeNull();
  });
});

describe('reconciliation', () => {
  const clean = {
    codes: [
      { category: '党委委员', issued: 20, used: 18 },
      { category: '群众代表', issued: 25, used: 25 },
    ],
    attendees: 50,
    paperIssued: 5,
    paperCollected: 4,
    ballotsCounted: 47,
  };

  it('R-VOTE-5: matching counts give no mismatch', () => {
    expect(reconcile(clean)).toEqual({ mismatches: [], void: false });
  });

  it('R-VOTE-5: lists every mismatch in Chinese', () => {
    const r = reconcile({
      ...clean,
      codes: [{ category: '党委委员', issued: 20, used: 21 }],
      attendees: 20,
      paperCollected: 6,
      ballotsCounted: 20,
    });
    expect(r.void).toBe(false);
    expect(r.mismatches.map((m) => m.code)).toEqual([
      'CODES_OVERUSED',
      'PAPER_OVER_COLLECTED',
      'ISSUED_OVER_ATTENDEES',
      'BALLOTS_SHORT',
    ]);
    expect(r.mismatches[0].message).toBe('「党委委员」投票码使用数（21）多于发放数（20）');
    expect(r.mismatches[2].message).toBe('投票码与纸质表发放合计（25）多于签到人数（20）');
    expect(r.mismatches[3].message).toContain('计票数（20）少于已使用投票码与收回纸质表之和（27）');
  });

  it('R-VOTE-5: more ballots than used codes and paper is a mismatch, not yet void', () => {
    const r = reconcile({ ...clean, ballotsCounted: 49 });
    expect(r.mismatches.map((m) => m.code)).toEqual(['BALLOTS_OVER']);
    expect(r.void).toBe(false);
  });

  it('R-VOTE-5: void when ballots exceed codes issued plus paper forms collected', () => {
    expect(reconcile({ ...clean, ballotsCounted: 49 }).void).toBe(false);
    const r = reconcile({ ...clean, ballotsCounted: 50 });
    expect(r.void).toBe(true);
    expect(r.mismatches.at(-1)?.message).toBe('计票数（50）超过投票码发放数与纸质表收回数之和（49），本次测评结果无效');
  });

  it('handles a meeting without any ballot', () => {
    const r = reconcile({ codes: [], attendees: 0, paperIssued: 0, paperCollected: 0, ballotsCounted: 0 });
    expect(r).toEqual({ mismatches: [], void: false });
  });

  it('refuses negative or fractional counts, naming the field', () => {
    const e = thrown(() => reconcile({ ...clean, paperCollected: -1 }));
    expect(e.message).toBe('纸质表收回数应为非负整数');
    expect(e.details).toEqual({ field: 'paperCollected' });
    expect(thrown(() => reconcile({ ...clean, codes: [{ category: '群众代表', issued: 1.5, used: 0 }] })).message).toBe(
      '「群众代表」投票码发放数应为非负整数',
    );
  });
});
