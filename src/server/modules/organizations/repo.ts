import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connect';
import { committeeMembers, organizations, secretaries } from '../../db/schema';
import { notFound } from '../../../domain/errors';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

export type OrgRow = typeof organizations.$inferSelect;

export const orgNodeColumns = {
  id: organizations.id,
  parentId: organizations.parentId,
  name: organizations.name,
  code: organizations.code,
  kind: organizations.kind,
  sector: organizations.sector,
  level: organizations.level,
  path: organizations.path,
  // Qualified by hand: drizzle renders ${organizations.id} as a bare "id" in single-table selects, which
  // inside this subquery meant c.id, so every node reported 0 children and the tree could not expand.
  childCount: sql<number>`(select count(*)::int from organizations c where c.parent_id = "organizations"."id")`.as(
    'child_count',
  ),
};

/**
 * With a `viewer`, an organization off the viewer's branch of the tree (another county's) is not found, exactly as a
 * missing id of `what` (the organization, or the member the caller named) — issue 15.
 */
export async function getOrg(db: DbOrTx, id: number, viewer?: AuthUser, what = '组织'): Promise<OrgRow> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  if (!row) throw notFound(what);
  hideOffBranch(viewer, row.path, what);
  return row;
}

export async function getOrgByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(organizations).where(eq(organizations.code, code));
  return row;
}

export async function listChildren(db: DbOrTx, parentId: number, offset: number, limit: number) {
  const items = await db
    .select(orgNodeColumns)
    .from(organizations)
    .where(eq(organizations.parentId, parentId))
    .orderBy(asc(organizations.code))
    .offset(offset)
    .limit(limit);
  const { total } = (
    await db
      .select({ total: sql<number>`count(*)::int` })
      .from(organizations)
      .where(eq(organizations.parentId, parentId))
  )[0]!;
  return { items, total };
}

export async function listRoots(db: DbOrTx) {
  return db
    .select(orgNodeColumns)
    .from(organizations)
    .where(isNull(organizations.parentId))
    .orderBy(asc(organizations.code));
}

export async function orgNodeById(db: DbOrTx, id: number, viewer?: AuthUser) {
  const [row] = await db.select(orgNodeColumns).from(organizations).where(eq(organizations.id, id));
  if (!row) throw notFound('组织');
  hideOffBranch(viewer, row.path, '组织');
  return row;
}

/** Names of the ancestors in a path, root first. */
export async function ancestorsOf(db: DbOrTx, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number).slice(0, -1);
  if (!ids.length) return [];
  const rows = await db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(inArray(organizations.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

export async function currentSecretary(db: DbOrTx, orgId: number) {
  const [row] = await db
    .select()
    .from(secretaries)
    .where(and(eq(secretaries.orgId, orgId), isNull(secretaries.tenureEnd)));
  return row ?? null;
}

export async function secretaryHistory(db: DbOrTx, orgId: number) {
  return db
    .select()
    .from(secretaries)
    .where(eq(secretaries.orgId, orgId))
    .orderBy(sql`${secretaries.tenureStart} desc, ${secretaries.id} desc`);
}

export async function membersOf(db: DbOrTx, orgId: number) {
  return db.select().from(committeeMembers).where(eq(committeeMembers.orgId, orgId)).orderBy(asc(committeeMembers.id));
}
