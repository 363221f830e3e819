import { and, desc, eq, gte, ilike, like, lte, or, sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, escapeLike } from '../../db/connect';
import { auditLog } from '../../db/schema';
import type { AuthUser } from '../../http/context';

export interface AuditQuery {
  q?: string;
  action?: string;
  actor?: string;
  result?: 'success' | 'failure';
  from?: string;
  to?: string;
  offset: number;
  limit: number;
}

/**
 * An auditor reads the rows of their own subtree. Rows of no subtree — sign-ins with unknown usernames, the actions of
 * system-level 三员 accounts, operator tools — are read only by a system-level auditor (scope '/', no organization),
 * who reads everything. Sign-in rows carry the account's subtree (login.ts), so one county's auditor never sees
 * another county's users sign in.
 */
export async function searchAudit(db: DbOrTx, auditor: AuthUser, q: AuditQuery) {
  const scope = auditor.scopePath;
  const conds: SQL[] = [];
  if (scope !== '/') conds.push(scope ? like(auditLog.scopePath, `${escapeLike(scope)}%`) : sql`false`);
  if (q.action) conds.push(like(auditLog.action, `${escapeLike(q.action)}%`));
  if (q.actor) conds.push(ilike(auditLog.actorName, `%${escapeLike(q.actor)}%`));
  if (q.result) conds.push(eq(auditLog.result, q.result));
  if (q.from) conds.push(gte(auditLog.at, new Date(q.from)));
  if (q.to) conds.push(lte(auditLog.at, new Date(q.to)));
  if (q.q) {
    const pat = `%${escapeLike(q.q)}%`;
    conds.push(
      or(
        ilike(auditLog.actorName, pat),
        ilike(auditLog.action, pat),
        ilike(auditLog.targetId, pat),
        sql`${auditLog.detail}::text ilike ${pat}`,
      )!,
    );
  }
  const where = and(...conds);
  const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).offset(q.offset).limit(q.limit);
  const { total } = (await db.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where))[0]!;
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorName: r.actorName,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      result: r.result,
      ip: r.ip,
      detail: r.detail,
    })),
  };
}
