import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';

/** The organizer's organization department: runs the grouping and reads every reporter's themes after release. */
export const isOrganizer = (user: AuthUser, organizerPath: string) =>
  user.role === 'org_admin' && pathWithin(organizerPath, user.scopePath);

export function assertOrganizer(user: AuthUser, organizerPath: string) {
  if (!isOrganizer(user, organizerPath))
    throw new AppError('FORBIDDEN', '只有组织本次述职评议考核的组织部门可以查看意见归纳');
}

/**
 * One reporter's themes: the organizer; the reporter's own secretary once the committee has locked the evaluation
 * (R-VOTE-6: after lock), as the secretary's own result (decision 011).
 */
export async function assertReadReporter(
  db: DbOrTx,
  user: AuthUser,
  campaignId: number,
  organizerPath: string,
  orgId: number,
) {
  if (isOrganizer(user, organizerPath)) return;
  if (user.role === 'secretary' && user.orgId === orgId) {
    const [e] = await queryRows<{ state: string }>(
      db,
      sql`select state from evaluation_v_state where campaign_id = ${campaignId}`,
    );
    if (e?.state === 'locked') return;
    throw new AppError('NOT_LOCKED');
  }
  throw new AppError('FORBIDDEN', '无权查看该党组织的群众意见归纳');
}
