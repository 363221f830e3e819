import { DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Dropdown,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { METHODS } from '../../../domain/checklist';
import { type Sector, SECTORS } from '../../../domain/org-taxonomy';
import {
  type AppliesTo,
  assessmentApi,
  type Candidate,
  type Checklist,
  type ChecklistItem,
  type Checklists,
  type ItemInput,
  type Progress,
  type ProgressRow,
  type ProgressStatus,
  STATUS_LABELS,
  type Team,
} from '../../api/assessment';
import { isApiError } from '../../api/client';
import { notify } from '../../lib/notify';
import { paged, useCampaign, useLastData } from '../../lib/query';
import { formatDateTime } from '../../lib/time';
import { useDebounced } from '../../lib/use-debounced';
import { LoadError } from '../oversight/shared';

const sectorLabel = (c: string) => SECTORS.find((s) => s.code === c)?.label ?? c;

/** /campaigns/:id/assessment — 考核细则, 考评组 and 考核进度 of one campaign (organizer; leaders read). */
export default function AssessmentAdminPage() {
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'checklists';
  const checklists = useQuery({
    queryKey: ['checklists', id],
    queryFn: ({ signal }) => assessmentApi.checklists(id, signal),
  });
  const lists: Checklists | null = useLastData(checklists.data) ?? null;
  const error = checklists.error;
  const refetchLists = checklists.refetch;
  const load = useCallback(async () => {
    await refetchLists();
  }, [refetchLists]);
  useEffect(() => {
    if (lists) document.title = `实地考核 · ${lists.campaign.title} · 述评考`;
  }, [lists]);
  if (error && !lists) return <LoadError error={error} />;

  return (
    <div>
      <Typography.Title level={4} style={{ margin: 0 }}>
        实地考核{lists ? ` · ${lists.campaign.title}` : ''}
      </Typography.Title>
      {lists && (
        <Typography.Text type="secondary">
          组织单位：{lists.campaign.organizerName} · <Link to={`/campaigns/${id}`}>方案详情</Link>
        </Typography.Text>
      )}
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          {
            key: 'checklists',
            label: '考核细则',
            children: lists && <ChecklistsTab campaignId={id} data={lists} reload={load} />,
          },
          { key: 'teams', label: '考评组', children: <TeamsTab campaignId={id} /> },
          { key: 'progress', label: '考核进度', children: <ProgressTab campaignId={id} /> },
        ]}
      />
    </div>
  );
}

function appliesText(a: Checklist['appliesTo'], tiers: { key: string; label: string }[]) {
  const parts: string[] = [];
  if (a.tierKeys?.length)
    parts.push(`类别：${a.tierKeys.map((k) => tiers.find((t) => t.key === k)?.label ?? k).join('、')}`);
  if (a.sectors?.length) parts.push(`领域：${a.sectors.map(sectorLabel).join('、')}`);
  return parts.length ? parts.join('；') : '全部述职对象';
}

