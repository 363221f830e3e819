import { and, eq, inArray, isNull, like } from 'drizzle-orm';
import { notFound } from '../../../domain/errors';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import type { CampaignState, Phase } from '../../../domain/campaign-phases';
import type { OrgMatch, OrgNode } from '../../../domain/routes';
import type { Level, OrgKind, Sector } from '../../../domain/org-taxonomy';
import { type DbOrTx, escapeLike } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { userRows } from '../auth/row-sources';
import { orgUnits, secretaryRows } from '../organizations/row-sources';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

export type CampaignRow = typeof campaigns.$inferSelect;

/** The jsonb columns typed as the domain reads them. */
export interface Campaign extends Omit<CampaignRow, 'settings' | 'phases' | 'scopeMatch' | 'state'> {
  settings: CampaignSettings;
  phases: Phase[];
  scopeMatch: OrgMatch;
  state: CampaignState;
}

export interface OrgRef {
  id: number;
  name: string;
  path: string;
  kind: string;
  level: string;
  parentId: number | null;
}

export const asCampaign = (row: CampaignRow) => row as unknown as Campaign;

const orgRefColumns = {
  id: orgUnits.id,
  name: orgUnits.name,
  path: orgUnits.path,
  kind: orgUnits.kind,
  level: orgUnits.level,
  parentId: orgUnits.parentId,
};

export async function getOrgRef(db: DbOrTx, id: number, viewer?: AuthUser): Promise<OrgRef> {
  const [row] = await db.select(orgRefColumns).from(orgUnits).where(eq(orgUnits.id, id));
  if (!row) throw notFound('党组织');
  hideOffBranch(viewer, row.path, '党组织');
  return row;
}

/**
 * The campaign with its organizer; `lock` serializes concurrent changes of one campaign. With a `viewer`, a campaign
 * off the viewer's branch of the tree is not found, exactly like a missing id (issue 15).
 */
export async function getCampaign(db: DbOrTx, id: number, opts: { lock?: boolean; viewer?: AuthUser } = {}) {
  const q = db.select().from(campaigns).where(eq(campaigns.id, id));
  const [row] = opts.lock ? await q.for('no key update') : await q;
  if (!row) throw notFound('述职评议考核');
  const organizer = await getOrgRef(db, row.organizerOrgId);
  hideOffBranch(opts.viewer, organizer.path, '述职评议考核');
  return { campaign: asCampaign(row), organizer };
}

export type TreeOrg = OrgNode & { path: string; code: string };

/**
 * Every organization of the organizer's root tree. Route rules may send a reporter to a body
 * outside the organizer's own subtree (社区党组织 → 社区工委), so the whole tree is the universe.
 */
export async function loadTree(db: DbOrTx, organizerPath: string): Promise<TreeOrg[]> {
  const rootPath = `/${organizerPath.split('/').filter(Boolean)[0]}/`;
  const rows = await db
    .select({
      id: orgUnits.id,
      parentId: orgUnits.parentId,
      name: orgUnits.name,
      code: orgUnits.code,
      kind: orgUnits.kind,
      sector: orgUnits.sector,
      level: orgUnits.level,
      path: orgUnits.path,
    })
    .from(orgUnits)
    .where(like(orgUnits.path, `${escapeLike(rootPath)}%`))
    .orderBy(orgUnits.depth, orgUnits.code);
  return rows.map((r) => ({ ...r, kind: r.kind as OrgKind, sector: r.sector as Sector, level: r.level as Level }));
}

export async function currentSecretaries(db: DbOrTx, orgIds: number[]) {
  const rows = orgIds.length
    ? await db
        .select()
        .from(secretaryRows)
        .where(and(inArray(secretaryRows.orgId, orgIds), isNull(secretaryRows.tenureEnd)))
    : [];
  return new Map(rows.map((r) => [r.orgId, r]));
}

/** Organizations whose secretary can sign in (an enabled 书记 account bound to the organization). */
export async function orgsWithSecretaryAccount(db: DbOrTx, orgIds: number[]): Promise<Set<number>> {
  if (!orgIds.length) return new Set();
  const rows = await db
    .select({ orgId: userRows.orgId })
    .from(userRows)
    .where(and(eq(userRows.role, 'secretary'), eq(userRows.disabled, false), inArray(userRows.orgId, orgIds)));
  return new Set(rows.map((r) => r.orgId!));
}

export async function orgNames(db: DbOrTx, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(inArray(orgUnits.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function childCampaigns(db: DbOrTx, parentId: number) {
  return db
    .select({
      id: campaigns.id,
      title: campaigns.title,
      state: campaigns.state,
      filingState: campaigns.filingState,
      completeBy: campaigns.completeBy,
      organizerOrgId: campaigns.organizerOrgId,
      organizerName: orgUnits.name,
    })
    .from(campaigns)
    .innerJoin(orgUnits, eq(orgUnits.id, campaigns.organizerOrgId))
    .where(eq(campaigns.parentId, parentId))
    .orderBy(orgUnits.depth, orgUnits.code);
}
