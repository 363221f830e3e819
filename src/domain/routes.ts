/**
 * Who reports to whom (R-ORG-2) and who is in a campaign's scope (R-ORG-3).
 * By default an organization reports to its parent; route rules send matching organizations to
 * another body (002: 社区党组织 → 社区工委 whatever their 隶属 parent is).
 */
import { z } from 'zod';
import { AppError } from './errors';
import {
  KIND_CODES,
  LEVEL_CODES,
  SECTOR_CODES,
  kindLabel,
  sectorLabel,
  type Level,
  type OrgKind,
  type Sector,
} from './org-taxonomy';

export interface OrgNode {
  id: number;
  parentId: number | null;
  name: string;
  kind: OrgKind;
  sector: Sector;
  level: Level;
}

/** Every given criterion must hold; within a list, any value matches. */
export const orgMatchSchema = z.object({
  sectors: z.array(z.enum(SECTOR_CODES)).optional(),
  kinds: z.array(z.enum(KIND_CODES)).optional(),
  levels: z.array(z.enum(LEVEL_CODES)).optional(),
  /** Descendants of this organization, never the organization itself. */
  subtreeOf: z.number().int().optional(),
  /** With subtreeOf: how many generations down (1 = direct children). */
  maxDepth: z.number().int().positive().optional(),
  /** An explicit list, for distinctions the tree does not carry (002: 系统党委 vs 单位党委). */
  orgIds: z.array(z.number().int()).optional(),
});
export type OrgMatch = z.infer<typeof orgMatchSchema>;

/** reportTo is null in templates: the target body is bound to a real organization when the campaign is set up. */
export const routeRuleSchema = z.object({
  label: z.string().trim().min(1),
  match: orgMatchSchema,
  reportTo: z.number().int().nullable(),
});
export type RouteRule = z.infer<typeof routeRuleSchema>;

/** A planned composition of the scope (003: 16 村社区 + 2 非公企业 + 1 机关 + 1 事业单位). */
export const scopePlanSchema = z.array(
  z.object({
    label: z.string().trim().min(1),
    sectors: z.array(z.enum(SECTOR_CODES)).min(1),
    count: z.number().int().nonnegative(),
  }),
);
export type ScopePlan = z.infer<typeof scopePlanSchema>;

export interface Route {
  reportTo: number;
  /** Index of the rule that routed it; null when it reports to its parent. */
  ruleIndex: number | null;
}

export interface ScopeSummary {
  orgIds: number[];
  bySector: Partial<Record<Sector, number>>;
  byKind: Partial<Record<OrgKind, number>>;
  /** Chinese lines where the selection differs from the plan; shown before publishing. */
  planGaps: string[];
}

/** Generations from ancestorId down to org, or undefined when org is not below it. */
function depthBelow(byId: Map<number, OrgNode>, org: OrgNode, ancestorId: number): number | undefined {
  let depth = 1;
  // Bounded by the tree size so corrupt parent links cannot loop forever.
  for (let p = org.parentId; p !== null && depth <= byId.size; depth++) {
    if (p === ancestorId) return depth;
    p = byId.get(p)?.parentId ?? null;
  }
  return undefined;
}

/** byId is only consulted for subtreeOf. */
export function orgMatches(byId: Map<number, OrgNode>, org: OrgNode, m: OrgMatch): boolean {
  if (m.sectors && !m.sectors.includes(org.sector)) return false;
  if (m.kinds && !m.kinds.includes(org.kind)) return false;
  if (m.levels && !m.levels.includes(org.level)) return false;
  if (m.orgIds && !m.orgIds.includes(org.id)) return false;
  if (m.subtreeOf !== undefined) {
    const depth = depthBelow(byId, org, m.subtreeOf);
    if (depth === undefined || (m.maxDepth !== undefined && depth > m.maxDepth)) return false;
  }
  return true;
}

