import { AppError } from './errors';
import { GRADE_LABELS, GRADES, type Grade } from './grades';

/** Composite score and ranking (R-GRADE-1, 004 四(一)): weighted components, each scored 0–100. */

export const COMPONENTS = ['ballots', 'field', 'survey', 'daily', 'report'] as const;
export type Component = (typeof COMPONENTS)[number];

export const COMPONENT_LABELS: Record<Component, string> = {
  ballots: '测评得分',
  field: '实地考核',
  survey: '满意度',
  daily: '平时掌握',
  report: '述职评议',
};

/** Percentages, e.g. { ballots: 40, field: 30, survey: 20, daily: 10 }. */
export type Weights = Partial<Record<Component, number>>;

export const DEFAULT_GRADE_POINTS: Record<Grade, number> = { good: 100, fair: 80, average: 60, poor: 0 };

const bad = (field: string, message: string) => new AppError('VALIDATION', message, { field });

/**
 * Half up to `decimals` decimals; the 12-digit pass first drops float noise such as 100.49999999999999. That pass moves
 * x·10^decimals by at most 5·10^-12 of itself, so it can only change the result near a half: elsewhere it is skipped
 * (the recompute rounds 1,500,000 values of a province; toPrecision cost it 1.5 s). composite.test.ts checks the
 * shortcut against the full pass.
 */
export function roundHalfUp(x: number, decimals: number): number {
  const scale = 10 ** decimals;
  const y = x * scale;
  if (Math.abs(y - Math.floor(y) - 0.5) > 1e-9 * Math.max(1, Math.abs(y))) return Math.round(y) / scale;
  return Math.round(Number(y.toPrecision(12))) / scale;
}

/** Half up to two decimals (roundHalfUp). */
export const round2 = (x: number): number => roundHalfUp(x, 2);
const shown = (x: number) => String(round2(x));

function checkPercentages(weights: Readonly<Record<string, number | undefined>>, field: string, what: string) {
  let sum = 0;
  for (const [key, w] of Object.entries(weights)) {
    if (w === undefined) continue;
    if (!Number.isFinite(w) || w < 0) throw bad(field, `${what}「${key}」应为不小于0的数`);
    sum += w;
  }
  // Tolerance only for decimal weights such as 33.3 + 33.3 + 33.4 that do not add exactly in floats.
  if (Math.abs(sum - 100) > 1e-9) throw bad(field, `${what}之和应为100%，当前为${shown(sum)}%`);
}

export function validateWeights(weights: Weights): void {
  for (const key of Object.keys(weights)) {
    if (!COMPONENTS.includes(key as Component)) throw bad('weights', `综合评价权重中有未知的评价项「${key}」`);
  }
  const labelled = Object.fromEntries(Object.entries(weights).map(([k, w]) => [COMPONENT_LABELS[k as Component], w]));
  checkPercentages(labelled, 'weights', '综合评价权重');
}

export interface BallotScoreOptions {
  gradePoints?: Record<Grade, number>;
  /** Percentages per evaluator category summing to 100; without them every valid ballot counts the same. */
  categoryWeights?: Readonly<Record<string, number>>;
}

/**
 * Average grade points of the valid ballots. With category weights, each category's average is weighted;
 * a category without valid ballots drops out and the remaining weights are scaled back up to 100%.
 * Returns null when there is no valid ballot at all.
 */
export function ballotScore(
  byCategory: ReadonlyArray<{ category: string; counts: Record<Grade, number> }>,
  options: BallotScoreOptions = {},
): number | null {
  const points = options.gradePoints ?? DEFAULT_GRADE_POINTS;
  for (const g of GRADES) {
    const p = points[g];
    if (!Number.isFinite(p) || p < 0 || p > 100)
      throw bad('gradePoints', `等次分值「${GRADE_LABELS[g]}」应在0到100之间`);
  }
  const groups = byCategory
    .map(({ category, counts }) => {
      const valid = GRADES.reduce((s, g) => s + counts[g], 0);
      return { category, valid, total: GRADES.reduce((s, g) => s + counts[g] * points[g], 0) };
    })
    .filter((g) => g.valid > 0);
  if (groups.length === 0) return null;
  const weights = options.categoryWeights;
  if (!weights) {
    return round2(groups.reduce((s, g) => s + g.total, 0) / groups.reduce((s, g) => s + g.valid, 0));
  }
  checkPercentages(weights, 'categoryWeights', '评议人类别权重');
  for (const g of groups) {
    if (weights[g.category] === undefined) throw bad('categoryWeights', `评议人类别「${g.category}」未设置权重`);
  }
  const score = weightedBallotMean(
    groups.map((g) => g.total),
    groups.map((g) => g.valid),
    groups.map((g) => weights[g.category]!),
  );
  if (Number.isNaN(score)) throw bad('categoryWeights', '有测评票的评议人类别权重均为0，无法计算测评得分');
  return score;
}

