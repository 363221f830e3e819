import { Card, Empty, Progress, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { type PublishedItem, type PublishedUnit, rectificationApi } from '../../api/rectification';

/** What the campaign's audience reads once a unit's 公开承诺 is published (R-FIX-3): its commitment and progress. */
export function PublishedProgressTab({ campaignId }: { campaignId: number }) {
  const progress = useQuery({
    queryKey: ['published-progress', campaignId],
    queryFn: ({ signal }) => rectificationApi.publishedProgress(campaignId, signal),
  });
  // A failed load reads as nothing published (the client has said why).
  const units: PublishedUnit[] | null = progress.data?.units ?? (progress.isError ? [] : null);
  if (units && !units.length) return <Empty description="尚无公开的承诺和整改进展" />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="published-progress">
      {(units ?? []).map((u) => (
        <Card
          key={u.orgId}
          size="small"
          title={u.orgName}
          extra={
            <span>
              已销号 {u.closed}/{u.total}
            </span>
          }
          loading={!units}
        >
          {u.commitments.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: published commitments are read-only text, never reordered
            <Typography.Paragraph key={i} style={{ whiteSpace: 'pre-wrap' }}>
              {c.content}
            </Typography.Paragraph>
          ))}
          <Table<PublishedItem>
            size="small"
            rowKey={(_, i) => String(i)}
            pagination={false}
            dataSource={u.items}
            columns={[
              { title: '问题', dataIndex: 'description' },
              { title: '整改措施', dataIndex: 'measures' },
              { title: '时限', dataIndex: 'deadline', width: 110 },
              {
                title: '进度',
                dataIndex: 'progress',
                width: 120,
                render: (p: number) => <Progress percent={p} size="small" />,
              },
              {
                title: '状态',
                dataIndex: 'statusLabel',
                width: 90,
                render: (v: string, r) => (
                  <Tag color={r.overdue ? 'red' : r.status === 'closed' ? 'green' : 'blue'}>{v}</Tag>
                ),
              },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}
