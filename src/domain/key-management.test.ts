import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import { proposeKeyManagement, type KeyCandidate } from './key-management';

const orgs = (sector: string, n: number, firstRank: number): KeyCandidate[] =>
  Array.from({ length: n }, (_, i) => ({
    orgId: `${sector}${i + 1}`,
    name: `${sector}${i + 1}`,
    sector,
    rank: firstRank + i,
  }));
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('key management', () => {
  it('R-USE-4: at least 10% of rural and 5% of community and other organizations, the weakest, rounded up', () => {
    const all = [...orgs('rural', 35, 1), ...orgs('community', 12, 36), ...orgs('organ', 1, 48)];
    const { listed, sectors } = proposeKeyManagement(all);
    expect(sectors).toEqual([
      { sector: 'rural', total: 35, required: 4, listed: 4 },
      { sector: 'community', total: 12, required: 1, listed: 1 },
      { sector: 'organ', total: 1, required: 1, listed: 1 },
    ]);
    expect(listed.map((o) => o.orgId)).toEqual(['rural35', 'rural34', 'rural33', 'rural32', 'community12', 'organ1']);
    expect(listed[2].reason).toBe(
      '农村领域共35个党组织，按不低于1/10（向上取整）应列入4个；综合排名第33名，本领域倒数第3',
    );
    expect(listed[4].reason).toBe(
      '社区领域共12个党组织，按不低于1/20（向上取整）应列入1个；综合排名第47名，本领域倒数第1',
    );
  });

  it('R-USE-4: lists every organization tied at the last place to fill', () => {
    const rural = orgs('rural', 10, 1).map((o) => (o.rank === 9 ? { ...o, rank: 10 } : o));
    const { listed, sectors } = proposeKeyManagement(rural);
    expect(sectors).toEqual([{ sector: 'rural', total: 10, required: 1, listed: 2 }]);
    expect(listed.map((o) => [o.orgId, o.fromBottom])).toEqual([
      ['rural9', 1],
      ['rural10', 1],
    ]);
    expect(listed[0].reason).toContain('；第1个名额处有2个党组织排名并列，一并列入');
  });

  it('R-USE-4: takes the configured shares', () => {
    const { sectors } = proposeKeyManagement(orgs('rural', 20, 1), { rural: 0.25 });
    expect(sectors[0].required).toBe(5);
    expect(proposeKeyManagement(orgs('soe', 20, 1), {}, 0).listed).toEqual([]);
    expect(proposeKeyManagement(orgs('soe', 3, 1), {}, 1).listed).toHaveLength(3);
  });

  it('handles no organizations', () => {
    expect(proposeKeyManagement([])).toEqual({ listed: [], sectors: [] });
  });

  it('refuses bad shares, duplicate organizations and bad ranks', () => {
    expect(thrown(() => proposeKeyManagement([], { rural: 1.5 })).message).toBe('「农村」重点管理比例应在0到100%之间');
    expect(thrown(() => proposeKeyManagement([], {}, -0.05)).message).toBe('「其他」重点管理比例应在0到100%之间');
    const one = orgs('rural', 1, 1);
    expect(thrown(() => proposeKeyManagement([...one, ...one])).message).toBe('党组织「rural1」重复');
    expect(thrown(() => proposeKeyManagement([{ ...one[0], rank: 0 }])).details).toEqual({ field: 'rank' });
  });
});
