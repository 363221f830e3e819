/**
 * Phases of a campaign (R-CAMP-1) and the campaign's own lifecycle. Phases are opened and closed
 * by the organizer explicitly; their dates are the plan shown to everyone, not a trigger.
 */
import { z } from 'zod';
import { AppError } from './errors';
import type { ErrorCode } from './error-codes';

export const PHASES = [
  { key: 'preparation', label: '准备' },
  { key: 'reports', label: '述职报告' },
  { key: 'review', label: '审核' },
  { key: 'meeting', label: '述职评议会' },
  { key: 'field', label: '实地考核' },
  { key: 'evaluation', label: '综合评价' },
  { key: 'feedback', label: '反馈' },
  { key: 'rectification', label: '整改' },
  { key: 'summary', label: '总结' },
] as const;
export type PhaseKey = (typeof PHASES)[number]['key'];
export const PHASE_KEYS = PHASES.map((p) => p.key) as [PhaseKey, ...PhaseKey[]];
export const phaseLabel = (key: PhaseKey) => PHASES.find((p) => p.key === key)!.label;

/** Every campaign has these; the others (field assessment, summary…) depend on the plan. */
const REQUIRED: PhaseKey[] = ['reports', 'meeting', 'evaluation'];

/**
 * [earlier, later]: the later phase may overlap the earlier one (004 runs field assessment
 * alongside the meetings) but may neither start nor end before it.
 */
const PRECEDENCE: [PhaseKey, PhaseKey][] = [
  ['preparation', 'reports'],
  ['reports', 'review'],
  ['review', 'meeting'],
  ['meeting', 'evaluation'],
  ['field', 'evaluation'],
  ['evaluation', 'feedback'],
  ['feedback', 'rectification'],
  ['evaluation', 'summary'],
];

export const phasePlanSchema = z.object({
  key: z.enum(PHASE_KEYS),
  start: z.iso.date(),
  end: z.iso.date(),
});
export type PhasePlan = z.infer<typeof phasePlanSchema>;

export type PhaseState = 'not_started' | 'open' | 'closed';

/** An organizer's recorded departure from the plan (R-CAMP-8): kept on the phase and in the audit log. */
export interface PhaseOverride {
  kind: 'open_early' | 'extend' | 'reopen';
  /** The calendar day (Asia/Shanghai) it was made. */
  on: string;
  reason: string;
  by: string | null;
  /** The end date before and after, when the override moved it. */
  end?: { from: string; to: string };
}

export interface Phase extends PhasePlan {
  /**
   * What the organizer did: 'open' after an early opening or a reopening, 'closed' after closing. A phase left
   * 'not_started' still opens by itself on its start date; see phaseStatus for what holds on a given day.
   */
  state: PhaseState;
  openedOn: string | null;
  closedOn: string | null;
  /** Why it was last reopened; the audit trail keeps the full history. */
  reopenReason: string | null;
  /** The end the plan gave before any extension (absent on phases stored before overrides existed). */
  plannedEnd?: string;
  overrides?: PhaseOverride[];
}

/** What a phase is on a given day: its dates decide, unless the organizer opened it early or closed it. */
export type PhaseStatus = 'not_started' | 'open' | 'ended' | 'closed';
export const PHASE_STATUS_LABELS: Record<PhaseStatus, string> = {
  not_started: '未开始',
  open: '进行中',
  ended: '已截止',
  closed: '已关闭',
};

export function phaseStatus(p: Phase, today: string): PhaseStatus {
  if (p.state === 'closed') return 'closed';
  if (today > p.end) return 'ended';
  if (p.state === 'open' || today >= p.start) return 'open';
  return 'not_started';
}

export type CampaignState = 'draft' | 'published' | 'closed' | 'archived';
export const CAMPAIGN_STATE_LABELS: Record<CampaignState, string> = {
  draft: '草稿',
  published: '已发布',
  closed: '已结束',
  archived: '已归档',
};

/** 方案报备 of a lower level's round to the level above (R-CAMP-3). */
export const FILING_STATES = ['not_required', 'pending', 'filed', 'acknowledged', 'returned'] as const;
export type FilingState = (typeof FILING_STATES)[number];
/** The one wording of the filing states: the API's labels, the pages' tags and filters, the progress export. */
export const FILING_STATE_LABELS: Record<FilingState, string> = {
  not_required: '无需报备',
  pending: '待报备',
  filed: '已报备待确认',
  acknowledged: '上级已确认',
  returned: '上级已退回',
};

