import { describe, expect, it } from 'vitest';
import { startPhases, transitionPhase, type PhasePlan } from './campaign-phases';
import { AppError } from './errors';
import { assertStep, checkStep } from './phase-gates';

const plans: PhasePlan[] = [
  { key: 'reports', start: '2025-12-26', end: '2026-01-14' },
  { key: 'review', start: '2026-01-05', end: '2026-01-20' },
  { key: 'meeting', start: '2026-01-22', end: '2026-01-25' },
  { key: 'evaluation', start: '2026-01-26', end: '2026-01-31' },
];
const phases = startPhases(plans);

describe('checkStep (R-CAMP-8): each step belongs to a phase', () => {
  it('R-CAMP-8: refuses a step before its phase, naming the phase and its dates in Chinese', () => {
    const c = checkStep(phases, 'ballot.open', '2026-01-11');
    expect(c.allowed).toBe(false);
    expect(c.reason).toBe('「述职评议会」阶段尚未开始（2026年1月22日—1月25日），不能开始投票');
    expect(c.note).toBe('等待「述职评议会」阶段开始（2026年1月22日）');
    expect(checkStep(phases, 'report.submit', '2025-12-01').reason).toBe(
      '「述职报告」阶段尚未开始（2025年12月26日—2026年1月14日），不能提交述职报告',
    );
  });

  it('R-CAMP-8: allows a step while its phase runs, and after its end refuses with how to continue', () => {
    expect(checkStep(phases, 'ballot.open', '2026-01-22')).toMatchObject({
      allowed: true,
      reason: null,
      note: '「述职评议会」阶段进行中，2026年1月25日截止',
    });
    expect(checkStep(phases, 'evaluation.lock', '2026-02-01').reason).toBe(
      '「综合评价」阶段已于2026年1月31日结束（2026年1月26日—1月31日），不能锁定综合评价结果；如需继续，请组织单位延长该阶段',
    );
  });

  it('R-CAMP-8: a returned report may be revised and handed back during 审核 after 述职报告 has ended; a first draft may not', () => {
    expect(checkStep(phases, 'report.revise', '2026-01-18')).toMatchObject({
      allowed: true,
      note: '「审核」阶段进行中，2026年1月20日截止',
    });
    expect(checkStep(phases, 'report.revise', '2026-01-21').allowed).toBe(false);
    expect(checkStep(phases, 'report.write', '2026-01-18').reason).toBe(
      '「述职报告」阶段已于2026年1月14日结束（2025年12月26日—2026年1月14日），不能撰写述职报告；如需继续，请组织单位延长该阶段',
    );
  });

  it('R-CAMP-8: a step whose phase the plan leaves out belongs to the next one it names (实地考核 → 综合评价)', () => {
    expect(checkStep(phases, 'field.score', '2026-01-27')).toMatchObject({
      allowed: true,
      phase: { key: 'evaluation' },
    });
    expect(checkStep(phases, 'report.review', '2026-01-06').phase.key).toBe('review');
  });

  it("R-CAMP-8: the organizer's early opening and closing decide over the dates", () => {
    const early = transitionPhase(phases, 'meeting', 'open', {
      campaignState: 'published',
      today: '2026-01-21',
      reason: '会议提前一天召开',
    });
    // 审核 must have begun for 述职评议会 to open early: it has (01-05).
    expect(checkStep(early, 'ballot.open', '2026-01-21').allowed).toBe(true);
    const closed = transitionPhase(phases, 'meeting', 'close', { campaignState: 'published', today: '2026-01-23' });
    expect(checkStep(closed, 'ballot.open', '2026-01-23').reason).toBe(
      '「述职评议会」阶段已于2026年1月23日关闭（2026年1月22日—1月25日），不能开始投票；如需继续，请组织单位重新开启该阶段',
    );
  });

  it('assertStep throws a 409 PHASE_NOT_OPEN with the phase key', () => {
    try {
      assertStep(phases, 'evaluation.compute', '2026-01-01');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(409);
      expect((e as AppError).code).toBe('PHASE_NOT_OPEN');
      expect((e as AppError).details).toMatchObject({ phase: 'evaluation', step: 'evaluation.compute' });
    }
  });
});
