import { AppError } from './errors';

/**
 * Reproducible randomness (R-ASSESS-3). The seed is published with the sample so anyone can redraw it:
 * seed string → FNV-1a 32-bit hash of its UTF-8 bytes → mulberry32 generator → Fisher–Yates shuffle.
 * All three are short public algorithms, so an auditor can re-implement them in a spreadsheet macro.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(seed)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededRng(seed: string): Rng {
  if (!seed.trim()) throw new AppError('VALIDATION', '随机种子不能为空', { field: 'seed' });
  return mulberry32(hashSeed(seed));
}

/** Returns a shuffled copy; the input is left untouched. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const checkCount = (value: number, what: string) => {
  if (!Number.isInteger(value) || value < 0) {
    throw new AppError('VALIDATION', `${what}应为非负整数`, { field: 'size' });
  }
};

/**
 * Draws `size` items. With `stratifyBy`, `size` is either a total split across strata in proportion
 * to their sizes (largest-remainder method; equal remainders go to the larger stratum, then to the
 * stratum whose name sorts first), or an explicit count per stratum. Strata are drawn in name order
 * from one generator, so the result depends only on the seed and on the order of `items` — callers
 * must pass a canonical order (e.g. by id). The sample is returned in the order of `items`.
 */
export function drawSample<T>(
  items: readonly T[],
  size: number | Readonly<Record<string, number>>,
  seed: string,
  stratifyBy?: (item: T) => string,
): T[] {
  const rng = seededRng(seed);
  if (!stratifyBy) {
    if (typeof size !== 'number') {
      throw new AppError('VALIDATION', '按类别指定抽样人数时须指定分层依据', { field: 'size' });
    }
    checkCount(size, '抽样人数');
    if (size > items.length) {
      throw new AppError('VALIDATION', `抽样人数（${size}）超过候选人数（${items.length}）`, { field: 'size' });
    }
    return pick(
      items,
      shuffle(
        items.map((_, i) => i),
        rng,
      ).slice(0, size),
    );
  }

  const strata = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = stratifyBy(item);
    strata.set(key, [...(strata.get(key) ?? []), i]);
  });
  const keys = [...new Set([...strata.keys(), ...(typeof size === 'number' ? [] : Object.keys(size))])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const counts = typeof size === 'number' ? proportional(keys, strata, size, items.length) : size;
  const chosen: number[] = [];
  for (const key of keys) {
    const members = strata.get(key) ?? [];
    const want = counts[key] ?? 0;
    checkCount(want, `「${key}」抽样人数`);
    if (want > members.length) {
      throw new AppError('VALIDATION', `「${key}」抽样人数（${want}）超过候选人数（${members.length}）`, {
        field: 'size',
      });
    }
    chosen.push(...shuffle(members, rng).slice(0, want));
  }
  return pick(items, chosen);
}

function proportional(keys: string[], strata: Map<string, number[]>, total: number, n: number) {
  checkCount(total, '抽样人数');
  if (total > n) throw new AppError('VALIDATION', `抽样人数（${total}）超过候选人数（${n}）`, { field: 'size' });
  const sizeOf = (key: string) => strata.get(key)?.length ?? 0;
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = Math.floor((total * sizeOf(key)) / n);
  const left = total - keys.reduce((sum, key) => sum + counts[key]!, 0);
  const byRemainder = [...keys].sort(
    (a, b) => ((total * sizeOf(b)) % n) - ((total * sizeOf(a)) % n) || sizeOf(b) - sizeOf(a),
  );
  for (const key of byRemainder.slice(0, left)) counts[key]! += 1;
  return counts;
}

const pick = <T>(items: readonly T[], indices: number[]): T[] => {
  const set = new Set(indices);
  return items.filter((_, i) => set.has(i));
};
