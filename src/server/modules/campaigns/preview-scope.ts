import { ORG_KINDS, SECTORS } from '../../../domain/org-taxonomy';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { today } from './guards';
import { assertFullRead } from './policy';
import { getCampaign } from './repo';
import { GAP_TYPES, computeScope, draftGaps, partition, type Gap, type GapType } from './scope';

export function countGaps(gaps: Gap[]) {
  return (Object.keys(GAP_TYPES) as GapType[])
    .map((type) => ({ type, label: GAP_TYPES[type], count: gaps.filter((g) => g.type === type).length }))
    .filter((c) => c.count > 0);
}

/**
 * What publishing would do: counts by sector and kind against the plan, who reports to whom
 * (the organizer and each lower body that gets a sub-campaign), and the gaps to fix first.
 */
export async function previewScope(db: DbOrTx, user: AuthUser, id: number, now: Date) {
  const { campaign: c, organizer } = await getCampaign(db, id, { viewer: user });
  assertFullRead(user, organizer.path);
  const input = { settings: c.settings, scopeMatch: c.scopeMatch, organizer };
  const scope = await computeScope(db, input, { strict: false });
  const { direct, parts } = partition(scope, organizer.id);
  const rulesOf = (ids: number[]) => [
    ...new Set(
      ids
        .map((i) => scope.routes.get(i)?.ruleIndex)
        .filter((r): r is number => r != null)
        .map((r) => c.settings.routes[r]!.label),
    ),
  ];
  const directTo = (body: number) => scope.scopeIds.filter((i) => scope.routes.get(i)?.reportTo === body);
  const byReportTo = [
    {
      orgId: organizer.id,
      name: organizer.name,
      isOrganizer: true,
      direct: direct.length,
      total: direct.length,
      ruleLabels: rulesOf(direct),
    },
    ...[...parts].map(([body, ids]) => ({
      orgId: body,
      name: scope.byId.get(body)?.name ?? `党组织${body}`,
      isOrganizer: false,
      direct: directTo(body).length,
      total: ids.length,
      ruleLabels: rulesOf(directTo(body)),
    })),
  ];
  const gaps = await draftGaps(db, c.settings, scope, today(now));
  return {
    total: scope.scopeIds.length,
    bySector: SECTORS.map((s) => ({ code: s.code, label: s.label, count: scope.bySector[s.code] ?? 0 })).filter(
      (x) => x.count,
    ),
    byKind: ORG_KINDS.map((k) => ({ code: k.code, label: k.label, count: scope.byKind[k.code] ?? 0 })).filter(
      (x) => x.count,
    ),
    planGaps: scope.planGaps,
    byReportTo,
    unboundRules: scope.unboundRules,
    gapCounts: countGaps(gaps),
  };
}
