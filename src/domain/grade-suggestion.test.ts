import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import type { Grade } from './grades';
import {
  autoPoorReasons,
  lockCheck,
  quotaBins,
  suggestGrades,
  validateDecision,
  type Decision,
  type GradingPolicy,
  type Standing,
} from './grade-suggestion';
import type { QuotaRule } from './quotas';

const LOWER: Grade[] = ['fair', 'average', 'poor'];
/** 003: 评价为“较好”或以下等次的应占40%左右的比例 — a guide, so not hard. */
const TOWNSHIP: GradingPolicy = {
  quotaRules: [{ grades: LOWER, op: 'min', share: { num: 2, den: 5 }, rounding: 'ceil', hard: false }],
};
/** 001: 评价为“好”等次的比例一般不超过三分之一. */
const GOOD_THIRD: QuotaRule = { grades: ['good'], op: 'max', share: { num: 1, den: 3 }, rounding: 'floor' };

/** 50 evaluators; `low` of them rate 一般 or 差, the rest 好 or 较好. */
const ballots50 = (low: number) => ({
  counts: { good: 40 - low, fair: 10, average: low - (low >> 1), poor: low >> 1 },
});
const standing = (i: number, extra: Partial<Standing> = {}): Standing => ({
  reporterId: `r${i}`,
  rank: i,
  ballots: ballots50(2),
  ...extra,
});
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('automatic 差', () => {
  it('R-GRADE-3: 一般+差 above 10% of valid ballots, strictly', () => {
    expect(autoPoorReasons(standing(1, { ballots: ballots50(6) }))).toEqual([
      '现场测评“一般”“差”票6张，占有效票12%，超过1/10',
    ]);
    expect(autoPoorReasons(standing(1, { ballots: ballots50(5) }))).toEqual([]);
    expect(autoPoorReasons(standing(1, { ballots: { counts: { good: 0, fair: 0, average: 0, poor: 0 } } }))).toEqual(
      [],
    );
  });

  it('R-GRADE-3: a recorded major error or accountability case, each with its reason', () => {
    const s = standing(1, { majorError: ' 发生群体性事件 ', accountability: '被旗纪委问责' });
    expect(autoPoorReasons(s)).toEqual([
      '年度基层党建工作出现重大失误造成严重影响：发生群体性事件',
      '党组织书记抓基层党建工作不力被问责追责：被旗纪委问责',
    ]);
    expect(autoPoorReasons(standing(1, { majorError: '  ', accountability: null }))).toEqual([]);
  });

  it('R-GRADE-3: each condition is a campaign setting, the threshold included', () => {
    const s = standing(1, { ballots: ballots50(5), majorError: '重大失误' });
    expect(autoPoorReasons(s, { averageOrPoorShareAbove: 0.08, majorError: false, accountability: true })).toEqual([
      '现场测评“一般”“差”票5张，占有效票10%，超过8%',
    ]);
    expect(autoPoorReasons(s, { averageOrPoorShareAbove: null, majorError: false, accountability: false })).toEqual([]);
  });
});

