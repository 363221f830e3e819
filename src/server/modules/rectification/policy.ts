import { AppError } from '../../../domain/errors';
import { pathWithin, type Role } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

/** Where an item (or commitment) sits in the tree. */
export interface OrgPlace {
  orgId: number;
  orgPath: string;
}

/** Staff of an upper level who read a subtree's items; observers and assessors only read (existing policy). */
const SCOPED_READERS: readonly Role[] = ['org_admin', 'leader', 'assessor', 'observer'];
/** The upper level verifies (验收) and closes (销号): its organization department or a leader of it. */
const VERIFIERS: readonly Role[] = ['org_admin', 'leader'];

const deny = (message: string) => new AppError('FORBIDDEN', message);

const isOwnSecretary = (user: AuthUser, p: OrgPlace) => user.role === 'secretary' && user.orgId === p.orgId;
const isSubtreeAdmin = (user: AuthUser, p: OrgPlace) =>
  user.role === 'org_admin' && pathWithin(p.orgPath, user.scopePath);

/** The rectification section of the web: the secretaries and the scoped readers. */
export const canOpenRectification = (user: Pick<AuthUser, 'role'>) =>
  SCOPED_READERS.includes(user.role) || user.role === 'secretary';
/** Keeps its own organization's lists only (no organization to choose; drafts its own 公开承诺, R-FIX-3). */
export const keepsOwnOrganization = (user: Pick<AuthUser, 'role'>) => user.role === 'secretary';

/** A secretary reads only their own organization's items; the upper level reads its subtree (cross-county never). */
export const canReadItems = (user: AuthUser, p: OrgPlace) =>
  isOwnSecretary(user, p) || (SCOPED_READERS.includes(user.role) && pathWithin(p.orgPath, user.scopePath));

export function assertReadItems(user: AuthUser, p: OrgPlace) {
  if (!canReadItems(user, p)) throw deny('无权查看该党组织的整改事项');
}

/**
 * The three lists are kept by the organization itself (its secretary); the organization department of
 * an upper level may enter items for it too (巡视/巡察 feedback arrives there first).
 */
export const canKeepItems = (user: AuthUser, p: OrgPlace) => isOwnSecretary(user, p) || isSubtreeAdmin(user, p);

export function assertKeepItems(user: AuthUser, p: OrgPlace) {
  if (!canKeepItems(user, p)) throw deny('只有本组织书记或上级组织部门可以维护整改事项');
}

/**
 * Deleting a not-started item: the upper level, or the own secretary for an item they created themselves. A problem
 * the upper level recorded (巡察 feedback, 点评…) is not the unit's to delete (found by the access matrix, issue 8).
 */
export function assertDeleteItem(user: AuthUser, p: OrgPlace, createdBy: number | null) {
  assertKeepItems(user, p);
  if (!isSubtreeAdmin(user, p) && createdBy !== user.id) throw deny('上级记录的整改事项不能由本组织删除');
}

/** Strictly the upper level: nobody verifies their own organization's rectification. */
export const canVerify = (user: AuthUser, p: OrgPlace) =>
  VERIFIERS.includes(user.role) && pathWithin(p.orgPath, user.scopePath) && user.scopeOrgId !== p.orgId;

export function assertVerify(user: AuthUser, p: OrgPlace) {
  if (!canVerify(user, p)) throw deny('只有上级党组织可以验收销号整改事项');
}

/** The organizer's organization department: carry-over, 通报, commitments' filing and publication. */
export const isOrganizerAdmin = (user: AuthUser, organizerPath: string) =>
  user.role === 'org_admin' && pathWithin(organizerPath, user.scopePath);

export function assertOrganizerAdmin(user: AuthUser, organizerPath: string, what: string) {
  if (!isOrganizerAdmin(user, organizerPath)) throw deny(`只有组织方的组织部门可以${what}`);
}

/** 通报 readers: the organizer's staff who watch progress. */
export function assertBulletin(user: AuthUser, organizerPath: string) {
  if (!(VERIFIERS.includes(user.role) && pathWithin(organizerPath, user.scopePath)))
    throw deny('无权导出该述职评议考核的整改通报');
}

/** 公开承诺 are drafted by the organization's own secretary only (R-FIX-3). */
export function assertDraftCommitment(user: AuthUser, orgId: number) {
  if (user.role !== 'secretary') throw deny('只有党组织书记可以起草公开承诺');
  if (user.orgId !== orgId) throw deny('只能为本组织起草公开承诺，不能替其他党组织作出承诺');
}
