import {
  Alert,
  Button,
  Card,
  Empty,
  Input,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
  type ButtonProps,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { type QueueQuery, reportsApi, type TaskItem } from '../../api/reports';
import { useAbilities } from '../../auth/auth-context';
import { paged } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';
import { DueTag, formatTime, StateTag } from './labels';
import { PhaseNote } from '../../components/phase-note';
import { formatDateProse } from '../../lib/time';

const PAGE = 20;

/** The secretary's task "撰写述职报告", one per campaign their organization reports in. */
function MyTasks() {
  const tasks = useQuery({ queryKey: ['reports', 'tasks'], queryFn: ({ signal }) => reportsApi.tasks(signal) });
  const items = tasks.data?.items ?? (tasks.isError ? [] : null);
  if (!items) return <Spin />;
  if (!items.length) return <Empty description="当前没有需要撰写的述职报告" />;
  return (
    <List
      data-testid="report-tasks"
      dataSource={items}
      renderItem={(t) => (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text strong>撰写述职报告</Typography.Text>
              <StateTag state={t.state} label={t.stateLabel} />
              <DueTag dueDate={t.dueDate} daysLeft={t.daysLeft} overdue={t.overdue} submitted={!!t.submittedAt} />
              <PhaseNote phase={t.phase} />
            </Space>
            <div>{t.campaignTitle}</div>
            <Typography.Text type="secondary">
              向{t.reportToName}述职{t.meetingDate ? `，述职评议会${formatDateProse(t.meetingDate)}` : ''}
              {t.charCount ? `，当前${t.charCount}字` : ''}
            </Typography.Text>
            {t.dueSoon && <Alert type="warning" showIcon title={`请在${formatDateProse(t.dueDate)}前提交述职报告`} />}
            {!!t.reminders?.length && !t.submittedAt && (
              <Alert
                type={t.reminders[0]!.overdue ? 'error' : 'warning'}
                showIcon
                data-testid="report-task-reminder"
                title={`催报：${t.reminders[0]!.message}`}
                description={
                  <div>
                    {t.reminders.map((r) => (
                      <div key={r.id}>
                        <Typography.Text type="secondary">
                          {formatTime(r.at)} · {r.senderName}
                        </Typography.Text>
                        {r !== t.reminders![0] && <span>：{r.message}</span>}
                      </div>
                    ))}
                  </div>
                }
              />
            )}
            <Link to={`/reports/r/${t.reporterId}`} data-testid="report-task-open">
              <Button type="primary">{t.state === 'none' ? '开始撰写' : '打开'}</Button>
            </Link>
          </Space>
        </Card>
      )}
    />
  );
}

const STATE_FILTERS = [
  { value: 'pending', label: '待审核' },
  { value: 'none', label: '未开始' },
  { value: 'draft', label: '草稿' },
  { value: 'returned', label: '退回修改' },
  { value: 'rewrite_ordered', label: '责令重写' },
  { value: 'approved', label: '审核通过' },
  { value: 'signed', label: '已审阅签字' },
];

/** Reports routed to bodies within the reviewer's scope, waiting ones first. */
function ReviewQueue() {
  const canPublish = useAbilities().reports.publish;
  const navigate = useNavigate();
  const [state, setState] = useState<QueueQuery['state']>();
  const [q, setQ] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [campaignId, setCampaignId] = useState<number | undefined>();
  const [page, setPage] = useState(1);
  const debouncedQ = useDebounced(q, 300);
  const query = { state, q: debouncedQ || undefined, overdue, campaignId, offset: (page - 1) * PAGE, limit: PAGE };
  const queue = useQuery({
    queryKey: ['reports', 'queue', query],
    queryFn: ({ signal }) => reportsApi.queue(query, signal),
    ...paged,
  });
  const data = queue.data ?? (queue.isError ? { items: [], total: 0 } : null);
  const load = () => void queue.refetch();
  // The campaign filter offers every campaign seen so far in the queue.
  const [campaigns, setCampaigns] = useState(new Map<number, string>());
  useEffect(() => {
    if (!queue.data) return;
    setCampaigns((m) => {
      const next = new Map(m);
      for (const i of queue.data.items) next.set(i.campaignId, i.campaignTitle);
      return next;
    });
  }, [queue.data]);

  const [selected, setSelected] = useState<number[]>([]);
  const remindable = (r: TaskItem) => ['none', 'draft', 'returned', 'rewrite_ordered'].includes(r.state);
  const showRemindResult = (r: { sent: string[]; skipped: { orgName: string; reason: string }[] }) => {
    Modal.info({
      title: '催报',
      content: (
        <div data-testid="remind-result">
          <p>
            已催报{r.sent.length}个{r.sent.length ? `：${r.sent.join('、')}` : ''}
          </p>
          {r.skipped.length > 0 && (
            <>
              <p>未催报{r.skipped.length}个：</p>
              <ul>
                {r.skipped.map((x) => (
                  <li key={x.orgName}>
                    {x.orgName}：{x.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ),
    });
    setSelected([]);
    load();
  };
  const remind = async (reporterIds: number[]) => showRemindResult(await reportsApi.remind({ reporterIds }));
  const remindAll = async () => {
    // The list as shown: a state filter that cannot be reminded (待审核, 通过…) leaves nothing to send.
    const awaiting = ['none', 'draft', 'returned', 'rewrite_ordered'] as const;
    const st = awaiting.find((a) => a === state);
    if (state && !st) return showRemindResult({ sent: [], skipped: [] });
    showRemindResult(await reportsApi.remind({ all: { campaignId, q: debouncedQ || undefined, overdue, state: st } }));
  };

  const publish = async () => {
    if (!campaignId) return;
    const r = await reportsApi.publish(campaignId);
    Modal.info({
      title: '公开述职报告',
      content: (
        <div>
          <p>公开范围：{r.audience}</p>
          <p>
            已公开{r.published.length}份{r.published.length ? `：${r.published.join('、')}` : ''}
          </p>
          {r.skipped.length > 0 && (
            <>
              <p>未公开{r.skipped.length}份：</p>
              <ul>
                {r.skipped.map((s) => (
                  <li key={s.orgName}>
                    {s.orgName}：{s.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ),
    });
    load();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          allowClear
          placeholder="述职评议考核"
          style={{ width: 260 }}
          value={campaignId}
          onChange={(v) => {
            setCampaignId(v);
            setPage(1);
          }}
          options={[...campaigns].map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 140 }}
          value={state}
          onChange={(v) => {
            setState(v);
            setPage(1);
          }}
          options={STATE_FILTERS}
          data-testid="queue-state"
        />
        <Input.Search
          allowClear
          placeholder="按党组织名称搜索"
          style={{ width: 220 }}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
        />
        <Space>
          <Switch
            checked={overdue}
            onChange={(v) => {
              setOverdue(v);
              setPage(1);
            }}
          />
          只看逾期未交
        </Space>
        <Button disabled={!selected.length} onClick={() => remind(selected)} data-testid="remind-selected">
          催报所选{selected.length ? `（${selected.length}）` : ''}
        </Button>
        <Popconfirm
          title={`向${overdue ? '逾期未交的' : '当前列表中尚未提交的'}全部述职对象发送催报提醒？`}
          onConfirm={remindAll}
          okButtonProps={{ 'data-testid': 'confirm-remind-all' } as ButtonProps}
        >
          <Button data-testid="remind-all">全部催报</Button>
        </Popconfirm>
        {canPublish && (
          <Popconfirm
            title="公开所选述职评议考核中审核通过、且述职评议会已召开的述职报告？公开后报告只读。"
            onConfirm={publish}
            disabled={!campaignId}
          >
            <Button disabled={!campaignId}>公开述职报告</Button>
          </Popconfirm>
        )}
      </Space>
      <Table
        data-testid="queue-table"
        size="small"
        rowKey="reporterId"
        loading={!data}
        dataSource={data?.items}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: data?.total ?? 0,
          onChange: setPage,
          showTotal: (n) => `共${n}个述职对象`,
          showSizeChanger: false,
        }}
        scroll={{ x: 860 }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as number[]),
          getCheckboxProps: (r) => ({ disabled: !remindable(r) }),
        }}
        onRow={(r) => ({
          onClick: () => r.reportId && r.state !== 'draft' && navigate(`/reports/${r.reportId}`),
          style: { cursor: r.reportId ? 'pointer' : 'default' },
        })}
        columns={[
          {
            title: '党组织',
            dataIndex: 'orgName',
            render: (n, r) =>
              r.reportId && r.state !== 'draft' ? (
                <Link to={`/reports/${r.reportId}`} data-testid="queue-open">
                  {n}
                </Link>
              ) : (
                n
              ),
          },
          { title: '述职评议考核', dataIndex: 'campaignTitle', responsive: ['lg'] },
          { title: '状态', dataIndex: 'state', render: (s, r) => <StateTag state={s} label={r.stateLabel} /> },
          { title: '字数', dataIndex: 'charCount', width: 70 },
          {
            title: '报送截止',
            dataIndex: 'dueDate',
            render: (_, r) => (
              <DueTag dueDate={r.dueDate} daysLeft={r.daysLeft} overdue={r.overdue} submitted={!!r.submittedAt} />
            ),
          },
          { title: '所处阶段', key: 'phase', responsive: ['md'], render: (_, r) => <PhaseNote phase={r.phase} /> },
          { title: '提交时间', dataIndex: 'submittedAt', render: (t) => (t ? formatTime(t) : '—'), responsive: ['md'] },
          {
            title: '催报',
            dataIndex: 'lastRemindedAt',
            render: (at, r) => (
              <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
                {remindable(r) && (
                  <Button size="small" onClick={() => remind([r.reporterId])} data-testid="remind-one">
                    催报
                  </Button>
                )}
                {at && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    上次{formatTime(at)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}

/** Published reports the user may read (R-REP-7). */
function Published() {
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const debouncedQ = useDebounced(q, 300);
  const query = { q: debouncedQ || undefined, offset: (page - 1) * PAGE, limit: PAGE };
  const published = useQuery({
    queryKey: ['reports', 'published', query],
    queryFn: ({ signal }) => reportsApi.published(query, signal),
    ...paged,
  });
  const data = published.data ?? (published.isError ? { items: [], total: 0 } : null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search
        allowClear
        placeholder="按党组织名称搜索"
        style={{ maxWidth: 260 }}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setPage(1);
        }}
        data-testid="published-search"
      />
      <Table
        size="small"
        rowKey="id"
        loading={!data}
        dataSource={data?.items}
        locale={{ emptyText: '暂无公开的述职报告' }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        scroll={{ x: 560 }}
        columns={[
          { title: '党组织', dataIndex: 'orgName', render: (n, r) => <Link to={`/reports/${r.id}`}>{n}</Link> },
          { title: '述职评议考核', dataIndex: 'campaignTitle' },
          { title: '字数', dataIndex: 'charCount' },
          { title: '公开时间', dataIndex: 'publishedAt', render: formatTime },
        ]}
      />
    </Space>
  );
}

export default function ReportsHomePage() {
  const can = useAbilities().reports;
  const items = [
    ...(can.write ? [{ key: 'tasks', label: '我的述职报告', children: <MyTasks /> }] : []),
    ...(can.review
      ? [
          {
            key: 'queue',
            label: (
              <span>
                审核<Tag style={{ marginInlineStart: 6 }}>述职报告</Tag>
              </span>
            ),
            children: <ReviewQueue />,
          },
        ]
      : []),
    { key: 'published', label: '已公开的述职报告', children: <Published /> },
  ];
  return (
    <div>
      <Typography.Title level={4}>述职报告</Typography.Title>
      <Tabs items={items} />
    </div>
  );
}