describe('suggested grades', () => {
  it('R-GRADE-2/R-GRADE-3: township seed 003 — 20 reporters, 50 evaluators each', () => {
    const standings = Array.from({ length: 20 }, (_, k) => {
      const i = k + 1;
      if (i === 20) return standing(i, { ballots: ballots50(6) }); // 12% 一般+差
      if (i === 19) return standing(i, { ballots: ballots50(5) }); // exactly 10%: not automatic
      if (i === 5) return standing(i, { majorError: '村集体资金管理出现重大问题' });
      if (i === 8) return standing(i, { accountability: '抓党建工作不力被问责' });
      return standing(i);
    });
    const s = suggestGrades(standings, TOWNSHIP);
    const byId = new Map(s.grades.map((g) => [g.reporterId, g]));
    expect(s.grades.map((g) => g.rank)).toEqual(standings.map((x) => x.rank));
    expect(s.grades.filter((g) => g.autoReasons.length).map((g) => g.reporterId)).toEqual(['r5', 'r8', 'r20']);
    expect(byId.get('r19')?.grade).toBe('fair');
    // 较好或以下 ≥ 40% of 20 → 8: the 3 automatic 差 count, so 5 more 较好; the best 12 get 好.
    const count = (g: Grade) => s.grades.filter((x) => x.grade === g).length;
    expect([count('good'), count('fair'), count('average'), count('poor')]).toEqual([12, 5, 0, 3]);
    expect(s.grades.filter((g) => g.grade === 'good').map((g) => g.rank)).toEqual([
      1, 2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14,
    ]);
    expect(s.checks.map((c) => c.message)).toEqual(['较好及以下8个，下限8个']);
    expect(s.unmet).toBeNull();
    expect(byId.get('r3')?.explanation).toBe('排名第3，好等次名额上限12个，建议为好');
    expect(byId.get('r15')?.explanation).toBe('排名第15，未能定为好（定为好将使较好及以下还差1个），建议为较好');
    expect(byId.get('r5')?.explanation).toBe(
      '排名第5，自动定为差：年度基层党建工作出现重大失误造成严重影响：村集体资金管理出现重大问题',
    );
    expect(byId.get('r20')?.explanation).toBe('排名第20，自动定为差：现场测评“一般”“差”票6张，占有效票12%，超过1/10');
  });

  it('R-GRADE-2: rounding at small sizes — 7 reporters, 好 ≤ 1/3 allows 2', () => {
    const s = suggestGrades(
      Array.from({ length: 7 }, (_, k) => standing(k + 1)),
      { quotaRules: [GOOD_THIRD] },
    );
    expect(s.grades.map((g) => g.grade)).toEqual(['good', 'good', 'fair', 'fair', 'fair', 'fair', 'fair']);
    expect(s.grades[2].explanation).toBe('排名第3，未能定为好（定为好将使好超出1个），建议为较好');
    expect(s.unmet).toBeNull();
  });

  it('R-GRADE-2: a tie at the quota boundary is not split; the whole tie takes the lower grade', () => {
    const ranks = [1, 2, 2, 4, 5, 6, 7];
    const s = suggestGrades(
      ranks.map((r, k) => ({ ...standing(k + 1), rank: r })),
      { quotaRules: [GOOD_THIRD] },
    );
    expect(s.grades.map((g) => g.grade)).toEqual(['good', 'fair', 'fair', 'fair', 'fair', 'fair', 'fair']);
    expect(s.grades[1].explanation).toBe('排名第2（并列2个），未能定为好（定为好将使好超出1个），建议为较好');
    expect(s.grades[0].explanation).toBe('排名第1，好等次名额上限1个，建议为好');
    expect(s.unmet).toBeNull();
  });

  it('R-GRADE-2: reports, rather than breaks, quotas that cannot be met — too many automatic 差 for "40%左右"', () => {
    // "40%左右" read as a band: 较好或以下 at least 35% (7 of 20) and at most 45% (9 of 20).
    const band: GradingPolicy = {
      quotaRules: [
        { grades: LOWER, op: 'min', share: 0.35, rounding: 'ceil' },
        { grades: LOWER, op: 'max', share: 0.45, rounding: 'floor' },
      ],
    };
    const standings = Array.from({ length: 20 }, (_, k) => standing(k + 1, { ballots: ballots50(k < 8 ? 2 : 8) }));
    const s = suggestGrades(standings, band);
    expect(s.grades.filter((g) => g.grade === 'poor')).toHaveLength(12);
    expect(s.grades.filter((g) => g.grade === 'good')).toHaveLength(8);
    expect(s.grades[0].explanation).toBe('排名第1，建议为好');
    expect(s.checks.map((c) => c.ok)).toEqual([true, false]);
    expect(s.unmet).toBe(
      '无法同时满足等次比例要求：较好及以下超出3个（其中自动定为“差”的12个不能调整），请党委研究决定',
    );
  });

  it('R-GRADE-2: says when ties are the reason the quotas cannot be met', () => {
    const tied = Array.from({ length: 6 }, (_, k) => ({ ...standing(k + 1), rank: 1 }));
    const s = suggestGrades(tied, { quotaRules: [{ grades: ['good'], op: 'min', count: 1 }, GOOD_THIRD] });
    expect(new Set(s.grades.map((g) => g.grade)).size).toBe(1);
    expect(s.unmet).toContain('排名并列的不拆分等次');
  });

  it('handles no reporters, all automatic 差 and no quota rules', () => {
    expect(suggestGrades([], TOWNSHIP)).toEqual({
      grades: [],
      checks: [expect.objectContaining({ bound: 0, actual: 0, ok: true })],
      unmet: null,
    });
    const allPoor = suggestGrades(
      [standing(1, { ballots: ballots50(9) }), standing(2, { ballots: ballots50(9) })],
      TOWNSHIP,
    );
    expect(allPoor.grades.map((g) => g.grade)).toEqual(['poor', 'poor']);
    expect(allPoor.unmet).toBeNull();
    const free = suggestGrades([standing(1), standing(2)], { quotaRules: [] });
    expect(free.grades.map((g) => g.explanation)).toEqual(['排名第1，建议为好', '排名第2，建议为好']);
  });

  it('uses 一般 or 差 for reporters not automatically 差 only when a rule requires it', () => {
    const s = suggestGrades(
      Array.from({ length: 4 }, (_, k) => standing(k + 1)),
      { quotaRules: [{ grades: ['average', 'poor'], op: 'min', count: 1 }] },
    );
    expect(s.grades.map((g) => g.grade)).toEqual(['good', 'good', 'good', 'average']);
    expect(s.grades[3].explanation).toBe('排名第4，未能定为较好（定为较好将使一般及以下还差1个），建议为一般');
  });

  it('refuses duplicate reporters, bad ranks, bad counts and bad rules', () => {
    expect(thrown(() => suggestGrades([standing(1), standing(1)], TOWNSHIP)).message).toBe('述职对象（r1）重复');
    expect(thrown(() => suggestGrades([standing(0)], TOWNSHIP)).message).toBe('述职对象（r0）的排名应为正整数');
    const neg = standing(1, { ballots: { counts: { good: -1, fair: 0, average: 0, poor: 0 } } });
    expect(thrown(() => suggestGrades([neg], TOWNSHIP)).details).toEqual({ field: 'ballots' });
    const clash: QuotaRule = { grades: ['good'], op: 'min', share: 0.5, rounding: 'ceil' };
    expect(thrown(() => suggestGrades([standing(1)], { quotaRules: [GOOD_THIRD, clash] })).code).toBe(
      'QUOTA_RULES_CONFLICT',
    );
  });
});