/**
 * ballotScore's weighted arithmetic on plain arrays (the recompute of 300,000 reporters calls it per reporter, so the
 * stored score is this code's, not a copy of it): Σ total/valid × weight over the categories with valid ballots,
 * divided by their weights. null without any valid ballot; NaN when those categories all weigh 0.
 */
export function weightedBallotMean(
  totals: ArrayLike<number>,
  valids: ArrayLike<number>,
  weights: ArrayLike<number>,
): number | null {
  let present = 0;
  let any = false;
  for (let k = 0; k < valids.length; k++) {
    if (valids[k]! > 0) {
      any = true;
      present += weights[k]!;
    }
  }
  if (!any) return null;
  if (present === 0) return Number.NaN;
  let sum = 0;
  for (let k = 0; k < valids.length; k++) if (valids[k]! > 0) sum += (totals[k]! / valids[k]!) * weights[k]!;
  return round2(sum / present);
}

export interface CompositeResult {
  /** Rounded half up to two decimals; ranking compares these rounded values. */
  score: number;
  /** "综合得分 = 测评得分×40% + 实地考核×30% + … = 92×40% + 88×30% + … = 89.9". */
  formula: string;
  missing: Component[];
  /** Present when a component is missing: how the weights were rescaled. */
  note: string | null;
}

/**
 * A missing component (null or absent score) is left out and the remaining weights are scaled in
 * proportion back to 100%, so a reporter is neither rewarded nor punished for an assessment that did
 * not take place; the note says so next to the score.
 */
export function compositeScore(scores: Partial<Record<Component, number | null>>, weights: Weights): CompositeResult {
  validateWeights(weights);
  for (const [key, s] of Object.entries(scores)) {
    const label = COMPONENT_LABELS[key as Component] ?? key;
    if (s === null || s === undefined) continue;
    if (!(key in weights)) throw bad('scores', `「${label}」未设置权重`);
    if (!Number.isFinite(s) || s < 0 || s > 100) throw bad('scores', `「${label}」得分应在0到100之间`);
  }
  const weighted = COMPONENTS.filter((c) => (weights[c] ?? 0) > 0);
  const present = weighted.filter((c) => scores[c] !== null && scores[c] !== undefined);
  const missing = weighted.filter((c) => !present.includes(c));
  if (present.length === 0) throw bad('scores', '各项得分均缺失，无法计算综合得分');
  const presentWeight = present.reduce((s, c) => s + weights[c]!, 0);
  const effective = (c: Component) => (weights[c]! * 100) / presentWeight;
  const score = compositeValue(scores, weights)!;
  const terms = present.map((c) => `${COMPONENT_LABELS[c]}×${shown(effective(c))}%`).join(' + ');
  const values = present.map((c) => `${shown(scores[c]!)}×${shown(effective(c))}%`).join(' + ');
  const note = missing.length
    ? `${missing.map((c) => COMPONENT_LABELS[c]).join('、')}得分缺失，其余各项权重按原比例折算为合计100%（${present
        .map((c) => `${COMPONENT_LABELS[c]}${shown(weights[c]!)}%→${shown(effective(c))}%`)
        .join('，')}）`
    : null;
  return { score, formula: `综合得分 = ${terms} = ${values} = ${shown(score)}`, missing, note };
}

/**
 * compositeScore's arithmetic without its checks and texts (the recompute calls it per reporter): the weighted
 * components present, their weights rescaled to 100 %, rounded half up to two decimals; null when none is present.
 */
export function compositeValue(scores: Partial<Record<Component, number | null>>, weights: Weights): number | null {
  let presentWeight = 0;
  for (const c of COMPONENTS) {
    const w = weights[c] ?? 0;
    if (w > 0 && scores[c] !== null && scores[c] !== undefined) presentWeight += w;
  }
  if (presentWeight === 0) return null;
  let sum = 0;
  for (const c of COMPONENTS) {
    const w = weights[c] ?? 0;
    if (w > 0 && scores[c] !== null && scores[c] !== undefined) sum += (scores[c]! * ((w * 100) / presentWeight)) / 100;
  }
  return round2(sum);
}

export interface Ranked<T> {
  item: T;
  /** Competition ranking: 1, 2, 2, 4. */
  rank: number;
  /** The same within the item's group (e.g. sector); null without grouping. */
  groupRank: number | null;
}

export interface RankOptions<T> {
  /** Compared in order when the main key ties, higher first (e.g. 测评得分, then 实地考核). */
  tieBreakers?: ReadonlyArray<(item: T) => number>;
  groupOf?: (item: T) => string;
}

/**
 * Higher is better. Items equal on the key and every tie-breaker share a rank and the next rank is
 * skipped; among them the input order is kept.
 */
