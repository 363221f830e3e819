import { Button, Card, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { resultsApi } from '../../api/results';
import { notify } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';

type Row = Awaited<ReturnType<typeof resultsApi.inbox>>['items'][number];

/** /summary-inbox — summaries the levels below submitted (R-SUM-2); the upper level downloads and receives them. */
export default function SummaryInboxPage() {
  const inbox = useQuery({ queryKey: ['summary-inbox'], queryFn: ({ signal }) => resultsApi.inbox(signal) });
  // A failed load shows an empty table rather than a spinner for ever.
  const rows: Row[] | null = inbox.data?.items ?? (inbox.isError ? [] : null);
  const load = () => void inbox.refetch();
  const receive = async (id: number) => {
    try {
      await resultsApi.receiveSummary(id);
      notify.success('已接收');
      load();
    } catch {
      /* shown by the client */
    }
  };
  return (
    <Card size="small" className="page-card" data-testid="summary-inbox">
      <Typography.Title level={4}>下级上报的总结报告</Typography.Title>
      <Table<Row>
        size="small"
        rowKey="campaignId"
        loading={!rows}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '单位', dataIndex: 'organizerName' },
          { title: '名称', dataIndex: 'title' },
          { title: '年度', dataIndex: 'year', width: 70 },
          { title: '上报时间', dataIndex: 'submittedAt', width: 170, render: (v: string) => formatDateTime(v) },
          {
            title: '状态',
            dataIndex: 'state',
            width: 100,
            render: (s: string) =>
              s === 'received' ? <Tag color="green">已接收</Tag> : <Tag color="blue">待接收</Tag>,
          },
          {
            title: '操作',
            width: 260,
            render: (_, r) => (
              <Space size="small">
                <Button size="small" onClick={() => resultsApi.summaryDocx(r.campaignId)}>
                  报告
                </Button>
                <Button size="small" onClick={() => resultsApi.resultsTable(r.campaignId)}>
                  结果表
                </Button>
                {r.state === 'submitted' && (
                  <Popconfirm
                    title="确认接收该总结报告？"
                    onConfirm={() => receive(r.campaignId)}
                    okText="接收"
                    cancelText="取消"
                  >
                    <Button size="small" type="primary">
                      接收
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
