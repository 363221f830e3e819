/** Scores of a clustering against a labelled set (used by the bench and the tests). */

/** Share of items whose cluster's majority label is their own label. */
export function purity(predicted: readonly (string | number)[], gold: readonly string[]): number {
  const byCluster = new Map<string | number, Map<string, number>>();
  predicted.forEach((p, i) => {
    const m = byCluster.get(p) ?? new Map<string, number>();
    m.set(gold[i]!, (m.get(gold[i]!) ?? 0) + 1);
    byCluster.set(p, m);
  });
  let right = 0;
  for (const m of byCluster.values()) right += Math.max(...m.values());
  return gold.length === 0 ? 1 : right / gold.length;
}

const pairs = (x: number) => (x * (x - 1)) / 2;

/** Adjusted Rand index (Hubert & Arabie): 1 for identical partitions, about 0 for chance. */
export function adjustedRand(predicted: readonly (string | number)[], gold: readonly string[]): number {
  const table = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string, number>();
  predicted.forEach((p, i) => {
    const key = `${p}\u0000${gold[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(p, (rows.get(p) ?? 0) + 1);
    cols.set(gold[i]!, (cols.get(gold[i]!) ?? 0) + 1);
  });
  const index = [...table.values()].reduce((s, v) => s + pairs(v), 0);
  const a = [...rows.values()].reduce((s, v) => s + pairs(v), 0);
  const b = [...cols.values()].reduce((s, v) => s + pairs(v), 0);
  const expected = (a * b) / pairs(gold.length);
  const max = (a + b) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Share of the gold (comment, tag) pairs that the tagger found. */
export function tagRecall(predicted: readonly (readonly string[])[], gold: readonly (readonly string[])[]): number {
  let found = 0;
  let all = 0;
  gold.forEach((tags, i) => {
    for (const t of tags) {
      all++;
      if (predicted[i]!.includes(t)) found++;
    }
  });
  return all === 0 ? 1 : found / all;
}

export function tagPrecision(predicted: readonly (readonly string[])[], gold: readonly (readonly string[])[]): number {
  let right = 0;
  let all = 0;
  predicted.forEach((tags, i) => {
    for (const t of tags) {
      all++;
      if (gold[i]!.includes(t)) right++;
    }
  });
  return all === 0 ? 1 : right / all;
}
