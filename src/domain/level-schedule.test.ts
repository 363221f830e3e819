import { describe, expect, it } from 'vitest';
import { buildFromTemplate } from './campaign-templates';
import { validateSettings } from './campaign-settings';
import { assertWithinDeadline, subRoundPlan } from './level-schedule';
import type { PhaseKey } from './campaign-phases';

const childOf = (templateId: string, deadline: string) => {
  const s = buildFromTemplate(templateId, 2025).settings;
  const plan = subRoundPlan({
    parent: s.phases,
    deadline,
    mode: s.organizing.mode,
    resultsDueDate: s.summary.resultsDueDate,
    dueDaysBeforeMeeting: s.report.dueDaysBeforeMeeting,
  });
  const at = (k: PhaseKey) => plan.find((p) => p.key === k)!;
  const parent = (k: PhaseKey) => s.phases.find((p) => p.key === k)!;
  return { s, plan, at, parent };
};

describe('subRoundPlan (R-CAMP-2, R-CAMP-8): each level has its own dates', () => {
  it('R-CAMP-2 R-CAMP-8 001: 党支部 rounds end by 12月底, before the 分党委 meet the 校党委 in 1月初', () => {
    const { s, plan, at, parent } = childOf('001', '2025-12-31');
    expect(() => validateSettings({ ...s, phases: plan })).not.toThrow();
    expect(() => assertWithinDeadline(plan, '2025-12-31')).not.toThrow();
    expect(at('meeting').end < parent('meeting').start).toBe(true);
    expect(at('evaluation').end).toBe('2025-12-31');
    expect(at('rectification').end).toBe(parent('rectification').end);
  });

  it('R-CAMP-2 R-CAMP-8 002: 乡镇 by 12-25, 工委 by 1-15, results to the county by 1-20', () => {
    const town = childOf('002', '2025-12-25');
    expect(() => validateSettings({ ...town.s, phases: town.plan })).not.toThrow();
    expect(town.at('meeting').start >= '2025-12-01' && town.at('meeting').end <= '2025-12-25').toBe(true);
    expect(town.at('evaluation').end).toBe('2025-12-25');
    expect(town.at('summary').end).toBe('2026-01-20');
    // R-REP-4: reports still due the set number of days before the level's own meeting.
    expect(town.at('reports').end <= town.at('meeting').start).toBe(true);
    const committees = childOf('002', '2026-01-15');
    expect(() => validateSettings({ ...committees.s, phases: committees.plan })).not.toThrow();
    expect(committees.at('evaluation').end).toBe('2026-01-15');
    expect(committees.at('meeting').start > town.at('meeting').end).toBe(true);
    expect(committees.at('meeting').end < committees.parent('meeting').start).toBe(true);
    expect(committees.at('summary').end).toBe('2026-01-20');
  });

  it('R-CAMP-2 R-CAMP-8 004: top-down, the townships meet after the city has begun, by 12月底', () => {
    const { s, plan, at, parent } = childOf('004', '2025-12-31');
    expect(() => validateSettings({ ...s, phases: plan })).not.toThrow();
    expect(at('meeting').start >= parent('meeting').start).toBe(true);
    expect(at('evaluation').end).toBe('2025-12-31');
    // Dates before the city's meeting are kept.
    expect(at('reports')).toEqual(parent('reports'));
  });

  it("keeps the parent plan when the deadline falls after the parent's round", () => {
    const { plan, s } = childOf('002', '2026-03-01');
    expect(plan.filter((p) => p.key !== 'summary')).toEqual(s.phases.filter((p) => p.key !== 'summary'));
  });
});

describe('assertWithinDeadline (R-CAMP-8)', () => {
  it('R-CAMP-8: refuses a sub-round whose meeting falls after its own deadline, naming the phase', () => {
    const s = buildFromTemplate('002', 2025).settings;
    expect(() => assertWithinDeadline(s.phases, '2025-12-25')).toThrow(
      '本级述职评议考核须在2025年12月25日前完成，「述职报告」阶段应不晚于该日结束',
    );
    expect(() => assertWithinDeadline(s.phases, null)).not.toThrow();
  });
});
