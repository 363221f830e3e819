import { Alert, Card, Col, Empty, Row, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { type Dashboard, resultsApi } from '../../api/results';
import { type EChartOption, useEChart } from '../../lib/use-echart';

function Chart({ option, height = 260, testId }: { option: EChartOption; height?: number; testId: string }) {
  const el = useEChart(option);
  return <div ref={el} style={{ width: '100%', height }} data-testid={testId} />;
}

const GRADE_SERIES = [
  { key: 'good', name: '好', color: '#389e0d' },
  { key: 'fair', name: '较好', color: '#1677ff' },
  { key: 'average', name: '一般', color: '#fa8c16' },
  { key: 'poor', name: '差', color: '#c8161d' },
] as const;

/** Grade distribution by sector, rectification by unit, key management, rank changes and drill-down to lower levels. */
export function DashboardTab({ campaignId }: { campaignId: number }) {
  const dashboard = useQuery({
    queryKey: ['dashboard', campaignId],
    queryFn: ({ signal }) => resultsApi.dashboard(campaignId, signal),
  });
  const d: Dashboard | null = dashboard.data ?? null;
  const error = dashboard.error ? (isApiError(dashboard.error) ? dashboard.error.message : '加载失败') : null;
  if (error) return <Alert type="warning" showIcon message={error} />;
  if (!d) return <Card loading />;
  const gradeOption = {
    tooltip: { trigger: 'axis' },
    legend: {},
    grid: { left: 40, right: 12, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: d.gradeBySector.map((g) => g.sectorLabel) },
    yAxis: { type: 'value', minInterval: 1 },
    series: GRADE_SERIES.map((s) => ({
      type: 'bar',
      stack: 'g',
      name: s.name,
      itemStyle: { color: s.color },
      data: d.gradeBySector.map((g) => g[s.key]),
    })),
  };
  const rect = d.rectification.slice(0, 20);
  const rectOption = {
    tooltip: { trigger: 'axis' },
    legend: {},
    grid: { left: 120, right: 12, top: 36, bottom: 20 },
    yAxis: { type: 'category', data: rect.map((r) => r.orgName), inverse: true },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', stack: 'r', name: '已销号', itemStyle: { color: '#389e0d' }, data: rect.map((r) => r.closed) },
      {
        type: 'bar',
        stack: 'r',
        name: '未销号',
        itemStyle: { color: '#faad14' },
        data: rect.map((r) => r.total - r.closed - r.overdue),
      },
      { type: 'bar', stack: 'r', name: '逾期', itemStyle: { color: '#c8161d' }, data: rect.map((r) => r.overdue) },
    ],
  };
  const rankOption = {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll' },
    grid: { left: 40, right: 12, top: 40, bottom: 28 },
    xAxis: { type: 'category', data: d.years.map(String) },
    yAxis: { type: 'value', inverse: true, minInterval: 1, name: '排名' },
    series: d.rankChanges.slice(0, 10).map((o) => ({
      type: 'line',
      name: o.orgName,
      data: d.years.map((y) => o.ranks[y] ?? null),
      connectNulls: false,
    })),
  };
  return (
    <Row gutter={[12, 12]} data-testid="dashboard">
      {!d.locked && (
        <Col span={24}>
          <Alert type="info" showIcon message="综合评价结果尚未锁定，等次分布为当前已确定的等次。" />
        </Col>
      )}
      <Col xs={24} lg={12}>
        <Card size="small" title="各领域等次分布">
          {d.gradeBySector.length ? <Chart option={gradeOption} testId="chart-grades" /> : <Empty />}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title="整改完成和逾期（按单位）">
          {rect.length ? (
            <Chart option={rectOption} height={Math.max(220, rect.length * 26 + 60)} testId="chart-rect" />
          ) : (
            <Empty description="尚无整改事项" />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title="排名变化（近年）">
          {d.years.length > 1 ? (
            <Chart option={rankOption} testId="chart-ranks" />
          ) : (
            <Empty description="只有一个年度的结果" />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title="重点管理">
          <Table
            size="small"
            rowKey="sector"
            pagination={false}
            dataSource={d.keyManagement}
            columns={[
              { title: '领域', dataIndex: 'sectorLabel' },
              { title: '名单中', dataIndex: 'listed' },
              { title: '已晋位升级', dataIndex: 'upgraded' },
            ]}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title="下级（点击查看下级看板）">
          <Table
            size="small"
            rowKey="id"
            dataSource={d.subCampaigns}
            pagination={{ pageSize: 20 }}
            data-testid="dashboard-subs"
            locale={{ emptyText: '没有下级方案' }}
            columns={[
              {
                title: '单位',
                dataIndex: 'organizerName',
                render: (v: string, r) => <Link to={`/campaigns/${r.id}/results?tab=dashboard`}>{v}</Link>,
              },
              { title: '述职对象', dataIndex: 'reporters' },
              { title: '已定等次', dataIndex: 'graded' },
              { title: '整改事项', dataIndex: 'items' },
              { title: '已销号', dataIndex: 'closed' },
              {
                title: '逾期',
                dataIndex: 'overdue',
                render: (v: number) => <span style={{ color: v ? '#c8161d' : undefined }}>{v}</span>,
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
