import { describe, it, expect } from 'vitest';
import { AppError } from './errors';
import { computeRoutes, selectScope, type OrgNode, type RouteRule } from './routes';

const org = (
  id: number,
  parentId: number | null,
  name: string,
  kind: OrgNode['kind'],
  sector: OrgNode['sector'],
  level: OrgNode['level'],
): OrgNode => ({ id, parentId, name, kind, sector, level });

// A county shaped like 002 §1.
const tree: OrgNode[] = [
  org(1, null, '县委', 'committee', 'organ', 'county'),
  org(2, 1, '某镇党委', 'committee', 'rural', 'township'),
  org(3, 2, '某村党支部', 'branch', 'rural', 'grassroots'),
  org(4, 2, '某社区党支部', 'branch', 'community', 'grassroots'),
  org(5, 1, '社区工委', 'work_committee', 'community', 'county'),
  org(6, 1, '非公和社会组织工委', 'work_committee', 'non_public', 'county'),
  org(7, 2, '某企业党支部', 'branch', 'non_public', 'grassroots'),
  org(8, 2, '某协会党支部', 'branch', 'social_org', 'grassroots'),
  org(9, 1, '县直工委', 'organ_working_committee', 'organ', 'county'),
  org(10, 1, '县教育系统党委', 'committee', 'organ', 'county'),
  org(11, 1, '县医院党委', 'committee', 'institution', 'county'),
  org(12, 10, '某学校党支部', 'branch', 'organ', 'grassroots'),
];
const grassroots = ['committee', 'general_branch', 'branch'] as OrgNode['kind'][];
const rules002: RouteRule[] = [
  { label: '县直系统党委→县直工委', match: { orgIds: [10] }, reportTo: 9 },
  { label: '社区党组织→社区工委', match: { sectors: ['community'], kinds: grassroots }, reportTo: 5 },
  {
    label: '非公和社会组织→非公工委',
    match: { sectors: ['non_public', 'social_org'], kinds: grassroots },
    reportTo: 6,
  },
];
const allIds = tree.filter((o) => o.parentId !== null).map((o) => o.id);

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('computeRoutes', () => {
  it('R-ORG-2: an organization without a matching rule reports to its parent', () => {
    const routes = computeRoutes(tree, rules002, allIds);
    expect(routes.get(3)).toEqual({ reportTo: 2, ruleIndex: null });
    expect(routes.get(12)).toEqual({ reportTo: 10, ruleIndex: null });
    expect(routes.get(11)).toEqual({ reportTo: 1, ruleIndex: null });
  });

  it('R-ORG-2: 002 routes send 社区, 非公/社会组织 and 县直系统党委 to their 工委', () => {
    const routes = computeRoutes(tree, rules002, allIds);
    expect(routes.get(4)).toEqual({ reportTo: 5, ruleIndex: 1 });
    expect(routes.get(7)).toEqual({ reportTo: 6, ruleIndex: 2 });
    expect(routes.get(8)).toEqual({ reportTo: 6, ruleIndex: 2 });
    expect(routes.get(10)).toEqual({ reportTo: 9, ruleIndex: 0 });
    expect([...routes.keys()].sort((a, b) => a - b)).toEqual(allIds);
  });

  it('R-ORG-2: the first matching rule wins', () => {
    const rules = [
      { label: '某村改向县委', match: { orgIds: [3] }, reportTo: 1 },
      { label: '农村→社区工委', match: { sectors: ['rural' as const], kinds: grassroots }, reportTo: 5 },
    ];
    expect(computeRoutes(tree, rules, [3]).get(3)).toEqual({ reportTo: 1, ruleIndex: 0 });
  });

  it('R-ORG-2: a rule that makes its own target report to itself is refused, naming the rule', () => {
    const rules = [{ label: '社区领域→社区工委', match: { sectors: ['community' as const] }, reportTo: 5 }];
    const e = thrown(() => computeRoutes(tree, rules, [4]));
    expect(e.code).toBe('ROUTE_CYCLE');
    expect(e.message).toContain('「社区领域→社区工委」');
    expect(e.message).toContain('社区工委 → 社区工委');
    expect(e.details).toMatchObject({ field: 'routes.0', cycle: [5] });
  });

  it('R-ORG-2: a transitive cycle through two rules is refused', () => {
    const rules = [...rules002, { label: '社区工委→某社区党支部', match: { orgIds: [5] }, reportTo: 4 }];
    const e = thrown(() => computeRoutes(tree, rules, [3]));
    expect(e.code).toBe('ROUTE_CYCLE');
    expect(e.message).toMatch(/社区工委 → 某社区党支部 → 社区工委|某社区党支部 → 社区工委 → 某社区党支部/);
  });

  it('R-ORG-2: a template rule whose target is not yet chosen is refused', () => {
    const e = thrown(() => computeRoutes(tree, [{ ...rules002[1], reportTo: null }], allIds));
    expect(e.code).toBe('ROUTE_UNBOUND');
    expect(e.message).toBe('述职路由规则「社区党组织→社区工委」尚未指定听取述职的党组织');
    expect(e.details).toEqual({ field: 'routes.0.reportTo' });
    expect(thrown(() => computeRoutes(tree, [{ ...rules002[0], match: { orgIds: [] } }], allIds)).details).toEqual({
      field: 'routes.0.match.orgIds',
    });
  });

  it('refuses a rule pointing at an unknown organization', () => {
    const e = thrown(() => computeRoutes(tree, [{ ...rules002[0], reportTo: 99 }], allIds));
    expect(e.code).toBe('ROUTE_TARGET_UNKNOWN');
  });

  it('R-ORG-3: a reporter with no parent and no rule is not silently skipped', () => {
    const e = thrown(() => computeRoutes(tree, rules002, [1, 2]));
    expect(e.code).toBe('ROUTE_MISSING');
    expect(e.message).toContain('「县委」');
  });

  it('refuses a corrupt tree whose parent links loop', () => {
    const looped = [org(1, 2, '甲', 'committee', 'organ', 'county'), org(2, 1, '乙', 'committee', 'organ', 'county')];
    expect(thrown(() => computeRoutes(looped, [], [1])).code).toBe('TREE_CYCLE');
  });
});

