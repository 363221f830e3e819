import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import { drawSample } from './sampling';
import {
  checkAnswers,
  checkItems,
  checkRespondent,
  DEFAULT_SURVEY_ITEMS,
  percent1,
  planRespondentImport,
  summarize,
  unitSeed,
} from './surveys';

const units = [
  { reporterId: 1, orgName: '前进村党支部', orgCode: 'V1' },
  { reporterId: 2, orgName: '红星村党支部', orgCode: 'V2' },
  { reporterId: 3, orgName: '红星村党支部', orgCode: 'V3' },
];
const row = (row: number, unit: string, name: string, category: string, phone = '') => ({
  row,
  unit,
  name,
  category,
  phone,
});

describe('survey rules', () => {
  it('default questionnaire passes its own checks', () => {
    expect(checkItems(DEFAULT_SURVEY_ITEMS)).toHaveLength(DEFAULT_SURVEY_ITEMS.length);
  });

  it('refuses empty, duplicate and too many items with the item number', () => {
    expect(() => checkItems([])).toThrow('至少需要1个题目');
    expect(() => checkItems(['a', ' '])).toThrow('第2题内容不能为空');
    expect(() => checkItems(['a', 'b', 'a '])).toThrow('第3题与第1题重复');
    expect(() => checkItems(Array.from({ length: 31 }, (_, i) => `q${i}`))).toThrow('最多30个题目');
  });

  it('answers: unknown item, unknown level and a missing item are refused with distinct codes', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as AppError).code;
      }
      return 'none';
    };
    expect(code(() => checkAnswers([10, 11], { 10: 'satisfied', 12: 'satisfied' }))).toBe('UNKNOWN_ITEM');
    expect(code(() => checkAnswers([10, 11], { 10: 'satisfied', 11: '很满意' }))).toBe('UNKNOWN_LEVEL');
    expect(code(() => checkAnswers([10, 11], { 10: 'satisfied' }))).toBe('INCOMPLETE');
    expect(() => checkAnswers([10, 11], { 10: 'satisfied' })).toThrow('第2题尚未作答');
    expect(checkAnswers([10, 11], { 11: 'dissatisfied', 10: 'satisfied' })).toEqual({
      10: 'satisfied',
      11: 'dissatisfied',
    });
  });

  it('summarize gives 得票率 to one decimal and the mean of 100/80/60/0', () => {
    const s = summarize({ satisfied: 2, fairly_satisfied: 1, dissatisfied: 0, basically_satisfied: 0 });
    expect(s.total).toBe(3);
    expect(s.shares).toEqual({ satisfied: 66.7, fairly_satisfied: 33.3, basically_satisfied: 0, dissatisfied: 0 });
    expect(s.score).toBe(93.33);
    expect(summarize({}).score).toBeNull();
    expect(summarize({ basically_satisfied: 1, dissatisfied: 1 }).score).toBe(30);
    expect(percent1(1, 8)).toBe(12.5);
    expect(percent1(0, 0)).toBe(0);
  });

  it('unit seeds differ per unit, so equal-length lists are not drawn at the same positions', () => {
    const list = Array.from({ length: 200 }, (_, i) => i);
    const a = drawSample(list, 20, unitSeed('2025-清河', 'V1'));
    const b = drawSample(list, 20, unitSeed('2025-清河', 'V2'));
    expect(a).not.toEqual(b);
    expect(drawSample(list, 20, unitSeed(' 2025-清河 ', 'V1'))).toEqual(a);
  });

  it('plans an import: units by code or unique name, categories by label, row-numbered Chinese errors', () => {
    const ok = planRespondentImport(
      [row(2, '前进村党支部', '张三', '群众', '13800000000'), row(3, 'V3', '李四', '两代表一委员', '0712-1234567')],
      units,
    );
    expect(ok.errors).toEqual([]);
    expect(ok.planned).toEqual([
      { row: 2, reporterId: 1, name: '张三', category: 'resident', phone: '13800000000' },
      { row: 3, reporterId: 3, name: '李四', category: 'two_reps', phone: '0712-1234567' },
    ]);
    const bad = planRespondentImport(
      [
        row(2, '红星村党支部', '王五', '群众'),
        row(3, '不存在村', '赵六', '群众'),
        row(4, 'V1', '', '干部'),
        row(5, 'V1', '钱七', '群众', '12345'),
        row(6, 'V1', '孙八', '群众', '13900000000'),
        row(7, 'V1', '孙八', '群众', '139 0000 0000'),
      ],
      units,
    );
    expect(bad.planned).toHaveLength(1);
    expect(bad.errors.map((e) => e.message)).toEqual([
      '第2行「单位」：「红星村党支部」在本次考核中有多个述职对象，请填写组织编码',
      '第3行「单位」：「不存在村」不是本次考核的述职单位',
      '第4行「姓名」：不能为空',
      '第4行「类别」：「干部」无效，应为「两代表一委员」或「群众」',
      '第5行「电话」：「12345」不是有效的电话号码',
      '第7行「姓名」：与第6行重复（同一单位、同名同电话）',
    ]);
  });

  it('checks a manual entry like an imported row', () => {
    expect(checkRespondent({ name: ' 周九 ', category: 'resident' })).toMatchObject({
      name: '周九',
      category: 'resident',
      phone: null,
    });
    expect(() => checkRespondent({ name: '周九', category: 'x' })).toThrow(/类别/);
  });
});
