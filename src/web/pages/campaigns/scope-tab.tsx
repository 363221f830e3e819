import { ReloadOutlined, SaveOutlined, SendOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert, App, Button, Card, Col, Empty, Form, InputNumber, List, Row, Select, Space, Spin, Statistic, Table, Tag, Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { campaignsApi, type CampaignDetail, type OrgMatch, type ScopePreview } from '../../api/campaigns';
import { OrgIdSelect, OrgMultiSelect } from '../../components/org-pickers';
import { showFormError } from '../../lib/form-errors';
import { toOptions, useMeta } from '../../lib/meta';
import { notify } from '../../lib/notify';

interface Props {
  campaign: CampaignDetail;
  canManage: boolean;
  onChanged: (c: CampaignDetail) => void;
}

/** Drops empty criteria so "不限" is sent as absent rather than as an empty list that matches nothing. */
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

export function ScopeTab({ campaign, canManage, onChanged }: Props) {
  const { modal } = App.useApp();
  const [form] = Form.useForm<OrgMatch>();
  const { sectors, kinds, levels, sectorLabel, kindLabel } = useMeta();
  const [preview, setPreview] = useState<ScopePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const editable = canManage && campaign.state === 'draft';

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(campaign.scope ?? {});
  }, [campaign.scope, form]);

  const load = useCallback(() => {
    setLoading(true);
    setPreviewError(null);
    campaignsApi
      .preview(campaign.id)
      .then(setPreview)
      .catch((e) => {
        setPreview(null);
        // An empty or unbound scope is a normal state of a draft, shown in place rather than as a toast.
        setPreviewError(isApiError(e) ? e.message : '无法预览述职范围');
      })
      .finally(() => setLoading(false));
  }, [campaign.id]);

  useEffect(load, [load, campaign]);

  const save = async () => {
    setSaving(true);
    try {
      const res = await campaignsApi.saveScope(campaign.id, cleanMatch(form.getFieldsValue(true) as OrgMatch));
      onChanged(res.campaign);
      notify.success('述职范围已保存');
    } catch (e) {
      showFormError(form, e, { 'match.subtreeOf': 'subtreeOf', 'match.orgIds': 'orgIds', 'match.sectors': 'sectors', 'match.kinds': 'kinds' });
    } finally {
      setSaving(false);
    }
  };

  const publish = () => {
    if (!preview) return;
    const subs = preview.subCampaigns ?? [];
    modal.confirm({
      title: '发布本次述职评议考核',
      width: 560,
      okText: '确认发布',
      cancelText: '取消',
      content: (
        <div data-testid="publish-confirm">
          <p>
            将确定 <b>{preview.total}</b> 个述职党组织（
            {Object.entries(preview.bySector)
              .map(([s, n]) => `${sectorLabel(s)}${n}个`)
              .join('、')}
            ），分别向 {preview.routes.length} 个党组织述职。
          </p>
          {subs.length > 0 && (
            <p>
              并为以下 <b>{subs.length}</b> 个下级党组织生成各自的方案（须向本级报备）：
              {subs.slice(0, 20).map((s) => s.name).join('、')}
              {subs.length > 20 && ` 等`}
            </p>
          )}
          {preview.gaps.length > 0 && (
            <p style={{ color: '#d46b08' }}>有 {preview.gaps.length} 个党组织存在问题（见“需处理的问题”），发布后仍列在述职对象中，请尽快处理。</p>
          )}
          {preview.planGaps.length > 0 && <p style={{ color: '#d46b08' }}>与方案计划不一致：{preview.planGaps.join('；')}</p>}
          <p>发布后方案设置不能再修改，范围调整将记入审计日志。</p>
        </div>
      ),
      onOk: async () => {
        try {
          const res = await campaignsApi.publish(campaign.id);
          onChanged(res.campaign);
          notify.success(subs.length ? `已发布，并生成 ${subs.length} 个下级方案` : '已发布');
        } catch {
          // shown by the client; keep the dialog closed so the user can read the message
        }
      },
    });
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" title="述职范围条件">
        <Form<OrgMatch> form={form} layout="vertical" disabled={!editable} data-testid="scope-form">
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item name="sectors" label="领域">
                <Select mode="multiple" allowClear options={toOptions(sectors)} placeholder="不限" data-testid="scope-sectors" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="kinds" label="组织类别">
                <Select mode="multiple" allowClear options={toOptions(kinds)} placeholder="不限" data-testid="scope-kinds" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="levels" label="层级">
                <Select mode="multiple" allowClear options={toOptions(levels)} placeholder="不限" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="subtreeOf" label="所属上级党组织（其下级，不含本身）">
                <OrgIdSelect placeholder="不限" data-testid="scope-subtree" />
              </Form.Item>
            </Col>
            <Col xs={24} md={4}>
              <Form.Item name="maxDepth" label="向下层数" extra="1 = 直接下级">
                <InputNumber<number> min={1} precision={0} placeholder="不限" style={{ width: '100%' }} />
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
          <Button icon={<ReloadOutlined />} onClick={load} loading={loading}>
            刷新预览
          </Button>
          {editable && (
            <Button type="primary" danger icon={<SendOutlined />} disabled={!preview || loading} onClick={publish} data-testid="campaign-publish">
              发布
            </Button>
          )}
          {!editable && campaign.state !== 'draft' && <Typography.Text type="secondary">方案已发布，述职对象的增减在“述职对象”中进行并记入审计日志。</Typography.Text>}
        </Space>
      </Card>

      <Spin spinning={loading}>
        {previewError && <Alert type="warning" showIcon message={previewError} data-testid="scope-preview-error" />}
        {preview && <PreviewView preview={preview} sectorLabel={sectorLabel} kindLabel={kindLabel} />}
        {!preview && !previewError && !loading && <Empty description="暂无预览" />}
      </Spin>
    </Space>
  );
}

