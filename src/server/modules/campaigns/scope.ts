import { AppError } from '../../../domain/errors';
import { reporterTier, type CampaignSettings } from '../../../domain/campaign-settings';
import {
  computeRoutes,
  orgMatches,
  selectScope,
  type OrgMatch,
  type Route,
  type RouteRule,
} from '../../../domain/routes';
import { kindLabel, sectorLabel } from '../../../domain/org-taxonomy';
import type { DbOrTx } from '../../db/connect';
import { currentSecretaries, loadTree, orgsWithSecretaryAccount, type OrgRef, type TreeOrg } from './repo';
import { formatDateProse } from '../../../domain/calendar';

export interface ScopeInput {
  settings: CampaignSettings;
  scopeMatch: OrgMatch;
  organizer: OrgRef;
}

export interface ComputedScope {
  tree: TreeOrg[];
  byId: Map<number, TreeOrg>;
  scopeIds: number[];
  bySector: Partial<Record<string, number>>;
  byKind: Partial<Record<string, number>>;
  planGaps: string[];
  routes: Map<number, Route>;
  /** In scope but neither a parent nor a matching rule gives them a body to report to. */
  noRoute: number[];
  /** Rules left out of a preview because their target is not chosen yet. */
  unboundRules: string[];
}

const isBound = (r: RouteRule) => r.reportTo !== null && r.match.orgIds?.length !== 0;

/**
 * Scope and routes of a campaign by the domain rules. `strict` (publication) refuses unbound
 * route rules; a preview leaves them out and says so, so the organizer still sees the counts.
 */
export async function computeScope(db: DbOrTx, input: ScopeInput, opts: { strict: boolean }): Promise<ComputedScope> {
  const tree = await loadTree(db, input.organizer.path);
  const byId = new Map(tree.map((o) => [o.id, o]));
  const ancestors = new Set(input.organizer.path.split('/').filter(Boolean).map(Number));
  // The organizer and the bodies above it never report in its own campaign.
  const candidates = tree.filter((o) => !ancestors.has(o.id));
  const summary = selectScope(candidates, input.scopeMatch, input.settings.scopePlan);

  const all = input.settings.routes;
  const used = opts.strict ? all.map((_, i) => i) : all.flatMap((r, i) => (isBound(r) ? [i] : []));
  const rules = used.map((i) => all[i]!);
  const noRoute = summary.orgIds.filter((id) => {
    const o = byId.get(id)!;
    return o.parentId === null && !rules.some((r) => orgMatches(byId, o, r.match));
  });
  const routable = summary.orgIds.filter((id) => !noRoute.includes(id));
  const raw = computeRoutes(tree, rules, routable);
  // Rule indexes refer to the settings' own list, not to the filtered one.
  const routes = new Map(
    [...raw].map(([id, r]) => [id, { ...r, ruleIndex: r.ruleIndex === null ? null : used[r.ruleIndex]! }]),
  );
  return {
    tree,
    byId,
    scopeIds: summary.orgIds,
    bySector: summary.bySector,
    byKind: summary.byKind,
    planGaps: summary.planGaps,
    routes,
    noRoute,
    unboundRules: all.filter((r) => !isBound(r)).map((r) => r.label),
  };
}

export interface Partition {
  /** Report to the organizer itself. */
  direct: number[];
  /** Lower body → the in-scope organizations whose reports end up with it (分级开展). */
  parts: Map<number, number[]>;
}

/**
 * Who reports to the organizer and which lower body runs the rest. An organization whose route
 * leads to the organizer through other bodies belongs to the part of the last body on that chain
 * (a 党支部 under a 村党总支 under a 乡镇党委 is in the 乡镇's part; the 乡镇's own round routes it on),
 * and one whose route leaves the scope belongs to the first body outside it.
 */
