/**
 * Anchors of the audit chain (decision 016): a signed statement "at time T the chain ran from seq `head` to seq `seq`,
 * held `rows` rows, and row `seq` carried hash H". Because every row's hash covers its predecessor's, (seq, H) pins the
 * whole prefix up to `seq`: nobody can rewrite, insert or delete a row at or before it — not even with the chain key —
 * without changing H. Anchors live outside the database (DATA_DIR/audit-anchors.log, the auditor's export, copies off
 * the machine), so a cut tail shows as a chain shorter than an anchor. Pure: signing and checking are passed in.
 *
 * One anchor is one line of plain text, so it survives a log file, a spreadsheet cell, a printout or an e-mail:
 *   audit-anchor-v1 alg=ed25519 key=<16 hex> seq=<n> head=<n> rows=<n> hash=<64 hex> at=<ISO time> reason=<word> sig=<base64>
 * The signature covers the line up to (not including) " sig=".
 */

export const ANCHOR_VERSION = 'audit-anchor-v1';

export type AnchorReason = 'start' | 'interval' | 'shutdown' | 'export';
const REASONS: readonly AnchorReason[] = ['start', 'interval', 'shutdown', 'export'];

export interface AnchorFields {
  /** Fingerprint of the signing public key (anchorKeyId). */
  key: string;
  /** The last sealed row when the anchor was taken, and its hash. */
  seq: number;
  hash: string;
  /** The lowest seq then present (above 1 after a retention purge) and the number of rows from head to seq. */
  head: number;
  rows: number;
  at: Date;
  reason: AnchorReason;
}

export interface Anchor extends AnchorFields {
  sig: string;
  /** The whole line, as read. */
  line: string;
}

/** The text that is signed. */
export function anchorMessage(a: AnchorFields): string {
  return `${ANCHOR_VERSION} alg=ed25519 key=${a.key} seq=${a.seq} head=${a.head} rows=${a.rows} hash=${a.hash} at=${a.at.toISOString()} reason=${a.reason}`;
}

export function formatAnchor(a: AnchorFields, sig: string): string {
  return `${anchorMessage(a)} sig=${sig}`;
}

const LINE = new RegExp(
  `${ANCHOR_VERSION} alg=ed25519 key=([0-9a-f]{16}) seq=(\\d{1,15}) head=(\\d{1,15}) rows=(\\d{1,15}) hash=([0-9a-f]{64}) ` +
    `at=(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z) reason=([a-z]+) sig=([A-Za-z0-9+/]{86}==)`,
);

export interface ParsedAnchors {
  anchors: Array<Anchor & { lineNo: number; source: string }>;
  /** Lines that mention an anchor but are not one (edited or cut): reported, never skipped silently. */
  malformed: Array<{ lineNo: number; source: string; text: string }>;
}

/**
 * Finds the anchors in any text: the anchor log, a spreadsheet's cells one per line, a pasted e-mail. Lines without
 * the version tag are ignored (comments, CSV rows); a line with it that does not parse is malformed.
 */
export function parseAnchors(text: string, source: string): ParsedAnchors {
  const out: ParsedAnchors = { anchors: [], malformed: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.includes(ANCHOR_VERSION)) return;
    const m = LINE.exec(raw);
    const at = m ? new Date(m[6]!) : null;
    if (!m || !at || Number.isNaN(at.getTime()) || !REASONS.includes(m[7] as AnchorReason)) {
      out.malformed.push({ lineNo: i + 1, source, text: raw.trim().slice(0, 200) });
      return;
    }
    out.anchors.push({
      key: m[1]!,
      seq: Number(m[2]),
      head: Number(m[3]),
      rows: Number(m[4]),
      hash: m[5]!,
      at,
      reason: m[7] as AnchorReason,
      sig: m[8]!,
      line: m[0],
      lineNo: i + 1,
      source,
    });
  });
  return out;
}
