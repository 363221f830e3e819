/**
 * Each level's own dates (R-CAMP-2, R-CAMP-8). A sub-round (分级开展) gets its phases from its own deadline, not a
 * copy of the level above: 001's 党支部 rounds end by 12月底 while the 分党委 report to 校党委 in 1月初; 002's
 * 乡镇 rounds end by 12-25, the 工委 rounds by 1-15, and results go to the county by 1-20.
 */
import { AppError } from './errors';
import {
  addDays,
  cnDate,
  daysBetween,
  phaseLabel,
  validatePhasePlans,
  type PhaseKey,
  type PhasePlan,
} from './campaign-phases';

/** The phases of the 述职评议考核 itself, which a level's deadline bounds. */
export const ROUND_PHASES: PhaseKey[] = ['preparation', 'reports', 'review', 'field', 'meeting', 'evaluation'];
/** What follows the round (feedback, rectification, summary) runs after the deadline. */
const isRound = (k: PhaseKey) => ROUND_PHASES.includes(k);

export interface SubRoundInput {
  /** The level above's phase plan. */
  parent: PhasePlan[];
  /** This level's deadline (completeBy from the parent's organizing stages). */
  deadline: string;
  /** The parent's organizing mode: top-down lets a level with room meet after the level above has begun. */
  mode: 'top_down' | 'bottom_up';
  /** Results due at the level above (002: 1-20): the sub-round's 总结 phase ends then. */
  resultsDueDate: string | null;
  dueDaysBeforeMeeting: number;
}

/**
 * The sub-round's plan: the parent's round phases mapped into the window that ends on the deadline, keeping their
 * order and relative lengths. Top-down with the deadline after the parent's meeting begins (004: the city hears the
 * townships 12月中下旬, the townships hear the villages 12月下旬, all by 12月底), everything before the parent's
 * meeting keeps its dates and the rest is fitted between that meeting's start and the deadline, so the lower level
 * meets after the upper one. Otherwise (001, 002: the deadline falls before the parent meets) the whole round is
 * fitted between the plan's first day and the deadline, so the lower level meets first. Feedback and rectification
 * follow the sub-round's evaluation; 总结 ends on the results-due date when there is one.
 */
export function subRoundPlan(input: SubRoundInput): PhasePlan[] {
  const { parent, deadline } = input;
  const round = parent.filter((p) => isRound(p.key));
  const planStart = round.reduce((m, p) => (p.start < m ? p.start : m), round[0]!.start);
  const roundEnd = round.reduce((m, p) => (p.end > m ? p.end : m), round[0]!.end);
  const meeting = parent.find((p) => p.key === 'meeting')!;
  if (deadline >= roundEnd)
    return withSummary(
      parent.map((p) => ({ ...p })),
      input,
    );

  const pivot = input.mode === 'top_down' && meeting.start <= deadline ? meeting.start : planStart;
  const span = daysBetween(pivot, roundEnd);
  const room = Math.max(0, daysBetween(pivot, deadline));
  const map = (d: string) => {
    if (d <= pivot) return d > deadline ? deadline : d;
    return addDays(pivot, Math.floor((daysBetween(pivot, d) * room) / span));
  };
  const out: PhasePlan[] = parent.map((p) =>
    isRound(p.key) ? { key: p.key, start: map(p.start), end: map(p.end) } : { ...p },
  );
  const at = (k: PhaseKey) => out.find((p) => p.key === k);

  // Reports due N days before the meeting (R-REP-4): the compressed reports phase may run too close to it.
  const reports = at('reports')!;
  const due = addDays(at('meeting')!.start, -input.dueDaysBeforeMeeting);
  if (reports.end > due && due >= reports.start) {
    reports.end = due;
    const prep = at('preparation');
    if (prep && prep.end > reports.end) prep.end = prep.start > reports.end ? prep.start : reports.end;
  }

  // After the round: shifted by as much as the round's end moved, never before the sub-round's evaluation.
  const shift = daysBetween(roundEnd, deadline);
  const evaluation = at('evaluation')!;
  const later = (a: string, b: string) => (a > b ? a : b);
  for (const key of ['feedback', 'rectification', 'summary'] as PhaseKey[]) {
    const p = at(key);
    if (!p) continue;
    const start = later(addDays(p.start, shift), evaluation.start);
    // Rectification keeps its end: shortening the time to fix problems is not the lower level's to decide.
    const end = key === 'rectification' ? p.end : later(addDays(p.end, shift), later(start, evaluation.end));
    p.start = start;
    p.end = end;
  }
  const feedback = at('feedback');
  const rect = at('rectification');
  if (feedback && rect && rect.start < feedback.start) rect.start = feedback.start;
  return withSummary(out, input);
}

/** 总结 ends on the results-due date when the level above set one that falls after this level's evaluation. */
function withSummary(plans: PhasePlan[], input: SubRoundInput): PhasePlan[] {
  const summary = plans.find((p) => p.key === 'summary');
  const evaluation = plans.find((p) => p.key === 'evaluation')!;
  const due = input.resultsDueDate;
  if (summary && due && due >= evaluation.end) {
    summary.end = due;
    if (summary.start > due || summary.start < evaluation.start) summary.start = evaluation.end;
  }
  return plans;
}

/** A sub-round's 述职评议考核 must end by its own deadline (R-CAMP-8); throws naming the phase at fault. */
export function assertWithinDeadline(plans: PhasePlan[], deadline: string | null): void {
  if (!deadline) return;
  validatePhasePlans(plans);
  plans.forEach((p, i) => {
    if (isRound(p.key) && p.end > deadline) {
      throw new AppError(
        'PHASE_DATES',
        `本级述职评议考核须在${cnDate(deadline)}前完成，「${phaseLabel(p.key)}」阶段应不晚于该日结束`,
        { field: `phases.${i}.end` },
      );
    }
  });
}
