import { describe, expect, it } from 'vitest';
import { entryKey, splitProblems } from './inbox';

describe("splitProblems: the points of a report's 突出问题 section", () => {
  it('splits "一是…二是…" and "第一，…第二，…"', () => {
    expect(splitProblems('一是学习不深入。二是党员老化。三是三会一课质量不高。')).toEqual([
      '一是学习不深入。',
      '二是党员老化。',
      '三是三会一课质量不高。',
    ]);
    expect(splitProblems('第一，班子研究不透。第二，流动党员管理松散。')).toEqual([
      '第一，班子研究不透。',
      '第二，流动党员管理松散。',
    ]);
  });

  it('falls back to paragraphs, and drops fragments too short to be a problem', () => {
    expect(splitProblems('组织生活不规范，记录缺失\n\n党务公开不及时，群众有意见\n好')).toEqual([
      '组织生活不规范，记录缺失',
      '党务公开不及时，群众有意见',
    ]);
    expect(splitProblems('只有一个问题：阵地建设滞后')).toEqual(['只有一个问题：阵地建设滞后']);
  });
});

describe('entryKey', () => {
  it('row sources by id; texts without a row by their words, so the same text maps to the same item', () => {
    expect(entryKey('comment', 12, 'x')).toBe('comment:12');
    expect(entryKey('ballot_text', 3, '村务公开不及时')).toBe(entryKey('ballot_text', 3, '村务公开不及时'));
    expect(entryKey('ballot_text', 3, '村务公开不及时')).not.toBe(entryKey('ballot_text', 3, '村务公开及时'));
    expect(entryKey('ballot_text', 3, 'a')).not.toBe(entryKey('ballot_text', 4, 'a'));
  });
});
