import { DownloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { type FlagsFilter, type FollowUp, type FollowUpsFilter, type ResultFlag, resultsApi } from '../../api/results';
import { notify } from '../../lib/notify';
import { useLastData } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';

const FLAG_OPTIONS = [
  { value: 'no_excellent', label: '年度考核不得评优秀' },
  { value: 'talk', label: '约谈提醒' },
  { value: 'rectify', label: '限期整改' },
  { value: 'three_years_fair', label: '连续三年较好' },
];
const KIND_LABELS: Record<string, string> = {
  talk: '约谈提醒',
  rectify: '限期整改',
  strengthen: '针对性加强',
  accountability: '追责问责',
};

/** Flags from the locked grades (R-USE-1…3) and the follow-up tasks they create. */
export function FlagsTab({ campaignId, canManage }: { campaignId: number; canManage: boolean }) {
  const [code, setCode] = useState<FlagsFilter['code']>();
  const [q, setQ] = useState('');
  const query = useDebounced(q, 300);
  const [kind, setKind] = useState<FollowUpsFilter['kind']>();
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const [recording, setRecording] = useState<FollowUp | null>(null);
  const flagQuery = { code, q: query };
  const flagList = useQuery({
    queryKey: ['result-flags', campaignId, flagQuery],
    queryFn: ({ signal }) => resultsApi.flags(campaignId, flagQuery, signal),
  });
  const followUpQuery = { kind, q: query, overdue: onlyOverdue || undefined };
  const followUpList = useQuery({
    queryKey: ['result-follow-ups', campaignId, followUpQuery],
    queryFn: ({ signal }) => resultsApi.followUps(campaignId, followUpQuery, signal),
  });
  // Each list keeps what it showed until its next answer; a failed flags load says why above the table.
  const flags: ResultFlag[] | null = useLastData(flagList.data)?.items ?? null;
  const followUps: FollowUp[] | null = useLastData(followUpList.data)?.items ?? null;
  const error = flagList.error ? (isApiError(flagList.error) ? flagList.error.message : '加载失败') : null;
  const load = () => {
    void flagList.refetch();
    void followUpList.refetch();
  };

  const derive = async () => {
    try {
      const r = await resultsApi.derive(campaignId);
      notify.success(`新增结果运用标记${r.flags}条、办理事项${r.followUps}项`);
      load();
    } catch {
      /* shown by the client */
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {error && <Alert type="warning" showIcon message={error} />}
      <Space wrap>
        {canManage && (
          <Popconfirm
            title="根据锁定的综合评价等次生成结果运用清单？"
            description="已生成的不会重复，已办理的记录不受影响。"
            onConfirm={derive}
            okText="生成"
            cancelText="取消"
          >
            <Button type="primary" icon={<ThunderboltOutlined />} data-testid="derive-flags">
              生成结果运用清单
            </Button>
          </Popconfirm>
        )}
        <Select
          allowClear
          placeholder="结果运用类别"
          options={FLAG_OPTIONS}
          value={code}
          onChange={setCode}
          style={{ width: 180 }}
        />
        <Input.Search
          allowClear
          placeholder="党组织或书记姓名"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 220 }}
        />
        <Button icon={<DownloadOutlined />} onClick={() => resultsApi.exportFlags(campaignId)}>
          导出（干部考核用）
        </Button>
      </Space>
      <Table<ResultFlag>
        size="small"
        rowKey="id"
        loading={!flags && !error}
        dataSource={flags ?? []}
        pagination={{ pageSize: 20, showSizeChanger: true }}
        data-testid="flags-table"
        columns={[
          { title: '党组织', dataIndex: 'orgName' },
          { title: '书记', dataIndex: 'secretaryName', width: 90 },
          {
            title: '结果运用',
            dataIndex: 'label',
            width: 160,
            render: (v: string, r) => <Tag color={r.code === 'no_excellent' ? 'default' : 'red'}>{v}</Tag>,
          },
          { title: '说明', dataIndex: 'detail' },
        ]}
      />
      <Typography.Title level={5}>办理事项</Typography.Title>
      <Space wrap>
        <Select
          allowClear
          placeholder="事项类别"
          value={kind}
          onChange={setKind}
          style={{ width: 150 }}
          options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Checkbox checked={onlyOverdue} onChange={(e) => setOnlyOverdue(e.target.checked)}>
          只看逾期
        </Checkbox>
      </Space>
      <Table<FollowUp>
        size="small"
        rowKey="id"
        dataSource={followUps ?? []}
        pagination={{ pageSize: 20 }}
        data-testid="follow-ups-table"
        columns={[
          { title: '党组织', dataIndex: 'orgName' },
          { title: '事项', dataIndex: 'kind', width: 110, render: (k: string) => KIND_LABELS[k] ?? k },
          { title: '承办单位', dataIndex: 'assigneeName' },
          {
            title: '期限',
            dataIndex: 'dueDate',
            width: 110,
            render: (d: string | null, r) => (
              <span style={{ color: r.overdue ? '#c8161d' : undefined }}>
                {d ?? '—'}
                {r.overdue ? '（逾期）' : ''}
              </span>
            ),
          },
          {
            title: '状态',
            dataIndex: 'state',
            width: 80,
            render: (s: string) => (s === 'done' ? <Tag color="green">已办结</Tag> : <Tag color="orange">办理中</Tag>),
          },
          {
            title: '办理记录',
            render: (_, r) =>
              r.recordDate ? `${r.recordDate} ${r.recordBy ?? ''}：${r.recordContent ?? ''}` : (r.recordContent ?? ''),
          },
          {
            title: '操作',
            width: 90,
            render: (_, r) =>
              canManage && r.state === 'open' ? (
                <Button size="small" onClick={() => setRecording(r)}>
                  登记办理
                </Button>
              ) : null,
          },
        ]}
      />
      {recording && (
        <RecordModal
          item={recording}
          onClose={(changed) => {
            setRecording(null);
            if (changed) load();
          }}
        />
      )}
    </Space>
  );
}

function RecordModal({ item, onClose }: { item: FollowUp; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const submit = async (done: boolean) => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await resultsApi.recordFollowUp(item.id, {
        recordDate: v.recordDate.format('YYYY-MM-DD'),
        recordBy: v.recordBy,
        recordContent: v.recordContent,
        done,
      });
      notify.success(done ? '已办结' : '已保存');
      onClose(true);
    } catch (e) {
      notify.error(isApiError(e) ? e.message : '保存失败');
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`${KIND_LABELS[item.kind]}：${item.orgName}`}
      onCancel={() => onClose(false)}
      footer={[
        <Button key="save" loading={saving} onClick={() => submit(false)}>
          保存
        </Button>,
        <Button key="done" type="primary" loading={saving} onClick={() => submit(true)}>
          保存并办结
        </Button>,
      ]}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          recordDate: item.recordDate ? dayjs(item.recordDate) : dayjs(),
          recordBy: item.recordBy ?? '',
          recordContent: item.recordContent ?? '',
        }}
      >
        <Form.Item name="recordDate" label="办理日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="recordBy" label="办理人（约谈人）" rules={[{ required: true, message: '请填写办理人' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="recordContent" label="办理情况" rules={[{ required: true, message: '请填写办理情况' }]}>
          <Input.TextArea rows={4} maxLength={5000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