export function partition(scope: ComputedScope, organizerId: number): Partition {
  const inScope = new Set(scope.scopeIds);
  const direct: number[] = [];
  const parts = new Map<number, number[]>();
  for (const id of scope.scopeIds) {
    const route = scope.routes.get(id);
    if (!route) continue;
    if (route.reportTo === organizerId) {
      direct.push(id);
      continue;
    }
    let body = route.reportTo;
    for (let step = 0; step <= scope.tree.length; step++) {
      const next = inScope.has(body) ? scope.routes.get(body)?.reportTo : undefined;
      if (next === undefined || next === organizerId) break;
      body = next;
    }
    parts.set(body, [...(parts.get(body) ?? []), id]);
  }
  return { direct, parts };
}

export const GAP_TYPES = {
  no_secretary: '无现任书记',
  no_account: '书记未开通账号',
  short_tenure: '书记任职不满3个月（可代表党组织述职）',
  no_route: '无上级党组织，也没有适用的述职路由',
  no_tier: '不属于任何述职对象类别',
  removed: '已移出述职名单',
} as const;
export type GapType = keyof typeof GAP_TYPES;

export interface Gap {
  orgId: number;
  orgName: string;
  sector: string;
  kind: string;
  type: GapType;
  label: string;
  detail: string;
  reportToName: string | null;
}

/** R-REP-5's three months, by calendar (11-30 + 3 months = 02-28). */
export function monthsLater(date: string, months: number): string {
  // An ISO date (YYYY-MM-DD): three parts.
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
export const shortTenure = (tenureStart: string, today: string) => today < monthsLater(tenureStart, 3);

export interface GapSubject {
  org: { id: number; name: string; sector: string; kind: string };
  secretary: { name: string; tenureStart: string } | null;
  reportToName: string | null;
  noRoute?: boolean;
  noTier?: boolean;
  removedReason?: string | null;
}

export function gapsOf(subjects: GapSubject[], withAccount: Set<number>, today: string): Gap[] {
  const out: Gap[] = [];
  for (const s of subjects) {
    const add = (type: GapType, detail: string) =>
      out.push({
        orgId: s.org.id,
        orgName: s.org.name,
        sector: sectorLabel(s.org.sector),
        kind: kindLabel(s.org.kind),
        type,
        label: GAP_TYPES[type],
        detail,
        reportToName: s.reportToName,
      });
    if (s.removedReason !== undefined && s.removedReason !== null) add('removed', `移出理由：${s.removedReason}`);
    if (s.noRoute) add('no_route', '请为其指定听取述职的党组织（述职路由）或调整范围');
    if (s.noTier) add('no_tier', '请在“述职对象类别”中增加适用于该党组织的类别');
    if (!s.secretary) {
      add('no_secretary', '请在组织架构中任命书记，或确定由谁代表党组织述职');
      continue;
    }
    if (!withAccount.has(s.org.id)) add('no_account', `书记${s.secretary.name}尚无可登录的书记账号`);
    if (shortTenure(s.secretary.tenureStart, today)) {
      add(
        'short_tenure',
        `书记${s.secretary.name}于${formatDateProse(s.secretary.tenureStart)}任职，不足3个月，可代表党组织述职`,
      );
    }
  }
  return out;
}

/** Gaps of a draft: every organization in scope, at whatever level it will report. */
export async function draftGaps(
  db: DbOrTx,
  settings: CampaignSettings,
  scope: ComputedScope,
  today: string,
): Promise<Gap[]> {
  const secs = await currentSecretaries(db, scope.scopeIds);
  const withAccount = await orgsWithSecretaryAccount(db, scope.scopeIds);
  const noRoute = new Set(scope.noRoute);
  return gapsOf(
    scope.scopeIds.map((id) => {
      const org = scope.byId.get(id)!;
      const route = scope.routes.get(id);
      let noTier = false;
      try {
        reporterTier(settings, org);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        noTier = true;
      }
      const sec = secs.get(id);
      return {
        org,
        secretary: sec ? { name: sec.name, tenureStart: sec.tenureStart } : null,
        reportToName: route ? (scope.byId.get(route.reportTo)?.name ?? null) : null,
        noRoute: noRoute.has(id),
        noTier,
      };
    }),
    withAccount,
    today,
  );
}
