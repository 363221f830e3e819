import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Input, Table, type TableColumnsType, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { oversightApi, type Visit } from '../../api/oversight';
import { OrgSelect } from '../../components/org-select';
import { notify } from '../../lib/notify';
import { paged, useLastData, usePage } from '../../lib/query';
import { formatDateTime } from '../../lib/time';
import { useDebounced } from '../../lib/use-debounced';
import { CampaignHeader, LoadError } from './shared';
import { VisitFormModal } from './visit-form-modal';

type RangeValue = [Dayjs | null, Dayjs | null] | null;

/** 不打招呼、随机走访 (R-PREP-2): the record of what upper levels saw on unannounced visits. */
export default function VisitsPage() {
  const id = Number(useParams().id);
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 400);
  const [orgId, setOrgId] = useState<number | null>(null);
  const [range, setRange] = useState<RangeValue>(null);
  const [pageSize, setPageSize] = useState(20);
  const [editing, setEditing] = useState<{ visit: Visit | null } | null>(null);

  const from = range?.[0]?.format('YYYY-MM-DD');
  const to = range?.[1]?.format('YYYY-MM-DD');
  const [page, setPage] = usePage([q, orgId, from, to]);
  const query = {
    q: q || undefined,
    orgId: orgId ?? undefined,
    from,
    to,
    offset: (page - 1) * pageSize,
    limit: pageSize,
  };
  const list = useQuery({
    queryKey: ['visits', id, query],
    queryFn: ({ signal }) => oversightApi.visits(id, query, signal),
    ...paged,
  });
  const data = useLastData(list.data);
  const items = data?.items ?? [];
  const total = data?.total ?? 0;
  const campaign = data?.campaign ?? null;
  const error = list.error;
  const loading = list.isFetching;

  useEffect(() => {
    if (campaign) document.title = `调研走访 · ${campaign.title} · 述评考`;
  }, [campaign]);

  if (error && !campaign) return <LoadError error={error} />;

  const columns: TableColumnsType<Visit> = [
    { title: '走访日期', dataIndex: 'visitedOn', width: 110 },
    { title: '走访单位', dataIndex: 'orgName', width: 200 },
    { title: '走访人员', dataIndex: 'visitors', width: 180 },
    {
      title: '看到的情况',
      dataIndex: 'seen',
      render: (v: string) => (
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
          {v}
        </Typography.Paragraph>
      ),
    },
    { title: '问题数', key: 'problems', width: 80, align: 'right', render: (_, v) => v.problems.length },
    { title: '记录人', dataIndex: 'authorName', width: 100 },
    {
      title: '操作',
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, v) =>
        v.canEdit ? (
          <Button type="link" size="small" onClick={() => setEditing({ visit: v })}>
            更正
          </Button>
        ) : null,
    },
  ];

  return (
    <Card size="small" className="page-card">
      <CampaignHeader
        campaign={campaign}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing({ visit: null })}
            data-testid="new-visit"
          >
            记录走访
          </Button>
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        上级党组织采取不打招呼、随机走访等方式调研下一级党组织书记抓基层党建工作情况。记录只可由记录人更正，不可删除，每次更正均记入审计日志。
      </Typography.Paragraph>
      <div className="filters" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder="搜索单位、人员、情况或问题"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          style={{ width: 260 }}
        />
        <div style={{ width: 260 }}>
          <OrgSelect value={orgId} onChange={(v) => setOrgId(v)} allowClear placeholder="按单位筛选（含下级）" />
        </div>
        <DatePicker.RangePicker
          value={range}
          onChange={(v) => setRange(v)}
          allowEmpty={[true, true]}
          placeholder={['开始日期', '结束日期']}
        />
      </div>
      <Table<Visit>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading}
        scroll={{ x: 1000 }}
        expandable={{
          expandedRowRender: (v) => (
            <div>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
                <b>看到的情况：</b>
                {v.seen}
              </Typography.Paragraph>
              <b>发现的问题：</b>
              {v.problems.length ? (
                <ol style={{ margin: '4px 0 8px' }}>
                  {v.problems.map((p) => (
                    <li key={p.id}>{p.text}</li>
                  ))}
                </ol>
              ) : (
                <Typography.Text type="secondary">无</Typography.Text>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                记录于 {formatDateTime(v.createdAt)}
                {v.updatedAt !== v.createdAt ? `，最后更正于 ${formatDateTime(v.updatedAt)}` : ''}
              </Typography.Text>
            </div>
          ),
        }}
        pagination={{
          current: page,
          pageSize,
          total,
          showSizeChanger: true,
          showTotal: (n) => `共 ${n} 条`,
          onChange: (p, size) => {
            setPage(size !== pageSize ? 1 : p);
            setPageSize(size);
          },
        }}
        data-testid="visits-table"
      />
      <VisitFormModal
        campaignId={id}
        visit={editing?.visit ?? null}
        open={!!editing}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          notify.success('已保存');
          void list.refetch();
        }}
      />
    </Card>
  );
}
