import { DownloadOutlined, PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Button, DatePicker, Form, Input, Modal, Select, Space, Switch, Table, type TableColumnsType, Tag, Tooltip, Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { campaignsApi, type CampaignDetail, type CampaignSettings, type Reporter, type ReporterQuery } from '../../api/campaigns';
import { OrgSelect } from '../../components/org-select';
import { showFormError } from '../../lib/form-errors';
import { toOptions, useMeta } from '../../lib/meta';
import { notify } from '../../lib/notify';
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
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<{ items: Reporter[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Reporter | null>(null);
  const [exporting, setExporting] = useState(false);
  const [busyId, setBusyId] = useState<number | null>(null);
  const active = campaign.state === 'published' && canManage;
  const selfCommittee = !!(detail.settings as unknown as CampaignSettings | null)?.meeting.selfCommitteeReport.enabled;

  useEffect(() => setPage(1), [q, sector, kind, role, showRemoved]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    campaignsApi
      .reporters(campaign.id, {
        q: q || undefined,
        sector,
        kind,
        role,
        status: showRemoved ? 'all' : 'active',
        offset: (page - 1) * pageSize,
        limit: pageSize,
      })
      .then((r) => live && setData(r))
      .catch(() => undefined)
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [campaign.id, q, sector, kind, role, showRemoved, page, pageSize, tick]);

  const reload = () => setTick((t) => t + 1);

  const setSelfDate = async (r: Reporter, date: string) => {
    setBusyId(r.id);
    try {
      const res = await campaignsApi.selfCommittee(campaign.id, r.id, date);
      if (res.late) notify.warning(`已记录「${r.org.name}」向本级党委述职的日期，晚于方案要求的完成时间`);
      else notify.success(`已记录「${r.org.name}」向本级党委述职的日期`);
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
            {r.role === 'downward' && <Tag color="purple" style={{ marginInlineStart: 6 }}>{r.roleLabel}</Tag>}
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
            {[r.charLimit ? `${r.charLimit}字以内` : '不限字数', r.speakingMinutes ? `发言${r.speakingMinutes}分钟` : '', r.writtenOnly ? '可书面述职' : '']
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
            width: 170,
            render: (_: unknown, r: Reporter) =>
              active && !r.removedAt ? (
                <DatePicker
                  size="small"
                  placeholder="选择日期"
                  value={r.selfCommitteeReportedOn ? dayjs(r.selfCommitteeReportedOn) : null}
                  disabled={busyId === r.id}
                  allowClear={false}
                  onChange={(d) => d && setSelfDate(r, d.format('YYYY-MM-DD'))}
                  data-testid={`self-committee-${r.id}`}
                />
              ) : (
                cnDate(r.selfCommitteeReportedOn)
              ),
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
                <Button type="link" size="small" danger onClick={() => setRemoving(r)} data-testid={`reporter-remove-${r.id}`}>
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
        <Select allowClear placeholder="全部领域" value={sector} onChange={setSector} options={toOptions(sectors) as { value: NonNullable<ReporterQuery['sector']>; label: string }[]} style={{ width: 170 }} />
        <Select allowClear placeholder="全部类别" value={kind} onChange={setKind} options={toOptions(kinds) as { value: NonNullable<ReporterQuery['kind']>; label: string }[]} style={{ width: 130 }} />
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
              await campaignsApi.exportReporters(campaign.id, campaign.title, { q: q || undefined, sector, kind, role, status: showRemoved ? 'all' : 'active' });
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
    </>
  );
}

function AddReporterModal({ open, campaignId, onClose, onSaved }: { open: boolean; campaignId: number; onClose: () => void; onSaved: () => void }) {
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
        <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: '请填写理由（将记入审计日志）' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="reporter-add-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RemoveReporterModal({ reporter, campaignId, onClose, onSaved }: { reporter: Reporter | null; campaignId: number; onClose: () => void; onSaved: () => void }) {
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
      <Typography.Paragraph type="secondary">移出后该党组织仍保留在名单中（标为“已移出”），理由记入审计日志。</Typography.Paragraph>
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
