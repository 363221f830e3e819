import { Tag } from 'antd';
import type { RectItem, RectStatus } from '../../api/rectification';

export const STATUS_OPTIONS: { value: RectStatus; label: string }[] = [
  { value: 'not_started', label: '未开始' },
  { value: 'in_progress', label: '整改中' },
  { value: 'pending_verification', label: '待验收' },
  { value: 'closed', label: '已销号' },
];

export const SOURCE_OPTIONS = [
  { value: 'self_review', label: '自我查摆（述职报告）' },
  { value: 'comment', label: '会议点评' },
  { value: 'ballot_text', label: '测评意见' },
  { value: 'field_item', label: '实地考核' },
  { value: 'survey_item', label: '满意度调查' },
  { value: 'research_visit', label: '调研走访' },
  { value: 'inspection', label: '巡视巡察反馈' },
  { value: 'carry_over', label: '上年度结转' },
  { value: 'reopen', label: '重新整改' },
];

const COLORS: Record<RectStatus, string> = {
  not_started: 'default',
  in_progress: 'processing',
  pending_verification: 'warning',
  closed: 'success',
};

/** Overdue items are red whatever their status (R-FIX-2: flagged and escalated). */
export function StatusTag({ item }: { item: Pick<RectItem, 'status' | 'statusLabel' | 'overdue'> }) {
  return (
    <Tag color={item.overdue ? 'error' : COLORS[item.status]} data-testid="rect-status">
      {item.statusLabel}
    </Tag>
  );
}
