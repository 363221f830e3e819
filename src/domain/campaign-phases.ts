/**
 * Phases of a campaign (R-CAMP-1) and the campaign's own lifecycle. Phases are opened and closed
 * by the organizer explicitly; their dates are the plan shown to everyone, not a trigger.
 */
import { z } from 'zod';
import { AppError } from './errors';

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
export interface Phase extends PhasePlan {
  state: PhaseState;
  openedOn: string | null;
  closedOn: string | null;
  /** Why it was last reopened; the audit trail keeps the full history. */
  reopenReason: string | null;
}

export type CampaignState = 'draft' | 'published' | 'closed' | 'archived';
export const CAMPAIGN_STATE_LABELS: Record<CampaignState, string> = {
  draft: '草稿',
  published: '已发布',
  closed: '已结束',
  archived: '已归档',
};

export { addDays } from './calendar';

const fail = (message: string, field: string, code = 'PHASE_DATES') => new AppError(code, message, 400, { field });

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
    const [a, b] = [plans[i], plans[j]];
    if (b.start < a.start) {
      throw fail(`「${phaseLabel(after)}」阶段不能早于「${phaseLabel(before)}」阶段开始`, `phases.${j}.start`);
    }
    if (b.end < a.end) {
      throw fail(`「${phaseLabel(after)}」阶段不能早于「${phaseLabel(before)}」阶段结束`, `phases.${j}.end`);
    }
  }
}

export const startPhases = (plans: PhasePlan[]): Phase[] =>
  plans.map((p) => ({ ...p, state: 'not_started', openedOn: null, closedOn: null, reopenReason: null }));

const refuse = (message: string, code = 'PHASE_TRANSITION', field = 'phaseKey') =>
  new AppError(code, message, 400, { field });

export function transitionPhase(
  phases: Phase[],
  phaseKey: PhaseKey,
  action: 'open' | 'close' | 'reopen',
  opts: { campaignState: CampaignState; today: string; reason?: string },
): Phase[] {
  const label = `「${phaseLabel(phaseKey)}」阶段`;
  if (opts.campaignState !== 'published') {
    throw refuse(`本次述职评议考核当前为「${CAMPAIGN_STATE_LABELS[opts.campaignState]}」状态，不能开启或关闭阶段`, 'CAMPAIGN_NOT_ACTIVE', 'campaignState');
  }
  const phase = phases.find((p) => p.key === phaseKey);
  if (!phase) throw refuse(`本次述职评议考核没有${label}`, 'PHASE_UNKNOWN');

  let next: Phase;
  if (action === 'open') {
    if (phase.state === 'open') throw refuse(`${label}已开启`);
    if (phase.state === 'closed') throw refuse(`${label}已关闭，如需继续请填写理由后重新开启`);
    const waiting = PRECEDENCE.filter(([, after]) => after === phaseKey)
      .map(([before]) => phases.find((p) => p.key === before))
      .find((p) => p?.state === 'not_started');
    if (waiting) throw refuse(`「${phaseLabel(waiting.key)}」阶段尚未开启，不能开启${label}`);
    next = { ...phase, state: 'open', openedOn: opts.today };
  } else if (action === 'close') {
    if (phase.state === 'not_started') throw refuse(`${label}尚未开启，不能关闭`);
    if (phase.state === 'closed') throw refuse(`${label}已关闭`);
    next = { ...phase, state: 'closed', closedOn: opts.today };
  } else {
    if (phase.state !== 'closed') throw refuse(`${label}未关闭，无需重新开启`);
    const reason = opts.reason?.trim();
    if (!reason) throw refuse(`重新开启${label}须填写理由`, 'REASON_REQUIRED', 'reason');
    next = { ...phase, state: 'open', closedOn: null, reopenReason: reason };
  }
  return phases.map((p) => (p === phase ? next : p));
}

/** draft → published → closed → archived; a campaign ends only when every phase has been closed. */
export function transitionCampaign(
  state: CampaignState,
  action: 'publish' | 'close' | 'archive',
  phases: Phase[],
): CampaignState {
  const step = {
    publish: { from: 'draft', to: 'published', verb: '发布' },
    close: { from: 'published', to: 'closed', verb: '结束' },
    archive: { from: 'closed', to: 'archived', verb: '归档' },
  } as const satisfies Record<string, { from: CampaignState; to: CampaignState; verb: string }>;
  const { from, to, verb } = step[action];
  if (state !== from) {
    throw refuse(`本次述职评议考核当前为「${CAMPAIGN_STATE_LABELS[state]}」状态，不能${verb}`, 'CAMPAIGN_TRANSITION', 'state');
  }
  if (action === 'close') {
    const pending = phases.find((p) => p.state !== 'closed');
    if (pending) {
      throw refuse(`「${phaseLabel(pending.key)}」阶段尚未关闭，不能结束本次述职评议考核`, 'CAMPAIGN_TRANSITION', 'phases');
    }
  }
  return to;
}
