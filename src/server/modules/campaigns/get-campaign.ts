import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { describeSettings } from '../../../domain/campaign-settings';
import type { OrgMatch } from '../../../domain/routes';
import { CAMPAIGN_STATE_LABELS, PHASE_STATUS_LABELS, phaseStatus, type Phase } from '../../../domain/campaign-phases';
import { shanghaiDate } from '../../../domain/calendar';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { campaignReporters, campaigns } from '../../db/schema';
import { orgUnits } from '../organizations/row-sources';
import type { AuthUser } from '../../http/context';
import { assertCampaignReader, campaignAccess, canWriteCampaign } from './policy';
import { childCampaigns, getCampaign, type Campaign } from './repo';
import { campaignAbilities, campaignPages } from '../abilities';
import { presentPhases, presentSummary } from './present';
import { FILING_STATE_LABELS, type CampaignDetailT } from './schemas';

type FilingState = keyof typeof FILING_STATE_LABELS;

export async function isReporterOrg(db: DbOrTx, campaignId: number, orgId: number | null) {
  if (orgId === null) return false;
  const [row] = await db
    .select({ id: campaignReporters.id })
    .from(campaignReporters)
    .where(
      and(
        eq(campaignReporters.campaignId, campaignId),
        eq(campaignReporters.orgId, orgId),
        isNull(campaignReporters.removedAt),
      ),
    )
    .limit(1);
  return !!row;
}

/** Reads a campaign as the user may see it; throws 403 when they may not see it at all. */
export async function readableCampaign(db: DbOrTx, user: AuthUser, id: number) {
  assertCampaignReader(user);
  const found = await getCampaign(db, id, { viewer: user });
  const access = campaignAccess(
    user,
    found.organizer.path,
    user.role === 'secretary' && (await isReporterOrg(db, id, user.orgId)),
  );
  if (!access) throw new AppError('FORBIDDEN', '无权查看该述职评议考核');
  return { ...found, access };
}

async function parentCanWrite(db: DbOrTx, user: AuthUser, c: Campaign) {
  if (c.parentId === null) return false;
  const { organizer } = await getCampaign(db, c.parentId);
  return canWriteCampaign(user, organizer.path);
}

const levelPhases = (phases: Phase[], today: string) =>
  phases.map((p) => {
    const status = phaseStatus(p, today);
    return { key: p.key, start: p.start, end: p.end, status, statusLabel: PHASE_STATUS_LABELS[status] };
  });

/**
 * The level above and the sub-rounds with their own phase dates (R-CAMP-8); sub-rounds with the same dates (the
 * same deadline) form one group, so a county with 16 townships shows one line for them.
 */
async function otherLevels(
  db: DbOrTx,
  parentPhases: { name: string; phases: Phase[]; completeBy: string | null } | null,
  childIds: number[],
  names: Map<number, string>,
  today: string,
) {
  const levels: CampaignDetailT['levels'] = [];
  if (parentPhases) {
    levels.push({
      relation: 'parent',
      label: '上级',
      organizers: [parentPhases.name],
      completeBy: parentPhases.completeBy,
      phases: levelPhases(parentPhases.phases, today),
    });
  }
  if (!childIds.length) return levels;
  const rows = await db
    .select({ id: campaigns.id, phases: campaigns.phases, completeBy: campaigns.completeBy })
    .from(campaigns)
    .where(inArray(campaigns.id, childIds));
  const groups = new Map<string, { ids: number[]; phases: Phase[]; completeBy: string | null }>();
  for (const r of rows.sort((a, b) => childIds.indexOf(a.id) - childIds.indexOf(b.id))) {
    const phases = r.phases as Phase[];
    const key = JSON.stringify([r.completeBy, phases.map((p) => [p.key, p.start, p.end, p.state])]);
    const g = groups.get(key) ?? { ids: [], phases, completeBy: r.completeBy };
    g.ids.push(r.id);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    levels.push({
      relation: 'children',
      label: `下级（${g.ids.length}个）`,
      organizers: g.ids.map((i) => names.get(i) ?? ''),
      completeBy: g.completeBy,
      phases: levelPhases(g.phases, today),
    });
  }
  return levels;
}

