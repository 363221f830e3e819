import { AppError } from './errors';
import { GRADES, type Grade } from './grades';
import { shuffle, type Rng } from './sampling';

/** Counting ballots (R-VOTE-1, R-VOTE-5) for the 测评结果 table of FORMATS.md. */

export interface BallotInput {
  reporterId: string;
  /** null for an invalid form: no grade, or more than one ticked. */
  grade: Grade | null;
  /** Evaluator category (两代表一委员, 党员群众代表, …); never the evaluator. */
  category: string;
  problems?: string;
  suggestions?: string;
}

export interface TallyRow {
  valid: number;
  invalid: number;
  counts: Record<Grade, number>;
  percents: Record<Grade, number>;
  /** 一般 + 差, the figure the automatic-差 rule reads (R-GRADE-3). */
  averageOrPoor: number;
  averageOrPoorPercent: number;
}

export interface ReporterTally {
  reporterId: string;
  overall: TallyRow;
  byCategory: Array<TallyRow & { category: string }>;
  /**
   * Categories with fewer valid ballots than the minimum, pooled with as many of the next smallest as
   * it takes to reach it — otherwise a lone small group could be recovered as total minus the others.
   * `row` is null when even all categories together stay below the minimum.
   */
  pooled: { categories: string[]; row: TallyRow | null } | null;
  /** null when hidden: fewer ballots than the minimum would let handwriting or wording identify people. */
  problems: string[] | null;
  suggestions: string[] | null;
}

export const DEFAULT_MIN_GROUP = 5;

export const PERCENT_NOTE =
  '注：百分比保留一位小数，第二位小数四舍五入（满5进1）；各项分别按票数计算，合计可能因舍入不等于100%。';

/** The rounding rule, stated once under every table that shows these percentages. */
export const percentNote = (): string => PERCENT_NOTE;

/** count / total as a percentage to one decimal, half up, in exact integer arithmetic; 0 when total is 0. */
export function percent(count: number, total: number): number {
  if (total === 0) return 0;
  return Math.floor((2000 * count + total) / (2 * total)) / 10;
}

export function tallyRow(ballots: readonly BallotInput[]): TallyRow {
  const counts: Record<Grade, number> = { good: 0, fair: 0, average: 0, poor: 0 };
  let invalid = 0;
  for (const b of ballots) {
    if (b.grade === null) invalid += 1;
    else counts[b.grade] += 1;
  }
  const valid = GRADES.reduce((sum, g) => sum + counts[g], 0);
  const percents = Object.fromEntries(GRADES.map((g) => [g, percent(counts[g], valid)])) as Record<Grade, number>;
  const averageOrPoor = counts.average + counts.poor;
  return { valid, invalid, counts, percents, averageOrPoor, averageOrPoorPercent: percent(averageOrPoor, valid) };
}

export interface TallyOptions {
  /** Shuffles the free texts so their order says nothing about who wrote them or when. */
  rng: Rng;
  minGroup?: number;
  /** Every reporter in scope, so one without ballots still gets a row (R-ORG-3); also fixes the order. */
  reporterIds?: readonly string[];
}

export function tallyBallots(ballots: readonly BallotInput[], options: TallyOptions): ReporterTally[] {
  const minGroup = options.minGroup ?? DEFAULT_MIN_GROUP;
  if (!Number.isInteger(minGroup) || minGroup < 1) {
    throw new AppError('VALIDATION', '最小分组人数应为正整数', { field: 'minGroup' });
  }
  const byReporter = new Map<string, BallotInput[]>((options.reporterIds ?? []).map((id) => [id, []]));
  for (const b of ballots) {
    if (options.reporterIds && !byReporter.has(b.reporterId)) {
      throw new AppError('VALIDATION', `测评票的述职对象（${b.reporterId}）不在本次述职范围内`, {
        field: 'reporterId',
      });
    }
    byReporter.set(b.reporterId, [...(byReporter.get(b.reporterId) ?? []), b]);
  }
  return [...byReporter].map(([reporterId, own]) => {
    const texts = (pick: (b: BallotInput) => string | undefined) =>
      own.length < minGroup
        ? null
        : shuffle(
            own.map((b) => pick(b)?.trim() ?? '').filter((t) => t !== ''),
            options.rng,
          );
    return {
      reporterId,
      overall: tallyRow(own),
      ...breakdown(own, minGroup),
      problems: texts((b) => b.problems),
      suggestions: texts((b) => b.suggestions),
    };
  });
}

