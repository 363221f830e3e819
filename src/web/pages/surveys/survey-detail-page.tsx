import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Radio,
  Result,
  Select,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
  type TableColumnsType,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import {
  surveysApi,
  type Respondent,
  type RespondentQuery,
  type Respondents,
  type SampleResult,
  type SurveyDetail,
  type SurveyResults,
  type SurveyUnit,
} from '../../api/surveys';
import { notify } from '../../lib/notify';
import { paged, useLastData } from '../../lib/query';
import { SURVEY_STATE_COLORS } from './survey-list-page';

const LEVELS = [
  { value: 'satisfied', label: '满意' },
  { value: 'fairly_satisfied', label: '比较满意' },
  { value: 'basically_satisfied', label: '基本满意' },
  { value: 'dissatisfied', label: '不满意' },
] as const;

/** /campaigns/:id/surveys/:surveyId — questionnaire, respondent lists, draw, links, paper entry and results. */
export default function SurveyDetailPage() {
  const params = useParams();
  const campaignId = Number(params.id);
  const surveyId = Number(params.surveyId);
  const query = useQuery({
    queryKey: ['survey', surveyId],
    queryFn: ({ signal }) => surveysApi.detail(surveyId, signal),
  });
  const detail: SurveyDetail | null = query.data ?? null;
  const error = query.error ? (isApiError(query.error) ? query.error.message : '加载失败') : null;
  const { refetch } = query;
  const load = useCallback(async () => {
    await refetch();
  }, [refetch]);

  if (error) return <Result status="warning" title={error} extra={<Button onClick={load}>重试</Button>} />;
  if (!detail) return <Skeleton active />;
  const { survey, canManage } = detail;
  const draft = survey.state === 'draft';

  const tabs = [
    { key: 'units', label: '各单位', children: <UnitsTab detail={detail} reload={load} /> },
    { key: 'items', label: '问卷', children: <ItemsTab detail={detail} reload={load} /> },
    ...(canManage
      ? [
          { key: 'respondents', label: '调查对象', children: <RespondentsTab detail={detail} reload={load} /> },
          { key: 'sample', label: '抽样', children: <SampleTab detail={detail} reload={load} /> },
          { key: 'paper', label: '纸质录入', children: <PaperTab detail={detail} reload={load} /> },
        ]
      : []),
    { key: 'results', label: '结果', children: <ResultsTab surveyId={surveyId} /> },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to="/campaigns">述职评议考核</Link> },
          { title: <Link to={`/campaigns/${campaignId}`}>{detail.campaign.title}</Link> },
          { title: <Link to={`/campaigns/${campaignId}/surveys`}>满意度调查</Link> },
          { title: survey.title },
        ]}
      />
      <Card
        title={
          <Space>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {survey.title}
            </Typography.Title>
            <Tag color={SURVEY_STATE_COLORS[survey.state]} data-testid="survey-state">
              {survey.stateLabel}
            </Tag>
          </Space>
        }
        extra={
          canManage && (
            <Space>
              {draft && (
                <Popconfirm
                  title="开始调查？"
                  description="开始后问卷、名单和抽样都不能再修改。"
                  okText="开始"
                  onConfirm={async () => {
                    await surveysApi.open(survey.id);
                    notify.success('调查已开始');
                    await load();
                  }}
                >
                  <Button type="primary" data-testid="survey-open">
                    开始调查
                  </Button>
                </Popconfirm>
              )}
              {survey.state === 'open' && (
                <Popconfirm
                  title="结束调查？"
                  description="结束后链接和纸质录入都不再接受问卷。"
                  okText="结束"
                  okButtonProps={{ danger: true }}
                  onConfirm={async () => {
                    await surveysApi.close(survey.id);
                    notify.success('调查已结束');
                    await load();
                  }}
                >
                  <Button danger data-testid="survey-close">
                    结束调查
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )
        }
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
          <Descriptions.Item label="组织单位">{detail.campaign.organizerName}</Descriptions.Item>
          <Descriptions.Item label="每单位样本数">{survey.sampleSize}</Descriptions.Item>
          <Descriptions.Item label="随机种子">
            <Typography.Text copyable={!!survey.seed} data-testid="survey-seed">
              {survey.seed ?? '未抽样'}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="题目数">{detail.items.length}</Descriptions.Item>
        </Descriptions>
        <Tabs items={tabs} destroyInactiveTabPane />
      </Card>
    </Space>
  );
}

