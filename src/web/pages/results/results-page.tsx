import { Breadcrumb, Card, Tabs } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useCampaign } from '../../lib/query';
import { DashboardTab } from './dashboard-tab';
import { FlagsTab } from './flags-tab';
import { KeysTab } from './keys-tab';
import { ParallelTab } from './parallel-tab';
import { SummaryTab } from './summary-tab';
import { ThemesTab } from './themes-tab';

/** /campaigns/:id/results — 结果运用 (R-USE-1…5), 总结报告 (R-SUM-1/2) and the dashboard of one round. */
export default function ResultsPage() {
  const campaignId = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  // The guard (RequireCampaignPage) fetched it already.
  const campaign = useCampaign(campaignId).data;
  const title = campaign?.campaign.title ?? '';
  const canManage = campaign?.permissions.can.manageResults ?? false;
  const tab = params.get('tab') ?? 'dashboard';
  return (
    <Card size="small" className="page-card" data-testid="results-page">
      <Breadcrumb
        items={[
          { title: <Link to="/campaigns">述职评议考核</Link> },
          { title: <Link to={`/campaigns/${campaignId}`}>{title || '…'}</Link> },
          { title: '结果运用' },
        ]}
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'dashboard', label: '数据看板', children: <DashboardTab campaignId={campaignId} /> },
          { key: 'flags', label: '结果运用', children: <FlagsTab campaignId={campaignId} canManage={canManage} /> },
          { key: 'keys', label: '重点管理', children: <KeysTab campaignId={campaignId} canManage={canManage} /> },
          {
            key: 'parallel',
            label: '平行考核',
            children: <ParallelTab campaignId={campaignId} canManage={canManage} />,
          },
          { key: 'summary', label: '总结报告', children: <SummaryTab campaignId={campaignId} canManage={canManage} /> },
          ...(canManage
            ? [
                {
                  key: 'themes',
                  label: '意见归纳',
                  children: <ThemesTab campaignId={campaignId} canManage={canManage} />,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
