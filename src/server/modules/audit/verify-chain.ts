import { and, asc, desc, eq, gt } from 'drizzle-orm';
import { type ChainBreak, type ChainCursor, checkChainRow, GENESIS_PREV } from '../../../domain/audit-chain';
import type { DbOrTx } from '../../db/connect';
import { auditLog } from '../../db/schema';
import { chainMac } from '../../http/audit-key';

export interface ChainReport {
  ok: boolean;
  /** Rows read and checked. */
  checked: number;
  /** Lowest seq kept (above 1 after a retention purge), and the last row: note its seq and hash elsewhere to detect a cut tail later. */
  head: number | null;
  tail: { seq: number; hash: string | null } | null;
  /** The purge checkpoint the head was checked against, if rows were purged. */
  checkpoint: { throughSeq: number; atSeq: number } | null;
  /** Rows per algorithm. */
  algs: Record<string, number>;
  /** The first breaks in seq order (at most 20) and how many there are in all. */
  breaks: ChainBreak[];
  breakCount: number;
}

const MAX_LISTED = 20;

/**
 * Reads the whole chain in seq order, in batches (PGlite runs one query at a time), and checks every link.
 * `anchor`: a seq and hash noted earlier (e.g. printed by a previous run); a chain cut after it shows as missing.
 */
export async function verifyAuditChain(db: DbOrTx, opts: { batch?: number; anchor?: { seq: number; hash: string } } = {}): Promise<ChainReport> {
  const batch = opts.batch ?? 1000;
  const report: ChainReport = { ok: true, checked: 0, head: null, tail: null, checkpoint: null, algs: {}, breaks: [], breakCount: 0 };
  const add = (b: ChainBreak) => {
    report.breakCount++;
    if (report.breaks.length < MAX_LISTED) report.breaks.push(b);
  };
  let cursor: ChainCursor | null = null;
  let anchorSeen = false;
  for (;;) {
    const rows = await db.select().from(auditLog)
      .where(cursor ? gt(auditLog.seq, cursor.seq) : undefined)
      .orderBy(asc(auditLog.seq)).limit(batch);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (!cursor) {
        report.head = row.seq;
        cursor = row.seq === 1 ? { seq: 0, hash: GENESIS_PREV } : await headAfterPurge(db, row.seq, row.prevHash, report, add);
      }
      const { breaks, next } = checkChainRow(cursor, row, chainMac);
      breaks.forEach(add);
      cursor = next;
      report.checked++;
      report.algs[row.alg ?? 'none'] = (report.algs[row.alg ?? 'none'] ?? 0) + 1;
      if (opts.anchor && row.seq === opts.anchor.seq) {
        anchorSeen = true;
        if (row.hash !== opts.anchor.hash) add({ seq: row.seq, reason: 'hash_mismatch', message: '与此前记下的锚点哈希不符' });
      }
    }
    report.tail = { seq: cursor!.seq, hash: rows[rows.length - 1]!.hash };
  }
  if (opts.anchor && !anchorSeen) {
    add({ seq: opts.anchor.seq, reason: 'gap', message: `此前记下的锚点（序号 ${opts.anchor.seq}）已不存在（链尾被截断或记录被删除）` });
  }
  report.breaks.sort((a, b) => a.seq - b.seq);
  report.ok = report.breakCount === 0;
  return report;
}

/**
 * The head is gone only after a retention purge, which appends an `audit.purge` checkpoint naming the last seq
 * it removed and that row's hash. The checkpoint is itself a chained row, so it cannot be forged without the key.
 */
async function headAfterPurge(db: DbOrTx, head: number, headPrev: string | null, report: ChainReport, add: (b: ChainBreak) => void): Promise<ChainCursor> {
  const [cp] = await db.select({ seq: auditLog.seq, detail: auditLog.detail }).from(auditLog)
    .where(and(eq(auditLog.action, 'audit.purge'), gt(auditLog.seq, head - 1)))
    .orderBy(desc(auditLog.seq)).limit(1);
  const d = (cp?.detail ?? {}) as { throughSeq?: unknown; lastHash?: unknown };
  if (cp && d.throughSeq === head - 1 && typeof d.lastHash === 'string') {
    report.checkpoint = { throughSeq: head - 1, atSeq: cp.seq };
    return { seq: head - 1, hash: d.lastHash };
  }
  add({ seq: head - 1, reason: 'head_missing', message: `序号 1–${head - 1} 的记录缺失，且没有与之相符的保留期清理检查点` });
  return { seq: head - 1, hash: headPrev ?? '' };
}
