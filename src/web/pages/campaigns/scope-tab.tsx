import { ReloadOutlined, SaveOutlined, SendOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import {
  campaignsApi,
  type CampaignDetail,
  type Gap,
  type Gaps,
  type GapType,
  type OrgMatch,
  type ScopePreview,
} from '../../api/campaigns';
import { OrgIdSelect, OrgMultiSelect } from '../../components/org-pickers';
import { toOptions, useMeta } from '../../lib/meta';
import { notify } from '../../lib/notify';
import { paged, usePage } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';
import { showSettingsError } from './settings-form';

interface Props {
  detail: CampaignDetail;
  canManage: boolean;
  onChanged: () => void;
}

/** Drops empty criteria so "不限" is sent as absent rather than as an empty list. */
function cleanMatch(v: OrgMatch): OrgMatch {
  const out: OrgMatch = {};
  if (v.sectors?.length) out.sectors = v.sectors;
  if (v.kinds?.length) out.kinds = v.kinds;
  if (v.levels?.length) out.levels = v.levels;
  if (v.subtreeOf != null) {
    out.subtreeOf = v.subtreeOf;
    if (v.maxDepth != null) out.maxDepth = v.maxDepth;
  }
  if (v.orgIds?.length) out.orgIds = v.orgIds;
  return out;
}

export function ScopeTab({ detail, canManage, onChanged }: Props) {
  const c = detail.campaign;
  const { modal } = App.useApp();
  const [form] = Form.useForm<OrgMatch>();
  const { sectors, kinds, levels } = useMeta();
  const [saving, setSaving] = useState(false);
  const queryClient = useQueryClient();
  const editable = detail.permissions.canEdit;
  const draft = c.state === 'draft';

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(detail.scopeMatch ?? {});
  }, [detail.scopeMatch, form]);

  // The preview follows the campaign as saved: the detail is part of the key, so every changed detail asks again.
  const previewQuery = useQuery({
    queryKey: ['campaign-scope-preview', c.id, detail],
    queryFn: ({ signal }) => {
      // The gaps below follow the same scope: asked again with the preview.
      void queryClient.invalidateQueries({ queryKey: ['campaign-gaps', c.id] });
      return campaignsApi.preview(c.id, signal);
    },
    enabled: draft,
    ...paged,
  });
  const preview: ScopePreview | null = previewQuery.isError ? null : (previewQuery.data ?? null);
  // An empty scope is a normal state of a new draft: shown in place rather than as a toast.
  const loading = previewQuery.isFetching;
  // Cleared while it is asked again, as the reload starts from a clean slate.
  const previewError =
    previewQuery.error && !loading
      ? isApiError(previewQuery.error)
        ? previewQuery.error.message
        : '无法预览述职范围'
      : null;
  const load = () => {
    if (draft) void previewQuery.refetch();
  };

  const save = async () => {
    setSaving(true);
    try {
      const res = await campaignsApi.saveScope(c.id, cleanMatch(form.getFieldsValue(true) as OrgMatch));
      notify.success(`述职范围已保存，共 ${res.total} 个党组织`);
      onChanged();
    } catch (e) {
      showSettingsError(form, e);
    } finally {
      setSaving(false);
    }
  };

  const publish = () => {
    if (!preview) return;
    const subs = preview.byReportTo.filter((b) => !b.isOrganizer);
    const own = preview.byReportTo.find((b) => b.isOrganizer);
    const gapTotal = preview.gapCounts.reduce((s, g) => s + g.count, 0);
    modal.confirm({
      title: '发布本次述职评议考核',
      width: 600,
      okText: '确认发布',
      cancelText: '取消',
      content: (
        <div data-testid="publish-confirm">
          <p>
            述职范围共 <b>{preview.total}</b> 个党组织（
            {preview.bySector.map((s) => `${s.label}${s.count}个`).join('、')}）。
          </p>
          <p>
            其中 <b>{own?.direct ?? 0}</b> 个向{own?.name ?? '本级'}述职，成为本方案的述职对象
            {detail.settings && (detail.settings as { meeting?: { downwardReview?: boolean } }).meeting?.downwardReview
              ? '；本级书记另接受“下评”'
              : ''}
            。
          </p>
          {subs.length > 0 && (
            <p>
              其余 {subs.reduce((s, b) => s + b.total, 0)} 个由下级党组织听取，将生成 <b>{subs.length}</b>{' '}
              个下级方案（下级须向本级报备后发布）：
              {subs
                .slice(0, 12)
                .map((b) => `${b.name}（${b.total}个）`)
                .join('、')}
              {subs.length > 12 && ` 等`}
            </p>
          )}
          {gapTotal > 0 && (
            <p style={{ color: '#d46b08' }}>
              需处理的问题 {gapTotal} 项（{preview.gapCounts.map((g) => `${g.label}${g.count}`).join('、')}
              ），发布后这些党组织仍在述职对象中，请尽快处理。
            </p>
          )}
          {preview.planGaps.length > 0 && (
            <p style={{ color: '#d46b08' }}>与方案计划不一致：{preview.planGaps.join('；')}</p>
          )}
          <p>发布后方案设置和范围条件不能再修改，述职对象的增减须说明理由并记入审计日志。</p>
        </div>
      ),
      onOk: async () => {
        try {
          const res = await campaignsApi.publish(c.id);
          notify.success(
            res.subCampaigns.length
              ? `已发布：述职对象 ${res.reporters} 个，生成下级方案 ${res.subCampaigns.length} 个`
              : `已发布：述职对象 ${res.reporters} 个`,
          );
          onChanged();
        } catch {
          // the client showed the server's message
        }
      },
    });
  };

  const unbound = preview?.unboundRules ?? [];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title="述职范围条件"
        extra={<Typography.Text type="secondary">各条件同时满足；留空表示不限</Typography.Text>}
      >
        <Form<OrgMatch> form={form} layout="vertical" disabled={!editable} data-testid="scope-form">
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="subtreeOf" label="所属上级党组织（其下各级，不含本身）">
                <OrgIdSelect placeholder="不限" data-testid="scope-subtree" />
              </Form.Item>
            </Col>
            <Col xs={24} md={4}>
              <Form.Item name="maxDepth" label="向下层数" extra="1 = 直接下级">
                <InputNumber<number> min={1} precision={0} placeholder="不限" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="levels" label="层级">
                <Select mode="multiple" allowClear options={toOptions(levels)} placeholder="不限" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="sectors" label="领域">
                <Select
                  mode="multiple"
                  allowClear
                  options={toOptions(sectors)}
                  placeholder="不限"
                  data-testid="scope-sectors"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="kinds" label="组织类别">
                <Select
                  mode="multiple"
                  allowClear
                  options={toOptions(kinds)}
                  placeholder="不限"
                  data-testid="scope-kinds"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="orgIds" label="限定为指定党组织">
                <OrgMultiSelect placeholder="不限" />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Space wrap>
          {editable && (
            <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save} data-testid="scope-save">
              保存并预览
            </Button>
          )}
          {draft && (
            <Button icon={<ReloadOutlined />} onClick={load} loading={loading}>
              刷新预览
            </Button>
          )}
          {draft && canManage && (
            <Button
              type="primary"
              danger
              icon={<SendOutlined />}
              disabled={!detail.permissions.canPublish || !preview || loading || unbound.length > 0}
              onClick={publish}
              data-testid="campaign-publish"
            >
              发布
            </Button>
          )}
          {draft && canManage && !detail.permissions.canPublish && c.parentId !== null && (
            <Typography.Text type="warning">本级方案须先向上级报备并经确认后才能发布（见“方案报备”）。</Typography.Text>
          )}
          {!draft && (
            <Typography.Text type="secondary">
              方案已发布，述职对象的增减在“述职对象”中进行，须说明理由并记入审计日志。
            </Typography.Text>
          )}
        </Space>
      </Card>

      {draft && (
        <Spin spinning={loading}>
          {previewError && <Alert type="warning" showIcon title={previewError} data-testid="scope-preview-error" />}
          {unbound.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              title="以下述职路由规则尚未指定听取述职的党组织，请在“方案设置 · 述职路由”中指定后再发布"
              description={unbound.join('；')}
              data-testid="scope-unbound-rules"
            />
          )}
          {preview ? <PreviewView preview={preview} /> : !previewError && !loading && <Empty description="暂无预览" />}
        </Spin>
      )}
      <GapsCard campaignId={c.id} />
    </Space>
  );
}

