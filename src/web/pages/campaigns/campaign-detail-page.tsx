import {
  ArrowLeftOutlined,
  EyeOutlined,
  FundOutlined,
  TeamOutlined,
  CarOutlined,
  ScheduleOutlined,
  CheckSquareOutlined,
} from '@ant-design/icons';
import { TrophyOutlined } from '@ant-design/icons';
import { SmileOutlined } from '@ant-design/icons';
import { Button, Card, Result, Skeleton, Space, Tabs, Typography } from 'antd';
import { useCallback, useEffect, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { NoAccess } from '../../components/no-access';
import { statusOf, useCampaign } from '../../lib/query';
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
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as TabKey)
    : 'overview';
  const query = useCampaign(id);
  const detail = query.data ?? null;
  const { refetch } = query;
  // After an action: the tabs' callbacks refresh the shared detail (guard, headers and this page read the same).
  const load = useCallback(() => void refetch(), [refetch]);

  useEffect(() => {
    if (!detail) return;
    document.title = `${detail.campaign.title} · 述评考`;
  }, [detail]);

  const error = query.error;
  if (id === null || statusOf(error) === 404) {
    return <Result status="404" title="方案不存在" extra={<Link to="/campaigns">返回列表</Link>} />;
  }
  if (statusOf(error) === 403) return <NoAccess />;
  if (error && !detail) {
    return (
      <Result
        status="warning"
        title={isApiError(error) ? error.message : '加载失败'}
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
  const canManage = detail.permissions.can.manage;
  const full = detail.access === 'full';
  const published = campaign.state !== 'draft';
  const base = `/campaigns/${campaign.id}`;
  const pages = detail.permissions.pages;
  const links: { page: keyof typeof pages; to: string; label: string; icon: ReactNode }[] = [
    { page: 'progress', to: `${base}/progress`, label: '工作进度', icon: <FundOutlined /> },
    { page: 'meetings', to: `${base}/meetings`, label: '述职评议会', icon: <ScheduleOutlined /> },
    { page: 'evaluation', to: `${base}/evaluation`, label: '综合评价', icon: <TrophyOutlined /> },
    { page: 'myResult', to: `${base}/evaluation`, label: '我的评价结果', icon: <TrophyOutlined /> },
    { page: 'observers', to: `${base}/observers`, label: '派员指导', icon: <EyeOutlined /> },
    { page: 'visits', to: `${base}/visits`, label: '调研走访', icon: <CarOutlined /> },
    { page: 'surveys', to: `${base}/surveys`, label: '满意度调查', icon: <SmileOutlined /> },
    { page: 'assessment', to: `${base}/assessment`, label: '实地考核', icon: <FundOutlined /> },
    {
      page: 'rectification',
      to: `/rectification?campaignId=${campaign.id}`,
      label: '问题整改',
      icon: <CheckSquareOutlined />,
    },
    { page: 'results', to: `${base}/results`, label: '结果运用与总结', icon: <FundOutlined /> },
  ];

  const items = [
    {
      key: 'overview',
      label: '概况',
      children: <OverviewTab detail={detail} onChanged={load} canManage={canManage} />,
    },
    ...(full
      ? [
          {
            key: 'settings',
            label: '方案设置',
            children: <SettingsTab detail={detail} editable={detail.permissions.canEdit} onChanged={load} />,
          },
          {
            key: 'scope',
            label: '述职范围',
            children: <ScopeTab detail={detail} canManage={canManage} onChanged={load} />,
          },
          ...(published
            ? [
                {
                  key: 'reporters',
                  label: `述职对象（${detail.counts.reporters + detail.counts.downward}）`,
                  children: <ReportersTab detail={detail} canManage={canManage} />,
                },
              ]
            : []),
          {
            key: 'subs',
            label: campaign.parentId
              ? detail.children.length
                ? `方案报备 · 下级方案（${detail.children.length}）`
                : '方案报备'
              : `下级方案（${detail.children.length}）`,
            children: <FilingsTab detail={detail} canManage={canManage} onChanged={load} />,
          },
        ]
      : []),
  ];

  return (
    <Card size="small" className="page-card">
      <div className="campaign-header">
        <Button
          type="text"
          size="small"
          icon={<ArrowLeftOutlined />}
          onClick={() => navigate('/campaigns')}
          aria-label="返回列表"
        />
        <Typography.Title level={4} data-testid="campaign-title">
          {campaign.title}
        </Typography.Title>
        <StateTag state={campaign.state} />
        <FilingTag state={campaign.filingState} />
      </div>
      {published && (
        <div className="campaign-links" data-testid="campaign-links">
          {/* Only what this user can open (the server's permissions.pages): nothing here leads to 无权访问. */}
          {links
            .filter((l) => pages[l.page])
            .map((l) => (
              <Link key={l.page} to={l.to}>
                <Button size="small" icon={l.icon} data-testid={`campaign-link-${l.page}`}>
                  {l.label}
                </Button>
              </Link>
            ))}
          {full && detail.children.length > 0 && (
            <Link to={`${base}?tab=subs`}>
              <Button size="small" icon={<TeamOutlined />}>
                下级方案 {detail.children.length}
              </Button>
            </Link>
          )}
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
