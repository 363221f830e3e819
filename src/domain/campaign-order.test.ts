import { describe, expect, it } from 'vitest';
import { assertLevelOrder, type LevelOrderInput } from './campaign-order';
import { AppError } from './errors';

const base: LevelOrderInput = { phaseKey: 'meeting', action: 'open', parent: null, mode: 'top_down', children: [] };
const refusal = (input: Partial<LevelOrderInput>) => {
  try {
    assertLevelOrder({ ...base, ...input });
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  return null;
};

describe('assertLevelOrder (R-CAMP-2)', () => {
  const parent = (mode: 'top_down' | 'bottom_up', meeting: 'not_started' | 'open' | 'closed') =>
    ({ organizerName: '甲县委', mode, meeting });

  it('R-CAMP-2 top-down: a sub-campaign may not open its meeting before the parent has opened its own', () => {
    const err = refusal({ parent: parent('top_down', 'not_started') });
    expect(err?.status).toBe(409);
    expect(err?.code).toBe('LEVEL_ORDER');
    expect(err?.message).toContain('上级「甲县委」的述职评议会尚未开启');
    expect(refusal({ parent: parent('top_down', 'open') })).toBeNull();
    expect(refusal({ parent: parent('top_down', 'closed') })).toBeNull();
  });

  it('R-CAMP-2 top-down order applies only to the meeting phase and to opening it', () => {
    expect(refusal({ parent: parent('top_down', 'not_started'), phaseKey: 'reports' })).toBeNull();
    expect(refusal({ parent: parent('top_down', 'not_started'), action: 'close' })).toBeNull();
    expect(refusal({ parent: parent('top_down', 'not_started'), action: 'reopen' })).toBeNull();
  });

  it('R-CAMP-2 a bottom-up parent does not hold back its sub-campaigns from opening', () => {
    expect(refusal({ parent: parent('bottom_up', 'not_started') })).toBeNull();
  });

  it('R-CAMP-2 bottom-up: the parent may not close its meeting while a sub-campaign has not closed its own', () => {
    const children = [
      { organizerName: '甲一镇党委', meeting: 'closed' as const },
      { organizerName: '甲二镇党委', meeting: 'open' as const },
      { organizerName: '甲县社区工委', meeting: 'not_started' as const },
    ];
    const err = refusal({ mode: 'bottom_up', action: 'close', children });
    expect(err?.status).toBe(409);
    expect(err?.message).toBe('本次述职评议考核为自下而上开展，「甲二镇党委」、「甲县社区工委」的述职评议会尚未结束，本级不能关闭述职评议会');
    expect(refusal({ mode: 'bottom_up', action: 'close', children: [children[0]] })).toBeNull();
    expect(refusal({ mode: 'bottom_up', action: 'close', children: [] })).toBeNull();
    // Top-down, or another phase, or opening: the lower levels do not hold the parent back.
    expect(refusal({ mode: 'top_down', action: 'close', children })).toBeNull();
    expect(refusal({ mode: 'bottom_up', action: 'close', children, phaseKey: 'evaluation' })).toBeNull();
    expect(refusal({ mode: 'bottom_up', action: 'open', children })).toBeNull();
  });

  it('R-CAMP-2 names at most five pending sub-campaigns and counts the rest', () => {
    const children = Array.from({ length: 7 }, (_, i) => ({ organizerName: `第${i + 1}镇党委`, meeting: 'open' as const }));
    const err = refusal({ mode: 'bottom_up', action: 'close', children });
    expect(err?.message).toContain('「第1镇党委」、「第2镇党委」、「第3镇党委」、「第4镇党委」、「第5镇党委」等7个下级的述职评议会尚未结束');
    expect(err?.message).not.toContain('第6镇党委');
  });
});
