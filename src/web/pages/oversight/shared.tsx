import { Button, Result, Segmented, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { CAMPAIGN_STATE_LABELS, FILING_STATE_LABELS } from '../../../domain/campaign-phases';
import { isApiError } from '../../api/client';
import type { CampaignBrief, PhaseWindow } from '../../api/oversight';
import { NoAccess } from '../../components/no-access';
import { useCampaign } from '../../lib/query';

// The words come from src/domain (the same the server sends and exports); only the colours are this page's.
const withColors = <K extends string>(labels: Record<K, string>, colors: Record<K, string>) =>
  Object.fromEntries(
    Object.entries<string>(labels).map(([k, label]) => [k, { label, color: colors[k as K] }]),
  ) as Record<string, { label: string; color: string }>;

export const STATE_LABELS = withColors(CAMPAIGN_STATE_LABELS, {
  draft: 'default',
  published: 'processing',
  closed: 'success',
  archived: 'default',
});

export const FILING_LABELS = withColors(FILING_STATE_LABELS, {
  not_required: 'default',
  pending: 'warning',
  filed: 'processing',
  acknowledged: 'success',
  returned: 'error',
});

export const ROLE_LABELS: Record<string, string> = {
  org_admin: '组织部管理员',
  leader: '领导/审核人',
  assessor: '考评组成员',
  observer: '观察员',
};

export const StateTag = ({ state }: { state: string }) => {
  const s = STATE_LABELS[state];
  return <Tag color={s?.color}>{s?.label ?? state}</Tag>;
};
export const FilingTag = ({ state }: { state: string }) => {
  const s = FILING_LABELS[state];
  return <Tag color={s?.color}>{s?.label ?? state}</Tag>;
};

export function phaseWindow(p: PhaseWindow | null | undefined): string {
  if (!p?.start) return '未安排';
  return p.start === p.end || !p.end ? p.start : `${p.start} 至 ${p.end}`;
}

/** The tabs, offered by the campaign's permissions.pages (the oversight module's policy), so no tab leads to a 403 page. */
export const OVERSIGHT_TABS = [
  { value: 'progress', label: '进度' },
  { value: 'observers', label: '观察员' },
  { value: 'visits', label: '调研走访' },
] as const;

/** Title line shared by the three oversight pages of one campaign, with a switch between them. */
export function CampaignHeader({ campaign, extra }: { campaign: CampaignBrief | null; extra?: ReactNode }) {
  const navigate = useNavigate();
  const location = useLocation();
  const pages = useCampaign(campaign?.id ?? null).data?.permissions.pages;
  const tabs = OVERSIGHT_TABS.filter((t) => pages?.[t.value]).map(({ value, label }) => ({ value, label }));
  const current = OVERSIGHT_TABS.find((t) => location.pathname.endsWith(`/${t.value}`))?.value ?? 'progress';
  return (
    <div
      className="oversight-header"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center', marginBottom: 12 }}
    >
      <div style={{ flex: '1 1 320px', minWidth: 0 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {campaign ? campaign.title : '述职评议考核'}
        </Typography.Title>
        {campaign && (
          <Typography.Text type="secondary">
            组织单位：{campaign.organizerName} · {campaign.year}年度 ·{' '}
            <Link to={`/campaigns/${campaign.id}`}>方案详情</Link>
          </Typography.Text>
        )}
      </div>
      <Space wrap>
        {campaign && tabs.length > 1 && (
          <Segmented
            options={tabs}
            value={current}
            onChange={(v) => navigate(`/campaigns/${campaign.id}/${v as string}`)}
          />
        )}
        {extra}
      </Space>
    </div>
  );
}

/** A refused or missing campaign reads as a page, not as a toast over an empty table. */
export function LoadError({ error }: { error: unknown }) {
  const status = isApiError(error) ? error.status : 0;
  if (status === 403) return <NoAccess />;
  const message = isApiError(error) ? error.message : '加载失败，请稍后重试';
  return (
    <Result
      status={status === 404 ? '404' : 'error'}
      title={status === 404 ? '不存在' : '加载失败'}
      subTitle={message}
      extra={<Button onClick={() => window.location.reload()}>重新加载</Button>}
    />
  );
}
