import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import { resultFlags } from './result-flags';

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};
const codes = (...args: Parameters<typeof resultFlags>) => resultFlags(...args).map((f) => f.code);

describe('result flags', () => {
  it('R-USE-1: a grade other than 好 bars 优秀 in the annual cadre assessment', () => {
    expect(resultFlags({ year: 2024, grade: 'good' })).toEqual([]);
    expect(resultFlags({ year: 2024, grade: 'fair' })).toEqual([
      { code: 'no_excellent', message: '综合评价等次为“较好”，未达到“好”，年度考核不得评定为“优秀”等次' },
    ]);
  });

  it('R-USE-2: 一般 or 差 means an admonishment talk and rectification by a deadline', () => {
    expect(codes({ year: 2024, grade: 'average' })).toEqual(['no_excellent', 'talk', 'rectify']);
    const poor = resultFlags({ year: 2024, grade: 'poor' });
    expect(poor.map((f) => f.code)).toEqual(['no_excellent', 'talk', 'rectify']);
    expect(poor[1].message).toBe('综合评价等次为“差”，应约谈提醒');
    expect(poor[2].message).toBe('综合评价等次为“差”，应限期整改；问题严重的依规严肃追责问责');
  });

  it('R-USE-3: 较好 three years in a row calls for targeted strengthening', () => {
    const flags = resultFlags({ year: 2024, grade: 'fair' }, [
      { year: 2023, grade: 'fair' },
      { year: 2022, grade: 'fair' },
    ]);
    expect(flags.map((f) => f.code)).toEqual(['no_excellent', 'three_years_fair']);
    expect(flags[1].message).toBe('2022—2024年连续三年综合评价等次为“较好”，应有针对性地加强该党组织的党建工作');
  });

  it('R-USE-3: a gap year, a different grade or only two years is not three in a row', () => {
    expect(
      codes({ year: 2024, grade: 'fair' }, [
        { year: 2023, grade: 'fair' },
        { year: 2021, grade: 'fair' },
      ]),
    ).not.toContain('three_years_fair');
    expect(
      codes({ year: 2024, grade: 'good' }, [
        { year: 2023, grade: 'fair' },
        { year: 2022, grade: 'fair' },
      ]),
    ).toEqual([]);
    expect(
      codes({ year: 2024, grade: 'fair' }, [
        { year: 2023, grade: 'average' },
        { year: 2022, grade: 'fair' },
      ]),
    ).toEqual(['no_excellent']);
    expect(codes({ year: 2024, grade: 'fair' }, [{ year: 2023, grade: 'fair' }])).toEqual(['no_excellent']);
  });

  it('refuses history that is not before the current year, duplicated or malformed', () => {
    expect(thrown(() => resultFlags({ year: 2024, grade: 'fair' }, [{ year: 2024, grade: 'fair' }])).message).toBe(
      '往年综合评价的年度（2024）应早于本年度（2024）',
    );
    const dup = thrown(() =>
      resultFlags({ year: 2024, grade: 'fair' }, [
        { year: 2023, grade: 'fair' },
        { year: 2023, grade: 'good' },
      ]),
    );
    expect(dup.message).toBe('往年综合评价中2023年重复');
    expect(thrown(() => resultFlags({ year: 2024, grade: 'excellent' as never })).details).toEqual({
      field: 'current',
    });
  });
});
