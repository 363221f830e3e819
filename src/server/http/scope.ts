import { notFound } from '../../domain/errors';
import { onBranch } from '../../domain/roles';
import type { AuthUser } from './context';

/**
 * An object off the viewer's branch of the tree (another county's) is answered exactly as an id that does not exist:
 * the same 404 and message its loader gives for a missing row. A 403 there would tell a caller which ids exist in
 * other counties (issue 15). Objects on the viewer's branch keep their 403 when the role may not act: that tells
 * nothing the caller could not know. Loaders call this with the object's tree path once they have read it.
 */
export function hideOffBranch(viewer: AuthUser | undefined, path: string | string[], what: string) {
  // Several places (a report: its organization, the body that hears it, the organizer): any one on the branch shows it.
  if (viewer && ![path].flat().some((p) => onBranch(p, viewer.scopePath))) throw notFound(what);
}
