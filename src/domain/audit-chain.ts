/**
 * The audit log chain (decision 013): row n carries hash_n = HMAC(key, canonical(row_n)), and canonical(row_n)
 * includes seq n and hash_{n-1} (prevHash). Editing, deleting, inserting or reordering rows therefore breaks the
 * chain at that seq, and without the key nobody can compute a matching hash. Pure: the MAC is passed in.
 */

/** prevHash of seq 1: no predecessor. */
export const GENESIS_PREV = '0'.repeat(64);

/** 'hmac-sm3' where Node's OpenSSL offers SM3 (GB/T 32905), else 'hmac-sha256'; every row names its own. */
export type ChainAlg = 'hmac-sm3' | 'hmac-sha256';
export const CHAIN_ALGS: readonly ChainAlg[] = ['hmac-sm3', 'hmac-sha256'];

/** The fields a chain hash covers (every column of audit_log but `hash` itself). */
export interface ChainRow {
  id: number;
  seq: number;
  prevHash: string | null;
  alg: string | null;
  at: Date;
  actorId: number | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  result: string;
  ip: string | null;
  scopePath: string | null;
  detail: unknown;
}

/**
 * JSON with object keys sorted (UTF-16 code unit order) at every depth, no whitespace. jsonb reorders keys and
 * drivers may return them in any order, so the stored detail hashes the same on PGlite and PostgreSQL. `undefined`
 * members are dropped as JSON.stringify drops them when the row is written.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
      return canonicalJson((value as { toJSON(): unknown }).toJSON());
    const obj = value as Record<string, unknown>;
    const parts = Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
    return `{${parts.join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

/**
 * The exact text that is MACed: a JSON array in a fixed field order; the timestamp as ISO 8601 UTC with
 * milliseconds (the column keeps microseconds, the app writes whole milliseconds, both drivers read a Date).
 * The first element versions the format, so a later change can be told apart from tampering.
 */
export function canonicalAuditRow(r: ChainRow): string {
  return canonicalJson([
    'audit-chain-v1',
    r.seq,
    r.prevHash,
    r.alg,
    r.id,
    r.at.toISOString(),
    r.actorId,
    r.actorName,
    r.action,
    r.targetType,
    r.targetId,
    r.result,
    r.ip,
    r.scopePath,
    r.detail ?? null,
  ]);
}

export type ChainBreakReason =
  | 'gap'
  | 'prev_mismatch'
  | 'hash_mismatch'
  | 'unsealed'
  | 'unknown_alg'
  | 'head_missing'
  // Against the anchors kept outside the database (decision 016):
  | 'truncated'
  | 'anchor_mismatch'
  | 'anchor_rows'
  | 'anchor_invalid'
  | 'anchor_missing';

/** Short Chinese names of the reasons, for the verify tool and the audit page. */
export const CHAIN_BREAK_LABELS: Record<ChainBreakReason, string> = {
  gap: '缺号',
  prev_mismatch: '前序哈希不符',
  hash_mismatch: '哈希不符',
  unsealed: '未封链（无哈希）',
  unknown_alg: '未知算法',
  head_missing: '链首缺失',
  truncated: '链尾被截断',
  anchor_mismatch: '与锚点不符',
  anchor_rows: '记录数与锚点不符',
  anchor_invalid: '锚点无效',
  anchor_missing: '没有锚点',
};

export interface ChainBreak {
  seq: number;
  reason: ChainBreakReason;
  message: string;
}

/** Running state of a verification: the seq and hash the next row must follow. */
export interface ChainCursor {
  seq: number;
  hash: string;
}

export type Mac = (alg: ChainAlg, text: string) => string;

/**
 * Checks one row against the previous one. Returns the breaks it shows (usually none) and the cursor for the next
 * row. After a break the cursor follows the stored row, so one edited row is reported once, not as a cascade.
 */
export function checkChainRow(
  prev: ChainCursor,
  row: ChainRow & { hash: string | null },
  mac: Mac,
): { breaks: ChainBreak[]; next: ChainCursor } {
  const breaks: ChainBreak[] = [];
  if (row.seq !== prev.seq + 1) {
    if (row.seq <= prev.seq)
      breaks.push({ seq: row.seq, reason: 'gap', message: `序号未递增（前一条为 ${prev.seq}）` });
    else
      breaks.push({
        seq: prev.seq + 1,
        reason: 'gap',
        message: `缺少序号 ${prev.seq + 1}${row.seq - 1 > prev.seq + 1 ? `–${row.seq - 1}` : ''} 的记录（被删除）`,
      });
  } else if (row.hash !== null && row.prevHash !== prev.hash) {
    breaks.push({
      seq: row.seq,
      reason: 'prev_mismatch',
      message: '前序哈希与上一条记录不符（记录被插入、删除或调换）',
    });
  }
  if (row.hash === null) {
    breaks.push({
      seq: row.seq,
      reason: 'unsealed',
      message: '记录没有链哈希（插入、改写或清空哈希的记录；应用只在写入时封链，从不补封）',
    });
  } else if (!CHAIN_ALGS.includes(row.alg as ChainAlg)) {
    breaks.push({ seq: row.seq, reason: 'unknown_alg', message: `未知的链算法 ${row.alg}` });
  } else if (mac(row.alg as ChainAlg, canonicalAuditRow(row)) !== row.hash) {
    breaks.push({ seq: row.seq, reason: 'hash_mismatch', message: '内容与哈希不符（记录被修改）' });
  }
  return { breaks, next: { seq: row.seq, hash: row.hash ?? '' } };
}
