import { and, asc, desc, eq, gt } from 'drizzle-orm';
import { type ChainBreak, type ChainCursor, checkChainRow, GENESIS_PREV } from '../../../domain/audit-chain';
import type { DbOrTx } from '../../db/connect';
import { auditLog } from '../../db/schema';
import { chainMac } from '../../http/audit-key';
import type { LoadedAnchors } from './anchors';

export interface AnchorSummary {
  /** Valid anchors checked against the chain, and how many of them point into a purged head. */
  total: number;
  purged: number;
  /** The newest anchored position and when it was taken. */
  lastSeq: number | null;
  lastAt: string | null;
  /** Rows after the newest anchor: not yet protected against a cut tail. */
  unanchoredFrom: number | null;
  keyId: string | null;
}

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
  /** Null when no anchors were given (anchoring not set up). */
  anchors: AnchorSummary | null;
  /** The first breaks in seq order (at most 20), how many there are in all, and how many of each reason. */
  breaks: ChainBreak[];
  breakCount: number;
  reasons: Partial<Record<ChainBreak['reason'], number>>;
}

const MAX_LISTED = 20;

/** A position the chain must still hold: a signed anchor, or a seq and hash noted by hand (`--anchor`). */
interface Pin {
  seq: number;
  hash: string;
  /** Lowest seq and rows up to seq when it was taken (signed anchors only). */
  head?: number;
  rows?: number;
  label: string;
}

/**
 * Reads the whole chain in seq order, in batches (PGlite runs one query at a time), and checks every link, then every
 * anchor (decision 016): the row at an anchored seq must carry the anchored hash (which pins every row before it), the
 * rows up to it must number as many as then, and the chain must reach the highest anchored seq.
 * `anchor`: a seq and hash noted by hand earlier. `anchors`: the signed anchors read from files; given, anchoring is
 * in use and a non-empty chain without any valid anchor is itself a break.
 */
export async function verifyAuditChain(
  db: DbOrTx,
  opts: {
    batch?: number;
    anchor?: { seq: number; hash: string };
    anchors?: Pick<LoadedAnchors, 'anchors' | 'problems' | 'keyId'>;
  } = {},
): Promise<ChainReport> {
  const batch = opts.batch ?? 1000;
  const report: ChainReport = {
    ok: true,
    checked: 0,
    head: null,
    tail: null,
    checkpoint: null,
    algs: {},
    anchors: null,
    breaks: [],
    breakCount: 0,
    reasons: {},
  };
  const add = (b: ChainBreak) => {
    report.breakCount++;
    report.reasons[b.reason] = (report.reasons[b.reason] ?? 0) + 1;
    if (report.breaks.length < MAX_LISTED) report.breaks.push(b);
  };
  const pins: Pin[] = [];
  if (opts.anchor) pins.push({ ...opts.anchor, label: '此前记下的锚点' });
  for (const a of opts.anchors?.anchors ?? []) {
    pins.push({
      seq: a.seq,
      hash: a.hash,
      head: a.head,
      rows: a.rows,
      label: `锚点（${a.at.toISOString()}，${a.reason}）`,
    });
  }
  const pinsAt = new Map<number, Pin[]>();
  for (const p of pins) pinsAt.set(p.seq, [...(pinsAt.get(p.seq) ?? []), p]);
  const seen = new Set<Pin>();

  let cursor: ChainCursor | null = null;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(cursor ? gt(auditLog.seq, cursor.seq) : undefined)
      .orderBy(asc(auditLog.seq))
      .limit(batch);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (!cursor) {
        report.head = row.seq;
        cursor =
          row.seq === 1 ? { seq: 0, hash: GENESIS_PREV } : await headAfterPurge(db, row.seq, row.prevHash, report, add);
      }
      const { breaks, next } = checkChainRow(cursor, row, chainMac);
      breaks.forEach(add);
      cursor = next;
      report.checked++;
      report.algs[row.alg ?? 'none'] = (report.algs[row.alg ?? 'none'] ?? 0) + 1;
      for (const p of pinsAt.get(row.seq) ?? []) {
        seen.add(p);
        if (row.hash !== p.hash) {
          add({
            seq: row.seq,
            reason: 'anchor_mismatch',
            message: `${p.label}记下序号 ${p.seq} 的哈希为 ${p.hash.slice(0, 12)}…，现在${row.hash ? `为 ${row.hash.slice(0, 12)}…` : '没有哈希'}：此记录或它之前的记录被改写、插入或删除`,
          });
        } else if (
          p.rows !== undefined &&
          p.head !== undefined &&
          report.head! <= p.head &&
          report.checked !== p.rows
        ) {
          add({
            seq: row.seq,
            reason: 'anchor_rows',
            message: `${p.label}记下序号 ${p.head}–${p.seq} 共 ${p.rows} 条，现在序号 ${report.head}–${p.seq} 有 ${report.checked} 条`,
          });
        }
      }
    }
    report.tail = { seq: cursor!.seq, hash: rows[rows.length - 1]!.hash };
  }

  if (opts.anchors)
    checkAnchorsLeft(
      pins.filter((p) => !seen.has(p)),
      opts.anchors,
      report,
      add,
    );
  else if (opts.anchor && !seen.has(pins[0]!)) {
    add({
      seq: opts.anchor.seq,
      reason: 'truncated',
      message: `此前记下的锚点（序号 ${opts.anchor.seq}）已不存在（链尾被截断或记录被删除）`,
    });
  }
  report.breaks.sort((a, b) => a.seq - b.seq);
  report.ok = report.breakCount === 0;
  return report;
}

