/**
 * Average-linkage clustering of sparse, unit-length vectors by cosine similarity, made to scale: the hierarchy is
 * built on a bounded sample (nearest-neighbour chain, O(s²) time and one s×s matrix), every other vector joins the
 * nearest centroid when close enough, and what joins nothing is clustered again the same way, a few times at most.
 */
import type { Rng } from '../sampling';
import { shuffle } from '../sampling';

export interface SparseVector {
  /** Feature ids, ascending. */
  idx: Int32Array;
  val: Float32Array;
}

export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  const ai = a.idx;
  const bi = b.idx;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!;
    const y = bi[j]!;
    if (x === y) s += a.val[i++]! * b.val[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/**
 * Average linkage over the given vectors; returns a cluster number per vector (0…k-1). Merging stops at
 * `threshold`: two clusters join only while the mean similarity of their members is at least that. A point whose
 * best link is below the threshold is set aside: under average linkage its best link can only fall as the others
 * merge (the linkage is reducible), so it would never join.
 */
export function averageLinkage(vectors: readonly SparseVector[], threshold: number): Int32Array {
  const n = vectors.length;
  const sim = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = dot(vectors[i]!, vectors[j]!);
      sim[i * n + j] = s;
      sim[j * n + i] = s;
    }
  }
  const size = new Float64Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number) => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  let remaining = n;
  const chain: number[] = [];
  let next = 0;
  while (remaining > 0) {
    if (chain.length === 0) {
      while (!active[next]) next++;
      chain.push(next);
    }
    const a = chain[chain.length - 1]!;
    const prev = chain.length >= 2 ? chain[chain.length - 2] : -1;
    let best = -1;
    let bestSim = -Infinity;
    const row = a * n;
    for (let k = 0; k < n; k++) {
      if (k === a || !active[k]) continue;
      const s = sim[row + k]!;
      if (s > bestSim || (s === bestSim && k === prev)) {
        best = k;
        bestSim = s;
      }
    }
    if (best === -1 || bestSim < threshold) {
      // Nothing will ever be close enough: a finished cluster. The chain below it stays valid.
      active[a] = 0;
      remaining--;
      chain.pop();
      continue;
    }
    if (best !== prev) {
      chain.push(best);
      continue;
    }
    // a and prev are each other's nearest: merge prev into a (Lance–Williams update for average linkage).
    chain.pop();
    chain.pop();
    const sa = size[a]!;
    const sb = size[prev]!;
    const rb = prev * n;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === a || k === prev) continue;
      const s = (sa * sim[row + k]! + sb * sim[rb + k]!) / (sa + sb);
      sim[row + k] = s;
      sim[k * n + a] = s;
    }
    size[a] = sa + sb;
    active[prev] = 0;
    remaining--;
    parent[find(prev)] = find(a);
  }
  const number = new Map<number, number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!number.has(r)) number.set(r, number.size);
    out[i] = number.get(r)!;
  }
  return out;
}

/** Dense centroids (mean direction) of clusters, for assigning the vectors outside the sample. */
export class Centroids {
  readonly rows: Float32Array[] = [];
  constructor(private readonly dim: number) {}
  add(members: readonly SparseVector[]): number {
    const c = new Float32Array(this.dim);
    for (const v of members) for (let i = 0; i < v.idx.length; i++) c[v.idx[i]!]! += v.val[i]!;
    let norm = 0;
    for (let i = 0; i < c.length; i++) norm += c[i]! * c[i]!;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < c.length; i++) c[i]! /= norm;
    this.rows.push(c);
    return this.rows.length - 1;
  }
  similarity(cluster: number, v: SparseVector): number {
    const c = this.rows[cluster]!;
    let s = 0;
    for (let i = 0; i < v.idx.length; i++) s += c[v.idx[i]!]! * v.val[i]!;
    return s;
  }
  nearest(v: SparseVector): { cluster: number; similarity: number } {
    let cluster = -1;
    let similarity = -Infinity;
    for (let k = 0; k < this.rows.length; k++) {
      const s = this.similarity(k, v);
      if (s > similarity) {
        similarity = s;
        cluster = k;
      }
    }
    return { cluster, similarity };
  }
}

export interface ScalableOptions {
  threshold: number;
  /** Similarity to a centroid needed to join it. */
  assignThreshold: number;
  sampleSize: number;
  rounds: number;
  dim: number;
  rng: Rng;
  onProgress?: (share: number) => void;
}

/** Cluster number per vector, -1 for a vector that joined no cluster; clusters numbered in order of creation. */
export function clusterScalable(vectors: readonly SparseVector[], options: ScalableOptions): Int32Array {
  const out = new Int32Array(vectors.length).fill(-1);
  const centroids = new Centroids(options.dim);
  let pending = vectors.map((_, i) => i);
  for (let round = 0; round < options.rounds && pending.length > 1; round++) {
    const sample =
      pending.length <= options.sampleSize ? pending : shuffle(pending, options.rng).slice(0, options.sampleSize);
    const labels = averageLinkage(
      sample.map((i) => vectors[i]!),
      options.threshold,
    );
    const members = new Map<number, number[]>();
    sample.forEach((i, k) => {
      const list = members.get(labels[k]!);
      if (list) list.push(i);
      else members.set(labels[k]!, [i]);
    });
    const firstNew = centroids.rows.length;
    for (const list of members.values()) {
      // A sample point alone forms no theme; it may still join one below.
      if (list.length < 2) continue;
      const c = centroids.add(list.map((i) => vectors[i]!));
      for (const i of list) out[i] = c;
    }
    const still: number[] = [];
    for (const i of pending) {
      if (out[i] !== -1) continue;
      const { cluster, similarity } = centroids.nearest(vectors[i]!);
      if (cluster >= 0 && similarity >= options.assignThreshold) out[i] = cluster;
      else still.push(i);
    }
    options.onProgress?.((round + 1) / options.rounds);
    // Nothing new found: another round would find the same.
    if (centroids.rows.length === firstNew) break;
    pending = still;
  }
  return out;
}