export { addDays } from './calendar';

/** Whole days from a to b (b − a). */
export const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export const cnDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
/** 2026年1月5日—1月15日; the year is repeated only when it changes. */
export const cnRange = (start: string, end: string) =>
  `${cnDate(start)}—${start.slice(0, 4) === end.slice(0, 4) ? cnDate(end).slice(5) : cnDate(end)}`;

const fail = (message: string, field: string, code: ErrorCode = 'PHASE_DATES') =>
  new AppError(code, message, { field });

/** Throws on missing or repeated phases, a phase ending before it starts, or phases out of order. */
export function validatePhasePlans(plans: PhasePlan[]): void {
  const index = new Map<PhaseKey, number>();
  plans.forEach((p, i) => {
    if (index.has(p.key)) throw fail(`「${phaseLabel(p.key)}」阶段重复`, `phases.${i}.key`);
    index.set(p.key, i);
    if (p.start > p.end) throw fail(`「${phaseLabel(p.key)}」阶段的开始日期晚于结束日期`, `phases.${i}.end`);
  });
  for (const key of REQUIRED) {
    if (!index.has(key)) throw fail(`缺少「${phaseLabel(key)}」阶段`, 'phases');
  }
  for (const [before, after] of PRECEDENCE) {
    const i = index.get(before);
    const j = index.get(after);
    if (i === undefined || j === undefined) continue;
    const [a, b] = [plans[i]!, plans[j]!];
    if (b.start < a.start) {
      throw fail(`「${phaseLabel(after)}」阶段不能早于「${phaseLabel(before)}」阶段开始`, `phases.${j}.start`);
    }
    if (b.end < a.end) {
      throw fail(`「${phaseLabel(after)}」阶段不能早于「${phaseLabel(before)}」阶段结束`, `phases.${j}.end`);
    }
  }
}

export const startPhases = (plans: PhasePlan[]): Phase[] =>
  plans.map((p) => ({
    ...p,
    state: 'not_started',
    openedOn: null,
    closedOn: null,
    reopenReason: null,
    plannedEnd: p.end,
    overrides: [],
  }));

const refuse = (message: string, code: ErrorCode = 'PHASE_TRANSITION', field = 'phaseKey') =>
  new AppError(code, message, { field });

export type PhaseAction = 'open' | 'close' | 'reopen' | 'extend';
export const PHASE_ACTIONS = ['open', 'close', 'reopen', 'extend'] as const satisfies readonly PhaseAction[];

export interface PhaseTransitionOptions {
  campaignState: CampaignState;
  today: string;
  reason?: string;
  /** The new end date: required to extend, and to reopen a phase whose end has passed. */
  end?: string;
  /** Who, for the record kept on the phase. */
  by?: string | null;
}

/**
 * The organizer's actions on one phase (R-CAMP-8). Opening is always early (on its start date a phase opens by
 * itself) and so needs a reason; extending moves the end and needs a reason; closing is allowed early (the server
 * asks for confirmation when work is still open); reopening a closed phase needs a reason, and a new end when its
 * end has passed. Every override is kept on the phase.
 */
