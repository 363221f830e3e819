import { Tag } from 'antd';
import type { ReportState } from '../../api/reports';
import { ACTION_LABELS as REVIEW_ACTION_LABELS } from '../../../domain/report-review';

export const STATE_COLORS: Record<ReportState | 'none', string> = {
  none: 'default',
  draft: 'default',
  submitted: 'processing',
  resubmitted: 'processing',
  returned: 'warning',
  rewrite_ordered: 'error',
  approved: 'success',
  signed: 'success',
};

export function StateTag({ state, label }: { state: ReportState | 'none'; label: string }) {
  return (
    <Tag color={STATE_COLORS[state]} data-testid="report-state" data-state={state}>
      {label}
    </Tag>
  );
}

export function DueTag({
  dueDate,
  daysLeft,
  overdue,
  submitted,
}: {
  dueDate: string | null;
  daysLeft: number | null;
  overdue: boolean;
  submitted: boolean;
}) {
  if (!dueDate) return <Tag>未定报送时间</Tag>;
  if (overdue) return <Tag color="error">已逾期（截止{dueDate}）</Tag>;
  if (!submitted && daysLeft !== null && daysLeft <= 3)
    return (
      <Tag color="warning">
        {daysLeft === 0 ? '今天截止' : `还剩${daysLeft}天`}（截止{dueDate}）
      </Tag>
    );
  return <Tag>截止{dueDate}</Tag>;
}

/** The review actions as the server words them in its refusals (one table, src/domain/report-review.ts). */
export const ACTION_LABELS: Record<string, string> = REVIEW_ACTION_LABELS;

export { formatDateTime as formatTime } from '../../lib/time';

export const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)}MB` : `${Math.max(1, Math.round(bytes / 1024))}KB`;
