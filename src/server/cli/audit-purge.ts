/**
 * `npm run audit:purge -- --older-than-days N` (N ≥ 180) — retention purge of the audit log's head, leaving a
 * checkpoint row so `audit:verify` still passes (purge-audit.ts). Nothing is ever purged automatically.
 */
import { AUDIT_RETENTION_MIN_DAYS, purgeAuditLog } from '../modules/audit/purge-audit';
import { openConfigured } from './db-from-env';

async function main() {
  const args = process.argv.slice(2);
  const i = args.indexOf('--older-than-days');
  const days = i >= 0 ? Number(args[i + 1]) : NaN;
  if (!Number.isInteger(days) || days < AUDIT_RETENTION_MIN_DAYS) {
    throw new Error(`请用 --older-than-days 指定天数（整数，至少 ${AUDIT_RETENTION_MIN_DAYS}）`);
  }
  const { database, where } = await openConfigured();
  try {
    const now = new Date();
    const r = await purgeAuditLog(database.db, {
      olderThanDays: days,
      now,
      actor: { actorId: null, actorName: '运维（audit:purge）', ip: null, at: now },
    });
    console.log(
      r.deleted === 0
        ? `审计日志（${where}）：没有早于 ${days} 天且位于链首的记录，未清理`
        : `审计日志（${where}）：已清理 ${r.deleted} 条（序号至 ${r.throughSeq}），并写入清理检查点`,
    );
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(`清理失败：${err instanceof Error ? err.message : err}`);
  process.exit(2);
});
