import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Input,
  Progress as Bar,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { oversightApi, type Progress, type ProgressFilter, type ProgressRow } from '../../api/oversight';
import { paged, useLastData, usePage } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';
import { CampaignHeader, FILING_LABELS, FilingTag, LoadError, STATE_LABELS, StateTag } from './shared';
import { StateChart } from './state-chart';
import { formatDateProse, formatDateTime } from '../../lib/time';

const REFRESH_MS = 30_000;
const LEVEL_LABELS: Record<string, string> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇/街道',
  grassroots: '基层',
};

export default function ProgressPage() {
  const id = Number(useParams().id);
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 400);
  const [state, setState] = useState<ProgressFilter['state']>();
  const [filing, setFiling] = useState<ProgressFilter['filing']>();
  const [overdue, setOverdue] = useState<boolean>();
  const [pageSize, setPageSize] = useState(50);
  // Set by the 30 s timer for the load it triggers: that load is background (x-background), not the user's activity.
  const timerLoad = useRef(false);
  const [exporting, setExporting] = useState(false);

  const filter: ProgressFilter = useMemo(
    () => ({ q: q || undefined, state, filing, overdue }),
    [q, state, filing, overdue],
  );
  const [page, setPage] = usePage(filter);
  const query = { ...filter, offset: (page - 1) * pageSize, limit: pageSize };
  const list = useQuery({
    queryKey: ['progress', id, query],
    queryFn: ({ signal }) => {
      const background = timerLoad.current;
      timerLoad.current = false;
      return oversightApi.progress(id, query, { signal, background });
    },
    ...paged,
  });
  const data: Progress | null = useLastData(list.data) ?? null;
  const error = list.error;
  const loading = list.isFetching;
  const updatedMs = useLastData(list.dataUpdatedAt || undefined);
  const updatedAt = updatedMs ? new Date(updatedMs) : null;
  const refetch = list.refetch;

  useEffect(() => {
    if (data) document.title = `进度 · ${data.campaign.title} · 述评考`;
  }, [data]);

  // Live page for the organizer: refresh every 30 s while the tab is visible.
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') {
        timerLoad.current = true;
        void refetch();
      }
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetch]);

  const onExport = useCallback(async () => {
    setExporting(true);
    try {
      await oversightApi.exportProgress(id, filter);
    } finally {
      setExporting(false);
    }
  }, [id, filter]);

  if (error && !data) return <LoadError error={error} />;
  const s = data?.summary;
  const filed = (s?.byFiling.filed ?? 0) + (s?.byFiling.acknowledged ?? 0);
  const waiting = (s?.byFiling.pending ?? 0) + (s?.byFiling.returned ?? 0);

  const columns: TableColumnsType<ProgressRow> = [
    {
      title: '组织单位',
      key: 'organizer',
      width: 240,
      render: (_, r) => (
        <div style={{ paddingInlineStart: r.depth * 16 }}>
          <div>{r.organizerName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.title}
          </Typography.Text>
        </div>
      ),
    },
    { title: '层级', dataIndex: 'organizerLevel', width: 90, render: (v: string) => LEVEL_LABELS[v] ?? v },
    { title: '状态', dataIndex: 'state', width: 90, render: (v: string) => <StateTag state={v} /> },
    { title: '报备', dataIndex: 'filingState', width: 100, render: (v: string) => <FilingTag state={v} /> },
    {
      title: '完成时限',
      dataIndex: 'completeBy',
      width: 140,
      render: (v: string | null, r) => (
        <Space size={4}>
          <span>{v ?? '—'}</span>
          {r.overdue && <Tag color="red">逾期</Tag>}
        </Space>
      ),
    },
    {
      title: '当前阶段',
      key: 'open',
      width: 170,
      render: (_, r) => (
        <div>
          <div>{r.openPhases.length ? r.openPhases.map((p) => p.label).join('、') : '—'}</div>
          {r.waiting && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="progress-waiting">
              待「{r.waiting.label}」（{r.waiting.start}开始）
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: '结果报送',
      key: 'results',
      width: 150,
      render: (_, r) =>
        r.depth === 0 || !r.resultsDue ? (
          '—'
        ) : (
          <Space size={4} wrap>
            <span>{r.resultsDue}前</span>
            {r.summaryState === 'submitted' || r.summaryState === 'received' ? (
              <Tag color="green">已报送</Tag>
            ) : r.resultsOverdue ? (
              <Tag color="red">逾期未报</Tag>
            ) : (
              <Tag>待报送</Tag>
            )}
          </Space>
        ),
    },
    {
      title: '阶段进度',
      key: 'phases',
      width: 150,
      render: (_, r) =>
        r.phasesTotal ? (
          <Bar
            percent={Math.round((r.phasesClosed / r.phasesTotal) * 100)}
            size="small"
            format={() => `${r.phasesClosed}/${r.phasesTotal}`}
          />
        ) : (
          '未设置'
        ),
    },
    { title: '述职对象', dataIndex: 'reporters', width: 90, align: 'right' },
    { title: '观察员', dataIndex: 'observers', width: 80, align: 'right' },
  ];

  return (
    <Card size="small" className="page-card">
      <CampaignHeader
        campaign={data?.campaign ?? null}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={loading}>
              刷新
            </Button>
            <Button icon={<DownloadOutlined />} onClick={onExport} loading={exporting} data-testid="progress-export">
              导出 Excel
            </Button>
          </>
        }
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={4}>
          <Statistic title="下级方案" value={s?.subCampaigns ?? 0} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title="逾期未完成（下级方案）"
            value={s?.overdue ?? 0}
            styles={{ content: { color: s?.overdue ? '#c8161d' : undefined } }}
          />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title="已报备/已确认" value={filed} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title="待报备/已退回" value={waiting} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title="述职对象" value={s?.reporters ?? 0} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title="观察员选派" value={s?.observers ?? 0} />
        </Col>
      </Row>
      {s && <StateChart byState={s.byState} overdue={s.overdue} />}
      <div className="filters" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: '12px 0' }}>
        <Input.Search
          allowClear
          placeholder="搜索组织单位或方案名称"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          style={{ width: 240 }}
          data-testid="progress-search"
        />
        <Select
          allowClear
          placeholder="状态"
          value={state}
          onChange={setState}
          style={{ width: 120 }}
          options={Object.entries(STATE_LABELS).map(([value, v]) => ({ value, label: v.label }))}
        />
        <Select
          allowClear
          placeholder="报备状态"
          value={filing}
          onChange={setFiling}
          style={{ width: 130 }}
          options={Object.entries(FILING_LABELS).map(([value, v]) => ({ value, label: v.label }))}
        />
        <Select
          allowClear
          placeholder="是否逾期"
          value={overdue === undefined ? undefined : String(overdue)}
          onChange={(v?: string) => setOverdue(v === undefined ? undefined : v === 'true')}
          style={{ width: 120 }}
          options={[
            { value: 'true', label: '逾期' },
            { value: 'false', label: '未逾期' },
          ]}
          data-testid="progress-overdue"
        />
        <Typography.Text type="secondary" style={{ alignSelf: 'center' }}>
          统计与图表只计下级方案，本级方案的逾期见表格首行 · 今天（北京时间）{formatDateProse(data?.today)} ·
          每30秒自动刷新{updatedAt ? ` · 更新于 ${formatDateTime(updatedAt.toISOString()).slice(11)}` : ''}
        </Typography.Text>
      </div>
      <Table<ProgressRow>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading && !data}
        scroll={{ x: 1100 }}
        rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => `共 ${n} 条`,
          onChange: (p, size) => {
            setPage(size !== pageSize ? 1 : p);
            setPageSize(size);
          },
        }}
        data-testid="progress-table"
      />
    </Card>
  );
}
