/**
 * Themes of free-text comments (R-VOTE-6): ballots' 问题/建议, survey remarks, 点评 and field notes, grouped into
 * themes with a label made of the comments' own keywords, a count, representative quotes and keyword tags; "无/继续
 * 保持" comments counted apart; copy-paste groups flagged. Pure: the caller passes the segmenter and the random source.
 *
 * Method (decision 026): copies are folded first (near-dup.ts), so a text pasted 40 times is one point. Each distinct
 * text becomes a vector of its content words (TF-IDF), the inner character pairs of its longer words (robust to
 * 组织生活会/组织生活) and its keyword tags (so synonyms meet), unit length. Average-linkage cosine clustering runs on a
 * bounded sample; the rest joins the nearest centroid (cluster.ts).
 */
import type { Rng } from '../sampling';
import { shuffle } from '../sampling';
import { clusterScalable, dot, type SparseVector } from './cluster';
import { isSuspiciousCopy, nearDuplicateGroups } from './near-dup';
import { bigramSegment, contentWords, copyKey, isNoProblem, keywordTags, type Segment } from './text';

export interface CommentIn {
  /** The caller's handle for the text (a position in a shuffled list); never a ballot id. */
  id: string;
  text: string;
  /** Whose comment it is about: the reporter, for the per-reporter view. */
  group: string;
}

export interface Theme {
  id: number;
  label: string;
  keywords: string[];
  count: number;
  /** Keyword tags carried by at least a fifth of the theme's comments, most frequent first. */
  tags: Array<{ tag: string; count: number }>;
  /** Up to `quotes` texts close to the theme's centre, no two copies of one text, in random order. */
  quotes: string[];
  /** Comments per group. */
  groups: Record<string, number>;
}

export interface CopyGroup {
  text: string;
  count: number;
  groups: Record<string, number>;
  /** Possible 串通/刷票: the same longer text from several ballots. */
  suspicious: boolean;
}

export interface Analysis {
  total: number;
  noProblem: { count: number; groups: Record<string, number> };
  themes: Theme[];
  /** Comments that fit no theme of two or more (shown as 其他). */
  other: { count: number; quotes: string[]; groups: Record<string, number> };
  copies: CopyGroup[];
  /** Per comment id: its theme id, 0 for other, -1 for no problem; and its tags. */
  assignment: Map<string, { theme: number; tags: string[] }>;
  /** Groups whose comments were left out because they were fewer than the minimum. */
  hiddenGroups: string[];
}

export interface AnalyzeOptions {
  rng: Rng;
  segment?: Segment;
  /** Comments per group below this are not analysed at all (R-VOTE-2: no theme, no quote). */
  minGroup?: number;
  /** How many ballots (not texts) each group had; defaults to its number of comments. */
  groupSizes?: ReadonlyMap<string, number>;
  quotes?: number;
  threshold?: number;
  assignThreshold?: number;
  sampleSize?: number;
  onProgress?: (share: number) => void;
}

export const DEFAULTS = { threshold: 0.12, assignThreshold: 0.12, sampleSize: 700, quotes: 5, rounds: 4 } as const;

const WEIGHT = { word: 1, pair: 0.35, tag: 3 } as const;

const inc = (rec: Record<string, number>, key: string, by = 1) => {
  rec[key] = (rec[key] ?? 0) + by;
};

interface Doc {
  /** Index of the first comment of this distinct text. */
  first: number;
  members: number[];
  words: string[];
  tags: string[];
  features: Map<string, number>;
  vector: SparseVector | null;
}

function featuresOf(words: readonly string[], tags: readonly string[]): Map<string, number> {
  const f = new Map<string, number>();
  const add = (k: string, w: number) => f.set(k, (f.get(k) ?? 0) + w);
  for (const w of words) {
    add(`w:${w}`, WEIGHT.word);
    if (w.length >= 3) for (let i = 0; i + 2 <= w.length; i++) add(`p:${w.slice(i, i + 2)}`, WEIGHT.pair);
  }
  for (const t of tags) add(`t:${t}`, WEIGHT.tag);
  return f;
}