describe('selectScope', () => {
  it('R-ORG-3: counts the selection per sector and kind', () => {
    const scope = selectScope(tree, { subtreeOf: 2, maxDepth: 1 });
    expect(scope.orgIds).toEqual([3, 4, 7, 8]);
    expect(scope.bySector).toEqual({ rural: 1, community: 1, non_public: 1, social_org: 1 });
    expect(scope.byKind).toEqual({ branch: 4 });
  });

  it('R-ORG-3: subtreeOf never includes the organization itself; maxDepth limits generations', () => {
    expect(selectScope(tree, { subtreeOf: 1 }).orgIds).not.toContain(1);
    expect(selectScope(tree, { subtreeOf: 1, maxDepth: 1 }).orgIds).not.toContain(3);
    expect(selectScope(tree, { subtreeOf: 1, maxDepth: 2 }).orgIds).toContain(3);
  });

  it('R-ORG-3: an empty scope is refused', () => {
    const e = thrown(() => selectScope(tree, { sectors: ['university'] }));
    expect(e.code).toBe('EMPTY_SCOPE');
    expect(e.details).toEqual({ field: 'scope' });
  });

  it('R-ORG-3: differences from the planned composition are listed', () => {
    const plan = [
      { label: '村、社区党组织', sectors: ['rural' as const, 'community' as const], count: 16 },
      { label: '非公有制企业党组织', sectors: ['non_public' as const], count: 1 },
    ];
    const scope = selectScope(tree, { subtreeOf: 2 }, plan);
    expect(scope.planGaps).toEqual(['村、社区党组织：方案为16个，实际选择2个', '社会组织：方案未列，实际选择1个']);
  });
});
