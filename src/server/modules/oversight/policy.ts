import { AppError } from '../../../domain/errors';
import { pathWithin, type Role } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';
import type { CampaignRef } from './repo';

/** Staff who may be sent as observers (R-CAMP-6): observers proper and other organization-department accounts. */
export const OBSERVER_ROLES: readonly Role[] = ['observer', 'org_admin', 'leader', 'assessor'];
/** Upper-level staff who go on unannounced visits (R-PREP-2) and read them. */
const VISIT_ROLES: readonly Role[] = ['org_admin', 'leader', 'assessor', 'observer'];
const PROGRESS_ROLES: readonly Role[] = ['org_admin', 'leader'];

const deny = (message: string) => new AppError('FORBIDDEN', message);

/** The campaign belongs to the user's level or below: its organizer lies in the user's subtree. */
type Organized = Pick<CampaignRef, 'organizerPath'>;
const covers = (user: AuthUser, c: Organized) => pathWithin(c.organizerPath, user.scopePath);

/** Only the organization department of the organizing level (or above) sends observers. */
/** May be sent as an observer, so has a task list (R-CAMP-6). */
export const hasObserverTasks = (user: Pick<AuthUser, 'role'>) => OBSERVER_ROLES.includes(user.role);
export const canManageObservers = (user: AuthUser, c: Organized) => user.role === 'org_admin' && covers(user, c);
export function assertManageObservers(user: AuthUser, c: Organized) {
  if (!canManageObservers(user, c)) throw deny('无权为该述职评议考核选派观察员');
}

/** Progress of a campaign and everything below it; a township admin reaches only its own sub-campaigns. */
export const canViewProgress = (user: AuthUser, c: Organized) => PROGRESS_ROLES.includes(user.role) && covers(user, c);
export function assertViewProgress(user: AuthUser, c: Organized) {
  if (!canViewProgress(user, c)) throw deny('无权查看该述职评议考核的进度');
}

export const canVisits = (user: AuthUser, c: Organized) => VISIT_ROLES.includes(user.role) && covers(user, c);
export function assertVisits(user: AuthUser, c: Organized) {
  if (!canVisits(user, c)) throw deny('无权查看或记录该述职评议考核的调研走访');
}

/** A correction is made by the one who wrote the record; the audit log keeps every version. */
export function assertVisitAuthor(user: AuthUser, authorId: number) {
  if (user.id !== authorId) throw deny('只有记录人可以修改调研走访记录');
}
