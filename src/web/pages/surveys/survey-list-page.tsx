import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { surveysApi, type Survey, type SurveyList } from '../../api/surveys';
import { notify } from '../../lib/notify';
import { useLastData } from '../../lib/query';

export const SURVEY_STATE_COLORS: Record<string, string> = { draft: 'default', open: 'processing', closed: 'success' };

/** /campaigns/:id/surveys — the satisfaction surveys of one campaign (R-ASSESS-3). */
export default function SurveyListPage() {
  const campaignId = Number(useParams().id);
  const navigate = useNavigate();
  const list = useQuery({
    queryKey: ['surveys', campaignId],
    queryFn: ({ signal }) => surveysApi.list(campaignId, signal),
  });
  const data: SurveyList | null = useLastData(list.data) ?? null;
  const loading = list.isFetching;
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ title?: string; sampleSize?: number }>();

  const columns: TableColumnsType<Survey> = [
    {
      title: '调查名称',
      dataIndex: 'title',
      render: (v: string, s) => <Link to={`/campaigns/${campaignId}/surveys/${s.id}`}>{v}</Link>,
    },
    { title: '每单位样本数', dataIndex: 'sampleSize', width: 120, align: 'right' },
    { title: '随机种子', dataIndex: 'seed', width: 180, render: (v: string | null) => v ?? '未抽样' },
    {
      title: '状态',
      dataIndex: 'stateLabel',
      width: 100,
      render: (v: string, s) => <Tag color={SURVEY_STATE_COLORS[s.state]}>{v}</Tag>,
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to="/campaigns">述职评议考核</Link> },
          { title: <Link to={`/campaigns/${campaignId}`}>{data?.campaign.title ?? '…'}</Link> },
          { title: '满意度调查' },
        ]}
      />
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            满意度调查
          </Typography.Title>
        }
        extra={
          data?.canManage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="survey-new"
              onClick={() => {
                form.setFieldsValue({ title: '', sampleSize: data.campaign.sampleSize || 100 });
                setCreating(true);
              }}
            >
              新建调查
            </Button>
          )
        }
      >
        {data && !data.campaign.surveyEnabled && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message="本次考核的方案设置未启用满意度调查；调查结果在启用并设置权重后才计入综合评价。"
          />
        )}
        <Table
          rowKey="id"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          pagination={false}
          data-testid="survey-table"
        />
      </Card>
      <Modal
        open={creating}
        title="新建满意度调查"
        okText="创建"
        onCancel={() => setCreating(false)}
        onOk={async () => {
          const v = await form.validateFields();
          const s = await surveysApi.create(campaignId, {
            title: v.title?.trim() || undefined,
            sampleSize: v.sampleSize,
          });
          setCreating(false);
          notify.success('调查已创建，已填入默认问卷');
          navigate(`/campaigns/${campaignId}/surveys/${s.id}`);
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="title" label="调查名称" extra="留空则为「XXXX年度基层党建工作满意度调查」">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="sampleSize" label="每单位样本数" rules={[{ required: true, message: '请填写样本数' }]}>
            <InputNumber min={1} max={10000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
