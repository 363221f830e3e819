import { describe, it, expect } from 'vitest';
import { AppError } from './errors';
import {
  addDays,
  cnRange,
  phaseStatus,
  startPhases,
  transitionCampaign,
  transitionPhase,
  validatePhasePlans,
  type PhasePlan,
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
    expect(thrown(() => validatePhasePlans(plans.filter((p) => p.key !== 'meeting'))).message).toBe(
      '缺少「述职评议会」阶段',
    );
  });
});

describe('phaseStatus (R-CAMP-8)', () => {
  const [prep] = startPhases(plans);
  it('R-CAMP-8: a phase opens by itself on its start date and ends after its end date', () => {
    expect(phaseStatus(prep, '2023-11-19')).toBe('not_started');
    expect(phaseStatus(prep, '2023-11-20')).toBe('open');
    expect(phaseStatus(prep, '2023-11-30')).toBe('open');
    expect(phaseStatus(prep, '2023-12-01')).toBe('ended');
  });
  it('R-CAMP-8: an early opening holds until the end; a closing holds whatever the date', () => {
    expect(phaseStatus({ ...prep, state: 'open' }, '2023-11-01')).toBe('open');
    expect(phaseStatus({ ...prep, state: 'open' }, '2023-12-01')).toBe('ended');
    expect(phaseStatus({ ...prep, state: 'closed' }, '2023-11-25')).toBe('closed');
  });
});