/** The same rule, whatever order its keys were stored in. */
const sameRule = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** Every organization id the settings' routes and the scope name. */
function namedOrgIds(c: Campaign): number[] {
  const ids = new Set<number>();
  for (const r of c.settings.routes) {
    if (r.reportTo !== null) ids.add(r.reportTo);
    for (const o of r.match.orgIds ?? []) ids.add(o);
  }
  const scope = c.scopeMatch as OrgMatch;
  for (const o of scope.orgIds ?? []) ids.add(o);
  if (scope.subtreeOf !== undefined) ids.add(scope.subtreeOf);
  return [...ids];
}

export async function getCampaignDetail(db: DbOrTx, user: AuthUser, id: number, now: Date): Promise<CampaignDetailT> {
  const { campaign: c, organizer, access } = await readableCampaign(db, user, id);
  const full = access === 'full';
  const today = shanghaiDate(now);
  let parent: CampaignDetailT['parent'] = null;
  let parentPhases = null;
  let inheritedRoutes: number[] = [];
  if (c.parentId !== null) {
    const p = await getCampaign(db, c.parentId);
    parent = {
      id: p.campaign.id,
      title: p.campaign.title,
      organizer: { id: p.organizer.id, name: p.organizer.name },
      state: p.campaign.state,
    };
    parentPhases = { name: p.organizer.name, phases: p.campaign.phases, completeBy: p.campaign.completeBy };
    inheritedRoutes = c.settings.routes.flatMap((r, i) =>
      p.campaign.settings.routes.some((pr) => sameRule(pr, r)) ? [i] : [],
    );
  }
  const ids = full ? namedOrgIds(c) : [];
  const orgNames = ids.length
    ? Object.fromEntries(
        (await db.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, ids))).map(
          (o) => [String(o.id), o.name],
        ),
      )
    : {};
  const children = full ? await childCampaigns(db, c.id) : [];
  const levels = await otherLevels(
    db,
    parentPhases,
    children.map((ch) => ch.id),
    new Map(children.map((ch) => [ch.id, ch.organizerName])),
    today,
  );
  const counts = (
    await db
      .select({
        reporters: sql<number>`count(*) filter (where ${campaignReporters.removedAt} is null and ${campaignReporters.role} = 'reporter')::int`,
        downward: sql<number>`count(*) filter (where ${campaignReporters.removedAt} is null and ${campaignReporters.role} = 'downward')::int`,
        removed: sql<number>`count(*) filter (where ${campaignReporters.removedAt} is not null)::int`,
      })
      .from(campaignReporters)
      .where(eq(campaignReporters.campaignId, c.id))
  )[0]!;
  const canEdit = canWriteCampaign(user, organizer.path);
  const filingState = c.filingState as FilingState;
  const editableFiling = ['not_required', 'pending', 'returned'].includes(filingState);
  return {
    campaign: presentSummary(c, organizer),
    access,
    settings: full ? c.settings : null,
    lines: describeSettings(c.settings),
    phases: presentPhases(c.phases, today),
    today,
    levels,
    organizingMode: c.settings.organizing.mode,
    organizingModeLabel: c.settings.organizing.mode === 'top_down' ? '自上而下、分级开展' : '自下而上、压茬进行',
    scopeMatch: full ? c.scopeMatch : null,
    orgNames,
    inheritedRoutes: full ? inheritedRoutes : [],
    filing: {
      state: filingState,
      stateLabel: FILING_STATE_LABELS[filingState],
      note: c.filingNote,
      returnReason: c.filingReturnReason,
      filedAt: c.filedAt?.toISOString() ?? null,
      reviewedAt: c.filingReviewedAt?.toISOString() ?? null,
    },
    parent,
    children: children.map((ch) => ({
      id: ch.id,
      title: ch.title,
      organizer: { id: ch.organizerOrgId, name: ch.organizerName },
      state: ch.state as Campaign['state'],
      stateLabel: CAMPAIGN_STATE_LABELS[ch.state as Campaign['state']],
      filingState: ch.filingState as FilingState,
      filingStateLabel: FILING_STATE_LABELS[ch.filingState as FilingState],
      completeBy: ch.completeBy,
    })),
    counts: { ...counts, subCampaigns: children.length },
    permissions: {
      canEdit: canEdit && c.state === 'draft' && editableFiling,
      canPublish: canEdit && c.state === 'draft' && (c.parentId === null || filingState === 'acknowledged'),
      canFile: canEdit && c.parentId !== null && c.state === 'draft' && ['pending', 'returned'].includes(filingState),
      canReviewFiling: filingState === 'filed' && (await parentCanWrite(db, user, c)),
      pages: campaignPages(user, organizer.path, access),
      can: campaignAbilities(user, organizer.path, access),
    },
  };
}
