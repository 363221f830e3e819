/** Grades of the composite evaluation (R-GRADE-2) and levels of the satisfaction survey (R-ASSESS-3). */

/** Best first: the index is the ordering used everywhere (lower index = better grade). */
export const GRADES = ['good', 'fair', 'average', 'poor'] as const;
export type Grade = (typeof GRADES)[number];

export const GRADE_LABELS: Record<Grade, string> = { good: '好', fair: '较好', average: '一般', poor: '差' };

export const isGrade = (value: unknown): value is Grade => GRADES.includes(value as Grade);
export const gradeLabel = (grade: Grade): string => GRADE_LABELS[grade];
export const gradeFromLabel = (label: string): Grade | undefined =>
  GRADES.find((g) => GRADE_LABELS[g] === label.trim() || g === label.trim());

/** 0 for 好 … 3 for 差. */
export const gradeIndex = (grade: Grade): number => GRADES.indexOf(grade);
/** Negative when `a` is the better grade; usable as a sort comparator (best first). */
export const compareGrades = (a: Grade, b: Grade): number => gradeIndex(a) - gradeIndex(b);

/**
 * Names a set of grades the way the plans do: a run down to 差 is "较好及以下", a run up from 好
 * is "较好及以上", anything else is listed ("好、差").
 */
export function gradeSetLabel(grades: readonly Grade[]): string {
  const sorted = [...new Set(grades)].sort(compareGrades);
  if (sorted.length === 0) return '（无等次）';
  const first = gradeIndex(sorted[0]!);
  const contiguous = sorted.every((g, i) => gradeIndex(g) === first + i);
  if (sorted.length === 1) return GRADE_LABELS[sorted[0]!];
  if (contiguous && sorted.length === GRADES.length) return '全部等次';
  if (contiguous && sorted[sorted.length - 1] === 'poor') return `${GRADE_LABELS[sorted[0]!]}及以下`;
  if (contiguous && first === 0) return `${GRADE_LABELS[sorted[sorted.length - 1]!]}及以上`;
  return sorted.map((g) => GRADE_LABELS[g]).join('、');
}

export const SURVEY_LEVELS = ['satisfied', 'fairly_satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type SurveyLevel = (typeof SURVEY_LEVELS)[number];

export const SURVEY_LEVEL_LABELS: Record<SurveyLevel, string> = {
  satisfied: '满意',
  fairly_satisfied: '比较满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

export const isSurveyLevel = (value: unknown): value is SurveyLevel => SURVEY_LEVELS.includes(value as SurveyLevel);
export const surveyLevelLabel = (level: SurveyLevel): string => SURVEY_LEVEL_LABELS[level];
export const surveyLevelFromLabel = (label: string): SurveyLevel | undefined =>
  SURVEY_LEVELS.find((l) => SURVEY_LEVEL_LABELS[l] === label.trim() || l === label.trim());

/**
 * Points per survey answer for the survey component of the composite (R-GRADE-1, R-ASSESS-3): a unit's survey
 * score is the mean of these over all its answers, on the same 100/80/60/0 scale as ballot grades. The
 * evaluation SQL and the survey results page both use these numbers.
 */
export const SURVEY_LEVEL_POINTS: Record<SurveyLevel, number> = {
  satisfied: 100,
  fairly_satisfied: 80,
  basically_satisfied: 60,
  dissatisfied: 0,
};