type TabProps = { detail: SurveyDetail; reload: () => Promise<void> };

function UnitsTab({ detail, reload }: TabProps) {
  const [issuing, setIssuing] = useState<SurveyUnit | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [format, setFormat] = useState<'xlsx' | 'pdf'>('xlsx');
  const canIssue = detail.canManage && detail.survey.state !== 'closed';
  const columns: TableColumnsType<SurveyUnit> = [
    { title: '单位', dataIndex: 'orgName' },
    { title: '名单人数', dataIndex: 'listed', width: 90, align: 'right' },
    {
      title: '两代表一委员/群众',
      key: 'cat',
      width: 150,
      align: 'right',
      render: (_, u) => `${u.twoReps} / ${u.residents}`,
    },
    {
      title: '抽样',
      dataIndex: 'sampled',
      width: 90,
      align: 'right',
      render: (v: number, u) => (u.needsDraw ? <Tag color="warning">待重新抽样</Tag> : v),
    },
    { title: '已发链接', dataIndex: 'tokensLive', width: 90, align: 'right' },
    { title: '链接答卷', dataIndex: 'linkResponses', width: 90, align: 'right' },
    { title: '纸质问卷', dataIndex: 'paperResponses', width: 90, align: 'right' },
    ...(canIssue
      ? [
          {
            title: '操作',
            key: 'op',
            width: 120,
            render: (_: unknown, u: SurveyUnit) => (
              <Button
                size="small"
                disabled={u.sampled === 0}
                data-testid={`issue-${u.reporterId}`}
                onClick={() => {
                  setIssuing(u);
                  setCount(Math.max(1, u.sampled - u.tokensUsed - u.paperResponses));
                }}
              >
                发放链接
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Table
        rowKey="reporterId"
        size="small"
        columns={columns}
        dataSource={detail.units}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
      />
      <Modal
        open={!!issuing}
        title={`发放调查链接：${issuing?.orgName ?? ''}`}
        okText="生成并下载"
        onCancel={() => setIssuing(null)}
        onOk={async () => {
          if (!issuing) return;
          await surveysApi.issueLinks(detail.survey.id, {
            reporterId: issuing.reporterId,
            count: count ?? undefined,
            format,
          });
          setIssuing(null);
          notify.success('链接已生成，请妥善保管下载的文件');
          await reload();
        }}
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="链接只在本次下载的文件中出现，系统只保存其加密摘要；文件不含姓名，请一人一个发给抽中的调查对象。重新生成会使本单位未使用的链接作废。"
        />
        <Form layout="vertical">
          <Form.Item
            label="链接数量"
            extra={
              issuing
                ? `抽样 ${issuing.sampled} 人，已答卷 ${issuing.tokensUsed} 份，纸质问卷 ${issuing.paperResponses} 份`
                : ''
            }
          >
            <InputNumber min={1} value={count} onChange={setCount} />
          </Form.Item>
          <Form.Item label="格式">
            <Radio.Group
              value={format}
              onChange={(e) => setFormat(e.target.value)}
              options={[
                { value: 'xlsx', label: 'Excel 链接清单' },
                { value: 'pdf', label: 'PDF 二维码调查卡' },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ItemsTab({ detail, reload }: TabProps) {
  const editable = detail.canManage && detail.survey.state === 'draft';
  const [text, setText] = useState(detail.items.map((i) => i.text).join('\n'));
  const [size, setSize] = useState<number | null>(detail.survey.sampleSize);
  if (!editable) {
    return (
      <List
        size="small"
        bordered
        dataSource={detail.items}
        renderItem={(i, n) => <List.Item>{`${n + 1}. ${i.text}`}</List.Item>}
        footer={<Typography.Text type="secondary">每题选项：满意、比较满意、基本满意、不满意</Typography.Text>}
      />
    );
  }
  return (
    <Form layout="vertical" style={{ maxWidth: 760 }}>
      <Form.Item
        label="题目（每行一题）"
        extra="每题的选项固定为：满意、比较满意、基本满意、不满意。开始调查后不能修改。"
      >
        <Input.TextArea rows={10} value={text} onChange={(e) => setText(e.target.value)} data-testid="survey-items" />
      </Form.Item>
      <Form.Item label="每单位样本数" extra="修改后需要重新抽样">
        <InputNumber min={1} max={10000} value={size} onChange={setSize} />
      </Form.Item>
      <Button
        type="primary"
        onClick={async () => {
          await surveysApi.update(detail.survey.id, {
            items: text
              .split('\n')
              .map((t) => t.trim())
              .filter(Boolean),
            sampleSize: size ?? undefined,
          });
          notify.success('已保存');
          await reload();
        }}
      >
        保存
      </Button>
    </Form>
  );
}

function RespondentsTab({ detail, reload }: TabProps) {
  const draft = detail.survey.state === 'draft';
  const [query, setQuery] = useState<RespondentQuery & Required<Pick<RespondentQuery, 'offset' | 'limit'>>>({
    offset: 0,
    limit: 20,
  });
  const [importErrors, setImportErrors] = useState<string[]>([]);
  const [form] = Form.useForm<{ reporterId: number; name: string; category: string; phone?: string }>();
  const units = useMemo(() => detail.units.map((u) => ({ value: u.reporterId, label: u.orgName })), [detail.units]);
  const unitName = useMemo(() => new Map(detail.units.map((u) => [u.reporterId, u.orgName])), [detail.units]);

  const list = useQuery({
    queryKey: ['survey-respondents', detail.survey.id, query],
    queryFn: ({ signal }) => surveysApi.respondents(detail.survey.id, query, signal),
    ...paged,
  });
  const data: Respondents | null = useLastData(list.data) ?? null;
  const load = async () => {
    await list.refetch();
  };
  const refresh = async () => {
    await load();
    await reload();
  };

  const columns: TableColumnsType<Respondent> = [
    { title: '单位', dataIndex: 'reporterId', render: (v: number) => unitName.get(v) ?? v },
    { title: '姓名', dataIndex: 'name', width: 120 },
    { title: '类别', dataIndex: 'categoryLabel', width: 130 },
    { title: '电话', dataIndex: 'phone', width: 140 },
    { title: '抽中', dataIndex: 'sampled', width: 80, render: (v: boolean) => (v ? <Tag color="blue">抽中</Tag> : '') },
    ...(draft
      ? [
          {
            title: '操作',
            key: 'op',
            width: 80,
            render: (_: unknown, r: Respondent) => (
              <Popconfirm
                title="删除该调查对象？"
                description="该单位的抽样结果将被清除，需要重新抽样。"
                onConfirm={async () => {
                  await surveysApi.removeRespondent(detail.survey.id, r.id);
                  await refresh();
                }}
              >
                <Button type="link" danger size="small">
                  删除
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {draft && (
        <Card size="small" title="导入与添加">
          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={() => surveysApi.template()}>
              下载导入模板
            </Button>
            <Upload
              accept=".xlsx"
              showUploadList={false}
              customRequest={async ({ file }) => {
                try {
                  const res = await surveysApi.importRespondents(detail.survey.id, file as File);
                  setImportErrors([]);
                  notify.success(`已导入 ${res.imported} 人（${res.units} 个单位的名单已替换）`);
                  await refresh();
                } catch (e) {
                  if (!isApiError(e)) throw e;
                  const rows = (e.details as { errors?: Array<{ message: string }> } | undefined)?.errors;
                  setImportErrors(rows?.length ? rows.map((r) => r.message) : [e.message]);
                }
              }}
            >
              <Button icon={<UploadOutlined />} data-testid="respondent-import">
                导入名单（.xlsx）
              </Button>
            </Upload>
          </Space>
          {importErrors.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 12 }}
              message="文件有错误，未导入任何数据"
              description={
                <ul style={{ margin: 0, maxHeight: 200, overflow: 'auto' }}>
                  {importErrors.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              }
            />
          )}
          <Form
            form={form}
            layout="inline"
            style={{ marginTop: 12 }}
            onFinish={async (v) => {
              try {
                await surveysApi.addRespondent(detail.survey.id, { ...v, phone: v.phone || null });
                form.resetFields(['name', 'phone']);
                notify.success('已添加');
                await refresh();
              } catch (e) {
                notify.error(isApiError(e) ? e.message : '添加失败');
              }
            }}
          >
            <Form.Item name="reporterId" rules={[{ required: true, message: '请选择单位' }]}>
              <Select placeholder="单位" options={units} style={{ width: 220 }} showSearch optionFilterProp="label" />
            </Form.Item>
            <Form.Item name="name" rules={[{ required: true, message: '请填写姓名' }]}>
              <Input placeholder="姓名" maxLength={20} />
            </Form.Item>
            <Form.Item name="category" rules={[{ required: true, message: '请选择类别' }]}>
              <Select
                placeholder="类别"
                style={{ width: 150 }}
                options={[
                  { value: '两代表一委员', label: '两代表一委员' },
                  { value: '群众', label: '群众' },
                ]}
              />
            </Form.Item>
            <Form.Item name="phone">
              <Input placeholder="电话（选填）" maxLength={20} />
            </Form.Item>
            <Button htmlType="submit">添加</Button>
          </Form>
        </Card>
      )}
      <Space wrap>
        <Select
          allowClear
          placeholder="全部单位"
          options={units}
          style={{ width: 220 }}
          showSearch
          optionFilterProp="label"
          onChange={(v?: number) => setQuery((q) => ({ ...q, reporterId: v, offset: 0 }))}
        />
        <Select
          allowClear
          placeholder="全部类别"
          style={{ width: 150 }}
          options={[
            { value: 'two_reps', label: '两代表一委员' },
            { value: 'resident', label: '群众' },
          ]}
          onChange={(v?: 'two_reps' | 'resident') => setQuery((q) => ({ ...q, category: v, offset: 0 }))}
        />
        <Select
          allowClear
          placeholder="抽中与否"
          style={{ width: 120 }}
          options={[
            { value: 'true', label: '抽中' },
            { value: 'false', label: '未抽中' },
          ]}
          onChange={(v?: 'true' | 'false') =>
            setQuery((q) => ({ ...q, sampled: v === undefined ? undefined : v === 'true', offset: 0 }))
          }
        />
        <Input.Search
          allowClear
          placeholder="按姓名或电话搜索"
          style={{ width: 220 }}
          onSearch={(v) => setQuery((q) => ({ ...q, q: v.trim() || undefined, offset: 0 }))}
        />
      </Space>
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        data-testid="respondent-table"
        pagination={{
          current: query.offset / query.limit + 1,
          pageSize: query.limit,
          total: data?.total ?? 0,
          showTotal: (n) => `共 ${n} 人`,
          onChange: (page, pageSize) => setQuery((q) => ({ ...q, offset: (page - 1) * pageSize, limit: pageSize })),
        }}
      />
    </Space>
  );
}

function SampleTab({ detail, reload }: TabProps) {
  const draft = detail.survey.state === 'draft';
  const [seed, setSeed] = useState(detail.survey.seed ?? '');
  const [result, setResult] = useState<SampleResult | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        每个单位从其名单（按导入顺序）中按「两代表一委员」「群众」分层、等比例随机抽取 {detail.survey.sampleSize}{' '}
        人（名单不足时全部抽取）。
        各单位的种子为「随机种子#组织编码」，使用相同的种子和名单可以重现同样的抽样结果。种子留空时由系统随机生成并显示。
        开始调查前可以重新抽样，每次抽样都记入操作日志。
      </Typography.Paragraph>
      {draft && (
        <Space.Compact style={{ maxWidth: 480 }}>
          <Input
            placeholder="随机种子（留空自动生成）"
            value={seed}
            maxLength={64}
            onChange={(e) => setSeed(e.target.value)}
            data-testid="sample-seed"
          />
          <Button
            type="primary"
            data-testid="sample-draw"
            onClick={async () => {
              const res = await surveysApi.sample(detail.survey.id, seed.trim() || undefined);
              setSeed(res.seed);
              setResult(res);
              notify.success(`抽样完成，种子：${res.seed}`);
              await reload();
            }}
          >
            {detail.survey.seed ? '重新抽样' : '抽样'}
          </Button>
        </Space.Compact>
      )}
      {!draft && (
        <Alert type="info" showIcon message={`调查已开始，抽样结果已固定（种子：${detail.survey.seed ?? '—'}）`} />
      )}
      {result && (
        <Table
          rowKey="reporterId"
          size="small"
          pagination={false}
          dataSource={result.units}
          columns={[
            { title: '单位', dataIndex: 'orgName' },
            { title: '名单人数', dataIndex: 'listed', align: 'right' },
            { title: '抽取人数', dataIndex: 'sampled', align: 'right' },
            {
              title: '不足',
              dataIndex: 'shortfall',
              align: 'right',
              render: (v: number) => (v > 0 ? <Tag color="warning">少 {v} 人</Tag> : ''),
            },
          ]}
        />
      )}
    </Space>
  );
}

function PaperTab({ detail, reload }: TabProps) {
  const [reporterId, setReporterId] = useState<number | undefined>();
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  if (detail.survey.state !== 'open') return <Alert type="info" showIcon message="调查开始后才能录入纸质问卷。" />;
  const unit = detail.units.find((u) => u.reporterId === reporterId);
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 760 }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        一次录入一份纸质问卷。每个单位的纸质问卷与已发链接合计不超过抽样人数。
      </Typography.Paragraph>
      <Select
        placeholder="选择单位"
        style={{ width: 280 }}
        value={reporterId}
        onChange={setReporterId}
        showSearch
        optionFilterProp="label"
        options={detail.units.filter((u) => u.sampled > 0).map((u) => ({ value: u.reporterId, label: u.orgName }))}
        data-testid="paper-unit"
      />
      {unit && <Typography.Text>还可录入 {unit.paperRoom} 份</Typography.Text>}
      {detail.items.map((item, i) => (
        <Card size="small" key={item.id} title={`${i + 1}. ${item.text}`}>
          <Radio.Group
            value={answers[item.id]}
            onChange={(e) => setAnswers((a) => ({ ...a, [item.id]: e.target.value }))}
            options={LEVELS.map((l) => ({ value: l.value, label: l.label }))}
          />
        </Card>
      ))}
      <Button
        type="primary"
        loading={saving}
        disabled={!reporterId}
        data-testid="paper-submit"
        onClick={async () => {
          const missing = detail.items.findIndex((it) => !answers[it.id]);
          if (missing >= 0) return notify.error(`第${missing + 1}题尚未选择`);
          setSaving(true);
          try {
            await surveysApi.paper(detail.survey.id, { reporterId: reporterId!, answers });
            setAnswers({});
            notify.success('已录入一份纸质问卷');
            await reload();
          } catch (e) {
            notify.error(isApiError(e) ? e.message : '录入失败');
          } finally {
            setSaving(false);
          }
        }}
      >
        录入本份问卷
      </Button>
    </Space>
  );
}

function ResultsTab({ surveyId }: { surveyId: number }) {
  const results = useQuery({
    queryKey: ['survey-results', surveyId],
    queryFn: ({ signal }) => surveysApi.results(surveyId, signal),
  });
  const res: SurveyResults | null = results.data ?? null;
  if (!res) return <Skeleton active />;
  type Row = SurveyResults['units'][number];
  const pct = (v: number) => `${v.toFixed(1)}%`;
  const columns: TableColumnsType<Row> = [
    { title: '单位', dataIndex: 'orgName' },
    { title: '抽样', dataIndex: 'sampled', width: 70, align: 'right' },
    { title: '回收', dataIndex: 'responses', width: 70, align: 'right' },
    ...LEVELS.map((l) => ({
      title: l.label,
      key: l.value,
      width: 90,
      align: 'right' as const,
      render: (_: unknown, r: Row) => pct(r.overall.shares[l.value]),
    })),
    {
      title: '满意度得分',
      key: 'score',
      width: 110,
      align: 'right',
      render: (_, r) => (r.overall.score === null ? '—' : r.overall.score.toFixed(2)),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button icon={<DownloadOutlined />} onClick={() => surveysApi.exportResults(surveyId)}>
          导出 Excel
        </Button>
      </Space>
      <Table
        rowKey="reporterId"
        size="small"
        columns={columns}
        dataSource={res.units}
        pagination={false}
        data-testid="survey-results"
        expandable={{
          expandedRowRender: (u) => (
            <Table
              rowKey="itemId"
              size="small"
              pagination={false}
              dataSource={u.items}
              columns={[
                {
                  title: '题目',
                  key: 't',
                  render: (_, it, i) => `${i + 1}. ${res.items.find((x) => x.id === it.itemId)?.text ?? ''}`,
                },
                { title: '有效答卷', key: 'n', width: 90, align: 'right', render: (_, it) => it.summary.total },
                ...LEVELS.map((l) => ({
                  title: l.label,
                  key: l.value,
                  width: 90,
                  align: 'right' as const,
                  render: (_: unknown, it: Row['items'][number]) => pct(it.summary.shares[l.value]),
                })),
              ]}
            />
          ),
        }}
      />
      <Typography.Text type="secondary">注：{res.note}</Typography.Text>
    </Space>
  );
}