export function transitionPhase(
  phases: Phase[],
  phaseKey: PhaseKey,
  action: PhaseAction,
  opts: PhaseTransitionOptions,
): Phase[] {
  const label = `「${phaseLabel(phaseKey)}」阶段`;
  if (opts.campaignState !== 'published') {
    throw refuse(
      `本次述职评议考核当前为「${CAMPAIGN_STATE_LABELS[opts.campaignState]}」状态，不能开启或关闭阶段`,
      'CAMPAIGN_NOT_ACTIVE',
      'campaignState',
    );
  }
  const phase = phases.find((p) => p.key === phaseKey);
  if (!phase) throw refuse(`本次述职评议考核没有${label}`, 'PHASE_UNKNOWN');
  const { today } = opts;
  const status = phaseStatus(phase, today);
  const reason = opts.reason?.trim() ?? '';
  const needReason = (what: string) => {
    if (!reason) throw refuse(`${what}${label}须填写理由`, 'REASON_REQUIRED', 'reason');
  };
  const record = (o: Omit<PhaseOverride, 'on' | 'reason' | 'by'>): PhaseOverride[] => [
    ...(phase.overrides ?? []),
    { ...o, on: today, reason, by: opts.by ?? null },
  ];
  const newEnd = (from: string) => {
    const end = opts.end;
    if (!end) throw refuse(`请填写${label}新的结束日期`, 'END_REQUIRED', 'end');
    if (end < today) throw refuse(`${label}新的结束日期不能早于今天（${cnDate(today)}）`, 'PHASE_DATES', 'end');
    if (end <= from) throw refuse(`${label}新的结束日期应晚于原结束日期（${cnDate(from)}）`, 'PHASE_DATES', 'end');
    return end;
  };

  let next: Phase;
  if (action === 'open') {
    if (status === 'open') throw refuse(`${label}已开启`);
    if (status === 'closed') throw refuse(`${label}已关闭，如需继续请填写理由后重新开启`);
    if (status === 'ended') throw refuse(`${label}已于${cnDate(phase.end)}结束，如需继续请延长该阶段`);
    const waiting = PRECEDENCE.filter(([, after]) => after === phaseKey)
      .map(([before]) => phases.find((p) => p.key === before))
      .find((p) => p && phaseStatus(p, today) === 'not_started');
    if (waiting) throw refuse(`「${phaseLabel(waiting.key)}」阶段尚未开始，不能提前开启${label}`);
    needReason('提前开启');
    next = { ...phase, state: 'open', openedOn: today, overrides: record({ kind: 'open_early' }) };
  } else if (action === 'extend') {
    if (status === 'closed') throw refuse(`${label}已关闭，如需继续请填写理由后重新开启`);
    const end = newEnd(phase.end);
    needReason('延长');
    next = {
      ...phase,
      end,
      plannedEnd: phase.plannedEnd ?? phase.end,
      overrides: record({ kind: 'extend', end: { from: phase.end, to: end } }),
    };
  } else if (action === 'close') {
    if (status === 'not_started') throw refuse(`${label}尚未开始，不能关闭`);
    if (status === 'closed') throw refuse(`${label}已关闭`);
    next = { ...phase, state: 'closed', closedOn: today };
  } else {
    if (status !== 'closed') throw refuse(`${label}未关闭，无需重新开启`);
    needReason('重新开启');
    const end = today > phase.end ? newEnd(phase.end) : phase.end;
    next = {
      ...phase,
      state: 'open',
      closedOn: null,
      reopenReason: reason,
      end,
      plannedEnd: phase.plannedEnd ?? phase.end,
      overrides: record({ kind: 'reopen', ...(end !== phase.end ? { end: { from: phase.end, to: end } } : {}) }),
    };
  }
  return phases.map((p) => (p === phase ? next : p));
}

/** draft → published → closed → archived; a campaign ends only when every phase has been closed. */
export function transitionCampaign(
  state: CampaignState,
  action: 'publish' | 'close' | 'archive',
  phases: Phase[],
  today?: string,
): CampaignState {
  const step = {
    publish: { from: 'draft', to: 'published', verb: '发布' },
    close: { from: 'published', to: 'closed', verb: '结束' },
    archive: { from: 'closed', to: 'archived', verb: '归档' },
  } as const satisfies Record<string, { from: CampaignState; to: CampaignState; verb: string }>;
  const { from, to, verb } = step[action];
  if (state !== from) {
    throw refuse(
      `本次述职评议考核当前为「${CAMPAIGN_STATE_LABELS[state]}」状态，不能${verb}`,
      'CAMPAIGN_TRANSITION',
      'state',
    );
  }
  if (action === 'close') {
    // A phase whose end has passed is over even if nobody closed it; one still running or to come is not.
    const pending = phases.find((p) => {
      const st = phaseStatus(p, today ?? '');
      return st === 'open' || st === 'not_started';
    });
    if (pending) {
      throw refuse(
        `「${phaseLabel(pending.key)}」阶段尚未结束，不能结束本次述职评议考核`,
        'CAMPAIGN_TRANSITION',
        'phases',
      );
    }
  }
  return to;
}