describe('final decision', () => {
  const decision = (over: Partial<Decision> = {}): Decision => ({
    reporterId: 'r1',
    name: '某村党支部',
    suggested: 'fair',
    final: 'fair',
    autoReasons: [],
    ...over,
  });

  it('R-GRADE-4: a final grade departing from the suggestion needs a reason', () => {
    expect(() => validateDecision(decision())).not.toThrow();
    expect(() => validateDecision(decision({ final: 'good', reason: '平时掌握情况突出' }))).not.toThrow();
    const e = thrown(() => validateDecision(decision({ final: 'good', reason: '  ' })));
    expect(e.code).toBe('REASON_REQUIRED');
    expect(e.message).toBe('「某村党支部」最终等次（好）与建议等次（较好）不一致，须填写调整理由');
    expect(e.details).toEqual({ field: 'reason', reporterId: 'r1' });
  });

  it('R-GRADE-4: hard rules block locking, soft ones warn', () => {
    const policy: GradingPolicy = { quotaRules: [GOOD_THIRD, { ...TOWNSHIP.quotaRules[0] }] };
    const finals = [
      decision({ reporterId: 'a', name: '甲村', suggested: 'good', final: 'good' }),
      decision({ reporterId: 'b', name: '乙村', suggested: 'fair', final: 'good', reason: '党委研究决定' }),
      decision({ reporterId: 'c', name: '丙村', suggested: 'fair', final: 'fair' }),
    ];
    const r = lockCheck(finals, policy);
    expect(r.canLock).toBe(false);
    expect(r.blockers).toEqual(['等次比例要求「好不超过1/3」未满足：好超出1个']);
    expect(r.warnings).toEqual(['等次比例要求「较好及以下不少于2/5」未满足：较好及以下还差1个']);
    expect(lockCheck(finals.slice(2), policy)).toMatchObject({ canLock: true, blockers: [], warnings: [] });
  });

  it('R-GRADE-3/R-GRADE-4: overriding an automatic 差 blocks by default and warns when set so; a missing reason always blocks', () => {
    const auto = decision({ suggested: 'poor', final: 'average', autoReasons: ['被问责'], reason: '问责事项已撤销' });
    expect(lockCheck([auto], { quotaRules: [] }).blockers).toEqual([
      '「某村党支部」符合自动定为“差”的情形（被问责），最终等次为一般',
    ]);
    const soft = lockCheck([auto], { quotaRules: [], autoPoorHard: false });
    expect(soft).toMatchObject({
      canLock: true,
      warnings: ['「某村党支部」符合自动定为“差”的情形（被问责），最终等次为一般'],
    });
    const noReason = lockCheck([decision({ final: 'average' })], { quotaRules: [], autoPoorHard: false });
    expect(noReason.blockers).toEqual(['「某村党支部」最终等次（一般）与建议等次（较好）不一致，须填写调整理由']);
    expect(lockCheck([], { quotaRules: [GOOD_THIRD] }).canLock).toBe(true);
  });

  it('R-GRADE-2: per-rule bins for an overridden assignment ("好超出2个；较好及以下还差1个")', () => {
    const rules: QuotaRule[] = [GOOD_THIRD, { grades: LOWER, op: 'min', share: 0.5, rounding: 'ceil' }];
    const assignment: Grade[] = ['good', 'good', 'good', 'good', 'good', 'fair', 'fair', 'average', 'poor'];
    expect(quotaBins(assignment, rules).summary).toBe('好超出2个；较好及以下还差1个');
    expect(quotaBins(['good', 'fair', 'fair'], rules).summary).toBe('符合等次比例要求');
  });
});