export function analyzeComments(input: readonly CommentIn[], options: AnalyzeOptions): Analysis {
  const segment = options.segment ?? bigramSegment;
  const minGroup = options.minGroup ?? 1;
  const quotesPer = options.quotes ?? DEFAULTS.quotes;
  const perGroup = new Map<string, number>();
  for (const c of input) perGroup.set(c.group, (perGroup.get(c.group) ?? 0) + 1);
  const sizeOf = (g: string) => options.groupSizes?.get(g) ?? perGroup.get(g) ?? 0;
  const hiddenGroups = [...perGroup.keys()].filter((g) => sizeOf(g) < minGroup).sort();
  const hidden = new Set(hiddenGroups);
  const comments = input.filter((c) => !hidden.has(c.group));

  const assignment: Analysis['assignment'] = new Map();
  const noProblem = { count: 0, groups: {} as Record<string, number> };
  const specific: CommentIn[] = [];
  for (const c of comments) {
    if (isNoProblem(c.text)) {
      noProblem.count++;
      inc(noProblem.groups, c.group);
      assignment.set(c.id, { theme: -1, tags: [] });
    } else specific.push(c);
  }

  // Copies are one point for clustering and one entry in the copy list.
  const groupOf = nearDuplicateGroups(specific.map((c) => c.text));
  const docByFirst = new Map<number, Doc>();
  const docs: Doc[] = [];
  for (let i = 0; i < specific.length; i++) {
    const first = groupOf[i]!;
    let doc = docByFirst.get(first);
    if (!doc) {
      const words = contentWords(specific[first]!.text, segment);
      const tags = keywordTags(specific[first]!.text);
      doc = { first, members: [], words, tags, features: featuresOf(words, tags), vector: null };
      docByFirst.set(first, doc);
      docs.push(doc);
    }
    doc.members.push(i);
  }
  options.onProgress?.(0.2);

  // IDF over distinct texts; a feature in one text only cannot link two texts and only dilutes the others.
  const df = new Map<string, number>();
  for (const d of docs) for (const k of d.features.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const ids = new Map<string, number>();
  const n = docs.length;
  for (const d of docs) {
    const entries: Array<[number, number]> = [];
    for (const [k, tf] of d.features) {
      const dfk = df.get(k)!;
      if (dfk < 2 || dfk > 0.5 * n) continue;
      let id = ids.get(k);
      if (id === undefined) ids.set(k, (id = ids.size));
      entries.push([id, tf * Math.log((n + 1) / dfk)]);
    }
    if (entries.length === 0) continue;
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((s, [, w]) => s + w * w, 0));
    d.vector = { idx: Int32Array.from(entries, (e) => e[0]), val: Float32Array.from(entries, (e) => e[1] / norm) };
  }

  const withVector = docs.filter((d) => d.vector);
  const labels = clusterScalable(
    withVector.map((d) => d.vector!),
    {
      threshold: options.threshold ?? DEFAULTS.threshold,
      assignThreshold: options.assignThreshold ?? DEFAULTS.assignThreshold,
      sampleSize: options.sampleSize ?? DEFAULTS.sampleSize,
      rounds: DEFAULTS.rounds,
      dim: ids.size,
      rng: options.rng,
      onProgress: (s) => options.onProgress?.(0.2 + 0.6 * s),
    },
  );
  const clusters = new Map<number, Doc[]>();
  withVector.forEach((d, k) => {
    if (labels[k]! < 0) return;
    const list = clusters.get(labels[k]!);
    if (list) list.push(d);
    else clusters.set(labels[k]!, [d]);
  });
  const inCluster = new Set([...clusters.values()].flat());

  const themes: Theme[] = [];
  const other = { count: 0, quotes: [] as string[], groups: {} as Record<string, number> };
  const otherDocs = docs.filter((d) => !inCluster.has(d));
  const sized = [...clusters.values()].map((list) => ({ list, count: list.reduce((s, d) => s + d.members.length, 0) }));
  // A "theme" made of one text and its copies is a copy group, listed as such; it stays among the others.
  for (const { list } of sized) if (list.length < 2) otherDocs.push(...list);
  const kept = sized.filter((c) => c.list.length >= 2).sort((a, b) => b.count - a.count);
  const wordDf = new Map<string, number>();
  for (const d of docs) for (const w of new Set(d.words)) wordDf.set(w, (wordDf.get(w) ?? 0) + d.members.length);
  const totalSpecific = specific.length;

  kept.forEach(({ list, count }, index) => {
    const id = index + 1;
    const keywords = themeKeywords(list, count, wordDf, totalSpecific);
    const tagCount: Record<string, number> = {};
    for (const d of list) for (const t of d.tags) inc(tagCount, t, d.members.length);
    // A label whose first word covers few of the comments says little; the leading tag goes in front of it.
    const coverage = keywords.length
      ? list.filter((d) => d.words.includes(keywords[0]!)).reduce((s, d) => s + d.members.length, 0) / count
      : 0;
    const lead = topTag(tagCount);
    const label =
      keywords.length === 0
        ? (lead ?? '其他')
        : coverage < 0.3 && lead
          ? `${lead}：${keywords.slice(0, 2).join('、')}`
          : keywords.slice(0, 3).join('、');
    const groups: Record<string, number> = {};
    for (const d of list) {
      for (const m of d.members) {
        inc(groups, specific[m]!.group);
        assignment.set(specific[m]!.id, { theme: id, tags: d.tags });
      }
    }
    themes.push({
      id,
      label,
      keywords,
      count,
      tags: Object.entries(tagCount)
        .filter(([, c]) => c >= count / 5)
        .sort((a, b) => b[1] - a[1])
        .map(([tag, c]) => ({ tag, count: c })),
      quotes: pickQuotes(list, specific, quotesPer, options.rng),
      groups,
    });
  });
  for (const d of otherDocs) {
    for (const m of d.members) {
      other.count++;
      inc(other.groups, specific[m]!.group);
      assignment.set(specific[m]!.id, { theme: 0, tags: d.tags });
    }
  }
  other.quotes = shuffle(
    otherDocs.map((d) => specific[d.first]!.text.trim()),
    options.rng,
  ).slice(0, quotesPer);

  const copies: CopyGroup[] = docs
    .filter((d) => d.members.length >= 2)
    .map((d) => {
      const groups: Record<string, number> = {};
      for (const m of d.members) inc(groups, specific[m]!.group);
      const text = specific[d.first]!.text.trim();
      return { text, count: d.members.length, groups, suspicious: isSuspiciousCopy(d.members.length, text) };
    })
    .sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : 1));
  options.onProgress?.(1);
  return { total: comments.length, noProblem, themes, other, copies, assignment, hiddenGroups };
}

