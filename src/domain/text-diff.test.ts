import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { diffTexts, sideBySide, splitSentences, type DiffOp } from './text-diff';

const texts = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));
/** The old and the new text rebuilt from the ops, sentence by sentence. */
const rebuild = (ops: DiffOp[]) => ({
  old: ops.flatMap((o) => (o.op === 'insert' ? [] : [o.oldText])),
  new: ops.flatMap((o) => (o.op === 'delete' ? [] : [o.newText])),
});

describe('splitSentences', () => {
  it('splits at 。！？； and line breaks, keeping closing quotes with their sentence', () => {
    const text = '一是学习不深入；二是队伍老化。\n群众说：“听不懂。”还要改进吗？要！  \n\n 三、下步措施\n';
    expect(texts(text)).toEqual([
      '一是学习不深入；',
      '二是队伍老化。',
      '群众说：“听不懂。”',
      '还要改进吗？',
      '要！',
      '三、下步措施',
    ]);
  });

  it('keeps decimals and half-width full stops inside a sentence', () => {
    expect(texts('增长3.5个百分点。e.g. 示例')).toEqual(['增长3.5个百分点。', 'e.g. 示例']);
    expect(splitSentences('  \n ')).toEqual([]);
  });

  it('gives spans into the original text', () => {
    const text = ' 甲。 乙。';
    expect(splitSentences(text)).toEqual([
      { start: 1, end: 3 },
      { start: 4, end: 6 },
    ]);
  });
});

describe('diffTexts', () => {
  const OLD = '全年召开支委会24次。发展党员2名。投入资金46万元硬化巷道。存在理论学习不深入问题。';
  const NEW = '全年召开支委会24次。发展党员3名。投入资金46万元硬化巷道。新建大棚40座。存在理论学习不深入问题。';

  it('marks a changed sentence as a deletion and an insertion, and an added one as an insertion', () => {
    const ops = diffTexts(OLD, NEW);
    expect(ops.map((o) => o.op)).toEqual(['equal', 'delete', 'insert', 'equal', 'insert', 'equal']);
    expect(rebuild(ops)).toEqual({ old: texts(OLD), new: texts(NEW) });
    const inserted = ops.find((o) => o.op === 'insert' && o.newText === '新建大棚40座。');
    expect(inserted && inserted.op === 'insert' && NEW.slice(inserted.newStart, inserted.newStart + 8)).toBe(
      '新建大棚40座。',
    );
  });

  it('finds the longest common run when sentences move', () => {
    const a = '甲。乙。丙。丁。戊。';
    const b = '乙。丙。丁。甲。戊。';
    const ops = diffTexts(a, b);
    expect(ops.filter((o) => o.op === 'equal')).toHaveLength(4);
    expect(rebuild(ops)).toEqual({ old: texts(a), new: texts(b) });
  });

  it('treats whitespace-only edits as equal', () => {
    expect(diffTexts('党员 大会。', '党员大会。\n').map((o) => o.op)).toEqual(['equal']);
  });

  it('handles empty versions', () => {
    expect(diffTexts('', '')).toEqual([]);
    expect(diffTexts('', '甲。乙。').map((o) => o.op)).toEqual(['insert', 'insert']);
    expect(diffTexts('甲。乙。', '').map((o) => o.op)).toEqual(['delete', 'delete']);
  });

  it('refuses versions too large to compare, naming the field', () => {
    const many = (tag: string) => Array.from({ length: 4100 }, (_, i) => `${tag}${i}。`).join('');
    expect(() => diffTexts(many('甲'), many('乙'))).toThrowError(AppError);
    expect(() => diffTexts(many('甲'), many('乙'))).toThrow(/无法逐句比较/);
  });
});

describe('sideBySide', () => {
  it('pairs deletions with the insertions beside them', () => {
    const rows = sideBySide(diffTexts('甲。乙。丙。丁。', '甲。乙二。丙二。新增。丁。'));
    expect(rows).toEqual([
      { kind: 'same', left: '甲。', right: '甲。' },
      { kind: 'changed', left: '乙。', right: '乙二。' },
      { kind: 'changed', left: '丙。', right: '丙二。' },
      { kind: 'added', left: null, right: '新增。' },
      { kind: 'same', left: '丁。', right: '丁。' },
    ]);
    expect(sideBySide(diffTexts('甲。乙。', '甲。'))).toEqual([
      { kind: 'same', left: '甲。', right: '甲。' },
      { kind: 'removed', left: '乙。', right: null },
    ]);
  });
});
