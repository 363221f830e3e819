import { DownloadOutlined, PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { campaignsApi, type CampaignDetail, type Reporter, type ReporterQuery } from '../../api/campaigns';
import { OrgSelect } from '../../components/org-select';
import { showFormError } from '../../lib/form-errors';
import { toOptions, useMeta } from '../../lib/meta';
import { notify } from '../../lib/notify';
import { paged, useLastData, usePage } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';
import { cnDate } from './labels';

interface Props {
  detail: CampaignDetail;
  canManage: boolean;
}

export function ReportersTab({ detail, canManage }: Props) {
  const campaign = detail.campaign;
  const { sectors, kinds } = useMeta();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [sector, setSector] = useState<ReporterQuery['sector']>();
  const [kind, setKind] = useState<ReporterQuery['kind']>();
  const [role, setRole] = useState<ReporterQuery['role']>();
  const [showRemoved, setShowRemoved] = useState(false);
  const [page, setPage] = usePage([q, sector, kind, role, showRemoved]);
  const [pageSize, setPageSize] = useState(20);
  const query: ReporterQuery = {
    q: q || undefined,
    sector,
    kind,
    role,
    status: showRemoved ? 'all' : 'active',
    offset: (page - 1) * pageSize,
    limit: pageSize,
  };
  const list = useQuery({
    queryKey: ['campaign-reporters', campaign.id, query],
    queryFn: ({ signal }) => campaignsApi.reporters(campaign.id, query, signal),
    ...paged,
  });
  const data = useLastData(list.data) ?? { items: [], total: 0 };
  const loading = list.isFetching;
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Reporter | null>(null);
  const [exporting, setExporting] = useState(false);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [selfEditing, setSelfEditing] = useState<Reporter | null>(null);
  const active = campaign.state === 'published' && canManage;
  const selfCommittee = !!detail.settings?.meeting.selfCommitteeReport.enabled;

  const reload = () => void list.refetch();

  const fileSelf = async (r: Reporter) => {
    setBusyId(r.id);
    try {
      await campaignsApi.fileSelfCommittee(campaign.id, r.id);
      notify.success(`「${r.org.name}」向本级党委述职的评议测评结果已报备`);
      reload();
    } catch {
      // shown by the client
    } finally {
      setBusyId(null);
    }
  };

  const columns: TableColumnsType<Reporter> = [
    {
      title: '述职党组织',
      key: 'org',
      render: (_, r) => (
        <div style={{ minWidth: 180 }}>
          <div>
            {r.org.name}
            {r.role === 'downward' && (
              <Tag color="purple" style={{ marginInlineStart: 6 }}>
                {r.roleLabel}
              </Tag>
            )}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.org.sectorLabel} · {r.org.kindLabel}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '书记',
      key: 'secretary',
      width: 150,
      render: (_, r) => (
        <Space size={2} wrap>
          {r.secretary ? r.secretary.name : <Tag color="orange">未配备书记</Tag>}
          {r.secretary?.shortTenure && (
            <Tooltip title={`任职不满3个月（${r.secretary.tenureStart}起），可代表党组织述职`}>
              <Tag color="gold">新任</Tag>
            </Tooltip>
          )}
          {r.secretary && !r.hasAccount && <Tag color="orange">无账号</Tag>}
        </Space>
      ),
    },
    {
      title: '述职对象类别',
      key: 'tier',
      width: 200,
      render: (_, r) => (
        <div>
          <div>{r.tierLabel}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[
              r.charLimit ? `${r.charLimit}字以内` : '不限字数',
              r.speakingMinutes ? `发言${r.speakingMinutes}分钟` : '',
              r.writtenOnly ? '可书面述职' : '',
            ]
              .filter(Boolean)
              .join('，')}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '向谁述职',
      key: 'reportTo',
      width: 200,
      render: (_, r) => (
        <div>
          <div>{r.reportTo.name}</div>
          {r.routeRuleLabel && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.routeRuleLabel}
            </Typography.Text>
          )}
        </div>
      ),
    },
    ...(selfCommittee
      ? [
          {
            title: '向本级党委述职',
            key: 'self',
            width: 220,
            render: (_: unknown, r: Reporter) => {
              const sc = r.selfCommittee;
              const editable = active && !r.removedAt && !sc?.filedAt;
              return (
                <div data-testid={`self-committee-${r.id}`}>
                  {sc ? (
                    <>
                      <div>
                        {cnDate(sc.date)}
                        {sc.late && (
                          <Tag color="orange" style={{ marginLeft: 4 }}>
                            逾期
                          </Tag>
                        )}
                        {sc.filedAt ? (
                          <Tag color="green" style={{ marginLeft: 4 }}>
                            已报备
                          </Tag>
                        ) : (
                          <Tag style={{ marginLeft: 4 }}>未报备</Tag>
                        )}
                      </div>
                      {sc.ratings && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          好{sc.ratings.good} 较好{sc.ratings.fair} 一般{sc.ratings.average} 差{sc.ratings.poor}
                          {sc.participants ? `（参加${sc.participants}人）` : ''}
                        </Typography.Text>
                      )}
                    </>
                  ) : (
                    <Typography.Text type="secondary">未记录</Typography.Text>
                  )}
                  {editable && (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        onClick={() => setSelfEditing(r)}
                        data-testid={`self-committee-edit-${r.id}`}
                      >
                        {sc ? '修改' : '记录'}
                      </Button>
                      {sc && (
                        <Button
                          type="link"
                          size="small"
                          loading={busyId === r.id}
                          onClick={() => fileSelf(r)}
                          data-testid={`self-committee-file-${r.id}`}
                        >
                          报备
                        </Button>
                      )}
                    </Space>
                  )}
                </div>
              );
            },
          },
        ]
      : []),
    {
      title: '状态',
      key: 'state',
      width: 110,
      render: (_, r) =>
        r.removedAt ? (
          <Tooltip title={`移出理由：${r.removedReason ?? ''}`}>
            <Tag>已移出</Tag>
          </Tooltip>
        ) : (
          <Tag color="green">述职</Tag>
        ),
    },
    ...(active
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 80,
            render: (_: unknown, r: Reporter) =>
              !r.removedAt && (
                <Button
                  type="link"
                  size="small"
                  danger
                  onClick={() => setRemoving(r)}
                  data-testid={`reporter-remove-${r.id}`}
                >
                  移出
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <div className="filters">
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder="搜索党组织或书记"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          style={{ width: 220 }}
          maxLength={64}
          data-testid="reporter-search"
        />
        <Select
          allowClear
          placeholder="全部领域"
          value={sector}
          onChange={setSector}
          options={toOptions(sectors) as { value: NonNullable<ReporterQuery['sector']>; label: string }[]}
          style={{ width: 170 }}
        />
        <Select
          allowClear
          placeholder="全部类别"
          value={kind}
          onChange={setKind}
          options={toOptions(kinds) as { value: NonNullable<ReporterQuery['kind']>; label: string }[]}
          style={{ width: 130 }}
        />
        <Select
          allowClear
          placeholder="述职与下评"
          value={role}
          onChange={setRole}
          options={[
            { value: 'reporter', label: '述职' },
            { value: 'downward', label: '下评' },
          ]}
          style={{ width: 120 }}
        />
        <Space size={4}>
          <Switch size="small" checked={showRemoved} onChange={setShowRemoved} />
          <span>含已移出</span>
        </Space>
        <Button icon={<ReloadOutlined />} onClick={reload}>
          刷新
        </Button>
        <Button
          icon={<DownloadOutlined />}
          loading={exporting}
          onClick={async () => {
            setExporting(true);
            try {
              await campaignsApi.exportReporters(campaign.id, campaign.title, {
                q: q || undefined,
                sector,
                kind,
                role,
                status: showRemoved ? 'all' : 'active',
              });
            } catch {
              // shown by the client
            } finally {
              setExporting(false);
            }
          }}
          data-testid="reporters-export"
        >
          导出 Excel
        </Button>
        {active && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="reporter-add">
            增加述职对象
          </Button>
        )}
      </div>
      <Table<Reporter>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        scroll={{ x: 960 }}
        rowClassName={(r) => (r.removedAt ? 'ant-table-row-disabled' : '')}
        pagination={{
          current: page,
          pageSize,
          total: data.total,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (t) => `共 ${t} 个`,
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
        data-testid="reporters-table"
      />
      <AddReporterModal
        open={adding}
        campaignId={campaign.id}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          notify.success('已增加述职对象');
          reload();
        }}
      />
      <RemoveReporterModal
        reporter={removing}
        campaignId={campaign.id}
        onClose={() => setRemoving(null)}
        onSaved={() => {
          notify.success(`已将「${removing?.org.name ?? ''}」移出述职对象`);
          setRemoving(null);
          reload();
        }}
      />
      <SelfCommitteeModal
        reporter={selfEditing}
        campaignId={campaign.id}
        onClose={() => setSelfEditing(null)}
        onSaved={(late) => {
          const name = selfEditing?.org.name ?? '';
          if (late) notify.warning(`已记录「${name}」向本级党委述职情况，晚于方案要求的完成时间`);
          else notify.success(`已记录「${name}」向本级党委述职情况`);
          setSelfEditing(null);
          reload();
        }}
      />
    </>
  );
}