describe('transitionPhase (R-CAMP-8)', () => {
  const phases = startPhases(plans);
  const before = { campaignState: 'published' as const, today: '2023-11-10', by: '县委组织部(admin)' };

  it('R-CAMP-8: opening early needs a reason, is recorded on the phase, and needs the phase before it begun', () => {
    const e = thrown(() => transitionPhase(phases, 'preparation', 'open', before));
    expect(e.code).toBe('REASON_REQUIRED');
    expect(e.message).toBe('提前开启「准备」阶段须填写理由');
    const opened = transitionPhase(phases, 'preparation', 'open', { ...before, reason: '提前部署' });
    expect(opened[0]).toMatchObject({ state: 'open', openedOn: '2023-11-10' });
    expect(opened[0]!.overrides).toEqual([
      { kind: 'open_early', on: '2023-11-10', reason: '提前部署', by: '县委组织部(admin)' },
    ]);
    expect(phaseStatus(opened[0]!, '2023-11-10')).toBe('open');
    expect(thrown(() => transitionPhase(phases, 'reports', 'open', { ...before, reason: 'x' })).message).toBe(
      '「准备」阶段尚未开始，不能提前开启「述职报告」阶段',
    );
    expect(thrown(() => transitionPhase(opened, 'preparation', 'open', { ...before, reason: 'x' })).message).toBe(
      '「准备」阶段已开启',
    );
    // On its dates a phase is already open: there is nothing to open.
    expect(
      thrown(() => transitionPhase(phases, 'preparation', 'open', { ...published, today: '2023-11-25', reason: 'x' }))
        .message,
    ).toBe('「准备」阶段已开启');
  });

  it('R-CAMP-8: extending moves the end with a reason, keeping the planned end', () => {
    const late = { ...published, today: '2023-12-03' };
    expect(thrown(() => transitionPhase(phases, 'preparation', 'open', { ...late, reason: 'x' })).message).toBe(
      '「准备」阶段已于2023年11月30日结束，如需继续请延长该阶段',
    );
    expect(thrown(() => transitionPhase(phases, 'preparation', 'extend', { ...late, reason: '补充调研' })).code).toBe(
      'END_REQUIRED',
    );
    expect(
      thrown(() => transitionPhase(phases, 'preparation', 'extend', { ...late, reason: '补充调研', end: '2023-12-02' }))
        .message,
    ).toBe('「准备」阶段新的结束日期不能早于今天（2023年12月3日）');
    expect(thrown(() => transitionPhase(phases, 'preparation', 'extend', { ...late, end: '2023-12-05' })).message).toBe(
      '延长「准备」阶段须填写理由',
    );
    const extended = transitionPhase(phases, 'preparation', 'extend', {
      ...late,
      reason: '补充调研',
      end: '2023-12-05',
    });
    expect(extended[0]).toMatchObject({ end: '2023-12-05', plannedEnd: '2023-11-30' });
    expect(extended[0]!.overrides?.[0]).toMatchObject({
      kind: 'extend',
      reason: '补充调研',
      end: { from: '2023-11-30', to: '2023-12-05' },
    });
    expect(phaseStatus(extended[0]!, '2023-12-03')).toBe('open');
  });

  it('closes a running or ended phase, stamping the day given; refuses one not begun', () => {
    const closed = transitionPhase(phases, 'reports', 'close', { ...published, today: '2023-12-11' });
    expect(closed[1]).toMatchObject({ state: 'closed', closedOn: '2023-12-11' });
    expect(phases[1]!.state).toBe('not_started');
    expect(thrown(() => transitionPhase(phases, 'review', 'close', published)).message).toBe(
      '「审核」阶段尚未开始，不能关闭',
    );
    expect(thrown(() => transitionPhase(closed, 'reports', 'close', published)).message).toBe('「述职报告」阶段已关闭');
    expect(transitionPhase(phases, 'preparation', 'close', published)[0]).toMatchObject({ state: 'closed' });
  });

  it('reopening requires a closed phase and a reason, and a new end once the end has passed', () => {
    const closed = transitionPhase(phases, 'reports', 'close', published);
    expect(thrown(() => transitionPhase(closed, 'reports', 'open', published)).message).toContain('重新开启');
    const e = thrown(() => transitionPhase(closed, 'reports', 'reopen', { ...published, reason: '  ' }));
    expect(e.code).toBe('REASON_REQUIRED');
    expect(e.details).toEqual({ field: 'reason' });
    const reopened = transitionPhase(closed, 'reports', 'reopen', { ...published, reason: '补充材料' });
    expect(reopened[1]).toMatchObject({ state: 'open', closedOn: null, reopenReason: '补充材料', end: '2023-12-11' });
    expect(thrown(() => transitionPhase(reopened, 'reports', 'reopen', { ...published, reason: 'x' })).message).toBe(
      '「述职报告」阶段未关闭，无需重新开启',
    );
    const after = { ...published, today: '2023-12-20', reason: '补报' };
    expect(thrown(() => transitionPhase(closed, 'reports', 'reopen', after)).code).toBe('END_REQUIRED');
    expect(transitionPhase(closed, 'reports', 'reopen', { ...after, end: '2023-12-22' })[1]).toMatchObject({
      state: 'open',
      end: '2023-12-22',
    });
  });

  it('refuses phases the campaign does not have, and any change while the campaign is a draft', () => {
    expect(thrown(() => transitionPhase(phases, 'field', 'open', published)).message).toBe(
      '本次述职评议考核没有「实地考核」阶段',
    );
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

  it('R-CAMP-8: refuses to end a campaign with a phase running or to come; phases past their end count as over', () => {
    const phases = startPhases(plans);
    expect(thrown(() => transitionCampaign('published', 'close', phases, '2023-11-25')).message).toBe(
      '「准备」阶段尚未结束，不能结束本次述职评议考核',
    );
    expect(transitionCampaign('published', 'close', phases, '2024-01-01')).toBe('closed');
    expect(thrown(() => transitionCampaign('draft', 'archive', [])).message).toBe(
      '本次述职评议考核当前为「草稿」状态，不能归档',
    );
  });
});

describe('cnRange', () => {
  it('writes the year once when both dates share it', () => {
    expect(cnRange('2026-01-05', '2026-01-15')).toBe('2026年1月5日—1月15日');
    expect(cnRange('2025-12-26', '2026-01-14')).toBe('2025年12月26日—2026年1月14日');
  });
});

describe('addDays', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2023-12-25', 10)).toBe('2024-01-04');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});