function breakdown(ballots: readonly BallotInput[], minGroup: number) {
  const groups = new Map<string, BallotInput[]>();
  for (const b of ballots) groups.set(b.category, [...(groups.get(b.category) ?? []), b]);
  const rows = [...groups]
    .map(([category, own]) => ({ category, ...tallyRow(own) }))
    .sort((x, y) => x.valid - y.valid || (x.category < y.category ? -1 : 1));
  let hidden = rows.filter((r) => r.valid < minGroup).length;
  if (hidden === 0) return { byCategory: rows, pooled: null };
  const pooledValid = () => rows.slice(0, hidden).reduce((sum, r) => sum + r.valid, 0);
  while (pooledValid() < minGroup && hidden < rows.length) hidden += 1;
  const pooledCategories = rows.slice(0, hidden).map((r) => r.category);
  return {
    byCategory: rows.slice(hidden),
    pooled: {
      categories: pooledCategories,
      row: pooledValid() < minGroup ? null : tallyRow(ballots.filter((b) => pooledCategories.includes(b.category))),
    },
  };
}

export interface ReconciliationInput {
  /** Voting codes (QR) per evaluator category. */
  codes: ReadonlyArray<{ category: string; issued: number; used: number }>;
  /** People signed in at the meeting. */
  attendees: number;
  paperIssued: number;
  paperCollected: number;
  /** Ballots counted for one reporter: electronic plus paper forms entered. */
  ballotsCounted: number;
}

export interface Mismatch {
  code: string;
  message: string;
}

/**
 * Count reconciliation for one reporter (R-VOTE-4, R-VOTE-5). More ballots than codes issued plus
 * paper forms collected cannot be explained by any honest count, so the vote is void.
 */
export function reconcile(input: ReconciliationInput): { mismatches: Mismatch[]; void: boolean } {
  const fields: Array<[number, string, string]> = [
    [input.attendees, 'attendees', '签到人数'],
    [input.paperIssued, 'paperIssued', '纸质表发放数'],
    [input.paperCollected, 'paperCollected', '纸质表收回数'],
    [input.ballotsCounted, 'ballotsCounted', '计票数'],
    ...input.codes.flatMap(
      (c): Array<[number, string, string]> => [
        [c.issued, 'codes.issued', `「${c.category}」投票码发放数`],
        [c.used, 'codes.used', `「${c.category}」投票码使用数`],
      ],
    ),
  ];
  for (const [value, field, label] of fields) {
    if (!Number.isInteger(value) || value < 0) {
      throw new AppError('VALIDATION', `${label}应为非负整数`, { field });
    }
  }
  const mismatches: Mismatch[] = [];
  for (const c of input.codes) {
    if (c.used > c.issued) {
      mismatches.push({
        code: 'CODES_OVERUSED',
        message: `「${c.category}」投票码使用数（${c.used}）多于发放数（${c.issued}）`,
      });
    }
  }
  const issued = input.codes.reduce((sum, c) => sum + c.issued, 0);
  const used = input.codes.reduce((sum, c) => sum + c.used, 0);
  if (input.paperCollected > input.paperIssued) {
    mismatches.push({
      code: 'PAPER_OVER_COLLECTED',
      message: `纸质表收回数（${input.paperCollected}）多于发放数（${input.paperIssued}）`,
    });
  }
  if (issued + input.paperIssued > input.attendees) {
    mismatches.push({
      code: 'ISSUED_OVER_ATTENDEES',
      message: `投票码与纸质表发放合计（${issued + input.paperIssued}）多于签到人数（${input.attendees}）`,
    });
  }
  const expected = used + input.paperCollected;
  if (input.ballotsCounted > expected) {
    mismatches.push({
      code: 'BALLOTS_OVER',
      message: `计票数（${input.ballotsCounted}）多于已使用投票码与收回纸质表之和（${expected}）`,
    });
  } else if (input.ballotsCounted < expected) {
    mismatches.push({
      code: 'BALLOTS_SHORT',
      message: `计票数（${input.ballotsCounted}）少于已使用投票码与收回纸质表之和（${expected}），请核对纸质表是否全部录入`,
    });
  }
  const ceiling = issued + input.paperCollected;
  const isVoid = input.ballotsCounted > ceiling;
  if (isVoid) {
    mismatches.push({
      code: 'VOID',
      message: `计票数（${input.ballotsCounted}）超过投票码发放数与纸质表收回数之和（${ceiling}），本次测评结果无效`,
    });
  }
  return { mismatches, void: isVoid };
}
