import { describe, expect, it } from 'vitest';
import { assertLevelOrder, type LevelOrderInput, type MeetingWindow } from './campaign-order';
import { AppError } from './errors';

const meeting = (start: string, end: string, status: MeetingWindow['status']): MeetingWindow => ({
  start,
  end,
  status,
});
const base: LevelOrderInput = {
  phaseKey: 'meeting',
  action: 'open',
  self: meeting('2026-01-02', '2026-01-10', 'not_started'),
  parent: null,
  children: [],
};
const refusal = (input: Partial<LevelOrderInput>) => {
  try {
    assertLevelOrder({ ...base, ...input });
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  return null;
};

describe('assertLevelOrder (R-CAMP-2, R-CAMP-8): the levels follow their own schedules', () => {
  it('R-CAMP-2 R-CAMP-8 001: a 党支部 round planned before the 分党委 meets opens early although the parent has not begun', () => {
    // 分党委 hears its 党支部 by 12月底; the 校党委 hears the 分党委 in 1月初.
    const self = meeting('2025-12-20', '2025-12-25', 'not_started');
    expect(
      refusal({
        self,
        parent: { organizerName: '校党委', meeting: meeting('2026-01-02', '2026-01-10', 'not_started') },
      }),
    ).toBeNull();
  });

  it('R-CAMP-2 R-CAMP-8 004: a township planned to meet after the city may not open early before the city has begun', () => {
    const self = meeting('2025-12-21', '2025-12-31', 'not_started');
    const parent = (status: MeetingWindow['status']) => ({
      organizerName: '市委',
      meeting: meeting('2025-12-15', '2025-12-25', status),
    });
    const err = refusal({ self, parent: parent('not_started') });
    expect(err?.status).toBe(409);
    expect(err?.code).toBe('LEVEL_ORDER');
    expect(err?.message).toBe(
      '按计划，上级「市委」的述职评议会（2025年12月15日—12月25日）先于本级召开，上级尚未开始，本级不能提前开启述职评议会',
    );
    expect(refusal({ self, parent: parent('open') })).toBeNull();
    expect(refusal({ self, parent: parent('closed') })).toBeNull();
    // Only the meeting phase, and only opening it.
    expect(refusal({ self, parent: parent('not_started'), phaseKey: 'reports' })).toBeNull();
    expect(refusal({ self, parent: parent('not_started'), action: 'extend' })).toBeNull();
    expect(refusal({ self, parent: parent('not_started'), action: 'reopen' })).toBeNull();
  });

  it('R-CAMP-2 R-CAMP-8 002: the county may not close its meeting while a level planned to meet before it has not finished', () => {
    const self = meeting('2026-01-22', '2026-01-25', 'open');
    const children = [
      { organizerName: '甲一镇党委', meeting: meeting('2025-12-20', '2025-12-22', 'closed') },
      { organizerName: '甲二镇党委', meeting: meeting('2025-12-20', '2025-12-22', 'open') },
      { organizerName: '甲县社区工委', meeting: meeting('2026-01-08', '2026-01-10', 'not_started') },
      { organizerName: '甲三镇党委', meeting: meeting('2025-12-20', '2025-12-22', 'ended') },
    ];
    const err = refusal({ self, action: 'close', children });
    expect(err?.message).toBe(
      '按计划，「甲二镇党委」、「甲县社区工委」的述职评议会先于本级召开，尚未结束，本级不能关闭述职评议会',
    );
    expect(refusal({ self, action: 'close', children: [children[0]!, children[3]!] })).toBeNull();
    // A level planned to meet after this one does not hold it back (004's townships).
    expect(
      refusal({
        self,
        action: 'close',
        children: [{ organizerName: '乙镇党委', meeting: meeting('2026-01-26', '2026-01-30', 'not_started') }],
      }),
    ).toBeNull();
    expect(refusal({ self, action: 'close', children, phaseKey: 'evaluation' })).toBeNull();
  });

  it('R-CAMP-2 names at most five pending sub-campaigns and counts the rest', () => {
    const self = meeting('2026-01-22', '2026-01-25', 'open');
    const children = Array.from({ length: 7 }, (_, i) => ({
      organizerName: `第${i + 1}镇党委`,
      meeting: meeting('2025-12-20', '2025-12-25', 'open'),
    }));
    const err = refusal({ self, action: 'close', children });
    expect(err?.message).toContain(
      '「第1镇党委」、「第2镇党委」、「第3镇党委」、「第4镇党委」、「第5镇党委」等7个下级的述职评议会先于本级召开',
    );
    expect(err?.message).not.toContain('第6镇党委');
  });
});
