import { ArrowLeftOutlined, EyeOutlined, FundOutlined, TeamOutlined, CarOutlined, ScheduleOutlined, CheckSquareOutlined } from '@ant-design/icons';
import { TrophyOutlined } from '@ant-design/icons';
import { SmileOutlined } from '@ant-design/icons';
import { Button, Card, Result, Skeleton, Space, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { campaignsApi, type CampaignDetail } from '../../api/campaigns';
import { useUser } from '../../auth/auth-context';
import { canManageCampaigns } from '../../lib/access';
import { FilingsTab } from './filings-tab';
import { FilingTag, StateTag } from './labels';
import { OverviewTab } from './overview-tab';
import { ReportersTab } from './reporters-tab';
import { ScopeTab } from './scope-tab';
import { SettingsTab } from './settings-tab';
import './campaigns.css';

const TABS = ['overview', 'settings', 'scope', 'reporters', 'subs'] as const;
type TabKey = (typeof TABS)[number];

export default function CampaignDetailPage() {
  const { id: raw } = useParams<{ id: string }>();
  const id = raw && /^\d+$/.test(raw) ? Number(raw) : null;
  const user = useUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as TabKey) : 'overview';
  const [detail, setDetail] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);

  const load = useCallback(() => {
    if (id === null) return;
    setError(null);
    campaignsApi
      .detail(id)
      .then(setDetail)
      .catch((e) => setError({ status: isApiError(e) ? e.status : 0, message: isApiError(e) ? e.message : '加载失败' }));
  }, [id]);

  useEffect(() => {
    setDetail(null);
    load();
  }, [load]);

  useEffect(() => {
    if (detail) document.title = `${detail.campaign.title} · 述评考`;
  }, [detail]);

  if (id === null || error?.status === 404) {
    return <Result status="404" title="方案不存在" extra={<Link to="/campaigns">返回列表</Link>} />;
  }
  if (error) {
    return (
      <Result
        status={error.status === 403 ? '403' : 'warning'}
        title={error.message}
        extra={
          <Space>
            <Button onClick={load}>重试</Button>
            <Link to="/campaigns">返回列表</Link>
          </Space>
        }
      />
    );
  }
  if (!detail) {
    return (
      <Card size="small" className="page-card">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const campaign = detail.campaign;
  // The server decides each action; full access plus the admin role is exactly its write rule.
  const canManage = detail.access === 'full' && canManageCampaigns(user.role);
  const full = detail.access === 'full';
  const published = campaign.state !== 'draft';
  const base = `/campaigns/${campaign.id}`;

  const items = [
    { key: 'overview', label: '概况', children: <OverviewTab detail={detail} onChanged={load} canManage={canManage} /> },
    ...(full
      ? [
          { key: 'settings', label: '方案设置', children: <SettingsTab detail={detail} editable={detail.permissions.canEdit} onChanged={load} /> },
          { key: 'scope', label: '述职范围', children: <ScopeTab detail={detail} canManage={canManage} onChanged={load} /> },
          ...(published ? [{ key: 'reporters', label: `述职对象（${detail.counts.reporters + detail.counts.downward}）`, children: <ReportersTab detail={detail} canManage={canManage} /> }] : []),
          {
            key: 'subs',
            label: campaign.parentId
              ? detail.children.length ? `方案报备 · 下级方案（${detail.children.length}）` : '方案报备'
              : `下级方案（${detail.children.length}）`,
            children: <FilingsTab detail={detail} canManage={canManage} onChanged={load} />,
          },
        ]
      : []),
  ];

  return (
    <Card size="small" className="page-card">
      <div className="campaign-header">
        <Button type="text" size="small" icon={<ArrowLeftOutlined />} onClick={() => navigate('/campaigns')} aria-label="返回列表" />
        <Typography.Title level={4} data-testid="campaign-title">
          {campaign.title}
        </Typography.Title>
        <StateTag state={campaign.state} />
        <FilingTag state={campaign.filingState} />
      </div>
      {published && full && (
        <div className="campaign-links" data-testid="campaign-links">
          <Link to={`${base}/progress`}>
            <Button size="small" icon={<FundOutlined />}>工作进度</Button>
          </Link>
          <Link to={`${base}/meetings`}>
            <Button size="small" icon={<ScheduleOutlined />}>述职评议会</Button>
          </Link>
          <Link to={`${base}/evaluation`}>
            <Button size="small" icon={<TrophyOutlined />} data-testid="campaign-evaluation-link">综合评价</Button>
          </Link>
          <Link to={`${base}/observers`}>
            <Button size="small" icon={<EyeOutlined />}>派员指导</Button>
          </Link>
          <Link to={`${base}/visits`}>
            <Button size="small" icon={<CarOutlined />}>调研走访</Button>
          </Link>
          <Link to={`${base}/surveys`}>
            <Button size="small" icon={<SmileOutlined />}>满意度调查</Button>
          </Link>
          <Link to={`${base}/assessment`}>
            <Button size="small" icon={<FundOutlined />}>实地考核</Button>
          </Link>
          <Link to={`/rectification?campaignId=${campaign.id}`}>
            <Button size="small" icon={<CheckSquareOutlined />}>问题整改</Button>
          </Link>
          <Link to={`${base}/results`}>
            <Button size="small" icon={<FundOutlined />} data-testid="campaign-results-link">结果运用与总结</Button>
          </Link>
          {detail.children.length > 0 && (
            <Link to={`${base}?tab=subs`}>
              <Button size="small" icon={<TeamOutlined />}>下级方案 {detail.children.length}</Button>
            </Link>
          )}
        </div>
      )}
      {published && !full && (
        <div className="campaign-links">
          {/* A secretary sees their own grade and opinion here once the committee has locked them. */}
          <Link to={`${base}/evaluation`}>
            <Button size="small" icon={<TrophyOutlined />}>我的评价结果</Button>
          </Link>
          {/* A secretary follows their own organization's rectification of this round. */}
          <Link to={`/rectification?campaignId=${campaign.id}`}>
            <Button size="small" icon={<CheckSquareOutlined />}>问题整改</Button>
          </Link>
        </div>
      )}
      <Tabs
        activeKey={items.some((i) => i.key === tab) ? tab : 'overview'}
        onChange={(k) => setParams(k === 'overview' ? {} : { tab: k }, { replace: true })}
        items={items}
        destroyOnHidden={false}
        data-testid="campaign-tabs"
      />
    </Card>
  );
}
