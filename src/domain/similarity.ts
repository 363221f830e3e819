/**
 * Near-copy detection between reports (照搬照抄: last year's report, or another organization's).
 * A report is the set of its character 3-grams (shingles) after dropping spaces and punctuation;
 * two reports are as similar as the Jaccard index of those sets.
 *
 * The server stores a MinHash signature per report, so a new report is compared with hundreds of
 * others without reading their text. Signatures use one-permutation hashing with optimal
 * densification (Shrivastava, ICML 2017): one hash per shingle instead of k, which keeps a
 * 5,000-character report under a millisecond. The seeds are fixed: stored signatures stay
 * comparable with new ones, so changing SEED or the shingle rule means recomputing every signature.
 */
import { invalid } from './errors';

export const DEFAULT_SIGNATURE_SIZE = 128;
const SHINGLE = 3;
const SEED = 0x5eed_2019;
const EMPTY = 0xffffffff;
/** A candidate whose estimate is this close below the threshold is worth an exact look when its text is at hand. */
const ESTIMATE_MARGIN = 0.15;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
/** MurmurHash3's finalizer: a bijection on 32 bits that spreads every input bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
function mix(h: number, k: number): number {
  k = Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  return (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
}

// Which code points take part in shingles: letters and digits. Classified once each, as the regex is slow per character.
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const keptBmp = new Uint8Array(0x10000).fill(2);
function isKept(cp: number): boolean {
  if (cp >= 0x10000) return LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
  if (keptBmp[cp] === 2) keptBmp[cp] = LETTER_OR_DIGIT.test(String.fromCharCode(cp)) ? 1 : 0;
  return keptBmp[cp] === 1;
}

/** A text's shingles as sorted, distinct hashes; make it once to compare one text with many. */
export interface ShingleSet {
  readonly hashes: Uint32Array;
}

/** The text's 3-gram shingles. Case, width, spaces and punctuation do not count. */
export function shingleSet(text: string): ShingleSet {
  const s = text.normalize('NFKC').toLowerCase();
  const hashes = new Uint32Array(s.length);
  let n = 0;
  let kept = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    if (!isKept(cp)) continue;
    if (++kept >= SHINGLE) hashes[n++] = fmix32(mix(mix(mix(SEED, a), b), cp) ^ SHINGLE);
    a = b;
    b = cp;
  }
  const sorted = hashes.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
  return { hashes: sorted.subarray(0, distinct) };
}

const setOf = (x: string | ShingleSet) => (typeof x === 'string' ? shingleSet(x) : x);

/** Exact Jaccard index of two texts' shingle sets (0 when either has no shingle). */
export function exactJaccard(x: string | ShingleSet, y: string | ShingleSet): number {
  const a = setOf(x).hashes;
  const b = setOf(y).hashes;
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

function signatureOf(hashes: Uint32Array, k: number): Uint32Array {
  const sig = new Uint32Array(k).fill(EMPTY);
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i]!;
    const bin = Math.floor((h * k) / 0x1_0000_0000);
    // EMPTY marks an empty bin, so a shingle hashing to it is kept one below.
    const v = h === EMPTY ? EMPTY - 1 : h;
    if (v < sig[bin]!) sig[bin] = v;
  }
  if (hashes.length === 0) return sig;
  // Each empty bin borrows from a filled one chosen by a sequence fixed per bin, so two similar
  // texts borrow alike and the share of equal bins still estimates their Jaccard index.
  const filled = sig.slice();
  for (let i = 0; i < k; i++) {
    if (filled[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = attempt <= 4 * k ? fmix32(mix(mix(SEED, i), attempt)) % k : (i + attempt) % k;
      if (filled[j] !== EMPTY) {
        sig[i] = filled[j]!;
        break;
      }
    }
  }
  return sig;
}

function checkSize(k: number) {
  if (!Number.isInteger(k) || k < 16 || k > 4096)
    throw invalid('signatureSize', '相似度特征值长度应为16到4096之间的整数');
}

/** MinHash signature of a text's shingle set; all bins are EMPTY (0xffffffff) when the text has no shingle. */
export function minhashSignature(text: string | ShingleSet, k = DEFAULT_SIGNATURE_SIZE): Uint32Array {
  checkSize(k);
  return signatureOf(setOf(text).hashes, k);
}

/** Estimated Jaccard index: the share of equal bins. 0 when either text had no shingle. */
export function estimateJaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw invalid('signature', '相似度特征值长度不一致，无法比较');
  if (a.length === 0 || a[0] === EMPTY || b[0] === EMPTY) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

export interface SimilarityCandidate {
  id: string;
  /** Shown to people, e.g. the organization's name. */
  label?: string;
  signature: ArrayLike<number>;
  /** When given, a likely match is confirmed with the exact Jaccard index. */
  text?: string;
}

export interface NearCopy {
  id: string;
  label?: string;
  estimate: number;
  /** Exact Jaccard index, when the candidate's text was given. */
  jaccard: number | null;
}

/**
 * Candidates whose similarity to `target` reaches `threshold`, most similar first. Similarity is the
 * exact Jaccard index where the candidate's text is given, the MinHash estimate otherwise.
 */
export function findNearCopies(
  target: string | ShingleSet,
  candidates: readonly SimilarityCandidate[],
  threshold: number,
): NearCopy[] {
  if (!(threshold > 0 && threshold <= 1)) throw invalid('similarityThreshold', '相似度阈值应大于0且不超过1');
  if (candidates.length === 0) return [];
  const k = candidates[0]!.signature.length;
  checkSize(k);
  const shingles = setOf(target);
  const sig = signatureOf(shingles.hashes, k);
  const found: NearCopy[] = [];
  for (const c of candidates) {
    if (c.signature.length !== k) {
      throw invalid('otherReports', `比对报告「${c.label ?? c.id}」的相似度特征值长度不正确`);
    }
    const estimate = estimateJaccard(sig, c.signature);
    if (c.text !== undefined && estimate >= threshold - ESTIMATE_MARGIN) {
      const jaccard = exactJaccard(shingles, c.text);
      if (jaccard >= threshold) found.push({ id: c.id, label: c.label, estimate, jaccard });
    } else if (c.text === undefined && estimate >= threshold) {
      found.push({ id: c.id, label: c.label, estimate, jaccard: null });
    }
  }
  return found.sort((x, y) => (y.jaccard ?? y.estimate) - (x.jaccard ?? x.estimate));
}