function PreviewView({ preview, sectorLabel, kindLabel }: { preview: ScopePreview; sectorLabel: (c: string) => string; kindLabel: (c: string) => string }) {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="scope-preview">
      <Card size="small" title="范围统计">
        <Row gutter={[16, 12]}>
          <Col xs={12} md={4}>
            <Statistic title="述职党组织" value={preview.total} suffix="个" />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="将生成下级方案" value={preview.subCampaigns?.length ?? 0} suffix="个" />
          </Col>
          <Col xs={24} md={8}>
            <Typography.Text type="secondary">按领域</Typography.Text>
            <div className="campaign-counts" data-testid="scope-by-sector">
              {Object.entries(preview.bySector).map(([s, n]) => (
                <Tag key={s}>
                  {sectorLabel(s)} {n}
                </Tag>
              ))}
            </div>
          </Col>
          <Col xs={24} md={8}>
            <Typography.Text type="secondary">按组织类别</Typography.Text>
            <div className="campaign-counts">
              {Object.entries(preview.byKind).map(([k, n]) => (
                <Tag key={k}>
                  {kindLabel(k)} {n}
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
            message="与方案计划的构成不一致"
            description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{preview.planGaps.map((g) => <li key={g}>{g}</li>)}</ul>}
            data-testid="scope-plan-gaps"
          />
        )}
      </Card>
      <Card size="small" title="听取述职的党组织">
        <Table
          rowKey={(r) => r.reportToOrgId}
          size="small"
          pagination={preview.routes.length > 20 ? { pageSize: 20, size: 'small' } : false}
          dataSource={preview.routes}
          data-testid="scope-routes"
          columns={[
            { title: '听取述职的党组织', dataIndex: 'reportToName', key: 'name' },
            { title: '述职党组织数', dataIndex: 'count', key: 'count', width: 120 },
            { title: '依据', key: 'rule', width: 280, render: (_, r) => r.ruleLabel ?? <Typography.Text type="secondary">上级党组织（默认）</Typography.Text> },
          ]}
          scroll={{ x: 560 }}
        />
      </Card>
      <Card
        size="small"
        title={
          <Space>
            <WarningOutlined style={{ color: preview.gaps.length ? '#fa8c16' : undefined }} />
            需处理的问题（{preview.gaps.length}）
          </Space>
        }
      >
        {preview.gaps.length === 0 ? (
          <Typography.Text type="secondary">范围内的党组织均已配备书记和账号。</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={preview.gaps}
            pagination={preview.gaps.length > 10 ? { pageSize: 10, size: 'small' } : false}
            data-testid="scope-gaps"
            renderItem={(g) => (
              <List.Item>
                <Space wrap>
                  <span>{g.orgName}</span>
                  <Tag color="orange">{g.message}</Tag>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
    </Space>
  );
}
