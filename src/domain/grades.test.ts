import { describe, expect, it } from 'vitest';
import {
  compareGrades,
  GRADES,
  gradeFromLabel,
  gradeLabel,
  gradeSetLabel,
  isGrade,
  isSurveyLevel,
  SURVEY_LEVELS,
  surveyLevelFromLabel,
  surveyLevelLabel,
} from './grades';

describe('grades', () => {
  it('R-VOTE-1: the four grades of the form, best first, with their Chinese labels', () => {
    expect(GRADES.map(gradeLabel)).toEqual(['好', '较好', '一般', '差']);
    expect(gradeFromLabel(' 较好 ')).toBe('fair');
    expect(gradeFromLabel('poor')).toBe('poor');
    expect(gradeFromLabel('优秀')).toBeUndefined();
    expect(isGrade('average')).toBe(true);
    expect(isGrade('excellent')).toBe(false);
  });

  it('orders grades best first', () => {
    expect(['poor', 'good', 'average', 'fair'].sort((a, b) => compareGrades(a as never, b as never))).toEqual([
      'good',
      'fair',
      'average',
      'poor',
    ]);
    expect(compareGrades('fair', 'fair')).toBe(0);
  });

  it.each([
    [['good'], '好'],
    [['fair', 'average', 'poor'], '较好及以下'],
    [['poor', 'average'], '一般及以下'],
    [['good', 'fair'], '较好及以上'],
    [['good', 'fair', 'average', 'poor'], '全部等次'],
    [['good', 'poor'], '好、差'],
    [['average', 'fair'], '较好、一般'],
    [[], '（无等次）'],
  ])('names the grade set %j as %s', (set, label) => {
    expect(gradeSetLabel(set as never)).toBe(label);
  });

  it('R-ASSESS-3: survey levels 满意/比较满意/基本满意/不满意', () => {
    expect(SURVEY_LEVELS.map(surveyLevelLabel)).toEqual(['满意', '比较满意', '基本满意', '不满意']);
    expect(surveyLevelFromLabel('基本满意')).toBe('basically_satisfied');
    expect(surveyLevelFromLabel('很满意')).toBeUndefined();
    expect(isSurveyLevel('dissatisfied')).toBe(true);
    expect(isSurveyLevel('满意')).toBe(false);
  });
});
