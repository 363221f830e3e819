import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertBrowse, assertTreeReader } from './policy';
import { getOrg, listChildren, listRoots, orgNodeById } from './repo';

/** The top of what the user may see: the scope organization (a secretary's own organization); every root at system level. */
export async function treeRoots(db: DbOrTx, user: AuthUser) {
  assertTreeReader(user);
  if (user.scopePath === '/') return { items: await listRoots(db) };
  const rootId = user.scopeOrgId ?? user.orgId!;
  return { items: [await orgNodeById(db, rootId)] };
}

/** One page of children, so a node with thousands of children never loads at once. */
export async function treeChildren(db: DbOrTx, user: AuthUser, parentId: number, offset: number, limit: number) {
  assertTreeReader(user);
  const parent = await getOrg(db, parentId, user);
  assertBrowse(user, parent.path);
  if (user.role === 'secretary') return { items: [], total: 0 };
  return listChildren(db, parentId, offset, limit);
}