/** Anchors whose seq the chain no longer holds: purged (fine, if a checkpoint covers them), deleted, or cut off. */
function checkAnchorsLeft(
  left: Pin[],
  loaded: Pick<LoadedAnchors, 'anchors' | 'problems' | 'keyId'>,
  report: ChainReport,
  add: (b: ChainBreak) => void,
) {
  for (const p of loaded.problems) add({ seq: p.seq, reason: 'anchor_invalid', message: p.message });
  const valid = loaded.anchors;
  const newest = valid.reduce<(typeof valid)[number] | null>(
    (m, a) => (!m || a.seq > m.seq || (a.seq === m.seq && a.at > m.at) ? a : m),
    null,
  );
  const summary: AnchorSummary = {
    total: valid.length,
    purged: 0,
    lastSeq: newest?.seq ?? null,
    lastAt: newest?.at.toISOString() ?? null,
    unanchoredFrom: null,
    keyId: loaded.keyId,
  };
  report.anchors = summary;
  const tailSeq = report.tail?.seq ?? 0;
  if (report.checked > 0 && valid.length === 0) {
    add({
      seq: report.head ?? 0,
      reason: 'anchor_missing',
      message:
        '没有任何有效锚点，无法证明链尾未被截断（锚点文件被删除、清空或换了密钥？应用首次运行不足一个锚定间隔即被强行终止时也会如此）',
    });
  }
  if (newest && tailSeq > newest.seq) summary.unanchoredFrom = newest.seq + 1;
  let beyond: Pin | null = null;
  let beyondCount = 0;
  for (const p of left) {
    if (p.seq > tailSeq) {
      beyondCount++;
      if (!beyond || p.seq > beyond.seq) beyond = p;
    } else if (report.checkpoint && p.seq <= report.checkpoint.throughSeq) {
      summary.purged++;
    } else {
      add({ seq: p.seq, reason: 'anchor_mismatch', message: `${p.label}记下的序号 ${p.seq} 的记录已不存在（被删除）` });
    }
  }
  if (beyond) {
    add({
      seq: tailSeq + 1,
      reason: 'truncated',
      message: `链比锚点短：${beyond.label}记下链尾为序号 ${beyond.seq}${beyond.rows !== undefined ? `（共 ${beyond.rows} 条）` : ''}，现在链尾为序号 ${tailSeq || '-'}：序号 ${tailSeq + 1}–${beyond.seq} 的记录被删除${beyondCount > 1 ? `（共 ${beyondCount} 个锚点超出现有链尾）` : ''}`,
    });
  }
}

/**
 * The head is gone only after a retention purge, which appends an `audit.purge` checkpoint naming the last seq
 * it removed and that row's hash. The checkpoint is itself a chained row, so it cannot be forged without the key.
 */
async function headAfterPurge(
  db: DbOrTx,
  head: number,
  headPrev: string | null,
  report: ChainReport,
  add: (b: ChainBreak) => void,
): Promise<ChainCursor> {
  const [cp] = await db
    .select({ seq: auditLog.seq, detail: auditLog.detail })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'audit.purge'), gt(auditLog.seq, head - 1)))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const d = (cp?.detail ?? {}) as { throughSeq?: unknown; lastHash?: unknown };
  if (cp && d.throughSeq === head - 1 && typeof d.lastHash === 'string') {
    report.checkpoint = { throughSeq: head - 1, atSeq: cp.seq };
    return { seq: head - 1, hash: d.lastHash };
  }
  add({
    seq: head - 1,
    reason: 'head_missing',
    message: `序号 1–${head - 1} 的记录缺失，且没有与之相符的保留期清理检查点`,
  });
  return { seq: head - 1, hash: headPrev ?? '' };
}
