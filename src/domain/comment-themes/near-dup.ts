import { exactJaccard, minhashSignature, shingleSet, type ShingleSet } from '../similarity';
import { copyKey } from './text';

/** Comments at least this alike (Jaccard of character 3-grams) are one text copied with small edits. */
export const NEAR_DUP_JACCARD = 0.7;
/** A group of copies is flagged as possible 串通/刷票 from this many comments and this many characters. */
export const SUSPICIOUS_COPIES = 3;
export const SUSPICIOUS_MIN_CHARS = 10;

const BANDS = 8;
const ROWS = 4;
/** Bucket members a newcomer is checked against: a huge bucket is one text repeated, so a few suffice. */
const BUCKET_CHECKS = 12;

class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }
  union(a: number, b: number) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}
export { UnionFind };

/**
 * Groups near-identical texts: exact copies by their letters and digits, then copies with a word or a punctuation
 * mark changed by MinHash with banded locality-sensitive hashing (8 bands of 4 rows: a pair at Jaccard 0.8 becomes a
 * candidate with probability 0.985), each candidate confirmed on the exact Jaccard index. Linear in the number of
 * texts. Returns, for each text, the index of its group's first text.
 */
export function nearDuplicateGroups(texts: readonly string[]): Int32Array {
  const n = texts.length;
  const uf = new UnionFind(n);
  const firstByKey = new Map<string, number>();
  const uniques: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = copyKey(texts[i]!);
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, i);
      uniques.push(i);
    } else uf.union(first, i);
  }
  const sets = new Map<number, ShingleSet>();
  const buckets = new Map<string, number[]>();
  for (const i of uniques) {
    const set = shingleSet(texts[i]!);
    // Below 4 shingles a changed character is a different short text ("党课少" / "党费少"), not a copy.
    if (set.hashes.length < 4) continue;
    sets.set(i, set);
    const sig = minhashSignature(set, BANDS * ROWS);
    for (let b = 0; b < BANDS; b++) {
      let key = `${b}`;
      for (let r = 0; r < ROWS; r++) key += `:${sig[b * ROWS + r]}`;
      const bucket = buckets.get(key);
      if (!bucket) {
        buckets.set(key, [i]);
        continue;
      }
      for (let c = 0; c < Math.min(bucket.length, BUCKET_CHECKS); c++) {
        const j = bucket[c]!;
        if (uf.find(i) !== uf.find(j) && exactJaccard(set, sets.get(j)!) >= NEAR_DUP_JACCARD) uf.union(i, j);
      }
      if (bucket.length < BUCKET_CHECKS) bucket.push(i);
    }
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = uf.find(i);
  return out;
}

/** Whether a group of copies looks like one text handed round (串通/刷票) rather than people agreeing in few words. */
export const isSuspiciousCopy = (count: number, text: string) =>
  count >= SUSPICIOUS_COPIES && copyKey(text).length >= SUSPICIOUS_MIN_CHARS;
