import { ArrowLeftOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Radio,
  Result,
  Space,
  Spin,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { type RectItem, type RectItemDetail, rectificationApi } from '../../api/rectification';
import { showFormError } from '../../lib/form-errors';
import { notify } from '../../lib/notify';
import { formatDateProse, formatDateTime } from '../../lib/time';
import { StatusTag } from './shared';
import { NoAccess } from '../../components/no-access';

const errorText = (e: unknown) => (isApiError(e) ? e.message : '操作失败，请重试');
const RESULT_LABELS: Record<string, string> = {
  pass: '验收通过，销号',
  fail: '验收未通过，退回整改',
  reopen: '重新整改',
};

interface EditValues {
  description: string;
  rootCause?: string | null;
  owner?: string | null;
  responsibleLeader?: string | null;
  measures?: string | null;
  deadline?: dayjs.Dayjs | null;
  weight?: number;
}

/** One rectification item: the three lists' columns, sub-items, progress timeline, evidence and the upper level's 验收. */
export default function RectificationItemPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const detail = useQuery({
    queryKey: ['rectification-item', id],
    queryFn: ({ signal }) => rectificationApi.detail(id, signal),
  });
  // A failed reload shows its error, as before; a successful one replaces the item.
  const data: RectItemDetail | null = detail.data ?? null;
  const error = detail.error;
  const [editing, setEditing] = useState<'edit' | 'sub' | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [note, setNote] = useState('');
  const [percent, setPercent] = useState<number | null>(null);
  const [editForm] = Form.useForm<EditValues>();
  const [verifyForm] = Form.useForm<{
    result: 'pass' | 'fail' | 'reopen';
    note?: string;
    evidence?: string;
    evidenceIds?: number[];
  }>();

  useEffect(() => {
    if (data) document.title = `整改事项 · ${data.item.orgName} · 述评考`;
  }, [data]);
  const reload = () => void detail.refetch();
  const run = async (f: () => Promise<unknown>, ok: string) => {
    try {
      await f();
      notify.success(ok);
      reload();
    } catch (e) {
      notify.error(errorText(e));
    }
  };

  if (isApiError(error) && error.status === 403) return <NoAccess />;
  if (error) {
    return <Result status="error" title={errorText(error)} extra={<Link to="/rectification">返回整改清单</Link>} />;
  }
  if (!data) return <Spin style={{ display: 'block', margin: 48 }} />;
  const { item, can } = data;
  const hasSubs = data.subItems.length > 0;

  const openEdit = (mode: 'edit' | 'sub') => {
    editForm.setFieldsValue(
      mode === 'edit'
        ? { ...item, deadline: item.deadline ? dayjs(item.deadline) : null }
        : {
            description: '',
            owner: item.owner,
            responsibleLeader: item.responsibleLeader,
            measures: '',
            deadline: item.deadline ? dayjs(item.deadline) : null,
            weight: 1,
          },
    );
    setEditing(mode);
  };
  const saveEdit = async () => {
    const v = await editForm.validateFields();
    const body = { ...v, deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : null };
    try {
      if (editing === 'edit') {
        const { weight, ...rest } = body;
        await rectificationApi.update(item.id, item.parentId ? { ...rest, weight } : rest);
      } else {
        await rectificationApi.create(item.campaignId, { ...body, orgId: item.orgId, parentId: item.id });
      }
      setEditing(null);
      reload();
    } catch (e) {
      showFormError(editForm, e);
    }
  };
  const saveVerify = async () => {
    const v = await verifyForm.validateFields();
    try {
      const r = await rectificationApi.verify(item.id, v);
      setVerifying(false);
      verifyForm.resetFields();
      if (r.newItemId) navigate(`/rectification/items/${r.newItemId}`);
      else reload();
    } catch (e) {
      showFormError(verifyForm, e);
    }
  };
  const addProgress = () =>
    run(async () => {
      await rectificationApi.progress(item.id, note, percent ?? undefined);
      setNote('');
      setPercent(null);
    }, '已填报进展');

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        size="small"
        className="page-card"
        title={
          <Space wrap>
            <Link to={`/rectification?campaignId=${item.campaignId}`}>
              <ArrowLeftOutlined />
            </Link>
            {item.orgName}
            <StatusTag item={item} />
          </Space>
        }
        extra={can.edit && <Button onClick={() => openEdit('edit')}>修改</Button>}
      >
        {item.overdue && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            message={`已超过整改时限（${formatDateProse(item.deadline)}），已列入上级督办`}
          />
        )}
        <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2 }} bordered>
          <Descriptions.Item label="问题" span={2}>
            {item.description}
          </Descriptions.Item>
          <Descriptions.Item label="来源">{item.sourceLabel}</Descriptions.Item>
          <Descriptions.Item label="所属考核">{item.campaignTitle}</Descriptions.Item>
          {item.sourceText && item.sourceText !== item.description && (
            <Descriptions.Item label="原文" span={2}>
              {item.sourceText}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="问题根源" span={2}>
            {item.rootCause ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label="责任人">{item.owner ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="责任领导">{item.responsibleLeader ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="整改措施" span={2}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{item.measures ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="整改时限">{item.deadline ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="完成进度">
            <Progress percent={item.progress} size="small" style={{ minWidth: 120 }} />
          </Descriptions.Item>
          {item.parentId && (
            <Descriptions.Item label="上级事项">
              <Link to={`/rectification/items/${item.parentId}`}>查看</Link>（权重 {item.weight}）
            </Descriptions.Item>
          )}
          {item.carriedFromId && (
            <Descriptions.Item label="结转自">
              <Link to={`/rectification/items/${item.carriedFromId}`}>上年度整改事项</Link>
            </Descriptions.Item>
          )}
          {data.reopenedAs.length > 0 && (
            <Descriptions.Item label="重新整改">
              {data.reopenedAs.map((n) => (
                <Link key={n} to={`/rectification/items/${n}`}>
                  事项 {n}{' '}
                </Link>
              ))}
            </Descriptions.Item>
          )}
        </Descriptions>
        <Space wrap style={{ marginTop: 12 }}>
          {can.edit && item.status === 'not_started' && (
            <Button type="primary" onClick={() => void run(() => rectificationApi.act(item.id, 'start'), '已开始整改')}>
              开始整改
            </Button>
          )}
          {can.edit && item.status === 'in_progress' && (
            <Button
              type="primary"
              onClick={() => void run(() => rectificationApi.act(item.id, 'submit'), '已提交验收')}
            >
              提交验收
            </Button>
          )}
          {can.verify && ['pending_verification', 'closed'].includes(item.status) && (
            <Button
              type="primary"
              ghost
              onClick={() => {
                verifyForm.setFieldsValue({ result: item.status === 'closed' ? 'reopen' : 'pass' });
                setVerifying(true);
              }}
              data-testid="verify"
            >
              {item.status === 'closed' ? '重新整改' : '验收'}
            </Button>
          )}
          {can.edit && !item.parentId && (
            <Button icon={<PlusOutlined />} onClick={() => openEdit('sub')}>
              增加子项
            </Button>
          )}
          {can.edit && item.status === 'not_started' && (
            <Button
              danger
              onClick={() =>
                Modal.confirm({
                  title: '删除该整改事项？',
                  onOk: () => rectificationApi.remove(item.id).then(() => navigate('/rectification')),
                })
              }
            >
              删除
            </Button>
          )}
        </Space>
      </Card>

      {hasSubs && (
        <Card size="small" title="子项（按权重汇总进度）">
          <List<RectItem>
            dataSource={data.subItems}
            renderItem={(s) => (
              <List.Item extra={<StatusTag item={s} />}>
                <List.Item.Meta
                  title={<Link to={`/rectification/items/${s.id}`}>{s.description}</Link>}
                  description={`权重 ${s.weight} · 进度 ${s.progress}% · 时限 ${s.deadline ?? '未定'}`}
                />
              </List.Item>
            )}
          />
        </Card>
      )}

      <Card size="small" title="整改进展">
        {can.edit && item.status === 'in_progress' && (
          <Space.Compact direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
            <Input.TextArea
              rows={3}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder="本次整改进展"
              maxLength={5000}
            />
            <Space wrap style={{ marginTop: 8 }}>
              {!hasSubs && (
                <InputNumber
                  min={0}
                  max={100}
                  value={percent}
                  onChange={(v) => setPercent(v)}
                  addonAfter="%"
                  placeholder="完成进度"
                />
              )}
              <Button type="primary" disabled={!note.trim()} onClick={() => void addProgress()}>
                填报进展
              </Button>
              <Upload
                showUploadList={false}
                accept=".pdf,.jpg,.jpeg,.png,.gif,.webp,.heic,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
                customRequest={({ file, onSuccess, onError }) => {
                  rectificationApi
                    .uploadEvidence(item.id, file as File)
                    .then((r) => {
                      onSuccess?.(r);
                      notify.success('已上传佐证材料');
                      reload();
                    })
                    .catch((e) => onError?.(e));
                }}
              >
                <Button icon={<UploadOutlined />}>上传佐证材料（10MB以内）</Button>
              </Upload>
            </Space>
          </Space.Compact>
        )}
        {data.timeline.length ? (
          <Timeline
            items={data.timeline.map((e) => ({
              color: e.kind === 'verification' ? (e.result === 'pass' ? 'green' : 'red') : 'blue',
              children: (
                <>
                  <Typography.Text type="secondary">
                    {formatDateTime(e.at)} {e.by}
                  </Typography.Text>
                  <div>
                    {e.kind === 'verification' && (
                      <Typography.Text strong>{RESULT_LABELS[e.result ?? ''] ?? e.result}：</Typography.Text>
                    )}
                    {e.note}
                    {e.percent !== null && `（进度 ${e.percent}%）`}
                  </div>
                  {e.evidence && <Typography.Text type="secondary">{e.evidence}</Typography.Text>}
                </>
              ),
            }))}
          />
        ) : (
          <Empty description="暂无进展记录" />
        )}
      </Card>

      <Card size="small" title={`佐证材料${item.evidenceRequired ? '（验收须提供）' : ''}`}>
        <List
          dataSource={data.evidence}
          locale={{ emptyText: '暂无佐证材料' }}
          renderItem={(e) => (
            <List.Item>
              <a href={rectificationApi.evidenceUrl(item.id, e.id)}>{e.fileName}</a>
              <Typography.Text type="secondary">
                {Math.ceil(e.size / 1024)} KB · {formatDateTime(e.createdAt)}
              </Typography.Text>
            </List.Item>
          )}
        />
      </Card>

      <Modal
        title={editing === 'sub' ? '增加子项' : '修改整改事项'}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => void saveEdit()}
        destroyOnHidden
      >
        <Form form={editForm} layout="vertical">
          <Form.Item
            name="description"
            label="问题"
            rules={[{ required: true, whitespace: true, message: '问题不能为空' }]}
          >
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          {editing === 'edit' && (
            <Form.Item name="rootCause" label="问题根源">
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          )}
          <Space wrap>
            <Form.Item name="owner" label="责任人">
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="responsibleLeader" label="责任领导">
              <Input maxLength={100} />
            </Form.Item>
          </Space>
          <Form.Item name="measures" label="整改措施">
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="deadline" label="整改时限">
              <DatePicker disabledDate={(d) => d.isBefore(dayjs(item.createdAt), 'day')} />
            </Form.Item>
            {(editing === 'sub' || item.parentId) && (
              <Form.Item name="weight" label="权重">
                <InputNumber min={1} max={100} />
              </Form.Item>
            )}
          </Space>
        </Form>
      </Modal>

      <Modal
        title="验收"
        open={verifying}
        onCancel={() => setVerifying(false)}
        onOk={() => void saveVerify()}
        destroyOnHidden
      >
        <Form form={verifyForm} layout="vertical">
          <Form.Item name="result" label="验收结论">
            <Radio.Group
              options={(item.status === 'closed' ? ['reopen'] : ['pass', 'fail']).map((r) => ({
                value: r,
                label: RESULT_LABELS[r],
              }))}
            />
          </Form.Item>
          <Form.Item name="note" label="验收意见">
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          {item.status !== 'closed' && (
            <>
              <Form.Item name="evidenceIds" label="核验的佐证材料">
                <Checkbox.Group options={data.evidence.map((e) => ({ value: e.id, label: e.fileName }))} />
              </Form.Item>
              <Form.Item name="evidence" label="其他佐证（实地查看等）">
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
