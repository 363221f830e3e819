import { DesktopOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Breadcrumb,
  Button,
  Card,
  Input,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { meetingsApi, type MeetingList, type MeetingSummary } from '../../api/meetings';
import { notify } from '../../lib/notify';
import { paged, useLastData, usePage } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';
import { MeetingFormModal } from './meeting-form';

export const STATE_COLORS: Record<string, string> = {
  preparing: 'default',
  in_progress: 'processing',
  closed: 'success',
};

/** /campaigns/:id/meetings — the 述职评议会 of one campaign (R-MEET-1: several per campaign). */
export default function MeetingListPage() {
  const campaignId = Number(useParams().id);
  const navigate = useNavigate();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [page, setPage] = usePage(q);
  const [creating, setCreating] = useState(false);
  const pageSize = 20;
  const query = { q, offset: (page - 1) * pageSize, limit: pageSize };
  const list = useQuery({
    queryKey: ['meetings', campaignId, query],
    queryFn: ({ signal }) => meetingsApi.list(campaignId, query, signal),
    ...paged,
  });
  const data: MeetingList | null = useLastData(list.data) ?? null;
  const loading = list.isFetching;
  const load = () => list.refetch();

  const columns: TableColumnsType<MeetingSummary> = [
    {
      title: '会议名称',
      dataIndex: 'title',
      render: (v: string, m) => <Link to={`/campaigns/${campaignId}/meetings/${m.id}`}>{v}</Link>,
    },
    { title: '日期', dataIndex: 'meetingDate', width: 120 },
    { title: '地点', dataIndex: 'place', width: 180 },
    { title: '述职人数', dataIndex: 'agendaCount', width: 90, align: 'right' },
    {
      title: '状态',
      dataIndex: 'stateLabel',
      width: 100,
      render: (v: string, m) => <Tag color={STATE_COLORS[m.state]}>{v}</Tag>,
    },
    { title: '当前环节', dataIndex: 'currentStepLabel', width: 140 },
    {
      title: '操作',
      key: 'actions',
      width: 200,
      render: (_, m) => (
        <Space>
          <Link to={`/campaigns/${campaignId}/meetings/${m.id}/console`} target="_blank">
            <DesktopOutlined /> 控制台
          </Link>
          {data?.canManage && m.state === 'preparing' && (
            <Popconfirm
              title="确定删除该会议？"
              description="仅未开始且无点评、无测评的会议可以删除。"
              okText="删除"
              okButtonProps={{ danger: true }}
              onConfirm={async () => {
                await meetingsApi.remove(m.id);
                notify.success('已删除');
                await load();
              }}
            >
              <Button type="link" danger size="small">
                删除
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to="/campaigns">述职评议考核</Link> },
          { title: <Link to={`/campaigns/${campaignId}`}>{data?.campaign.title ?? '…'}</Link> },
          { title: '述职评议会' },
        ]}
      />
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            述职评议会
          </Typography.Title>
        }
        extra={
          data?.canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="meeting-new">
              新建会议
            </Button>
          )
        }
      >
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder="按会议名称搜索"
          value={term}
          style={{ maxWidth: 320, marginBottom: 12 }}
          onChange={(e) => {
            setTerm(e.target.value);
            setPage(1);
          }}
        />
        <Table
          rowKey="id"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          data-testid="meeting-table"
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            onChange: setPage,
            showTotal: (n) => `共 ${n} 次会议`,
          }}
        />
      </Card>
      <MeetingFormModal
        open={creating}
        title="新建述职评议会"
        onCancel={() => setCreating(false)}
        onSubmit={async (v) => {
          const m = await meetingsApi.create(campaignId, v);
          setCreating(false);
          notify.success('会议已创建');
          navigate(`/campaigns/${campaignId}/meetings/${m.id}`);
        }}
      />
    </Space>
  );
}
