import { and, gte, lte, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { auditLog } from '../../db/schema';
import { AUDIT_CHAIN_LOCK_KEY, type AuditActor, writeAudit } from '../../http/audit';

/** Audit rows are kept at least this long (docs/operations.md "Audit integrity"); the trigger of migration 0017 enforces it too. */
export const AUDIT_RETENTION_MIN_DAYS = 180;
const DAY = 86_400_000;

/**
 * Retention purge (manual, `npm run audit:purge`): removes the head of the chain up to the last row before the
 * first one younger than the cutoff, then appends an `audit.purge` checkpoint with the last removed seq and its
 * hash, so the verifier can check the new head. Only the head goes: a row older than the cutoff that follows a
 * younger one stays, keeping the chain contiguous.
 */
export async function purgeAuditLog(db: DbOrTx, opts: { olderThanDays: number; now: Date; actor: AuditActor }) {
  if (!Number.isInteger(opts.olderThanDays) || opts.olderThanDays < AUDIT_RETENTION_MIN_DAYS) {
    throw new AppError('VALIDATION', `审计日志至少保留 ${AUDIT_RETENTION_MIN_DAYS} 天`);
  }
  const cutoff = new Date(opts.now.getTime() - opts.olderThanDays * DAY);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
    const [span] = await queryRows<{ head: string | null; tail: string | null; young: string | null }>(
      tx,
      sql`
      select (select min(seq) from audit_log) as head, (select max(seq) from audit_log) as tail,
             (select min(seq) from audit_log where at >= ${cutoff.toISOString()}::timestamptz) as young`,
    );
    if (span?.head == null) return { deleted: 0, throughSeq: null };
    const through = span.young == null ? Number(span.tail) : Number(span.young) - 1;
    if (through < Number(span.head)) return { deleted: 0, throughSeq: null };
    const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).where(sql`${auditLog.seq} = ${through}`);
    // The checkpoint needs that row's hash; a row without one was not written by the app (decision 016): investigate.
    if (!last?.hash)
      throw new AppError(
        'CONFLICT',
        `序号 ${through} 的审计记录没有链哈希（未封链），不能清理：请先用 npm run audit:verify 查明原因`,
      );
    await tx.execute(sql`select set_config('shupingkao.audit_purge', 'on', true)`);
    const deleted = await tx
      .delete(auditLog)
      .where(and(gte(auditLog.seq, Number(span.head)), lte(auditLog.seq, through)))
      .returning({ seq: auditLog.seq });
    await tx.execute(sql`select set_config('shupingkao.audit_purge', 'off', true)`);
    await writeAudit(tx, opts.actor, {
      action: 'audit.purge',
      targetType: 'audit_log',
      detail: {
        throughSeq: through,
        lastHash: last.hash,
        deleted: deleted.length,
        olderThanDays: opts.olderThanDays,
        cutoff: cutoff.toISOString(),
      },
    });
    return { deleted: deleted.length, throughSeq: through };
  });
}
