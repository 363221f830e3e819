/**
 * Which phase each step of the round belongs to, and whether a step may be done on a given day (R-CAMP-8).
 * Phases open by their dates; the organizer may open one early, extend it, or close it (campaign-phases.ts).
 * Setting things up (checklists, teams, meetings and their agendas, ballot codes, survey lists) is not a step
 * here: it is planning, done ahead of the phase it serves.
 */
import { AppError } from './errors';
import {
  cnDate,
  cnRange,
  PHASE_STATUS_LABELS,
  phaseLabel,
  phaseStatus,
  type Phase,
  type PhaseKey,
  type PhaseStatus,
} from './campaign-phases';

interface StepDef {
  /** What the refusal says cannot be done, completing "不能…". */
  verb: string;
  /**
   * The phase the step belongs to: the first of these the campaign's plan has (the plan may leave out 实地考核,
   * 反馈 or 总结, whose work then falls in the phase that follows or contains it). The last is always one every
   * plan has (validatePhasePlans' required phases).
   */
  phase: PhaseKey[];
  /** Further phases during which the step is also allowed. */
  alsoDuring?: PhaseKey[];
}

export const STEPS = {
  'report.write': { verb: '撰写述职报告', phase: ['reports'] },
  'report.submit': { verb: '提交述职报告', phase: ['reports'] },
  /** A report returned for revision (or, where the plan allows late reports, a late one) is finished during 审核. */
  'report.revise': { verb: '修改和重新提交述职报告', phase: ['reports'], alsoDuring: ['review'] },
  'report.review': { verb: '审核述职报告', phase: ['review', 'reports'] },
  'report.sign': { verb: '审阅签字', phase: ['review', 'reports'] },
  'meeting.run': { verb: '进行述职评议会议程', phase: ['meeting'] },
  'ballot.open': { verb: '开始投票', phase: ['meeting'] },
  'field.score': { verb: '进行实地考核评分', phase: ['field', 'evaluation'] },
  'survey.collect': { verb: '开展满意度调查', phase: ['field', 'evaluation'] },
  'evaluation.inputs': { verb: '录入综合评价数据', phase: ['evaluation'] },
  'evaluation.compute': { verb: '计算综合评价', phase: ['evaluation'] },
  'evaluation.decide': { verb: '确定等次和评价意见', phase: ['evaluation'] },
  'evaluation.lock': { verb: '锁定综合评价结果', phase: ['evaluation'] },
  'results.derive': {
    verb: '生成结果运用清单',
    phase: ['feedback', 'rectification', 'evaluation'],
    alsoDuring: ['rectification'],
  },
  'rectification.list': {
    verb: '建立整改清单',
    phase: ['rectification', 'feedback', 'evaluation'],
    alsoDuring: ['feedback'],
  },
  'summary.write': { verb: '撰写和上报总结报告', phase: ['summary', 'rectification', 'evaluation'] },
} as const satisfies Record<string, StepDef>;
export type StepKey = keyof typeof STEPS;

export interface StepCheck {
  allowed: boolean;
  /** The phase the step belongs to in this plan. */
  phase: { key: PhaseKey; label: string; start: string; end: string; status: PhaseStatus; statusLabel: string };
  /** Why not, in Chinese; null when allowed. */
  reason: string | null;
  /** Short note for task lists: what the task waits for, or until when it runs. */
  note: string;
}

function ownPhase(phases: Phase[], step: StepKey): Phase {
  const def: StepDef = STEPS[step];
  const found = def.phase.map((k) => phases.find((p) => p.key === k)).find((p) => p !== undefined);
  // Only a plan stored before validation could lack every candidate; its required phases are always there.
  if (!found)
    throw new AppError('PLAN_PHASE_MISSING', `本次述职评议考核的方案没有「${phaseLabel(def.phase[0]!)}」阶段`, {
      field: 'phases',
    });
  return found;
}

/** Whether the step may be done today in a campaign with these phases, and why not. */
export function checkStep(phases: Phase[], step: StepKey, today: string): StepCheck {
  const def: StepDef = STEPS[step];
  const own = ownPhase(phases, step);
  const status = phaseStatus(own, today);
  const phase = {
    key: own.key,
    label: phaseLabel(own.key),
    start: own.start,
    end: own.end,
    status,
    statusLabel: PHASE_STATUS_LABELS[status],
  };
  const also = (def.alsoDuring ?? [])
    .map((k) => phases.find((p) => p.key === k))
    .find((p) => p !== undefined && p !== own && phaseStatus(p, today) === 'open');
  const name = `「${phase.label}」阶段`;
  const range = cnRange(own.start, own.end);
  if (status === 'open') return { allowed: true, phase, reason: null, note: `${name}进行中，${cnDate(own.end)}截止` };
  if (also)
    return {
      allowed: true,
      phase,
      reason: null,
      note: `「${phaseLabel(also.key)}」阶段进行中，${cnDate(also.end)}截止`,
    };
  if (status === 'not_started') {
    return {
      allowed: false,
      phase,
      reason: `${name}尚未开始（${range}），不能${def.verb}`,
      note: `等待${name}开始（${cnDate(own.start)}）`,
    };
  }
  if (status === 'ended') {
    return {
      allowed: false,
      phase,
      reason: `${name}已于${cnDate(own.end)}结束（${range}），不能${def.verb}；如需继续，请组织单位延长该阶段`,
      note: `${name}已于${cnDate(own.end)}结束`,
    };
  }
  return {
    allowed: false,
    phase,
    reason: `${name}已${own.closedOn ? `于${cnDate(own.closedOn)}` : ''}关闭（${range}），不能${def.verb}；如需继续，请组织单位重新开启该阶段`,
    note: `${name}已关闭`,
  };
}

/** Throws a 409 naming the phase and its dates when the step is not allowed today. */
export function assertStep(phases: Phase[], step: StepKey, today: string): StepCheck {
  const check = checkStep(phases, step, today);
  if (!check.allowed) {
    throw new AppError('PHASE_NOT_OPEN', check.reason!, { field: 'phase', phase: check.phase.key, step });
  }
  return check;
}

/**
 * The days a phase covers now: from its start (or the day the organizer opened it early) to its end (as extended).
 * A meeting is dated inside the meeting phase, so the phase's dates and the meeting's date cannot drift apart.
 */
export function assertDateInPhase(phases: Phase[], key: PhaseKey, date: string, what: string, field: string): void {
  const p = phases.find((x) => x.key === key);
  if (!p) return;
  const from = p.state === 'open' && p.openedOn && p.openedOn < p.start ? p.openedOn : p.start;
  if (date < from || date > p.end) {
    throw new AppError(
      'OUTSIDE_PHASE',
      `${what}应在「${phaseLabel(key)}」阶段内（${cnRange(from, p.end)}）；如需提前或推迟，请先提前开启或延长该阶段`,
      { field },
    );
  }
}

/** Voting opens on the day of the meeting, not before it (R-CAMP-8): codes printed early must not be usable early. */
export function assertMeetingDay(meetingDate: string, today: string): void {
  if (today < meetingDate) {
    throw new AppError('BEFORE_MEETING', `述职评议会定于${cnDate(meetingDate)}召开，不能提前开始投票`, {
      field: 'meetingDate',
    });
  }
}
