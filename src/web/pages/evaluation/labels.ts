import type { Grade } from '../../api/evaluation';

export const GRADE_OPTIONS: Array<{ value: Grade; label: string }> = [
  { value: 'good', label: '好' },
  { value: 'fair', label: '较好' },
  { value: 'average', label: '一般' },
  { value: 'poor', label: '差' },
];
export const GRADE_LABEL: Record<Grade, string> = { good: '好', fair: '较好', average: '一般', poor: '差' };
export const GRADE_COLOR: Record<Grade, string> = { good: 'green', fair: 'blue', average: 'orange', poor: 'red' };
export const COMPONENT_LABEL: Record<string, string> = {
  ballots: '测评得分',
  field: '实地考核',
  survey: '满意度',
  daily: '平时掌握',
  report: '述职评议',
};
export const COMPONENT_ORDER = ['report', 'ballots', 'field', 'survey', 'daily'] as const;
