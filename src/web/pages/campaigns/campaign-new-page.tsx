import { ArrowLeftOutlined, CheckCircleFilled } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Empty,
  Form,
  InputNumber,
  Row,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { campaignsApi, type CampaignTemplateInfo } from '../../api/campaigns';
import { orgsApi } from '../../api/orgs';
import { useUser } from '../../auth/auth-context';
import { OrgSelect, type OrgRef } from '../../components/org-select';
import { showFormError } from '../../lib/form-errors';
import { notify } from '../../lib/notify';
import { paged, useLastData } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';
import { todayInShanghai } from '../../lib/time';

interface Values {
  year: number;
  organizerOrgId: number;
}

export default function CampaignNewPage() {
  const user = useUser();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // The admin's own scope root is the usual organizer (县委 for the county admin).
  const scope = useQuery({
    queryKey: ['campaign-new', 'scope-org', user.scopeOrgId],
    queryFn: ({ signal }) => orgsApi.detail(user.scopeOrgId!, signal),
    enabled: !!user.scopeOrgId,
  });
  const scopeOrg: OrgRef | null = useMemo(
    () => (scope.data ? { id: scope.data.org.id, name: scope.data.org.name } : null),
    [scope.data],
  );
  // A form default, not a fetch: filled once the organization is known, unless one was already chosen.
  useEffect(() => {
    if (scopeOrg && !form.getFieldValue('organizerOrgId')) form.setFieldValue('organizerOrgId', scopeOrg.id);
  }, [scopeOrg, form]);

  useEffect(() => {
    document.title = '新建述职评议考核 · 述评考';
  }, []);

  // Template dates fall in the chosen year, so the summaries are fetched for it.
  const year = Form.useWatch('year', form) as number | undefined;
  const templateYear = useDebounced(year && year >= 2000 && year <= 2099 ? year : undefined, 400);
  const templateList = useQuery({
    queryKey: ['campaign-templates', templateYear],
    queryFn: ({ signal }) => campaignsApi.templates(templateYear, signal),
    ...paged,
  });
  // A failed load keeps the summaries shown before (or none).
  const lastTemplates = useLastData(templateList.data)?.items;
  const templates: CampaignTemplateInfo[] | null = lastTemplates ?? (templateList.isError ? [] : null);
  const selected = templates?.find((t) => t.id === templateId) ?? null;

  const submit = async (values: Values) => {
    if (!templateId) {
      notify.warning('请先选择一个模板');
      return;
    }
    setSaving(true);
    try {
      const res = await campaignsApi.create({ templateId, year: values.year, organizerOrgId: values.organizerOrgId });
      notify.success('已创建述职评议考核方案（草稿）');
      navigate(`/campaigns/${res.campaign.id}`);
    } catch (e) {
      showFormError(form, e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card
      size="small"
      className="page-card"
      title={
        <Space>
          <Button
            type="text"
            size="small"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('/campaigns')}
            aria-label="返回"
          />
          新建述职评议考核
        </Space>
      }
    >
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        第一步：选择模板
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        每个模板按一份实际方案设置了述职范围、重点内容、字数和发言时间、测评与等次比例等，创建后可在“方案设置”中逐项调整。
      </Typography.Paragraph>
      {templates === null ? (
        <Skeleton active />
      ) : templates.length === 0 ? (
        <Empty description="没有可用的模板" />
      ) : (
        <Row gutter={[12, 12]} data-testid="template-cards">
          {templates.map((t) => {
            const active = t.id === templateId;
            return (
              <Col key={t.id} xs={24} md={12} xl={8}>
                <Card
                  size="small"
                  hoverable
                  onClick={() => setTemplateId(t.id)}
                  data-testid={`template-${t.id}`}
                  style={{ height: '100%', borderColor: active ? '#c8161d' : undefined, borderWidth: active ? 2 : 1 }}
                  title={
                    <Space size={6} style={{ whiteSpace: 'normal' }}>
                      {active && <CheckCircleFilled style={{ color: '#c8161d' }} />}
                      <span style={{ whiteSpace: 'normal' }}>{t.name}</span>
                    </Space>
                  }
                >
                  <Typography.Paragraph style={{ fontSize: 13 }} ellipsis={{ rows: 4, expandable: 'collapsible' }}>
                    {t.description}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    依据：{t.seedId}
                  </Typography.Text>
                  <Descriptions
                    size="small"
                    column={1}
                    style={{ marginTop: 8 }}
                    items={t.lines
                      .filter((l) => /组织方式|重点内容（1）|字以内|阶段/.test(l.label + l.value))
                      .slice(0, 4)
                      .map((l, i) => ({ key: i, label: l.label, children: l.value }))}
                    styles={{ label: { width: 110, fontSize: 12 }, content: { fontSize: 12 } }}
                  />
                </Card>
              </Col>
            );
          })}
        </Row>
      )}

      {selected && (
        <Collapse
          style={{ marginTop: 12 }}
          items={[
            {
              key: 'all',
              label: `所选模板「${selected.name}」的全部设置（${selected.lines.length}项，创建后可修改）`,
              children: (
                <Descriptions
                  size="small"
                  bordered
                  column={{ xs: 1, lg: 2 }}
                  items={selected.lines.map((l, i) => ({ key: i, label: l.label, children: l.value }))}
                  styles={{ label: { width: 180 } }}
                  data-testid="template-lines"
                />
              ),
            },
          ]}
        />
      )}

      <Typography.Title level={5}>第二步：年度与组织单位</Typography.Title>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ year: Number(todayInShanghai().slice(0, 4)) }}
        onFinish={submit}
        style={{ maxWidth: 560 }}
      >
        <Form.Item name="year" label="考核年度" rules={[{ required: true, message: '请填写年度' }]}>
          <InputNumber<number> min={2000} max={2099} precision={0} style={{ width: 160 }} data-testid="campaign-year" />
        </Form.Item>
        <Form.Item
          name="organizerOrgId"
          label="组织单位（听取述职的党组织）"
          rules={[{ required: true, message: '请选择组织单位' }]}
          extra="例如县委，本级方案发布后为下级党委（工委）生成各自的方案。"
        >
          <OrgSelect key={scopeOrg?.id ?? 'none'} initial={scopeOrg} data-testid="campaign-organizer" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={saving}
          disabled={!templateId}
          data-testid="campaign-create-submit"
        >
          创建方案
        </Button>
      </Form>
    </Card>
  );
}
