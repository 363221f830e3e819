import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Popconfirm, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { type Assignment, type ObserverGroup, oversightApi } from '../../api/oversight';
import { notify } from '../../lib/notify';
import { paged, useLastData, usePage } from '../../lib/query';
import { formatDateTime } from '../../lib/time';
import { useDebounced } from '../../lib/use-debounced';
import { AssignObserversModal } from './assign-observers-modal';
import { CampaignHeader, LoadError, phaseWindow } from './shared';

const UNGROUPED = '（未分组）';

export default function ObserversPage() {
  const id = Number(useParams().id);
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 400);
  const [groupName, setGroupName] = useState<string>();
  const [page, setPage] = usePage([q, groupName]);
  const [pageSize, setPageSize] = useState(50);
  const [assigning, setAssigning] = useState(false);
  const [exporting, setExporting] = useState(false);
  const query = { q: q || undefined, groupName, offset: (page - 1) * pageSize, limit: pageSize };
  const list = useQuery({
    queryKey: ['observers', id, query],
    queryFn: ({ signal }) => oversightApi.observers(id, query, signal),
    ...paged,
  });
  const data = useLastData(list.data);
  const items = data?.items ?? [];
  const total = data?.total ?? 0;
  const groups = data?.groups ?? [];
  const campaign = data?.campaign ?? null;
  const error = list.error;
  const loading = list.isFetching;
  const refresh = () => void list.refetch();

  useEffect(() => {
    if (campaign) document.title = `观察员 · ${campaign.title} · 述评考`;
  }, [campaign]);

  if (error && !campaign) return <LoadError error={error} />;

  const withdraw = async (a: Assignment) => {
    await oversightApi.withdraw(id, a.id);
    notify.success(`已撤回 ${a.userName} 对 ${a.organizerName} 的选派`);
    refresh();
  };

  const groupColumns: TableColumnsType<ObserverGroup> = [
    { title: '组别', dataIndex: 'groupName', width: 110, render: (v: string | null) => v ?? UNGROUPED },
    { title: '组长', dataIndex: 'leaderName', width: 100, render: (v: string | null) => v ?? '—' },
    { title: '成员', dataIndex: 'members', render: (v: string[]) => v.join('、') || '—' },
    { title: '指导单位', key: 'units', render: (_, g) => g.subCampaigns.map((s) => s.organizerName).join('、') },
    {
      title: '述职评议会时间',
      key: 'meetings',
      width: 260,
      render: (_, g) =>
        g.subCampaigns.map((s) => (
          <div key={s.id}>
            {s.organizerName}：{phaseWindow(s.meeting)}
          </div>
        )),
    },
  ];

  const columns: TableColumnsType<Assignment> = [
    { title: '姓名', dataIndex: 'userName', width: 110 },
    {
      title: '组别',
      key: 'group',
      width: 130,
      render: (_, a) =>
        a.groupName ? (
          <>
            {a.groupName}
            {a.isLeader && (
              <Tag color="red" style={{ marginInlineStart: 4 }}>
                组长
              </Tag>
            )}
          </>
        ) : (
          UNGROUPED
        ),
    },
    { title: '指导单位', dataIndex: 'organizerName', width: 180 },
    { title: '述职评议会', key: 'meeting', width: 190, render: (_, a) => phaseWindow(a.meeting) },
    { title: '完成时限', dataIndex: 'completeBy', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: '观察记录',
      key: 'observation',
      width: 200,
      render: (_, a) =>
        a.observationNote ? (
          <Typography.Paragraph ellipsis={{ rows: 2, tooltip: a.observationNote }} style={{ margin: 0 }}>
            {a.observationNote}
          </Typography.Paragraph>
        ) : (
          <Typography.Text type="secondary">未记录</Typography.Text>
        ),
    },
    { title: '选派时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: '操作',
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, a) => (
        <Popconfirm
          title="撤回选派"
          description={`确定撤回 ${a.userName} 对「${a.organizerName}」的观察任务？已写的观察记录会保留。`}
          okText="撤回"
          okButtonProps={{ danger: true }}
          onConfirm={() => withdraw(a)}
        >
          <Button type="link" danger size="small">
            撤回
          </Button>
        </Popconfirm>
      ),
    },
  ];

  const groupNames = groups.map((g) => g.groupName).filter((g): g is string => !!g);

  return (
    <Card size="small" className="page-card">
      <CampaignHeader
        campaign={campaign}
        extra={
          <>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAssigning(true)}
              data-testid="assign-observers"
            >
              选派观察员
            </Button>
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              onClick={async () => {
                setExporting(true);
                try {
                  await oversightApi.exportGroups(id);
                } finally {
                  setExporting(false);
                }
              }}
            >
              导出分组名单
            </Button>
          </>
        }
      />
      <Typography.Title level={5}>分组名单</Typography.Title>
      <Table<ObserverGroup>
        rowKey={(g) => g.groupName ?? UNGROUPED}
        size="small"
        columns={groupColumns}
        dataSource={groups}
        pagination={false}
        loading={loading && !groups.length}
        scroll={{ x: 900 }}
        locale={{ emptyText: '尚未选派观察员' }}
        style={{ marginBottom: 16 }}
        data-testid="observer-groups"
      />
      <Typography.Title level={5}>选派明细</Typography.Title>
      <div className="filters" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder="搜索姓名、指导单位或组别"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          style={{ width: 260 }}
        />
        <Select
          allowClear
          placeholder="组别"
          value={groupName}
          onChange={setGroupName}
          style={{ width: 160 }}
          options={groupNames.map((g) => ({ value: g, label: g }))}
        />
      </div>
      <Table<Assignment>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading}
        scroll={{ x: 1200 }}
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
        data-testid="observer-assignments"
      />
      <AssignObserversModal
        campaignId={id}
        open={assigning}
        onClose={() => setAssigning(false)}
        onDone={() => {
          setAssigning(false);
          notify.success('已选派');
          refresh();
        }}
      />
    </Card>
  );
}
