import { AppError } from './errors';
import { GRADE_LABELS, isGrade, type Grade } from './grades';

/** Consequences of a grade (R-USE-1, R-USE-2, R-USE-3; 000 §7, 003 四(五)). */

export type ResultFlagCode = 'no_excellent' | 'talk' | 'rectify' | 'three_years_fair';

export interface ResultFlag {
  code: ResultFlagCode;
  message: string;
}

export interface YearGrade {
  year: number;
  grade: Grade;
}

/**
 * "连续三年" means the campaigns of year−2, year−1 and year: a missing year breaks the run, so grades
 * from non-consecutive years never add up to three in a row.
 */
export function resultFlags(current: YearGrade, previous: readonly YearGrade[] = []): ResultFlag[] {
  const all = [current, ...previous];
  for (const [i, y] of all.entries()) {
    const field = i === 0 ? 'current' : 'previous';
    if (!Number.isInteger(y.year) || !isGrade(y.grade)) {
      throw new AppError('VALIDATION', `${i === 0 ? '本年度' : '往年'}综合评价的年度或等次无效`, { field });
    }
    if (i > 0 && y.year >= current.year) {
      throw new AppError('VALIDATION', `往年综合评价的年度（${y.year}）应早于本年度（${current.year}）`, { field });
    }
    if (all.findIndex((x) => x.year === y.year) !== i) {
      throw new AppError('VALIDATION', `往年综合评价中${y.year}年重复`, { field });
    }
  }
  const label = GRADE_LABELS[current.grade];
  const flags: ResultFlag[] = [];
  if (current.grade !== 'good') {
    flags.push({ code: 'no_excellent', message: `综合评价等次为“${label}”，未达到“好”，年度考核不得评定为“优秀”等次` });
  }
  if (current.grade === 'average' || current.grade === 'poor') {
    flags.push({ code: 'talk', message: `综合评价等次为“${label}”，应约谈提醒` });
    flags.push({ code: 'rectify', message: `综合评价等次为“${label}”，应限期整改；问题严重的依规严肃追责问责` });
  }
  const gradeOf = (year: number) => all.find((x) => x.year === year)?.grade;
  if ([0, 1, 2].every((k) => gradeOf(current.year - k) === 'fair')) {
    flags.push({
      code: 'three_years_fair',
      message: `${current.year - 2}—${current.year}年连续三年综合评价等次为“较好”，应有针对性地加强该党组织的党建工作`,
    });
  }
  return flags;
}
