import { AppError } from './errors';
import { formatDateProse } from './calendar';

/**
 * Life of a rectification item (R-FIX-2): 未开始 → 整改中 → 待验收 → 已销号, with the upper level's
 * verification either closing it (销号) or sending it back. A closed item is never edited again:
 * reopening starts a new item that points to it, so the record of what was closed, and when, stays.
 * Dates are calendar dates 'YYYY-MM-DD' (Asia/Shanghai); the caller supplies today.
 */

export const RECT_STATUSES = ['not_started', 'in_progress', 'pending_verification', 'closed'] as const;
export type RectStatus = (typeof RECT_STATUSES)[number];

export const RECT_STATUS_LABELS: Record<RectStatus, string> = {
  not_started: '未开始',
  in_progress: '整改中',
  pending_verification: '待验收',
  closed: '已销号',
};

export const RECT_ACTIONS = ['start', 'submit', 'pass', 'fail', 'reopen'] as const;
export type RectAction = (typeof RECT_ACTIONS)[number];

const ACTIONS: Record<RectAction, { label: string; from: RectStatus; to: RectStatus; noteLabel?: string }> = {
  start: { label: '开始整改', from: 'not_started', to: 'in_progress' },
  submit: { label: '提交验收', from: 'in_progress', to: 'pending_verification' },
  pass: { label: '验收销号', from: 'pending_verification', to: 'closed' },
  fail: { label: '退回整改', from: 'pending_verification', to: 'in_progress', noteLabel: '验收意见' },
  reopen: { label: '重新整改', from: 'closed', to: 'closed', noteLabel: '重新整改原因' },
};

export interface TransitionResult {
  status: RectStatus;
  /** Only for reopen: the new item to create, in progress, pointing back at the closed one. */
  newItem?: { reopenedFrom: string; status: RectStatus; note: string };
}

export function applyAction(
  item: { id: string; status: RectStatus },
  action: RectAction,
  note?: string,
): TransitionResult {
  const rule = ACTIONS[action];
  if (!rule) throw new AppError('VALIDATION', `未知的整改操作「${action}」`, { field: 'action' });
  if (item.status !== rule.from) {
    throw new AppError(
      'TRANSITION_REFUSED',
      `只有“${RECT_STATUS_LABELS[rule.from]}”的整改事项才能${rule.label}，该事项当前为“${RECT_STATUS_LABELS[item.status]}”`,
      { field: 'status' },
    );
  }
  // Sending back or reopening without saying why leaves the owner nothing to act on.
  if (rule.noteLabel && !note?.trim()) {
    throw new AppError('VALIDATION', `${rule.label}须填写${rule.noteLabel}`, { field: 'note' });
  }
  if (action === 'reopen') {
    return { status: 'closed', newItem: { reopenedFrom: item.id, status: 'in_progress', note: note!.trim() } };
  }
  return { status: rule.to };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkDate(value: string, field: string, label: string): void {
  const m = DATE.exec(value);
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : null;
  if (!m || !d || d.getUTCFullYear() !== +m[1]! || d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]!) {
    throw new AppError('VALIDATION', `${label}应为有效日期（YYYY-MM-DD）`, { field });
  }
}

/** Overdue from the day after the deadline until the item is closed (待验收 included: it is not closed yet). */
export function isOverdue(item: { status: RectStatus; deadline: string }, today: string): boolean {
  checkDate(item.deadline, 'deadline', '整改时限');
  checkDate(today, 'today', '当前日期');
  return item.status !== 'closed' && item.deadline < today;
}

/** "整改中（已逾期）" for lists. */
export function statusText(item: { status: RectStatus; deadline: string }, today: string): string {
  const label = RECT_STATUS_LABELS[item.status];
  return isOverdue(item, today) ? `${label}（已逾期）` : label;
}

export interface RectItemDraft {
  problem: string;
  owner: string;
  measures: string;
  deadline: string;
  createdOn: string;
}

export function validateItem(draft: RectItemDraft): void {
  const required: Array<[keyof RectItemDraft, string]> = [
    ['problem', '问题'],
    ['owner', '责任人'],
    ['measures', '整改措施'],
  ];
  for (const [field, label] of required) {
    if (!draft[field]?.trim()) throw new AppError('VALIDATION', `${label}不能为空`, { field });
  }
  checkDate(draft.createdOn, 'createdOn', '创建日期');
  checkDate(draft.deadline, 'deadline', '整改时限');
  if (draft.deadline < draft.createdOn) {
    throw new AppError(
      'VALIDATION',
      `整改时限（${formatDateProse(draft.deadline)}）不能早于创建日期（${formatDateProse(draft.createdOn)}）`,
      {
        field: 'deadline',
      },
    );
  }
}

export interface SubItem {
  weight: number;
  status: RectStatus;
  /** 0–100, reported by the owner; read only while the sub-item is in progress or awaiting verification. */
  progress?: number;
}

/**
 * Weighted progress of an item's sub-items, as a percentage to one decimal (half up). A closed sub-item
 * counts 100 and one not started counts 0 whatever was typed. Weights are relative (need not sum to 100).
 * null when there are no sub-items: the item's own progress stands.
 */
export function rollupProgress(subItems: readonly SubItem[]): number | null {
  if (subItems.length === 0) return null;
  let total = 0;
  let weighted = 0;
  subItems.forEach((s, i) => {
    if (!Number.isFinite(s.weight) || s.weight < 0) {
      throw new AppError('VALIDATION', `第${i + 1}个子项的权重应为不小于0的数`, { field: 'weight' });
    }
    const p = s.status === 'closed' ? 100 : s.status === 'not_started' ? 0 : (s.progress ?? 0);
    if (!Number.isFinite(p) || p < 0 || p > 100) {
      throw new AppError('VALIDATION', `第${i + 1}个子项的进度应在0到100之间`, { field: 'progress' });
    }
    total += s.weight;
    weighted += s.weight * p;
  });
  if (total === 0) throw new AppError('VALIDATION', '子项权重之和须大于0', { field: 'weight' });
  return Math.round(Number(((weighted / total) * 10).toPrecision(12))) / 10;
}