function ChecklistsTab({
  campaignId,
  data,
  reload,
}: {
  campaignId: number;
  data: Checklists;
  reload: () => Promise<void>;
}) {
  const canEdit = useCampaign(campaignId).data?.permissions.can.organizeAssessment ?? false;
  const [editing, setEditing] = useState<{ checklist: Checklist; item: ChecklistItem | null } | null>(null);
  const [listEdit, setListEdit] = useState<Checklist | 'new' | null>(null);

  const fromTemplate = async (kind: string) => {
    await assessmentApi.fromTemplate(campaignId, kind);
    notify.success('已从模板创建考核细则');
    await reload();
  };

  return (
    <div>
      {canEdit && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Dropdown
            menu={{
              items: data.templateKinds.map((k) => ({ key: k.code, label: k.label })),
              onClick: ({ key }) => void fromTemplate(key),
            }}
          >
            <Button type="primary" icon={<PlusOutlined />}>
              从模板创建
            </Button>
          </Dropdown>
          <Button icon={<PlusOutlined />} onClick={() => setListEdit('new')}>
            新建空白细则
          </Button>
        </Space>
      )}
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message="每个述职对象按排在最前、适用范围相符的一份考核细则评分；考核方式以看现场、访群众为主，少查资料。"
      />
      {!data.checklists.length && <Typography.Paragraph type="secondary">尚未设置考核细则。</Typography.Paragraph>}
      {data.checklists.map((c) => (
        <Card
          key={c.id}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid={`checklist-${c.id}`}
          title={
            <span>
              {c.title} <Tag color="red">合计 {c.total} 分</Tag>
            </span>
          }
          extra={
            canEdit && (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setListEdit(c)}>
                  设置
                </Button>
                <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing({ checklist: c, item: null })}>
                  新增项目
                </Button>
                <Popconfirm
                  title="删除该考核细则？"
                  onConfirm={async () => {
                    await assessmentApi.removeChecklist(c.id);
                    await reload();
                  }}
                >
                  <Button size="small" danger icon={<DeleteOutlined />} />
                </Popconfirm>
              </Space>
            )
          }
        >
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            适用范围：{appliesText(c.appliesTo, data.tiers)} ·{' '}
            {c.sections.map((s) => `${s.section} ${s.points}分`).join('，')}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={c.items}
            scroll={{ x: 720 }}
            columns={[
              { title: '部分', dataIndex: 'section', width: 110 },
              { title: '考核内容', dataIndex: 'title' },
              { title: '分值', dataIndex: 'maxPoints', width: 70, align: 'right' },
              { title: '方式', dataIndex: 'methodLabel', width: 80 },
              { title: '评分指引', dataIndex: 'guidance', ellipsis: true },
              ...(canEdit
                ? [
                    {
                      title: '操作',
                      key: 'ops',
                      width: 100,
                      render: (_: unknown, item: ChecklistItem) => (
                        <Space size={4}>
                          <Button size="small" type="link" onClick={() => setEditing({ checklist: c, item })}>
                            编辑
                          </Button>
                          <Popconfirm
                            title="删除该项目？"
                            onConfirm={async () => {
                              await assessmentApi.removeItem(item.id);
                              await reload();
                            }}
                          >
                            <Button size="small" type="link" danger>
                              删除
                            </Button>
                          </Popconfirm>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      ))}
      {editing && (
        <ItemModal
          item={editing.item}
          onCancel={() => setEditing(null)}
          onSave={async (input) => {
            if (editing.item) await assessmentApi.updateItem(editing.item.id, input);
            else await assessmentApi.addItem(editing.checklist.id, input);
            setEditing(null);
            await reload();
          }}
        />
      )}
      {listEdit && (
        <ChecklistModal
          checklist={listEdit === 'new' ? null : listEdit}
          tiers={data.tiers}
          onCancel={() => setListEdit(null)}
          onSave={async (title, appliesTo) => {
            if (listEdit === 'new') await assessmentApi.createChecklist(campaignId, { title, appliesTo, items: [] });
            else await assessmentApi.updateChecklist(listEdit.id, { title, appliesTo });
            setListEdit(null);
            await reload();
          }}
        />
      )}
    </div>
  );
}

/** Shows the server's Chinese message on the field it names. */
async function submitWithErrors<T>(form: ReturnType<typeof Form.useForm<T>>[0], run: () => Promise<void>) {
  try {
    await run();
  } catch (e) {
    if (!isApiError(e)) throw e;
    const field = (e.details as { field?: string } | undefined)?.field;
    if (field && form.getFieldInstance(field as never)) form.setFields([{ name: field as never, errors: [e.message] }]);
    else notify.error(e.message);
  }
}

function ItemModal({
  item,
  onSave,
  onCancel,
}: {
  item: ChecklistItem | null;
  onSave: (i: ItemInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [form] = Form.useForm<ItemInput>();
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    const values = await form.validateFields();
    setBusy(true);
    await submitWithErrors(form, () => onSave(values)).finally(() => setBusy(false));
  };
  return (
    <Modal
      open
      title={item ? '编辑考核项目' : '新增考核项目'}
      onOk={() => void ok()}
      onCancel={onCancel}
      confirmLoading={busy}
      okText="保存"
    >
      <Form form={form} layout="vertical" initialValues={item ?? { method: 'site' }}>
        <Form.Item
          name="section"
          label="所属部分"
          rules={[{ required: true, whitespace: true, message: '请填写所属部分' }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="title"
          label="考核内容"
          rules={[{ required: true, whitespace: true, message: '请填写考核内容' }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="maxPoints"
          label="分值"
          rules={[
            { required: true, message: '请填写分值' },
            {
              validator: async (_, v) => {
                if (v != null && v <= 0) throw new Error('分值必须大于0');
              },
            },
          ]}
        >
          <InputNumber style={{ width: '100%' }} step={0.5} />
        </Form.Item>
        <Form.Item name="method" label="考核方式" rules={[{ required: true, message: '请选择考核方式' }]}>
          <Select options={METHODS.map((m) => ({ value: m.code, label: m.label }))} />
        </Form.Item>
        <Form.Item name="guidance" label="评分指引">
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ChecklistModal({
  checklist,
  tiers,
  onSave,
  onCancel,
}: {
  checklist: Checklist | null;
  tiers: { key: string; label: string }[];
  onSave: (title: string, appliesTo: AppliesTo) => Promise<void>;
  onCancel: () => void;
}) {
  const [form] = Form.useForm<{ title: string; tierKeys: string[]; sectors: Sector[] }>();
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    await submitWithErrors(form, () =>
      onSave(v.title, { tierKeys: v.tierKeys ?? [], sectors: v.sectors ?? [] }),
    ).finally(() => setBusy(false));
  };
  return (
    <Modal
      open
      title={checklist ? '考核细则设置' : '新建考核细则'}
      onOk={() => void ok()}
      onCancel={onCancel}
      confirmLoading={busy}
      okText="保存"
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          title: checklist?.title,
          tierKeys: checklist?.appliesTo.tierKeys ?? [],
          sectors: checklist?.appliesTo.sectors ?? [],
        }}
      >
        <Form.Item name="title" label="名称" rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="tierKeys" label="适用的述职对象类别（不选为全部）">
          <Select mode="multiple" options={tiers.map((t) => ({ value: t.key, label: t.label }))} />
        </Form.Item>
        <Form.Item name="sectors" label="适用的领域（不选为全部）">
          <Select mode="multiple" options={SECTORS.map((s) => ({ value: s.code, label: s.label }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TeamsTab({ campaignId }: { campaignId: number }) {
  const canEdit = useCampaign(campaignId).data?.permissions.can.organizeAssessment ?? false;
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 400);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const query = { q: q || undefined, offset: (page - 1) * 20, limit: 20 };
  const list = useQuery({
    queryKey: ['assessment-teams', campaignId, query],
    queryFn: ({ signal }) => assessmentApi.teams(campaignId, query, signal),
    ...paged,
  });
  const data = useLastData(list.data) ?? { items: [], total: 0 };
  const reload = () => void list.refetch();

  const columns: TableColumnsType<Team> = [
    { title: '考评组', dataIndex: 'name', width: 140 },
    { title: '组长', dataIndex: 'leaderName', width: 120, render: (v) => v ?? '—' },
    { title: '成员', key: 'members', render: (_, t) => t.members.map((m) => m.displayName).join('、') || '—' },
    {
      title: '考核对象',
      key: 'reporters',
      render: (_, t) =>
        t.reporters.map((r) => (
          <Tag key={r.id} color={r.completed ? 'success' : undefined}>
            {r.orgName}
          </Tag>
        )),
    },
    { title: '完成', key: 'done', width: 80, render: (_, t) => `${t.completed}/${t.assigned}` },
    ...(canEdit
      ? [
          {
            title: '操作',
            key: 'ops',
            width: 120,
            render: (_: unknown, t: Team) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setEditing(t)}>
                  编辑
                </Button>
                <Popconfirm
                  title="删除该考评组？"
                  onConfirm={async () => {
                    await assessmentApi.removeTeam(t.id);
                    reload();
                  }}
                >
                  <Button size="small" type="link" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder="搜索考评组、成员或考核对象"
          value={term}
          onChange={(e) => {
            setTerm(e.target.value);
            setPage(1);
          }}
          style={{ width: 280 }}
        />
        {canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新建考评组
          </Button>
        )}
      </Space>
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data.items}
        scroll={{ x: 800 }}
        pagination={{
          current: page,
          pageSize: 20,
          total: data.total,
          onChange: setPage,
          showTotal: (n) => `共 ${n} 个考评组`,
        }}
      />
      {editing && (
        <TeamModal
          campaignId={campaignId}
          team={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

function TeamModal({
  campaignId,
  team,
  onCancel,
  onSaved,
}: {
  campaignId: number;
  team: Team | null;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<{ name: string; leaderName?: string; memberIds: number[]; reporterIds: number[] }>();
  const candidateList = useQuery({
    queryKey: ['assessment-candidates', campaignId],
    queryFn: ({ signal }) => assessmentApi.candidates(campaignId, undefined, signal),
  });
  const everyReporter = { offset: 0, limit: 1000 };
  const reporterList = useQuery({
    queryKey: ['assessment-progress', campaignId, everyReporter],
    queryFn: ({ signal }) => assessmentApi.progress(campaignId, everyReporter, signal),
  });
  const candidates: Candidate[] = candidateList.data?.items ?? [];
  const reporters: ProgressRow[] = reporterList.data?.items ?? [];
  const [busy, setBusy] = useState(false);
  const options = reporters
    .filter((r) => r.teamId == null || r.teamId === team?.id)
    .map((r) => ({ value: r.reporterId, label: r.orgName }));
  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    await submitWithErrors(form, async () => {
      const input = {
        name: v.name,
        leaderName: v.leaderName || null,
        memberIds: v.memberIds ?? [],
        reporterIds: v.reporterIds ?? [],
      };
      if (team) await assessmentApi.updateTeam(team.id, input);
      else await assessmentApi.createTeam(campaignId, input);
      notify.success('考评组已保存');
      onSaved();
    }).finally(() => setBusy(false));
  };
  return (
    <Modal
      open
      width={640}
      title={team ? '编辑考评组' : '新建考评组'}
      onOk={() => void ok()}
      onCancel={onCancel}
      confirmLoading={busy}
      okText="保存"
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: team?.name,
          leaderName: team?.leaderName ?? undefined,
          memberIds: team?.members.map((m) => m.id) ?? [],
          reporterIds: team?.reporters.map((r) => r.id) ?? [],
        }}
      >
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请填写考评组名称' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="leaderName" label="组长">
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="memberIds" label="成员（考评组成员账号）">
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={candidates.map((c) => ({ value: c.id, label: `${c.displayName}（${c.username}）` }))}
          />
        </Form.Item>
        <Form.Item name="reporterIds" label="考核对象（每个述职对象只能分到一个考评组）">
          <Select mode="multiple" optionFilterProp="label" options={options} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ProgressTab({ campaignId }: { campaignId: number }) {
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 400);
  const [status, setStatus] = useState<ProgressStatus>();
  const [teamId, setTeamId] = useState<number>();
  const [page, setPage] = useState(1);
  const [exporting, setExporting] = useState(false);
  const teamQuery = { offset: 0, limit: 200 };
  const teamList = useQuery({
    queryKey: ['assessment-teams', campaignId, teamQuery],
    queryFn: ({ signal }) => assessmentApi.teams(campaignId, teamQuery, signal),
  });
  const teams: Team[] = teamList.data?.items ?? [];
  const query = { q: q || undefined, status, teamId, offset: (page - 1) * 50, limit: 50 };
  const list = useQuery({
    queryKey: ['assessment-progress', campaignId, query],
    // The call is silent: its failure is said here, once.
    queryFn: ({ signal }) =>
      assessmentApi.progress(campaignId, query, signal).catch((e: unknown) => {
        if (!signal.aborted) notify.error(isApiError(e) ? e.message : '加载失败');
        throw e;
      }),
    ...paged,
  });
  const data: Progress | null = useLastData(list.data) ?? null;

  const columns: TableColumnsType<ProgressRow> = [
    {
      title: '述职党组织',
      dataIndex: 'orgName',
      render: (v, r) => <Link to={`/campaigns/${campaignId}/assessment/reporters/${r.reporterId}`}>{v}</Link>,
    },
    { title: '书记', dataIndex: 'secretaryName', width: 90, render: (v) => v ?? '—' },
    { title: '考评组', dataIndex: 'teamName', width: 120, render: (v) => v ?? '—' },
    {
      title: '考核细则',
      dataIndex: 'checklistTitle',
      width: 200,
      ellipsis: true,
      render: (v) => v ?? <Tag color="error">无适用细则</Tag>,
    },
    { title: '已评', key: 'scored', width: 70, render: (_, r) => `${r.scored}/${r.items}` },
    { title: '不合格', dataIndex: 'failed', width: 70 },
    { title: '得分', dataIndex: 'score', width: 70 },
    { title: '百分制', dataIndex: 'percent', width: 80, render: (v) => v ?? '—' },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (v: ProgressStatus) => <Tag color={STATUS_LABELS[v].color}>{STATUS_LABELS[v].label}</Tag>,
    },
    { title: '提交时间', dataIndex: 'completedAt', width: 150, render: (v) => (v ? formatDateTime(v) : '—') },
  ];
  const exportXlsx = async () => {
    setExporting(true);
    try {
      await assessmentApi.exportScores(campaignId, { q: q || undefined, status, teamId });
    } finally {
      setExporting(false);
    }
  };
  return (
    <div>
      {data && (
        <Space wrap style={{ marginBottom: 8 }}>
          {(Object.keys(STATUS_LABELS) as ProgressStatus[]).map((k) => (
            <Tag key={k} color={STATUS_LABELS[k].color}>
              {STATUS_LABELS[k].label} {data.summary.byStatus[k] ?? 0}
            </Tag>
          ))}
        </Space>
      )}
      <Space wrap style={{ marginBottom: 12, display: 'flex' }}>
        <Input.Search
          allowClear
          placeholder="搜索述职党组织"
          value={term}
          onChange={(e) => {
            setTerm(e.target.value);
            setPage(1);
          }}
          style={{ width: 220 }}
        />
        <Select
          allowClear
          placeholder="考评组"
          style={{ width: 160 }}
          value={teamId}
          onChange={(v) => {
            setTeamId(v);
            setPage(1);
          }}
          options={teams.map((t) => ({ value: t.id, label: t.name }))}
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 120 }}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={(Object.keys(STATUS_LABELS) as ProgressStatus[]).map((k) => ({
            value: k,
            label: STATUS_LABELS[k].label,
          }))}
        />
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()}>
          导出得分
        </Button>
      </Space>
      <Table
        rowKey="reporterId"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={!data}
        scroll={{ x: 1000 }}
        pagination={{
          current: page,
          pageSize: 50,
          total: data?.total ?? 0,
          onChange: setPage,
          showTotal: (n) => `共 ${n} 个述职对象`,
        }}
      />
    </div>
  );
}
