import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Input, InputNumber, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { campaignsApi, type CampaignState, type CampaignSummary } from '../../api/campaigns';
import { useAbilities } from '../../auth/auth-context';
import { campaignQuery, paged, usePage } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';
import { CAMPAIGN_STATE_LABELS, cnDate, FilingTag, StateTag } from './labels';

const STATE_OPTIONS = (Object.keys(CAMPAIGN_STATE_LABELS) as CampaignState[]).map((s) => ({
  value: s,
  label: CAMPAIGN_STATE_LABELS[s],
}));

export default function CampaignListPage() {
  const abilities = useAbilities();
  const navigate = useNavigate();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [year, setYear] = useState<number | null>(null);
  const [state, setState] = useState<CampaignState | undefined>();
  const [pageSize, setPageSize] = useState(20);
  const [page, setPage] = usePage([q, year, state, pageSize]);
  const query = { q: q || undefined, year: year ?? undefined, state, offset: (page - 1) * pageSize, limit: pageSize };
  const list = useQuery({
    queryKey: ['campaigns', query],
    queryFn: ({ signal }) => campaignsApi.list(query, signal),
    ...paged,
  });
  const data = list.data ?? { items: [], total: 0 };

  // A sub-campaign row names its parent; a township admin may not list the county's campaign, but
  // its own campaign's detail carries the parent's title (one detail per parent not on this page).
  const onPage = new Map(data.items.map((c) => [c.id, `${c.title}（${c.organizer.name}）`]));
  const askVia = [
    ...new Map(
      data.items.filter((c) => c.parentId !== null && !onPage.has(c.parentId)).map((c) => [c.parentId!, c.id]),
    ).values(),
  ];
  const details = useQueries({
    queries: askVia.map(campaignQuery),
  });
  const parents: Record<number, string> = Object.fromEntries(onPage);
  for (const d of details) {
    const p = d.data?.parent;
    if (p) parents[p.id] = `${p.title}（${p.organizer.name}）`;
  }

  useEffect(() => {
    document.title = '述职评议考核 · 述评考';
  }, []);

  const columns: TableColumnsType<CampaignSummary> = [
    {
      title: '名称',
      key: 'title',
      render: (_, c) => (
        <div style={{ minWidth: 220 }}>
          <Link to={`/campaigns/${c.id}`} data-testid="campaign-link">
            {c.title}
          </Link>
          {c.parentId && (
            <div style={{ color: 'rgba(0,0,0,0.55)', fontSize: 12 }}>
              上级方案：<Link to={`/campaigns/${c.parentId}`}>{parents[c.parentId] ?? '…'}</Link>
            </div>
          )}
        </div>
      ),
    },
    { title: '年度', dataIndex: 'year', key: 'year', width: 80 },
    { title: '组织单位', key: 'organizer', width: 220, ellipsis: true, render: (_, c) => c.organizer.name },
    {
      title: '状态',
      key: 'state',
      width: 200,
      render: (_, c) => (
        <Space size={4} wrap>
          <StateTag state={c.state} />
          <FilingTag state={c.filingState} />
        </Space>
      ),
    },
    { title: '完成时限', key: 'completeBy', width: 140, render: (_, c) => (c.completeBy ? cnDate(c.completeBy) : '—') },
  ];

  return (
    <Card
      size="small"
      title="述职评议考核"
      className="page-card"
      extra={
        abilities.campaigns.create && (
          <>
            {/* R-SUM-2: the levels below report their rounds here. */}
            <Button onClick={() => navigate('/summary-inbox')} style={{ marginRight: 8 }}>
              下级总结报告
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/campaigns/new')}
              data-testid="campaign-create"
            >
              新建
            </Button>
          </>
        )
      }
    >
      <div className="filters">
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder="搜索名称或组织单位"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          style={{ width: 240 }}
          maxLength={64}
          data-testid="campaign-search"
        />
        <InputNumber<number>
          placeholder="年度"
          min={2000}
          max={2099}
          value={year}
          onChange={(v) => setYear(v ?? null)}
          style={{ width: 110 }}
          data-testid="campaign-year-filter"
        />
        <Select<CampaignState>
          allowClear
          placeholder="全部状态"
          value={state}
          onChange={setState}
          options={STATE_OPTIONS}
          style={{ width: 130 }}
          data-testid="campaign-state-filter"
        />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>
          刷新
        </Button>
      </div>
      <Table<CampaignSummary>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        columns={columns}
        dataSource={data.items}
        scroll={{ x: 860 }}
        pagination={{
          current: page,
          pageSize,
          total: data.total,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (t) => `共 ${t} 项`,
          onChange: (p, s) => {
            if (s !== pageSize) setPageSize(s);
            else setPage(p);
          },
        }}
        data-testid="campaigns-table"
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        列出您管理范围内组织的述职评议考核，包括上级发布后生成的下级方案（分级开展）。
      </Typography.Paragraph>
    </Card>
  );
}
