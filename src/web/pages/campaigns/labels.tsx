import { Tag } from 'antd';
import { CAMPAIGN_STATE_LABELS, FILING_STATE_LABELS, type CampaignState } from '../../../domain/campaign-phases';
import type { FilingState } from '../../api/campaigns';
import { formatDateProse } from '../../lib/time';

export { CAMPAIGN_STATE_LABELS };

const STATE_COLORS: Record<CampaignState, string> = {
  draft: 'default',
  published: 'green',
  closed: 'blue',
  archived: 'purple',
};

export const FILING_LABELS: Record<FilingState, string> = FILING_STATE_LABELS;

const FILING_COLORS: Record<FilingState, string> = {
  not_required: 'default',
  pending: 'orange',
  filed: 'processing',
  acknowledged: 'success',
  returned: 'error',
};

export const StateTag = ({ state }: { state: CampaignState }) => (
  <Tag color={STATE_COLORS[state]} data-testid="campaign-state">
    {CAMPAIGN_STATE_LABELS[state] ?? state}
  </Tag>
);

export const FilingTag = ({ state }: { state: FilingState }) =>
  state === 'not_required' ? null : (
    <Tag color={FILING_COLORS[state]} data-testid="filing-state">
      方案{FILING_LABELS[state] ?? state}
    </Tag>
  );

export const PHASE_STATE_LABELS = { not_started: '未开启', open: '进行中', closed: '已关闭' } as const;

/** 2025-01-20 → 2025年1月20日 */
export const cnDate = (d: string | null | undefined) => (d ? formatDateProse(d) : '—');
