import { describe, it, expect } from 'vitest';
import {
  LEVELS,
  ORG_KINDS,
  SECTORS,
  kindFromLabel,
  kindLabel,
  levelFromLabel,
  sectorFromLabel,
  sectorLabel,
} from './org-taxonomy';

describe('org taxonomy', () => {
  it('R-ORG-1: every label parses back to its own code, and labels are unique', () => {
    for (const [list, parse] of [
      [ORG_KINDS, kindFromLabel],
      [SECTORS, sectorFromLabel],
      [LEVELS, levelFromLabel],
    ] as const) {
      expect(new Set(list.map((x) => x.label)).size).toBe(list.length);
      for (const x of list) expect(parse(x.label)).toBe(x.code);
    }
  });

  it('keeps 工委, 机关工委 and 党工委 apart', () => {
    expect(kindFromLabel('工委')).toBe('work_committee');
    expect(kindFromLabel('机关工委')).toBe('organ_working_committee');
    expect(kindFromLabel('党工委')).toBe('working_committee');
    expect(kindFromLabel('直属党支部')).toBe('direct_branch');
  });

  it('accepts aliases, stray spaces and half-width brackets from spreadsheets', () => {
    expect(sectorFromLabel(' 非公有制企业 ')).toBe('non_public');
    expect(sectorFromLabel('公立医院')).toBe('institution');
    expect(kindFromLabel('党(工)委')).toBe('working_committee');
    expect(levelFromLabel('乡镇(街道)')).toBe('township');
    expect(levelFromLabel('村')).toBe('grassroots');
  });

  it('returns undefined for unknown labels', () => {
    expect(kindFromLabel('党小组')).toBeUndefined();
    expect(sectorFromLabel('')).toBeUndefined();
    expect(levelFromLabel('乡')).toBeUndefined();
  });

  it('shows the Chinese label of a code', () => {
    expect(kindLabel('sub_committee')).toBe('分党委');
    expect(sectorLabel('institution')).toBe('公立医院等事业单位');
  });
});
