import { AppError } from './errors';
import { GRADE_LABELS, type Grade } from './grades';

/**
 * 平行考核、差额否决 (R-USE-5, 004): party-building and performance are ranked side by side. For N honours
 * the candidates are the best ⌈N × margin⌉ by performance rank (1:1.5 → 3 candidates for 2 honours); among
 * them the party-building result decides (差额否决): a candidate graded 一般 or 差 is vetoed outright, and the
 * honours go to the remaining candidates with the best party-building rank. The party-building composite
 * is converted into the annual performance total at `ratio` percent (e.g. 20 → a composite of 90 adds 18).
 */
export interface ParallelUnit {
  orgId: number;
  name: string;
  /** Party-building composite rank (1 = best) and score and final grade; null when not graded. */
  partyRank: number | null;
  partyScore: number | null;
  grade: Grade | null;
  performanceRank: number | null;
}

export interface ParallelRow extends ParallelUnit {
  converted: number | null;
  candidate: boolean;
  honour: boolean;
  note: string;
}

export interface ParallelOptions {
  honours: number;
  /** 1.5 for 1:1.5 */
  margin: number;
  /** Percent of the party-building composite carried into the performance total. */
  ratio: number;
}

const VETO: readonly Grade[] = ['average', 'poor'];

export function validateParallelOptions(o: ParallelOptions): void {
  if (!Number.isInteger(o.honours) || o.honours < 0)
    throw new AppError('VALIDATION', '评优名额应为不小于0的整数', { field: 'honours' });
  if (!Number.isFinite(o.margin) || o.margin < 1 || o.margin > 5)
    throw new AppError('VALIDATION', '差额比例应在1到5之间（如1.5表示1:1.5）', { field: 'margin' });
  if (!Number.isFinite(o.ratio) || o.ratio < 0 || o.ratio > 100)
    throw new AppError('VALIDATION', '党建得分折算比例应在0到100%之间', { field: 'ratio' });
}

/** Half up to two decimals, as the composite. */
const round2 = (x: number) => Math.round(Number((x * 100).toPrecision(12))) / 100;

export function parallelAssessment(
  units: readonly ParallelUnit[],
  o: ParallelOptions,
): { rows: ParallelRow[]; candidates: number } {
  validateParallelOptions(o);
  // Ceil with a guard against float noise: 2 × 1.5 must give 3, not 3.0000000001 → 4.
  const candidates = Math.ceil(Number((o.honours * o.margin).toPrecision(12)));
  const byPerformance = units
    .filter((u) => u.performanceRank !== null)
    .sort((a, b) => a.performanceRank! - b.performanceRank!);
  const pool = new Set(byPerformance.slice(0, candidates).map((u) => u.orgId));
  const eligible = byPerformance
    .filter((u) => pool.has(u.orgId) && u.grade !== null && !VETO.includes(u.grade) && u.partyRank !== null)
    .sort((a, b) => a.partyRank! - b.partyRank! || a.performanceRank! - b.performanceRank!);
  const honoured = new Set(eligible.slice(0, o.honours).map((u) => u.orgId));
  const rows = units.map((u): ParallelRow => {
    const candidate = pool.has(u.orgId);
    const honour = honoured.has(u.orgId);
    let note = '';
    if (candidate && u.grade && VETO.includes(u.grade)) note = `党建综合评价为“${GRADE_LABELS[u.grade]}”，差额否决`;
    else if (candidate && (u.grade === null || u.partyRank === null)) note = '尚无党建综合评价结果，不能评优';
    else if (candidate && !honour) note = '党建综合排名靠后，差额未入选';
    else if (honour) note = '绩效排名在差额范围内，党建综合排名靠前，可评优';
    return {
      ...u,
      converted: u.partyScore === null ? null : round2((u.partyScore * o.ratio) / 100),
      candidate,
      honour,
      note,
    };
  });
  return { rows, candidates };
}

/** One 差额否决 honour of a campaign (004: 年度目标考核先进单位, 主要负责人…年度考核优秀, 七一表彰), with its places. */
export interface Honour {
  key: string;
  label: string;
  places: number;
  /** 1.5 for 1:1.5 */
  margin: number;
}

export interface HonourOutcome {
  candidate: boolean;
  honour: boolean;
  note: string;
}

/**
 * Every honour of the campaign (R-USE-5), each with its own places and margin over the same performance ranking:
 * a unit may be a candidate for one honour and not for another with fewer places.
 */
export function parallelHonours(units: readonly ParallelUnit[], o: { ratio: number; honours: readonly Honour[] }) {
  const seen = new Set<string>();
  for (const h of o.honours) {
    if (seen.has(h.key)) throw new AppError('VALIDATION', `差额否决事项「${h.label}」重复`, { field: 'honours' });
    seen.add(h.key);
  }
  const each = o.honours.map((h) => {
    const { rows, candidates } = parallelAssessment(units, { honours: h.places, margin: h.margin, ratio: o.ratio });
    return { honour: h, candidates, byOrg: new Map(rows.map((r) => [r.orgId, r])) };
  });
  const converted = parallelAssessment(units, { honours: 0, margin: 1.5, ratio: o.ratio }).rows;
  return {
    honours: each.map((e) => ({ ...e.honour, candidates: e.candidates })),
    rows: converted.map((r) => ({
      orgId: r.orgId,
      name: r.name,
      partyRank: r.partyRank,
      partyScore: r.partyScore,
      grade: r.grade,
      performanceRank: r.performanceRank,
      converted: r.converted,
      honours: Object.fromEntries(
        each.map((e): [string, HonourOutcome] => {
          const x = e.byOrg.get(r.orgId)!;
          return [e.honour.key, { candidate: x.candidate, honour: x.honour, note: x.note }];
        }),
      ),
    })),
  };
}

/**
 * The performance ranks of an imported sheet: as given when every row has one; from the scores (highest first,
 * competition ranking: 1, 2, 2, 4) when no row has one; refused when some rows have a rank and others not, since
 * the two cannot be put on one scale.
 */
export function performanceRanks(rows: readonly { score: number | null; rank: number | null }[]): {
  ranks: number[];
  fromScores: boolean;
} {
  const withRank = rows.filter((r) => r.rank !== null).length;
  if (withRank === rows.length) return { ranks: rows.map((r) => r.rank!), fromScores: false };
  if (withRank > 0) {
    throw new AppError(
      'PERFORMANCE_RANKS_PARTIAL',
      `有${withRank}行填写了绩效排名、${rows.length - withRank}行未填写：请全部填写绩效排名，或全部留空由系统按绩效得分排名`,
      { field: 'file' },
    );
  }
  if (rows.some((r) => r.score === null)) {
    throw new AppError('PERFORMANCE_NO_SCORES', '未填写绩效排名时，每一行都须填写绩效得分，系统据此排名', {
      field: 'file',
    });
  }
  const scores = rows.map((r) => r.score!);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const ranks = new Array<number>(rows.length);
  order.forEach((i, pos) => {
    ranks[i] = pos > 0 && scores[order[pos - 1]!] === scores[i] ? ranks[order[pos - 1]!]! : pos + 1;
  });
  return { ranks, fromScores: true };
}
