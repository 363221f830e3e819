import { describe, expect, it } from 'vitest';
import {
  applicableChecklist,
  appliesToReporter,
  fieldPercent,
  missingItems,
  sectionTotals,
  totalPoints,
  validateItem,
  validateScore,
} from './checklist';
import type { AppError } from './errors';

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};
const item = { section: '班子建设', title: '组织生活', maxPoints: 10, method: 'site' };

describe('checklist items', () => {
  it('R-ASSESS-2 accepts a valid item and refuses zero or negative points, too many decimals and unknown methods (only 看现场, 查资料, 访群众), in Chinese', () => {
    expect(() => validateItem(item)).not.toThrow();
    expect(() => validateItem({ ...item, maxPoints: 2.5, method: 'interview' })).not.toThrow();
    expect(thrown(() => validateItem({ ...item, maxPoints: 0 })).message).toBe('分值必须大于0');
    expect(thrown(() => validateItem({ ...item, maxPoints: -3 })).details).toEqual({ field: 'maxPoints' });
    expect(thrown(() => validateItem({ ...item, maxPoints: 1.234 })).message).toContain('两位小数');
    expect(thrown(() => validateItem({ ...item, maxPoints: 101 })).message).toContain('不能超过100');
    expect(thrown(() => validateItem({ ...item, method: 'phone' })).message).toBe(
      '考核方式只能是看现场、查资料或访群众',
    );
    expect(thrown(() => validateItem({ ...item, title: '  ' })).details).toEqual({ field: 'title' });
    expect(thrown(() => validateItem({ ...item, section: '' })).details).toEqual({ field: 'section' });
  });

  it('totals add in hundredths and sections keep first-appearance order', () => {
    expect(totalPoints([0.1, 0.2])).toBe(0.3);
    expect(totalPoints([])).toBe(0);
    expect(
      sectionTotals([
        { section: 'B', maxPoints: 10 },
        { section: 'A', maxPoints: 2.5 },
        { section: 'B', maxPoints: 5 },
      ]),
    ).toEqual([
      { section: 'B', items: 2, points: 15 },
      { section: 'A', items: 1, points: 2.5 },
    ]);
  });
});

describe('which checklist a reporter is scored against', () => {
  const township = { id: 1, position: 0, appliesTo: { tierKeys: ['committees'] } };
  const organ = { id: 2, position: 1, appliesTo: { sectors: ['organ'] } };
  const village = { id: 3, position: 2, appliesTo: { sectors: ['rural', 'community'] } };
  const all = { id: 4, position: 3, appliesTo: {} };

  it('empty appliesTo matches everyone; both lists must match when given', () => {
    expect(appliesToReporter({}, { tierKey: 'x', sector: 'rural' })).toBe(true);
    expect(appliesToReporter(null, { tierKey: 'x', sector: 'rural' })).toBe(true);
    expect(appliesToReporter({ tierKeys: ['a'], sectors: ['organ'] }, { tierKey: 'a', sector: 'rural' })).toBe(false);
    expect(appliesToReporter({ tierKeys: ['a'], sectors: ['organ'] }, { tierKey: 'a', sector: 'organ' })).toBe(true);
  });

  it('the first by position wins, whatever the array order', () => {
    const lists = [all, village, organ, township];
    expect(applicableChecklist(lists, { tierKey: 'committees', sector: 'rural' })?.id).toBe(1);
    expect(applicableChecklist(lists, { tierKey: 'grassroots', sector: 'organ' })?.id).toBe(2);
    expect(applicableChecklist(lists, { tierKey: 'grassroots', sector: 'community' })?.id).toBe(3);
    expect(applicableChecklist(lists, { tierKey: 'grassroots', sector: 'non_public' })?.id).toBe(4);
    expect(applicableChecklist([township, organ], { tierKey: 'grassroots', sector: 'non_public' })).toBeNull();
  });
});

describe('scores', () => {
  const it10 = { title: '组织生活', maxPoints: 10 };
  it('0..max accepted; above max, negative, or a failed item without a note refused', () => {
    expect(() => validateScore({ score: 0, failed: false }, it10)).not.toThrow();
    expect(() => validateScore({ score: 10, failed: false }, it10)).not.toThrow();
    expect(() => validateScore({ score: 3, failed: true, note: '台账缺失' }, it10)).not.toThrow();
    const over = thrown(() => validateScore({ score: 10.5, failed: false }, it10));
    expect(over.code).toBe('SCORE_ABOVE_MAX');
    expect(over.message).toBe('「组织生活」的得分10.5超过该项分值10分');
    expect(thrown(() => validateScore({ score: -1, failed: false }, it10)).message).toContain('不能小于0');
    expect(thrown(() => validateScore({ score: 2, failed: true, note: ' ' }, it10)).code).toBe('NOTE_REQUIRED');
    expect(thrown(() => validateScore({ score: 2, failed: true }, it10)).message).toBe(
      '「组织生活」判定为不合格，须填写问题说明',
    );
  });

  it('completion lists the unscored items in order; the field percent is over the scored items', () => {
    const items = [{ id: 5 }, { id: 6 }, { id: 7 }];
    expect(missingItems(items, [6]).map((i) => i.id)).toEqual([5, 7]);
    expect(missingItems(items, [5, 6, 7])).toEqual([]);
    expect(
      fieldPercent([
        { score: 8, maxPoints: 10 },
        { score: 2.5, maxPoints: 5 },
      ]),
    ).toBe(70);
    expect(fieldPercent([])).toBeNull();
  });
});
