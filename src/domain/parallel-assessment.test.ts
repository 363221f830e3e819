import { describe, expect, it } from 'vitest';
import { parallelAssessment, parallelHonours, performanceRanks, type ParallelUnit } from './parallel-assessment';

const unit = (
  orgId: number,
  performanceRank: number | null,
  partyRank: number | null,
  grade: ParallelUnit['grade'],
  partyScore: number | null = 80,
): ParallelUnit => ({ orgId, name: `单位${orgId}`, performanceRank, partyRank, partyScore, grade });

describe('R-USE-5 平行考核、差额否决', () => {
  it('2 honours at 1:1.5 take 3 candidates by performance and give the honours by party-building rank', () => {
    const units = [unit(1, 1, 3, 'fair'), unit(2, 2, 1, 'good'), unit(3, 3, 2, 'good'), unit(4, 4, 4, 'good')];
    const { rows, candidates } = parallelAssessment(units, { honours: 2, margin: 1.5, ratio: 20 });
    expect(candidates).toBe(3);
    expect(rows.filter((r) => r.candidate).map((r) => r.orgId)).toEqual([1, 2, 3]);
    expect(rows.filter((r) => r.honour).map((r) => r.orgId)).toEqual([2, 3]);
    expect(rows.find((r) => r.orgId === 1)!.note).toContain('差额未入选');
    expect(rows.find((r) => r.orgId === 4)!.candidate).toBe(false);
  });

  it('vetoes a candidate graded 一般 or 差 even when its party rank would win', () => {
    const units = [unit(1, 1, 1, 'average'), unit(2, 2, 2, 'fair'), unit(3, 3, 3, 'poor')];
    const { rows } = parallelAssessment(units, { honours: 2, margin: 1.5, ratio: 20 });
    expect(rows.filter((r) => r.honour).map((r) => r.orgId)).toEqual([2]);
    expect(rows[0].note).toContain('差额否决');
    expect(rows[2].note).toContain('差额否决');
  });

  it('converts the party-building composite at the ratio, half up to two decimals', () => {
    const { rows } = parallelAssessment([unit(1, 1, 1, 'good', 87.45)], { honours: 1, margin: 1.5, ratio: 15 });
    expect(rows[0].converted).toBe(13.12);
  });

  it('refuses a margin below 1:1 and negative honours', () => {
    expect(() => parallelAssessment([], { honours: 1, margin: 0.5, ratio: 20 })).toThrow('差额比例');
    expect(() => parallelAssessment([], { honours: -1, margin: 1.5, ratio: 20 })).toThrow('评优名额');
    expect(() => parallelAssessment([], { honours: 1, margin: 1.5, ratio: 120 })).toThrow('折算比例');
  });
});

describe('R-USE-5 three honours of 004, each 1:1.5', () => {
  it("takes each honour's candidates by its own places", () => {
    const units = [
      unit(1, 1, 2, 'good'),
      unit(2, 2, 1, 'good'),
      unit(3, 3, 4, 'average'),
      unit(4, 4, 3, 'good'),
      unit(5, 5, 5, 'good'),
    ];
    const { honours, rows } = parallelHonours(units, {
      ratio: 20,
      honours: [
        { key: 'advanced_unit', label: '年度目标考核先进单位', places: 2, margin: 1.5 },
        { key: 'july_first', label: '市委“七一”表彰对象', places: 1, margin: 1.5 },
      ],
    });
    expect(honours.map((h) => h.candidates)).toEqual([3, 2]);
    const honoured = (key: string) => rows.filter((r) => r.honours[key]!.honour).map((r) => r.orgId);
    // 2 places → candidates 1, 2, 3; 3 is 一般 (vetoed); 1 and 2 are honoured.
    expect(honoured('advanced_unit')).toEqual([1, 2]);
    // 1 place → candidates 1, 2; the better party rank wins.
    expect(honoured('july_first')).toEqual([2]);
    expect(rows.find((r) => r.orgId === 3)!.honours.advanced_unit!.note).toContain('差额否决');
    expect(rows.find((r) => r.orgId === 3)!.honours.july_first!.candidate).toBe(false);
  });

  it('ranks a sheet with scores and no ranks from the scores; refuses a half-ranked sheet', () => {
    expect(
      performanceRanks([
        { score: 90, rank: null },
        { score: 95, rank: null },
        { score: 90, rank: null },
        { score: 80, rank: null },
      ]),
    ).toEqual({ ranks: [2, 1, 2, 4], fromScores: true });
    expect(
      performanceRanks([
        { score: null, rank: 2 },
        { score: 1, rank: 1 },
      ]),
    ).toEqual({ ranks: [2, 1], fromScores: false });
    expect(() =>
      performanceRanks([
        { score: 90, rank: 1 },
        { score: 80, rank: null },
      ]),
    ).toThrow('请全部填写绩效排名');
  });
});
