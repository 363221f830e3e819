import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import {
  applyAction,
  isOverdue,
  rollupProgress,
  statusText,
  validateItem,
  type RectAction,
  type RectStatus,
} from './rectification-status';

const item = (status: RectStatus) => ({ id: 'i1', status });
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('rectification transitions', () => {
  it('R-FIX-2: 未开始 → 整改中 → 待验收 → 已销号', () => {
    expect(applyAction(item('not_started'), 'start')).toEqual({ status: 'in_progress' });
    expect(applyAction(item('in_progress'), 'submit')).toEqual({ status: 'pending_verification' });
    expect(applyAction(item('pending_verification'), 'pass')).toEqual({ status: 'closed' });
  });

  it('R-FIX-2: a failed verification goes back to 整改中 and must say why', () => {
    expect(applyAction(item('pending_verification'), 'fail', '佐证材料不全')).toEqual({ status: 'in_progress' });
    const e = thrown(() => applyAction(item('pending_verification'), 'fail', ' '));
    expect(e.message).toBe('退回整改须填写验收意见');
    expect(e.details).toEqual({ field: 'note' });
  });

  it('R-FIX-2: reopening leaves the closed item closed and returns the new item to create', () => {
    expect(applyAction(item('closed'), 'reopen', '问题反弹')).toEqual({
      status: 'closed',
      newItem: { reopenedFrom: 'i1', status: 'in_progress', note: '问题反弹' },
    });
    expect(thrown(() => applyAction(item('closed'), 'reopen')).message).toBe('重新整改须填写重新整改原因');
  });

  it.each<[RectStatus, RectAction, string]>([
    ['in_progress', 'pass', '只有“待验收”的整改事项才能验收销号，该事项当前为“整改中”'],
    ['not_started', 'submit', '只有“整改中”的整改事项才能提交验收，该事项当前为“未开始”'],
    ['closed', 'start', '只有“未开始”的整改事项才能开始整改，该事项当前为“已销号”'],
    ['in_progress', 'reopen', '只有“已销号”的整改事项才能重新整改，该事项当前为“整改中”'],
    ['closed', 'fail', '只有“待验收”的整改事项才能退回整改，该事项当前为“已销号”'],
  ])('R-FIX-2: refuses %s → %s', (status, action, message) => {
    const e = thrown(() => applyAction(item(status), action, '说明'));
    expect(e.code).toBe('TRANSITION_REFUSED');
    expect(e.message).toBe(message);
  });

  it('refuses an unknown action', () => {
    expect(thrown(() => applyAction(item('closed'), 'delete' as RectAction)).message).toBe('未知的整改操作「delete」');
  });
});

describe('overdue', () => {
  it('R-FIX-2: overdue from the day after the deadline until closed', () => {
    expect(isOverdue({ status: 'in_progress', deadline: '2025-03-31' }, '2025-03-31')).toBe(false);
    expect(isOverdue({ status: 'in_progress', deadline: '2025-03-31' }, '2025-04-01')).toBe(true);
    expect(isOverdue({ status: 'not_started', deadline: '2024-12-31' }, '2025-01-01')).toBe(true);
    expect(isOverdue({ status: 'pending_verification', deadline: '2025-03-31' }, '2025-04-01')).toBe(true);
    expect(isOverdue({ status: 'closed', deadline: '2025-03-31' }, '2026-01-01')).toBe(false);
    expect(statusText({ status: 'in_progress', deadline: '2025-03-31' }, '2025-04-01')).toBe('整改中（已逾期）');
    expect(statusText({ status: 'closed', deadline: '2025-03-31' }, '2025-04-01')).toBe('已销号');
  });

  it('refuses dates that do not exist', () => {
    expect(thrown(() => isOverdue({ status: 'in_progress', deadline: '2025-02-29' }, '2025-03-01')).message).toBe(
      '整改时限应为有效日期（YYYY-MM-DD）',
    );
    expect(thrown(() => isOverdue({ status: 'in_progress', deadline: '2024-02-29' }, '2025/03/01')).details).toEqual({
      field: 'today',
    });
  });
});

describe('validating an item', () => {
  const draft = {
    problem: '党员活动室使用率低',
    owner: '张三',
    measures: '每月固定主题党日',
    createdOn: '2025-01-10',
    deadline: '2025-06-30',
  };

  it('R-FIX-2: refuses a deadline before the creation date, accepts the same day', () => {
    expect(() => validateItem(draft)).not.toThrow();
    expect(() => validateItem({ ...draft, deadline: '2025-01-10' })).not.toThrow();
    const e = thrown(() => validateItem({ ...draft, deadline: '2025-01-09' }));
    expect(e.message).toBe('整改时限（2025年1月9日）不能早于创建日期（2025年1月10日）');
    expect(e.details).toEqual({ field: 'deadline' });
  });

  it('R-FIX-2: owner, measures and problem are required', () => {
    expect(thrown(() => validateItem({ ...draft, owner: ' ' })).message).toBe('责任人不能为空');
    expect(thrown(() => validateItem({ ...draft, measures: '' })).details).toEqual({ field: 'measures' });
    expect(thrown(() => validateItem({ ...draft, problem: '' })).message).toBe('问题不能为空');
    expect(thrown(() => validateItem({ ...draft, createdOn: '2025-13-01' })).message).toBe(
      '创建日期应为有效日期（YYYY-MM-DD）',
    );
  });
});

describe('progress roll-up', () => {
  it('R-FIX-2: weighted by sub-item, closed counts 100 and not started 0', () => {
    expect(
      rollupProgress([
        { weight: 2, status: 'closed', progress: 10 },
        { weight: 1, status: 'in_progress', progress: 50 },
        { weight: 1, status: 'not_started', progress: 80 },
      ]),
    ).toBe(62.5);
    expect(
      rollupProgress([
        { weight: 1, status: 'pending_verification', progress: 90 },
        { weight: 2, status: 'in_progress' },
      ]),
    ).toBe(30);
  });

  it('rounds half up to one decimal', () => {
    expect(
      rollupProgress([
        { weight: 1, status: 'closed' },
        { weight: 2, status: 'not_started' },
      ]),
    ).toBe(33.3);
    expect(
      rollupProgress([
        { weight: 2, status: 'closed' },
        { weight: 1, status: 'not_started' },
      ]),
    ).toBe(66.7);
    expect(rollupProgress([{ weight: 3, status: 'in_progress', progress: 0.05 }])).toBe(0.1);
  });

  it('is null without sub-items and refuses bad weights or progress', () => {
    expect(rollupProgress([])).toBeNull();
    expect(thrown(() => rollupProgress([{ weight: 0, status: 'closed' }])).message).toBe('子项权重之和须大于0');
    expect(thrown(() => rollupProgress([{ weight: -1, status: 'closed' }])).message).toBe(
      '第1个子项的权重应为不小于0的数',
    );
    expect(thrown(() => rollupProgress([{ weight: 1, status: 'in_progress', progress: 120 }])).message).toBe(
      '第1个子项的进度应在0到100之间',
    );
  });
});