const topTag = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1])[0]?.[0];

/**
 * Words that say what the theme is: frequent in it, rare elsewhere (share in the theme × log of how much rarer they
 * are outside), a word inside an already chosen one skipped.
 */
function themeKeywords(list: readonly Doc[], count: number, wordDf: Map<string, number>, total: number): string[] {
  const inTheme = new Map<string, number>();
  for (const d of list) for (const w of new Set(d.words)) inTheme.set(w, (inTheme.get(w) ?? 0) + d.members.length);
  const scored = [...inTheme]
    .filter(([, c]) => c >= Math.max(2, count * 0.12))
    .map(([w, c]) => {
      const share = c / count;
      const outside = (wordDf.get(w)! - c + 1) / (total - count + 1);
      return { w, score: share * Math.log((share + 0.01) / (outside + 0.01)) * (1 + Math.min(w.length, 4) / 8) };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || (a.w < b.w ? -1 : 1));
  const chosen: string[] = [];
  for (const { w } of scored) {
    if (chosen.some((c) => c.includes(w) || w.includes(c))) continue;
    chosen.push(w);
    if (chosen.length === 5) break;
  }
  return chosen;
}

/** The texts nearest the theme's centre, one per copy group, then shuffled so their order says nothing. */
function pickQuotes(list: readonly Doc[], specific: readonly CommentIn[], k: number, rng: Rng): string[] {
  const dim = new Map<number, number>();
  for (const d of list)
    for (let i = 0; i < d.vector!.idx.length; i++)
      dim.set(d.vector!.idx[i]!, (dim.get(d.vector!.idx[i]!) ?? 0) + d.vector!.val[i]!);
  const keys = [...dim.keys()].sort((a, b) => a - b);
  const centre: SparseVector = { idx: Int32Array.from(keys), val: Float32Array.from(keys, (i) => dim.get(i)!) };
  const near = list
    .map((d) => ({ d, s: dot(d.vector!, centre) }))
    .sort((a, b) => b.s - a.s || (copyKey(specific[a.d.first]!.text) < copyKey(specific[b.d.first]!.text) ? -1 : 1))
    .slice(0, k)
    .map(({ d }) => specific[d.first]!.text.trim());
  return shuffle(near, rng);
}

/** One group's share of an analysis (the per-reporter view): its themes with its own counts and its own quotes. */
export function groupView(
  analysis: Analysis,
  comments: readonly CommentIn[],
  group: string,
  options: { rng: Rng; quotes?: number; segment?: Segment },
) {
  if (analysis.hiddenGroups.includes(group)) return { hidden: true as const };
  const k = options.quotes ?? DEFAULTS.quotes;
  const mine = comments.filter((c) => c.group === group);
  const byTheme = new Map<number, CommentIn[]>();
  const tags: Record<string, number> = {};
  for (const c of mine) {
    const a = analysis.assignment.get(c.id);
    if (!a) continue;
    const list = byTheme.get(a.theme);
    if (list) list.push(c);
    else byTheme.set(a.theme, [c]);
    for (const t of a.tags) inc(tags, t);
  }
  const quotesOf = (list: CommentIn[]) => {
    const seen = new Set<string>();
    const distinct = list.filter((c) => !seen.has(copyKey(c.text)) && seen.add(copyKey(c.text)));
    return shuffle(
      distinct.map((c) => c.text.trim()),
      options.rng,
    ).slice(0, k);
  };
  const themes = analysis.themes
    .filter((t) => byTheme.has(t.id))
    .map((t) => ({
      id: t.id,
      label: t.label,
      keywords: t.keywords,
      tags: t.tags,
      count: byTheme.get(t.id)!.length,
      quotes: quotesOf(byTheme.get(t.id)!),
    }))
    .sort((a, b) => b.count - a.count || a.id - b.id);
  return {
    hidden: false as const,
    total: mine.length,
    noProblem: byTheme.get(-1)?.length ?? 0,
    themes,
    other: { count: byTheme.get(0)?.length ?? 0, quotes: quotesOf(byTheme.get(0) ?? []) },
    tags: Object.entries(tags)
      .sort((a, b) => b[1] - a[1])
      .map(([tag, count]) => ({ tag, count })),
    copies: analysis.copies
      .filter((c) => (c.groups[group] ?? 0) >= 2)
      .map((c) => ({
        text: c.text,
        count: c.groups[group] ?? 0,
        suspicious: isSuspiciousCopy(c.groups[group]!, c.text),
      })),
  };
}