export function rank<T>(items: readonly T[], key: (item: T) => number, options: RankOptions<T> = {}): Ranked<T>[] {
  const keys = [key, ...(options.tieBreakers ?? [])];
  const rows = items.map((item) => {
    const values = keys.map((k) => k(item));
    if (!values.every(Number.isFinite)) throw bad('score', '排名依据的得分不是有效数字');
    return { item, values };
  });
  const cmp = (a: (typeof rows)[number], b: (typeof rows)[number]) => {
    for (let i = 0; i < keys.length; i++) if (a.values[i] !== b.values[i]) return b.values[i]! - a.values[i]!;
    return 0;
  };
  const sorted = [...rows].sort(cmp);
  const competition = (list: typeof rows) => {
    const ranks = new Map<(typeof rows)[number], number>();
    list.forEach((row, i) => ranks.set(row, i > 0 && cmp(list[i - 1]!, row) === 0 ? ranks.get(list[i - 1]!)! : i + 1));
    return ranks;
  };
  const overall = competition(sorted);
  const inGroup = new Map<(typeof rows)[number], number>();
  if (options.groupOf) {
    const groups = new Map<string, typeof rows>();
    for (const row of sorted) {
      const g = options.groupOf(row.item);
      // push, not a spread copy per row: a province ranks 300,000 reporters in a handful of sectors.
      const list = groups.get(g);
      if (list) list.push(row);
      else groups.set(g, [row]);
    }
    for (const list of groups.values()) for (const [row, r] of competition(list)) inGroup.set(row, r);
  }
  return sorted.map((row) => ({ item: row.item, rank: overall.get(row)!, groupRank: inGroup.get(row) ?? null }));
}

/**
 * rank() for a whole campaign at once, on plain arrays (the recompute of 300,000 reporters): scores[i] (null: not
 * ranked) ranked highest first with competition ranking, overall and within groups[i]. Equal to rank() without
 * tie-breakers (composite.test.ts compares them); scores are the composites rounded to two decimals, so equal
 * displayed scores are equal numbers.
 */
export function competitionRanks(scores: ReadonlyArray<number | null>, groups?: ArrayLike<number>) {
  const n = scores.length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s !== null && s !== undefined) {
      if (!Number.isFinite(s)) throw bad('score', '排名依据的得分不是有效数字');
      order.push(i);
    }
  }
  // Stable: equal scores keep the input order, as rank() does.
  order.sort((a, b) => scores[b]! - scores[a]!);
  const rank: Array<number | null> = new Array(n).fill(null);
  const groupRank: Array<number | null> = new Array(n).fill(null);
  const seen = new Map<number, { count: number; last: number; lastRank: number }>();
  order.forEach((i, pos) => {
    const prev = pos > 0 ? order[pos - 1]! : -1;
    rank[i] = prev >= 0 && scores[prev] === scores[i] ? rank[prev]! : pos + 1;
    if (groups) {
      const g = groups[i]!;
      const st = seen.get(g);
      if (!st) seen.set(g, { count: 1, last: i, lastRank: (groupRank[i] = 1) });
      else {
        st.count += 1;
        groupRank[i] = scores[st.last] === scores[i] ? st.lastRank : st.count;
        st.last = i;
        st.lastRank = groupRank[i]!;
      }
    }
  });
  /** order: the ranked positions, best first (equal scores in input order). */
  return { rank, groupRank, order };
}

/** The tie rule in words, for the note under a ranking table. */
export function rankNote(tieBreakerLabels: readonly string[] = []): string {
  const then = tieBreakerLabels.length ? `；得分相同的依次比较${tieBreakerLabels.join('、')}` : '';
  return `注：按综合得分（保留两位小数）从高到低排名${then}；仍相同的并列，其后名次顺延（如1、2、2、4）。`;
}

/**
 * The two ballot scores people see, and how each is computed: the 测评结果 page's mean of every valid ballot (each
 * ballot counts the same), and the 综合评价's 测评得分, where each evaluator category's mean is weighted (R-GRADE-1).
 * With unequal groups they differ (97.33 vs 97.2), so both pages print both formulas.
 */
export function ballotScoreFormulas(
  points: Record<Grade, number>,
  categories: readonly { label: string; weight: number }[],
) {
  const pts = GRADES.map((g) => `${GRADE_LABELS[g]}${points[g]}分`).join('、');
  const weights = categories
    .filter((c) => c.weight > 0)
    .map((c) => `${c.label}${c.weight}%`)
    .join('、');
  return {
    unweighted: `测评结果页的“平均分”＝各等次票数×等次分值之和÷有效票数，每张有效票同等计算，不区分参评人员类别（${pts}）。`,
    weighted:
      `综合评价的“测评得分”＝各参评人员类别平均分×类别权重之和÷有有效票类别的权重之和（${weights}；${pts}）。` +
      '各类别人数不同时，与测评结果页不分类别的“平均分”会有差异。',
  };
}