function PreviewView({ preview }: { preview: ScopePreview }) {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="scope-preview">
      <Card size="small" title="范围统计">
        <Row gutter={[16, 12]}>
          <Col xs={12} md={4}>
            <Statistic title="述职党组织" value={preview.total} suffix="个" data-testid="scope-total" />
          </Col>
          <Col xs={12} md={4}>
            <Statistic
              title="将生成下级方案"
              value={preview.byReportTo.filter((b) => !b.isOrganizer).length}
              suffix="个"
            />
          </Col>
          <Col xs={24} md={8}>
            <Typography.Text type="secondary">按领域</Typography.Text>
            <div className="campaign-counts" data-testid="scope-by-sector">
              {preview.bySector.map((s) => (
                <Tag key={s.code}>
                  {s.label} {s.count}
                </Tag>
              ))}
            </div>
          </Col>
          <Col xs={24} md={8}>
            <Typography.Text type="secondary">按组织类别</Typography.Text>
            <div className="campaign-counts">
              {preview.byKind.map((k) => (
                <Tag key={k.code}>
                  {k.label} {k.count}
                </Tag>
              ))}
            </div>
          </Col>
        </Row>
        {preview.planGaps.length > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            title="与方案计划的构成不一致"
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {preview.planGaps.map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
            }
            data-testid="scope-plan-gaps"
          />
        )}
      </Card>
      <Card size="small" title="听取述职的党组织">
        <Table
          rowKey="orgId"
          size="small"
          pagination={preview.byReportTo.length > 20 ? { pageSize: 20, size: 'small' } : false}
          dataSource={preview.byReportTo}
          data-testid="scope-routes"
          scroll={{ x: 640 }}
          columns={[
            {
              title: '听取述职的党组织',
              key: 'name',
              render: (_, r) => (
                <Space size={4} wrap>
                  {r.name}
                  {r.isOrganizer ? <Tag color="red">本级</Tag> : <Tag color="blue">生成下级方案</Tag>}
                </Space>
              ),
            },
            { title: '直接述职', dataIndex: 'direct', key: 'direct', width: 100 },
            { title: '含下级合计', dataIndex: 'total', key: 'total', width: 110 },
            {
              title: '依据',
              key: 'rule',
              width: 260,
              render: (_, r) =>
                r.ruleLabels.length ? (
                  r.ruleLabels.join('；')
                ) : (
                  <Typography.Text type="secondary">上级党组织（默认）</Typography.Text>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** R-ORG-3: everyone in scope that cannot simply go ahead is listed, never dropped. */
function GapsCard({ campaignId }: { campaignId: number }) {
  const [type, setType] = useState<GapType | undefined>();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [page, setPage] = usePage([type, q]);
  const pageSize = 20;
  const query = { type, q: q || undefined, offset: (page - 1) * pageSize, limit: pageSize };
  const list = useQuery({
    queryKey: ['campaign-gaps', campaignId, query],
    queryFn: ({ signal }) => campaignsApi.gaps(campaignId, query, signal),
    ...paged,
  });
  const data: Gaps | null = list.data ?? null;
  const loading = list.isFetching;

  const total = data?.counts.reduce((s, c) => s + c.count, 0) ?? 0;
  return (
    <Card
      size="small"
      title={
        <Space>
          <WarningOutlined style={{ color: total ? '#fa8c16' : undefined }} />
          需处理的问题（{total}）
        </Space>
      }
      data-testid="scope-gaps"
    >
      <div className="filters">
        <Select<GapType>
          allowClear
          placeholder="全部问题"
          value={type}
          onChange={setType}
          options={(data?.counts ?? []).map((c) => ({ value: c.type, label: `${c.label}（${c.count}）` }))}
          style={{ width: 200 }}
        />
        <Input
          allowClear
          placeholder="搜索党组织"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          style={{ width: 200 }}
          maxLength={64}
          data-testid="gaps-search"
        />
      </div>
      <Table<Gap>
        rowKey={(g) => `${g.orgId}:${g.type}`}
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: '范围内的党组织均已配备书记和账号，没有需处理的问题' }}
        scroll={{ x: 720 }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 项`,
        }}
        columns={[
          { title: '党组织', dataIndex: 'orgName', key: 'org' },
          { title: '问题', key: 'type', width: 150, render: (_, g) => <Tag color="orange">{g.label}</Tag> },
          { title: '说明', dataIndex: 'detail', key: 'detail', width: 280 },
          { title: '向谁述职', key: 'to', width: 200, render: (_, g) => g.reportToName ?? '—' },
        ]}
      />
    </Card>
  );
}
