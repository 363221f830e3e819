import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { GRADES } from '../../../domain/grades';
import { ballotScoreFormulas } from '../../../domain/composite';
import { type BallotInput, PERCENT_NOTE, type ReporterTally, type TallyRow, tallyBallots } from '../../../domain/tally';
import type { Grade } from '../../../domain/grades';
import type { DbOrTx } from '../../db/connect';
import { ballots } from '../../db/schema';
import type { AuthUser } from '../../http/context';
import { assertRead } from './policy';
import { type Anonymity, getRound, meetingReporters } from './repo';
import { matchedPaper } from './paper-tallies';
import { stateLabel } from './manage-round';
import type { RoundMode, RoundState } from './schemas';

/** Unpredictable order for free texts and ballot lists: their order must say nothing about who or when. */
export const cryptoRng = () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48;

export interface ReporterResult extends Omit<ReporterTally, 'byCategory' | 'pooled'> {
  name: string;
  downward: boolean;
  rank: number;
  score: number;
  byCategory: Array<TallyRow & { category: string; label: string }>;
  pooled: { labels: string[]; row: TallyRow | null } | null;
}

/**
 * Results per reporter (R-VOTE-1, R-VOTE-5): counts and shares per grade, 一般+差, free texts shuffled, per
 * category only where the group reaches the minimum frozen at opening. Hidden until released.
 */
export async function computeResults(db: DbOrTx, user: AuthUser, roundId: number) {
  const { round, ctx } = await getRound(db, roundId, { viewer: user });
  assertRead(user, ctx.organizerPath);
  if (round.state !== 'released') {
    throw new AppError(
      'RESULTS_HIDDEN',
      round.state === 'void'
        ? '本轮测评因计票数超过发放数已作废，没有结果'
        : `测评${stateLabel(round.state)}，结果在投票结束、核对并发布后才能查看`,
    );
  }
  const anonymity = round.anonymity as Anonymity;
  const phone = await db
    .select({
      reporterId: ballots.reporterId,
      category: ballots.category,
      grade: ballots.grade,
      problems: ballots.problems,
      suggestions: ballots.suggestions,
    })
    .from(ballots)
    .where(eq(ballots.roundId, roundId));
  const { forms } = await matchedPaper(db, roundId);
  const inputs: BallotInput[] = [
    ...phone.map((b) => ({
      reporterId: String(b.reporterId),
      category: b.category,
      grade: b.grade as Grade,
      problems: b.problems ?? undefined,
      suggestions: b.suggestions ?? undefined,
    })),
    ...forms,
  ];
  const reporters = await meetingReporters(db, round.meetingId);
  const tallies = tallyBallots(inputs, {
    rng: cryptoRng,
    minGroup: anonymity.minGroupSize,
    reporterIds: reporters.map((r) => String(r.reporterId)),
  });
  const label = (k: string) => anonymity.categories.find((c) => c.key === k)?.label ?? k;
  const points = ctx.settings.grading.points;
  const withScore = tallies.map((t) => {
    const r = reporters.find((x) => String(x.reporterId) === t.reporterId)!;
    const score =
      t.overall.valid === 0
        ? 0
        : Math.round((GRADES.reduce((s, g) => s + points[g] * t.overall.counts[g], 0) / t.overall.valid) * 100) / 100;
    return {
      ...t,
      name: r.orgName,
      downward: r.role === 'downward',
      score,
      byCategory: t.byCategory.map((c) => ({ ...c, label: label(c.category) })),
      pooled: t.pooled && { labels: t.pooled.categories.map(label), row: t.pooled.row },
    };
  });
  // Rank among the upward reporters by average points; the 下评 of the organizer is not ranked with them.
  const ranked = withScore.filter((t) => !t.downward).sort((a, b) => b.score - a.score);
  const results: ReporterResult[] = withScore.map((t) => ({
    ...t,
    rank: t.downward ? 0 : 1 + ranked.filter((x) => x.score > t.score).length,
  }));
  return {
    round: {
      id: round.id,
      mode: round.mode as RoundMode,
      state: round.state as RoundState,
      explanation: round.explanation,
      mismatches: round.mismatches,
    },
    meetingTitle: ctx.meeting.title,
    minGroupSize: anonymity.minGroupSize,
    note: PERCENT_NOTE,
    /** "平均分" here is unweighted; the evaluation weights by evaluator category: both formulas, said on both pages. */
    scoreFormula: ballotScoreFormulas(points, ctx.settings.ballots.categories),
    results,
  };
}