interface SelfCommitteeForm {
  date: dayjs.Dayjs;
  good: number;
  fair: number;
  average: number;
  poor: number;
  participants?: number | null;
  note?: string;
}

/** 向本级党委述职 (R-CAMP-5): the day, the committee's rating ballots by grade, how many took part. */
function SelfCommitteeModal({
  reporter,
  campaignId,
  onClose,
  onSaved,
}: {
  reporter: Reporter | null;
  campaignId: number;
  onClose: () => void;
  onSaved: (late: boolean) => void;
}) {
  const [form] = Form.useForm<SelfCommitteeForm>();
  const [saving, setSaving] = useState(false);
  const sc = reporter?.selfCommittee;
  const grades = [
    ['good', '好'],
    ['fair', '较好'],
    ['average', '一般'],
    ['poor', '差'],
  ] as const;
  return (
    <Modal
      open={!!reporter}
      title={`向本级党委述职：${reporter?.org.name ?? ''}`}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        记录述职日期和本级党委（委员会）评议测评的结果；保存后可“报备”给上级组织部门，报备后不能再修改。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          date: sc ? dayjs(sc.date) : undefined,
          good: sc?.ratings?.good ?? 0,
          fair: sc?.ratings?.fair ?? 0,
          average: sc?.ratings?.average ?? 0,
          poor: sc?.ratings?.poor ?? 0,
          participants: sc?.participants ?? null,
          note: sc?.note ?? '',
        }}
        onFinish={async (v) => {
          if (!reporter) return;
          setSaving(true);
          try {
            const res = await campaignsApi.selfCommittee(campaignId, reporter.id, {
              date: v.date.format('YYYY-MM-DD'),
              ratings: { good: v.good, fair: v.fair, average: v.average, poor: v.poor },
              participants: v.participants ?? null,
              note: v.note?.trim() || null,
            });
            onSaved(res.late);
          } catch (e) {
            showFormError(form, e);
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="date" label="述职日期" rules={[{ required: true, message: '请选择述职日期' }]}>
          <DatePicker style={{ width: '100%' }} data-testid="self-committee-date" />
        </Form.Item>
        <Space wrap>
          {grades.map(([key, label]) => (
            <Form.Item key={key} name={key} label={`“${label}”票数`} rules={[{ required: true, message: '请填写' }]}>
              <InputNumber min={0} max={100000} precision={0} data-testid={`self-committee-${key}`} />
            </Form.Item>
          ))}
        </Space>
        <Form.Item name="participants" label="参加评议人数">
          <InputNumber min={1} max={100000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input.TextArea rows={2} maxLength={2000} showCount placeholder="如：与领导班子年度考核一并进行" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddReporterModal({
  open,
  campaignId,
  onClose,
  onSaved,
}: {
  open: boolean;
  campaignId: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<{ orgId: number; reason: string }>();
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      open={open}
      title="增加述职对象"
      okText="增加"
      cancelText="取消"
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          setSaving(true);
          try {
            await campaignsApi.addReporter(campaignId, v.orgId, v.reason.trim());
            onSaved();
          } catch (e) {
            showFormError(form, e);
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="orgId" label="党组织" rules={[{ required: true, message: '请选择党组织' }]}>
          <OrgSelect data-testid="reporter-add-org" />
        </Form.Item>
        <Form.Item
          name="reason"
          label="理由"
          rules={[{ required: true, whitespace: true, message: '请填写理由（将记入审计日志）' }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="reporter-add-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RemoveReporterModal({
  reporter,
  campaignId,
  onClose,
  onSaved,
}: {
  reporter: Reporter | null;
  campaignId: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      open={!!reporter}
      title={`移出述职对象：${reporter?.org.name ?? ''}`}
      okText="移出"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        移出后该党组织仍保留在名单中（标为“已移出”），理由记入审计日志。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          if (!reporter) return;
          setSaving(true);
          try {
            await campaignsApi.removeReporter(campaignId, reporter.id, v.reason.trim());
            onSaved();
          } catch (e) {
            showFormError(form, e);
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: '请填写移出理由' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="reporter-remove-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
