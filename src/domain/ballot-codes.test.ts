import { describe, expect, it } from 'vitest';
import {
  CODE_LENGTH,
  codeFromBytes,
  codeShape,
  fillForm,
  formatCode,
  normalizeCode,
  normalizePaperTexts,
  paperBallots,
  paperDifferences,
  roomCodeFromBytes,
} from './ballot-codes';

const bytes = (...n: number[]) => Uint8Array.from(n);

describe('ballot codes (R-VOTE-3)', () => {
  it('makes codes with a check character that catches a single mistyped character', () => {
    const code = codeFromBytes(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    expect(code).toHaveLength(CODE_LENGTH);
    expect(codeShape(code)).toBe('ok');
    const typo = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
    expect(codeShape(typo)).toBe('typo');
    expect(codeShape(code.slice(1))).toBe('malformed');
    expect(codeShape(`${code.slice(0, -1)}O`)).toBe('malformed');
  });

  it('reads a code typed with spaces, dashes and lower case', () => {
    const code = codeFromBytes(bytes(200, 17, 3, 99, 5, 6, 250, 8, 9, 10));
    expect(normalizeCode(` ${formatCode(code).toLowerCase()} `)).toBe(code);
    expect(formatCode('ABCDEFGHJKM')).toBe('ABCD-EFGH-JKM');
  });

  it('makes six-digit room codes', () => {
    expect(roomCodeFromBytes(bytes(0, 0, 0, 7))).toBe('000007');
    expect(roomCodeFromBytes(bytes(255, 255, 255, 255))).toMatch(/^\d{6}$/);
  });

  it("R-VOTE-1 fills the organization name as the seed's forms read it (003 附件1, 附件2)", () => {
    const form = { overall: '您对XX党组织书记抓基层党建工作情况的总体评价' };
    expect(fillForm(form, '前进村党支部').overall).toBe('您对前进村党支部书记抓基层党建工作情况的总体评价');
    expect(fillForm(form, '东湾村党组织').overall).toBe('您对东湾村党组织书记抓基层党建工作情况的总体评价');
    expect(fillForm(form, '东湾村').overall).toBe('您对东湾村党组织书记抓基层党建工作情况的总体评价');
    const downward = {
      overall: '您对XX党委书记抓基层党建工作情况的总体评价',
      title: '党委书记抓基层党建工作报告评议表',
    };
    expect(fillForm(downward, '中共无定河镇委员会')).toEqual({
      overall: '您对无定河镇党委书记抓基层党建工作情况的总体评价',
      title: '党委书记抓基层党建工作报告评议表',
    });
    expect(fillForm(downward, '无定河镇党委').overall).toBe('您对无定河镇党委书记抓基层党建工作情况的总体评价');
  });
});

describe('paper double entry (R-VOTE-4)', () => {
  const entry = {
    counts: { good: 3, fair: 1, average: 0, poor: 1, invalid: 1 },
    problems: ['甲', '乙'],
    suggestions: [],
  };
  it('matches equal entries regardless of text order and names every difference', () => {
    expect(paperDifferences(entry, { ...entry, problems: ['乙', ' 甲'] })).toEqual([]);
    const d = paperDifferences(entry, { ...entry, counts: { ...entry.counts, good: 4 }, suggestions: ['丙'] });
    expect(d).toHaveLength(2);
    expect(d[0]).toContain('「好」票数不一致：3 与 4');
  });
  it('expands a tally into one input per form, texts on separate forms', () => {
    const out = paperBallots('r1', 'rep', entry);
    expect(out).toHaveLength(6);
    expect(out.filter((b) => b.grade === null)).toHaveLength(1);
    expect(out.filter((b) => b.problems)).toHaveLength(2);
  });
  it('refuses more texts than forms', () => {
    expect(() =>
      paperBallots('r1', 'rep', { ...entry, counts: { good: 1, fair: 0, average: 0, poor: 0, invalid: 0 } }),
    ).toThrow(/多于表数/);
  });
});

describe('paper texts compared as trimmed (R-VOTE-4)', () => {
  it('trims exactly what String.prototype.trim trims, for every character of the basic plane', () => {
    // The written-out set is what the recompute's SQL uses too; this pins it to the rule the entries were compared by.
    const differ: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const text = `${ch}问${ch}题${ch}`;
      const mine = normalizePaperTexts([text])[0] ?? '';
      if (mine !== text.trim()) differ.push(c.toString(16));
    }
    expect(differ).toEqual([]);
  });

  it('drops empties and ignores order and surrounding spaces, full-width ones too, but not inner ones or zero-width ones', () => {
    expect(normalizePaperTexts(['\u3000乙 ', '', ' \t', '甲\u00a0'])).toEqual(['乙', '甲'].sort());
    expect(normalizePaperTexts(['甲 乙'])).toEqual(['甲 乙']);
    expect(normalizePaperTexts(['\u200b甲'])).toEqual(['\u200b甲']);
  });
});
