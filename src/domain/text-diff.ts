/**
 * Sentence-level comparison of two versions of a report, for showing them side by side during
 * review (R-REP-4). Sentences, not characters: reviewers read a rewrite as sentences added,
 * dropped or changed.
 */
import { invalid } from './errors';

/** A UTF-16 range [start, end) of a text. */
export interface Span {
  start: number;
  end: number;
}

const TERMINATORS = new Set(['。', '！', '？', '；', '!', '?', ';', '\n', '\r']);
// A closing quote or bracket after 。 belongs to the sentence it closes: 他说：“好。”
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '》', '】', '"', "'"]);

/** Sentences and clauses ending in 。！？； or a line break, without surrounding whitespace. */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) spans.push({ start: s, end: e });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    if (!TERMINATORS.has(text[i]!)) continue;
    let end = i + 1;
    while (end < text.length && CLOSERS.has(text[end]!)) end++;
    push(end);
    i = end - 1;
  }
  push(text.length);
  return spans;
}

export type DiffOp =
  | { op: 'equal'; oldText: string; newText: string; oldStart: number; newStart: number }
  | { op: 'delete'; oldText: string; oldStart: number }
  | { op: 'insert'; newText: string; newStart: number };

export interface DiffRow {
  kind: 'same' | 'changed' | 'removed' | 'added';
  left: string | null;
  right: string | null;
}

// The LCS table is (n+1)(m+1) cells; beyond this the versions are not two drafts of one report.
const MAX_CELLS = 16_000_000;

/**
 * Sentence ops turning `oldText` into `newText` (longest common subsequence; sentences equal up to
 * whitespace match). Within a changed stretch, deletions come before insertions.
 */
export function diffTexts(oldText: string, newText: string): DiffOp[] {
  const a = splitSentences(oldText).map((s) => ({ ...s, text: oldText.slice(s.start, s.end) }));
  const b = splitSentences(newText).map((s) => ({ ...s, text: newText.slice(s.start, s.end) }));
  const key = (t: string) => t.replace(/\s+/g, '');
  const ka = a.map((s) => key(s.text));
  const kb = b.map((s) => key(s.text));

  // Shared head and tail are common in revisions and cost nothing to take off before the table.
  let head = 0;
  while (head < a.length && head < b.length && ka[head] === kb[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && ka[a.length - 1 - tail] === kb[b.length - 1 - tail])
    tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if ((n + 1) * (m + 1) > MAX_CELLS) throw invalid('newText', '两个版本的句子过多且差异过大，无法逐句比较');

  // lcs[i][j]: length of the LCS of the middle parts of a from i and b from j.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        ka[head + i] === kb[head + j]
          ? lcs[(i + 1) * w + j + 1]! + 1
          : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }

  const ops: DiffOp[] = [];
  const equal = (i: number, j: number) =>
    ops.push({ op: 'equal', oldText: a[i]!.text, newText: b[j]!.text, oldStart: a[i]!.start, newStart: b[j]!.start });
  for (let k = 0; k < head; k++) equal(k, k);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ka[head + i] === kb[head + j]) {
      equal(head + i++, head + j++);
    } else if (j === m || (i < n && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
      ops.push({ op: 'delete', oldText: a[head + i]!.text, oldStart: a[head + i]!.start });
      i++;
    } else {
      ops.push({ op: 'insert', newText: b[head + j]!.text, newStart: b[head + j]!.start });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) equal(a.length - tail + k, b.length - tail + k);
  return ops;
}

/** Rows for a two-column view: each stretch of deletions is paired, in order, with the insertions beside it. */
export function sideBySide(ops: readonly DiffOp[]): DiffRow[] {
  const rows: DiffRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const left = removed[k] ?? null;
      const right = added[k] ?? null;
      rows.push({ kind: left === null ? 'added' : right === null ? 'removed' : 'changed', left, right });
    }
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op.op === 'delete') removed.push(op.oldText);
    else if (op.op === 'insert') added.push(op.newText);
    else {
      flush();
      rows.push({ kind: 'same', left: op.oldText, right: op.newText });
    }
  }
  flush();
  return rows;
}