const count = <K extends string>(keys: K[]) =>
  keys.reduce<Partial<Record<K, number>>>((acc, k) => {
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {});

/**
 * The organizations a campaign covers, with counts per sector and kind for the organizer to check.
 * An empty scope is refused: a campaign with nobody to report would silently do nothing.
 */
export function selectScope(orgs: OrgNode[], match: OrgMatch, plan: ScopePlan = []): ScopeSummary {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const selected = orgs.filter((o) => orgMatches(byId, o, match));
  if (selected.length === 0) {
    throw new AppError('EMPTY_SCOPE', '述职范围为空：没有符合条件的党组织，请调整范围', { field: 'scope' });
  }
  const planGaps: string[] = [];
  for (const entry of plan) {
    const actual = selected.filter((o) => entry.sectors.includes(o.sector)).length;
    if (actual !== entry.count) planGaps.push(`${entry.label}：方案为${entry.count}个，实际选择${actual}个`);
  }
  if (plan.length > 0) {
    const unplanned = selected.filter((o) => !plan.some((e) => e.sectors.includes(o.sector)));
    for (const [sector, n] of Object.entries(count(unplanned.map((o) => o.sector)))) {
      planGaps.push(`${sectorLabel(sector)}：方案未列，实际选择${n}个`);
    }
  }
  return {
    orgIds: selected.map((o) => o.id),
    bySector: count(selected.map((o) => o.sector)),
    byKind: count(selected.map((o) => o.kind)),
    planGaps,
  };
}

function checkRules(rules: RouteRule[], byId: Map<number, OrgNode>) {
  rules.forEach((rule, i) => {
    if (rule.reportTo === null) {
      throw new AppError('ROUTE_UNBOUND', `述职路由规则「${rule.label}」尚未指定听取述职的党组织`, {
        field: `routes.${i}.reportTo`,
      });
    }
    if (!byId.has(rule.reportTo)) {
      throw new AppError('ROUTE_TARGET_UNKNOWN', `述职路由规则「${rule.label}」指定的听取述职党组织不存在`, {
        field: `routes.${i}.reportTo`,
      });
    }
    if (rule.match.orgIds?.length === 0) {
      throw new AppError('ROUTE_UNBOUND', `述职路由规则「${rule.label}」尚未选择适用的党组织`, {
        field: `routes.${i}.match.orgIds`,
      });
    }
  });
}

/** Refuses rules under which an organization would end up reporting to itself. */
function checkCycles(byId: Map<number, OrgNode>, routes: Map<number, Route>, rules: RouteRule[]) {
  const done = new Set<number>();
  for (const start of byId.keys()) {
    const path: number[] = [];
    let at: number | undefined = start;
    while (at !== undefined && !done.has(at) && byId.has(at)) {
      const seen = path.indexOf(at);
      if (seen >= 0) {
        const cycle = path.slice(seen);
        const chain = [...cycle, at].map((id) => byId.get(id)!.name).join(' → ');
        const ruleIndex = cycle.map((id) => routes.get(id)?.ruleIndex).find((r) => r != null);
        if (ruleIndex == null) {
          throw new AppError('TREE_CYCLE', `党组织上下级关系存在循环：${chain}`, { field: 'parentId', cycle });
        }
        throw new AppError(
          'ROUTE_CYCLE',
          `述职路由规则「${rules[ruleIndex]!.label}」会使「${byId.get(at)!.name}」最终向自己述职（${chain}）`,
          { field: `routes.${ruleIndex}`, cycle },
        );
      }
      path.push(at);
      at = routes.get(at)?.reportTo;
    }
    path.forEach((id) => done.add(id));
  }
}

/**
 * The body each reporter reports to: the first matching rule's target, else its parent.
 * Checks every organization given, not only the reporters, because a chain runs through both.
 */
export function computeRoutes(orgs: OrgNode[], rules: RouteRule[], reporterIds: number[]): Map<number, Route> {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  checkRules(rules, byId);
  const all = new Map<number, Route>();
  for (const org of orgs) {
    const ruleIndex = rules.findIndex((r) => orgMatches(byId, org, r.match));
    const reportTo = ruleIndex >= 0 ? rules[ruleIndex]!.reportTo : org.parentId;
    if (reportTo !== null) all.set(org.id, { reportTo, ruleIndex: ruleIndex >= 0 ? ruleIndex : null });
  }
  checkCycles(byId, all, rules);
  const result = new Map<number, Route>();
  for (const id of reporterIds) {
    const org = byId.get(id);
    if (!org) throw new AppError('UNKNOWN_ORG', `述职范围中的党组织（编号${id}）不存在`, { field: 'scope' });
    const route = all.get(id);
    if (!route) {
      throw new AppError(
        'ROUTE_MISSING',
        `「${org.name}」（${kindLabel(org.kind)}）没有上级党组织，也没有适用的述职路由规则`,
        {
          field: 'routes',
        },
      );
    }
    result.set(id, route);
  }
  return result;
}
