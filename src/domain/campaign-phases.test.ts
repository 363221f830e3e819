import { describe, it, expect } from 'vitest';
import { AppError } from './errors';
import {
  addDays, startPhases, transitionCampaign, transitionPhase, validatePhasePlans, type Phase, type PhasePlan,
} from './campaign-phases';

const plans: PhasePlan[] = [
  { key: 'preparation', start: '2023-11-20', end: '2023-11-30' },
  { key: 'reports', start: '2023-12-01', end: '2023-12-11' },
  { key: 'review', start: '2023-12-04', end: '2023-12-15' },
  { key: 'meeting', start: '2023-12-18', end: '2023-12-18' },
  { key: 'evaluation', start: '2023-12-19', end: '2023-12-25' },
];
const published = { campaignState: 'published' as const, today: '2023-12-01' };

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const open = (phases: Phase[], ...keys: Phase['key'][]) =>
  keys.reduce((ps, k) => transitionPhase(ps, k, 'open', published), phases);

describe('validatePhasePlans', () => {
  it('R-CAMP-1: accepts overlapping phases in order', () => {
    expect(() => validatePhasePlans(plans)).not.toThrow();
  });

  it('R-CAMP-1: refuses a phase that ends before it starts, naming the field', () => {
    const bad = plans.map((p) => (p.key === 'review' ? { ...p, end: '2023-12-01' } : p));
    const e = thrown(() => validatePhasePlans(bad));
    expect(e.message).toBe('「审核」阶段的开始日期晚于结束日期');
    expect(e.details).toEqual({ field: 'phases.2.end' });
  });

  it('R-CAMP-1: refuses a meeting before the reports are in', () => {
    const bad = plans.map((p) => (p.key === 'meeting' ? { ...p, start: '2023-12-02', end: '2023-12-02' } : p));
    const e = thrown(() => validatePhasePlans(bad));
    expect(e.message).toBe('「述职评议会」阶段不能早于「审核」阶段开始');
    expect(e.details).toEqual({ field: 'phases.3.start' });
  });

  it('refuses repeated and missing phases', () => {
    expect(thrown(() => validatePhasePlans([...plans, plans[0]])).message).toBe('「准备」阶段重复');
    expect(thrown(() => validatePhasePlans(plans.filter((p) => p.key !== 'meeting'))).message).toBe('缺少「述职评议会」阶段');
  });
});

describe('transitionPhase', () => {
  const phases = startPhases(plans);

  it('opens and closes a phase, stamping the day given', () => {
    const opened = open(phases, 'preparation', 'reports');
    expect(opened[1]).toMatchObject({ state: 'open', openedOn: '2023-12-01' });
    const closed = transitionPhase(opened, 'reports', 'close', { ...published, today: '2023-12-11' });
    expect(closed[1]).toMatchObject({ state: 'closed', closedOn: '2023-12-11' });
    expect(phases[1].state).toBe('not_started');
  });

  it('refuses to close a phase that is not open', () => {
    const e = thrown(() => transitionPhase(phases, 'reports', 'close', published));
    expect(e.message).toBe('「述职报告」阶段尚未开启，不能关闭');
    const closed = transitionPhase(open(phases, 'preparation', 'reports'), 'reports', 'close', published);
    expect(thrown(() => transitionPhase(closed, 'reports', 'close', published)).message).toBe('「述职报告」阶段已关闭');
  });

  it('refuses to open a phase twice, or before the phase it follows', () => {
    const opened = open(phases, 'preparation');
    expect(thrown(() => transitionPhase(opened, 'preparation', 'open', published)).message).toBe('「准备」阶段已开启');
    expect(thrown(() => transitionPhase(opened, 'review', 'open', published)).message)
      .toBe('「述职报告」阶段尚未开启，不能开启「审核」阶段');
  });

  it('reopening requires a closed phase and a reason', () => {
    const closed = transitionPhase(open(phases, 'preparation'), 'preparation', 'close', published);
    expect(thrown(() => transitionPhase(closed, 'preparation', 'open', published)).message).toContain('重新开启');
    const e = thrown(() => transitionPhase(closed, 'preparation', 'reopen', { ...published, reason: '  ' }));
    expect(e.code).toBe('REASON_REQUIRED');
    expect(e.details).toEqual({ field: 'reason' });
    const reopened = transitionPhase(closed, 'preparation', 'reopen', { ...published, reason: '补充调研材料' });
    expect(reopened[0]).toMatchObject({ state: 'open', closedOn: null, reopenReason: '补充调研材料' });
    expect(thrown(() => transitionPhase(reopened, 'preparation', 'reopen', { ...published, reason: 'x' })).message)
      .toBe('「准备」阶段未关闭，无需重新开启');
  });

  it('refuses phases the campaign does not have, and any change while the campaign is a draft', () => {
    expect(thrown(() => transitionPhase(phases, 'field', 'open', published)).message).toBe('本次述职评议考核没有「实地考核」阶段');
    const e = thrown(() => transitionPhase(phases, 'preparation', 'open', { ...published, campaignState: 'draft' }));
    expect(e.message).toBe('本次述职评议考核当前为「草稿」状态，不能开启或关闭阶段');
  });
});

describe('transitionCampaign', () => {
  it('runs draft → published → closed → archived', () => {
    const allClosed = startPhases(plans).map((p) => ({ ...p, state: 'closed' as const }));
    expect(transitionCampaign('draft', 'publish', [])).toBe('published');
    expect(transitionCampaign('published', 'close', allClosed)).toBe('closed');
    expect(transitionCampaign('closed', 'archive', allClosed)).toBe('archived');
  });

  it('refuses to end a campaign with a phase not closed, or to skip a state', () => {
    const phases = open(startPhases(plans), 'preparation');
    expect(thrown(() => transitionCampaign('published', 'close', phases)).message)
      .toBe('「准备」阶段尚未关闭，不能结束本次述职评议考核');
    expect(thrown(() => transitionCampaign('draft', 'archive', [])).message).toBe('本次述职评议考核当前为「草稿」状态，不能归档');
  });
});

describe('addDays', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2023-12-25', 10)).toBe('2024-01-04');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});