describe('suggested grades, properties over random campaigns', () => {
  // A seeded generator so a failure names a reproducible case (mulberry32).
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const POLICIES: GradingPolicy[] = [
    TOWNSHIP,
    { quotaRules: [GOOD_THIRD, { grades: LOWER, op: 'min', share: 0.4, rounding: 'round', hard: false }] },
    { quotaRules: [GOOD_THIRD], autoPoor: { averageOrPoorShareAbove: 0.15, majorError: false, accountability: true } },
    {
      quotaRules: [{ grades: ['good'], op: 'max', count: 3 }],
      autoPoor: { averageOrPoorShareAbove: null, majorError: true, accountability: false },
    },
    { quotaRules: [] },
  ];
  const campaign = (next: () => number, n: number): Standing[] => {
    const out: Standing[] = [];
    let rank = 1;
    for (let i = 0; i < n; i++) {
      if (i > 0 && next() > 0.3) rank = i + 1; // about a third of the reporters tie with the one before
      const counts = {
        good: Math.floor(next() * 30),
        fair: Math.floor(next() * 10),
        average: Math.floor(next() * 4),
        poor: Math.floor(next() * 3),
      };
      if (next() < 0.05) Object.assign(counts, { good: 0, fair: 0, average: 0, poor: 0 });
      out.push({
        reporterId: `r${i}`,
        rank,
        ballots: { counts },
        majorError: next() < 0.05 ? '重大失误' : null,
        accountability: next() < 0.05 ? '被问责' : null,
      });
    }
    return out;
  };
  const byReporter = (s: ReturnType<typeof suggestGrades>) =>
    Object.fromEntries(
      s.grades.map((g) => [
        g.reporterId,
        { rank: g.rank, grade: g.grade, autoReasons: g.autoReasons, explanation: g.explanation },
      ]),
    );
  const ORDER: Grade[] = ['good', 'fair', 'average', 'poor'];

  it('R-GRADE-2/R-GRADE-3: the input order does not matter; ties share a grade; grades never improve down the ranking', () => {
    const next = rng(20261129);
    for (let c = 0; c < 400; c++) {
      const policy = POLICIES[c % POLICIES.length]!;
      const standings = campaign(next, Math.floor(next() * 40));
      const base = suggestGrades(standings, policy);
      // Any order of the same standings: reversed, and shuffled.
      const shuffled = [...standings];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      for (const other of [[...standings].reverse(), shuffled]) {
        const s = suggestGrades(other, policy);
        expect(byReporter(s), `case ${c}`).toEqual(byReporter(base));
        expect(s.checks, `case ${c}`).toEqual(base.checks);
        expect(s.unmet, `case ${c}`).toBe(base.unmet);
      }
      expect(
        base.grades.map((g) => g.rank),
        `case ${c}`,
      ).toEqual(standings.map((s) => s.rank).sort((a, b) => a - b));
      const free = base.grades.filter((g) => g.autoReasons.length === 0);
      for (let i = 1; i < free.length; i++) {
        const [a, b] = [free[i - 1]!, free[i]!];
        if (a.rank === b.rank) expect(b.grade, `case ${c} tie at ${a.rank}`).toBe(a.grade);
        else expect(ORDER.indexOf(b.grade), `case ${c} rank ${b.rank}`).toBeGreaterThanOrEqual(ORDER.indexOf(a.grade));
      }
      for (const s of standings) {
        const g = base.grades.find((x) => x.reporterId === s.reporterId)!;
        expect(g.autoReasons, `case ${c} ${s.reporterId}`).toEqual(autoPoorReasons(s, policy.autoPoor));
        if (g.autoReasons.length) expect(g.grade).toBe('poor');
      }
    }
  });
});
