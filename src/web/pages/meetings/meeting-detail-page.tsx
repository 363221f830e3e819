import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  DesktopOutlined,
  EditOutlined,
  FileExcelOutlined,
  FileWordOutlined,
  DownloadOutlined,
  PlusOutlined,
  UnorderedListOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
  type TableColumnsType,
} from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  meetingsApi,
  type AgendaItem,
  type Attendance,
  type AttendeeRow,
  type MeetingComment,
  type MeetingDetail,
} from '../../api/meetings';
import { isApiError } from '../../api/client';
import { moveItem } from '../../../domain/meeting-agenda';
import { notify } from '../../lib/notify';
import { keys } from '../../lib/query';
import { BallotsTab } from './ballots-tab';
import { CommentEditor } from './comment-editor';
import { MeetingFormModal } from './meeting-form';
import { STATE_COLORS } from './meeting-list-page';

/** /campaigns/:id/meetings/:meetingId — agenda, attendance, comments and the record of one 述职评议会. */
export default function MeetingDetailPage() {
  const params = useParams();
  const campaignId = Number(params.id);
  const meetingId = Number(params.meetingId);
  const queryClient = useQueryClient();
  const queryKey = keys.meeting(meetingId);
  const detail = useQuery({ queryKey, queryFn: ({ signal }) => meetingsApi.detail(meetingId, { signal }) });
  const d = detail.data ?? null;
  // An action's answer is the meeting as it is now: shown at once, without asking again.
  const setD = (next: MeetingDetail) => queryClient.setQueryData(queryKey, next);
  const { refetch } = detail;
  const load = useCallback(async () => {
    await refetch();
  }, [refetch]);
  const [editing, setEditing] = useState(false);
  if (!d) return <Card loading />;

  const m = d.meeting;
  const closed = m.state === 'closed';
  const manage = d.permissions.manage && !closed;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to="/campaigns">述职评议考核</Link> },
          { title: <Link to={`/campaigns/${campaignId}`}>{d.campaign.title}</Link> },
          { title: <Link to={`/campaigns/${campaignId}/meetings`}>述职评议会</Link> },
          { title: m.title },
        ]}
      />
      <Card
        title={
          <Space>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="meeting-heading">
              {m.title}
            </Typography.Title>
            <Tag color={STATE_COLORS[m.state]}>{m.stateLabel}</Tag>
          </Space>
        }
        extra={
          <Space wrap>
            <Link to={`/campaigns/${campaignId}/meetings/${m.id}/console`} target="_blank" data-testid="open-console">
              <Button type="primary" icon={<DesktopOutlined />}>
                打开会场控制台
              </Button>
            </Link>
            <Button icon={<FileWordOutlined />} onClick={() => meetingsApi.downloadRecord(m.id)}>
              导出会议记录
            </Button>
            <Button icon={<FileExcelOutlined />} onClick={() => meetingsApi.downloadSheet(m.id)}>
              导出议程及参会人员
            </Button>
            {manage && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                编辑
              </Button>
            )}
            {manage && (
              <Popconfirm
                title="确定结束会议？"
                description="结束后点评、参会人员和议程都不能再修改。"
                okText="结束会议"
                okButtonProps={{ danger: true }}
                onConfirm={async () => setD(await meetingsApi.close(m.id))}
              >
                <Button danger>结束会议</Button>
              </Popconfirm>
            )}
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { label: '日期', children: m.meetingDate },
            { label: '地点', children: m.place },
            { label: '当前环节', children: d.flow.current },
            { label: '点评方式', children: m.commentModeLabel },
            { label: '主持人', children: m.chair ?? '—' },
            { label: '记录人', children: m.recorder ?? '—' },
            { label: '述职人数', children: m.agendaCount },
          ]}
        />
      </Card>
      <Card>
        <Tabs
          items={[
            { key: 'agenda', label: '议程', children: <AgendaTab d={d} manage={manage} onChange={setD} /> },
            { key: 'attendance', label: '参会人员', children: <AttendanceTab d={d} manage={manage} onChange={setD} /> },
            {
              key: 'comments',
              label: `点评及问答（${d.comments.length}）`,
              children: <CommentsTab d={d} canWrite={d.permissions.comment && !closed} reload={load} />,
            },
            // Only those who may run the vote see the tab (the ballots module's policy, sent as permissions.ballots).
            ...(d.permissions.ballots
              ? [
                  {
                    key: 'ballots',
                    label: '测评',
                    children: (
                      <BallotsTab
                        meetingId={m.id}
                        categories={d.attendance}
                        canManage={d.permissions.ballots}
                        reporters={d.agenda.map((a) => ({ reporterId: a.reporterId, name: a.orgName }))}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <MeetingFormModal
        open={editing}
        title="编辑会议"
        initial={{ ...m, commentMode: m.commentMode as 'one_by_one' | 'collective' }}
        onCancel={() => setEditing(false)}
        onSubmit={async (v) => {
          setD(await meetingsApi.update(m.id, v));
          setEditing(false);
          notify.success('已保存');
        }}
      />
    </Space>
  );
}

function AgendaTab({ d, manage, onChange }: { d: MeetingDetail; manage: boolean; onChange(d: MeetingDetail): void }) {
  const [adding, setAdding] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const entries = d.agenda.map((a) => ({ reporterId: a.reporterId, writtenOnly: a.writtenOnly }));
  const save = async (items: typeof entries) => {
    setBusy(true);
    try {
      onChange(await meetingsApi.setAgenda(d.meeting.id, items));
    } finally {
      setBusy(false);
    }
  };
  const columns: TableColumnsType<AgendaItem> = [
    { title: '序号', dataIndex: 'position', width: 64 },
    {
      title: '述职党组织',
      dataIndex: 'orgName',
      render: (v: string, a) => (
        <Space>
          {v}
          {a.role === 'downward' && <Tag color="purple">下评</Tag>}
        </Space>
      ),
    },
    { title: '书记', dataIndex: 'secretaryName', width: 100, render: (v: string | null) => v ?? '—' },
    { title: '类别', dataIndex: 'tierLabel', width: 200 },
    {
      title: '发言时间',
      dataIndex: 'speakingMinutes',
      width: 100,
      render: (v: number | null, a) => (a.writtenOnly ? '—' : v ? `${v} 分钟` : '不限'),
    },
    {
      title: '书面述职',
      dataIndex: 'writtenOnly',
      width: 100,
      render: (v: boolean, a, i) => (
        <Switch
          size="small"
          checked={v}
          disabled={!manage || busy || (!a.writtenOnlyAllowed && !v)}
          title={a.writtenOnlyAllowed ? undefined : '该类别须现场述职'}
          onChange={(on) => save(entries.map((e, k) => (k === i ? { ...e, writtenOnly: on } : e)))}
        />
      ),
    },
    ...(manage
      ? [
          {
            title: '调整',
            key: 'move',
            width: 150,
            render: (_: unknown, a: AgendaItem, i: number) => (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<ArrowUpOutlined />}
                  aria-label="上移"
                  disabled={i === 0 || busy}
                  onClick={() => save(moveItem(entries, i, -1))}
                />
                <Button
                  size="small"
                  icon={<ArrowDownOutlined />}
                  aria-label="下移"
                  disabled={i === entries.length - 1 || busy}
                  onClick={() => save(moveItem(entries, i, 1))}
                />
                <Popconfirm
                  title={`将「${a.orgName}」移出议程？`}
                  okText="移出"
                  onConfirm={() => save(entries.filter((_, k) => k !== i))}
                >
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label="移出" disabled={busy} />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {manage && (
        <Space wrap>
          <Popconfirm
            title="按述职对象名单顺序重排议程？"
            description="全部述职对象按名单顺序排列，“下评”放在最后。"
            okText="确定"
            onConfirm={async () => onChange(await meetingsApi.defaultAgenda(d.meeting.id))}
          >
            <Button icon={<UnorderedListOutlined />} data-testid="agenda-default">
              添加全部述职对象（默认顺序）
            </Button>
          </Popconfirm>
          <Select
            mode="multiple"
            style={{ minWidth: 320 }}
            placeholder="选择要加入议程的述职对象"
            value={adding}
            onChange={setAdding}
            optionFilterProp="label"
            options={d.availableReporters.map((r) => ({
              value: r.id,
              label: `${r.orgName}${r.role === 'downward' ? '（下评）' : ''}`,
            }))}
          />
          <Button
            icon={<PlusOutlined />}
            disabled={!adding.length || busy}
            onClick={async () => {
              const extra = d.availableReporters
                .filter((r) => adding.includes(r.id))
                .map((r) => ({ reporterId: r.id, writtenOnly: r.writtenOnly && r.writtenOnlyAllowed }));
              await save([...entries, ...extra]);
              setAdding([]);
            }}
          >
            加入议程
          </Button>
        </Space>
      )}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={d.agenda}
        pagination={false}
        loading={busy}
        data-testid="agenda-table"
        locale={{ emptyText: <Empty description="尚未安排述职对象" /> }}
      />
      <Typography.Text type="secondary">
        点评方式：{d.meeting.commentModeLabel}。
        {d.meeting.commentMode === 'one_by_one'
          ? '会议议程：每位书记述职后当场点评，再由下一位述职 → 评议测评 → 上级组织部门讲话 → 总结讲话。'
          : `会议议程：${d.steps.map((s) => s.label).join(' → ')}。`}
        书面述职的述职对象不安排现场发言。
      </Typography.Text>
    </Space>
  );
}

function AttendanceTab({
  d,
  manage,
  onChange,
}: {
  d: MeetingDetail;
  manage: boolean;
  onChange(d: MeetingDetail): void;
}) {
  const [rows, setRows] = useState<Attendance[]>(d.attendance);
  const [saving, setSaving] = useState(false);
  useEffect(() => setRows(d.attendance), [d.attendance]);
  const set = (i: number, patch: Partial<Attendance>) =>
    setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const columns: TableColumnsType<Attendance> = [
    {
      title: '人员类别',
      dataIndex: 'categoryLabel',
      width: 220,
      render: (v: string, r) => (
        <Space>
          {v}
          {r.weight === 0 && <Tag>不参与测评</Tag>}
        </Space>
      ),
    },
    {
      title: '应到',
      dataIndex: 'expected',
      width: 120,
      render: (v: number, r, i) => (
        <InputNumber
          min={0}
          precision={0}
          value={v}
          disabled={!manage || r.fromList}
          onChange={(x) => set(i, { expected: x ?? 0 })}
        />
      ),
    },
    {
      title: '实到',
      dataIndex: 'present',
      width: 120,
      render: (v: number, r, i) => (
        <InputNumber
          min={0}
          max={r.expected}
          precision={0}
          value={v}
          disabled={!manage || r.fromList}
          onChange={(x) => set(i, { present: x ?? 0 })}
        />
      ),
    },
    {
      title: '名单（可选）',
      dataIndex: 'names',
      render: (v: string | null, r, i) =>
        r.fromList ? (
          <Typography.Text type="secondary">按下方参会人员名单统计</Typography.Text>
        ) : (
          <Input.TextArea
            autoSize
            value={v ?? ''}
            disabled={!manage}
            maxLength={2000}
            onChange={(e) => set(i, { names: e.target.value })}
          />
        ),
    },
  ];
  const total = rows.reduce((s, r) => [s[0]! + r.expected, s[1]! + r.present], [0, 0]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        rowKey="categoryKey"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        data-testid="attendance-table"
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
            <Table.Summary.Cell index={1}>{total[0]}</Table.Summary.Cell>
            <Table.Summary.Cell index={2}>{total[1]}</Table.Summary.Cell>
            <Table.Summary.Cell index={3} />
          </Table.Summary.Row>
        )}
      />
      {manage && (
        <Button
          type="primary"
          loading={saving}
          onClick={async () => {
            setSaving(true);
            try {
              onChange(
                await meetingsApi.saveAttendance(
                  d.meeting.id,
                  rows
                    .filter((r) => r.weight !== null)
                    .map((r) => ({
                      categoryKey: r.categoryKey,
                      expected: r.expected,
                      present: r.present,
                      names: r.names || null,
                    })),
                ),
              );
              notify.success('参会人员已保存');
            } finally {
              setSaving(false);
            }
          }}
        >
          保存参会人员
        </Button>
      )}
      <AttendeesList d={d} manage={manage} onChange={onChange} />
      <Typography.Title level={5}>上级组织部门到会指导</Typography.Title>
      {d.observers.length ? (
        <List
          size="small"
          dataSource={d.observers}
          renderItem={(o) => (
            <List.Item>
              {o.name}
              {o.groupName ? `（${o.groupName}${o.isLeader ? '，组长' : ''}）` : ''}
            </List.Item>
          )}
        />
      ) : (
        <Typography.Text type="secondary">尚未选派观察员（在“观察员选派”中安排）。</Typography.Text>
      )}
    </Space>
  );
}

const toRows = (x: MeetingDetail): AttendeeRow[] =>
  x.attendees.map((a) => ({
    categoryKey: a.categoryKey,
    name: a.name,
    unit: a.unit,
    identity: a.identity,
    present: a.present,
  }));

/**
 * Named attendees (R-MEET-2): the invited 两代表一委员 and 党员群众代表 with the unit each represents, committee
 * members, observers — typed here or imported from .xlsx; the head counts above follow the list.
 */
function AttendeesList({
  d,
  manage,
  onChange,
}: {
  d: MeetingDetail;
  manage: boolean;
  onChange(d: MeetingDetail): void;
}) {
  const [rows, setRows] = useState<AttendeeRow[]>(toRows(d));
  const [saving, setSaving] = useState(false);
  useEffect(() => setRows(toRows(d)), [d]);
  const categories = d.attendance.filter((a) => a.weight !== null);
  const set = (i: number, patch: Partial<AttendeeRow>) =>
    setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const columns: TableColumnsType<AttendeeRow> = [
    {
      title: '人员类别',
      dataIndex: 'categoryKey',
      width: 220,
      render: (v: string, _r, i) => (
        <Select
          style={{ width: 200 }}
          value={v}
          disabled={!manage}
          onChange={(x) => set(i, { categoryKey: x })}
          options={categories.map((c) => ({ value: c.categoryKey, label: c.categoryLabel }))}
        />
      ),
    },
    {
      title: '姓名',
      dataIndex: 'name',
      width: 140,
      render: (v: string, _r, i) => (
        <Input value={v} maxLength={50} disabled={!manage} onChange={(e) => set(i, { name: e.target.value })} />
      ),
    },
    {
      title: '所在单位',
      dataIndex: 'unit',
      render: (v: string, _r, i) => (
        <Input value={v} maxLength={100} disabled={!manage} onChange={(e) => set(i, { unit: e.target.value })} />
      ),
    },
    {
      title: '身份或职务',
      dataIndex: 'identity',
      width: 160,
      render: (v: string | null | undefined, _r, i) => (
        <Input
          value={v ?? ''}
          maxLength={50}
          disabled={!manage}
          placeholder="如：人大代表"
          onChange={(e) => set(i, { identity: e.target.value })}
        />
      ),
    },
    {
      title: '出席',
      dataIndex: 'present',
      width: 70,
      render: (v: boolean, _r, i) => (
        <Checkbox checked={v} disabled={!manage} onChange={(e) => set(i, { present: e.target.checked })} />
      ),
    },
    ...(manage
      ? [
          {
            title: '',
            key: 'del',
            width: 50,
            render: (_: unknown, _r: AttendeeRow, i: number) => (
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                aria-label="删除"
                onClick={() => setRows((rs) => rs.filter((_x, k) => k !== i))}
              />
            ),
          },
        ]
      : []),
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>参会人员名单（“两代表一委员”、党员群众代表等，含所在单位）</Typography.Title>
      {manage && (
        <Space wrap>
          <Button
            icon={<PlusOutlined />}
            disabled={!categories.length}
            onClick={() =>
              setRows((rs) => [
                ...rs,
                { categoryKey: categories[0]!.categoryKey, name: '', unit: '', identity: null, present: true },
              ])
            }
          >
            添加一人
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => meetingsApi.downloadAttendeesTemplate(d.meeting.id)}>
            下载名单模板
          </Button>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            customRequest={async ({ file }) => {
              try {
                const res = await meetingsApi.importAttendees(d.meeting.id, file as Blob);
                notify.success(`已导入${res.imported}人（${res.categories}个类别的名单已替换）`);
                onChange(await meetingsApi.detail(d.meeting.id));
              } catch (e) {
                const errors = isApiError(e)
                  ? (e.details as { errors?: { row: number; message: string }[] } | undefined)?.errors
                  : undefined;
                notify.error(
                  isApiError(e)
                    ? `${e.message}${
                        errors?.length
                          ? `：${errors
                              .slice(0, 5)
                              .map((x) => `第${x.row}行${x.message}`)
                              .join('；')}`
                          : ''
                      }`
                    : '导入失败',
                );
              }
            }}
          >
            <Button icon={<UploadOutlined />}>导入名单（.xlsx）</Button>
          </Upload>
        </Space>
      )}
      <Table
        rowKey={(_r) => rows.indexOf(_r)}
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        data-testid="attendees-table"
        locale={{ emptyText: <Empty description="未录入名单：上表按人数登记" /> }}
      />
      {manage && (
        <Button
          type="primary"
          loading={saving}
          onClick={async () => {
            setSaving(true);
            try {
              onChange(
                await meetingsApi.saveAttendees(
                  d.meeting.id,
                  rows.map((r) => ({ ...r, identity: r.identity?.trim() || null })),
                ),
              );
              notify.success('参会人员名单已保存');
            } finally {
              setSaving(false);
            }
          }}
        >
          保存名单
        </Button>
      )}
    </Space>
  );
}

function CommentsTab({ d, canWrite, reload }: { d: MeetingDetail; canWrite: boolean; reload(): Promise<void> }) {
  const [filter, setFilter] = useState<number | 'all' | 'general'>('all');
  const [editing, setEditing] = useState<number | null>(null);
  const [form] = Form.useForm();
  const names = new Map(d.agenda.map((a) => [a.id, a.orgName]));
  const shown = d.comments.filter(
    (c) => filter === 'all' || (filter === 'general' ? c.agendaItemId === null : c.agendaItemId === filter),
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        style={{ width: 320 }}
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: '全部述职对象' },
          { value: 'general', label: '集中点评及讲话' },
          ...d.agenda.map((a) => ({ value: a.id, label: a.orgName })),
        ]}
      />
      {canWrite && (
        <CommentEditor
          meetingId={d.meeting.id}
          agenda={d.agenda}
          defaultItemId={typeof filter === 'number' ? filter : null}
          onSaved={reload}
        />
      )}
      <List
        dataSource={shown}
        locale={{ emptyText: '暂无点评记录' }}
        data-testid="comment-list"
        renderItem={(c: MeetingComment) => (
          <List.Item
            actions={
              canWrite
                ? [
                    <Button
                      key="e"
                      type="link"
                      size="small"
                      onClick={() => {
                        setEditing(c.id);
                        form.setFieldsValue({ body: c.body });
                      }}
                    >
                      修改
                    </Button>,
                    <Popconfirm
                      key="d"
                      title="删除这条记录？"
                      okText="删除"
                      okButtonProps={{ danger: true }}
                      onConfirm={async () => {
                        await meetingsApi.deleteComment(d.meeting.id, c.id);
                        await reload();
                      }}
                    >
                      <Button type="link" size="small" danger>
                        删除
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space>
                  <Tag color={c.kind === 'comment' ? 'red' : c.kind === 'question' ? 'blue' : 'green'}>
                    {c.kindLabel}
                  </Tag>
                  {c.authorName}（{c.authorRole}）
                  <Typography.Text type="secondary">
                    {c.agendaItemId ? names.get(c.agendaItemId) : '集中点评'}
                  </Typography.Text>
                </Space>
              }
              description={
                editing === c.id ? (
                  <Form
                    form={form}
                    onFinish={async (v) => {
                      await meetingsApi.editComment(d.meeting.id, c.id, { body: v.body });
                      setEditing(null);
                      await reload();
                    }}
                  >
                    <Form.Item name="body" rules={[{ required: true, whitespace: true, message: '请填写内容' }]}>
                      <Input.TextArea autoSize={{ minRows: 2 }} maxLength={5000} />
                    </Form.Item>
                    <Space>
                      <Button htmlType="submit" type="primary" size="small">
                        保存
                      </Button>
                      <Button size="small" onClick={() => setEditing(null)}>
                        取消
                      </Button>
                    </Space>
                  </Form>
                ) : (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0, color: 'inherit' }}>
                    {c.body}
                  </Typography.Paragraph>
                )
              }
            />
          </List.Item>
        )}
      />
    </Space>
  );
}
