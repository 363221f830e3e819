import { PhaseNote } from '../../components/phase-note';
import { Button, Card, Form, Input, Modal, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { oversightApi, type Task } from '../../api/oversight';
import { showFormError } from '../../lib/form-errors';
import { notify } from '../../lib/notify';
import { paged, useLastData, usePage } from '../../lib/query';
import { formatDateTime, todayInShanghai } from '../../lib/time';
import { useDebounced } from '../../lib/use-debounced';
import { phaseWindow } from './shared';

function ObservationModal({ task, onClose, onDone }: { task: Task | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ note: string }>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (task) form.setFieldsValue({ note: task.observationNote ?? '' });
  }, [task, form]);
  const submit = async () => {
    const { note } = await form.validateFields();
    setSaving(true);
    try {
      await oversightApi.recordObservation(task!.id, note.trim());
      onDone();
    } catch (e) {
      showFormError(form, e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      title={task ? `观察记录 · ${task.organizerName}` : '观察记录'}
      open={!!task}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      okText="保存"
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="note"
          label="会议观察情况"
          rules={[{ required: true, whitespace: true, message: '请填写观察记录' }]}
        >
          <Input.TextArea
            rows={6}
            maxLength={5000}
            showCount
            placeholder="会议程序、述职质量、点评是否点出问题、测评组织情况等"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 我的任务: the meetings this person was sent to observe (R-CAMP-6). */
export default function MyTasksPage() {
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 400);
  const [status, setStatus] = useState<'pending' | 'recorded'>();
  const [page, setPage] = usePage([q, status]);
  const [pageSize, setPageSize] = useState(20);
  const [writing, setWriting] = useState<Task | null>(null);
  const today = todayInShanghai();
  const query = { q: q || undefined, status, offset: (page - 1) * pageSize, limit: pageSize };
  const list = useQuery({
    queryKey: ['my-tasks', query],
    queryFn: ({ signal }) => oversightApi.myTasks(query, signal),
    ...paged,
  });
  const data = useLastData(list.data);
  const items = data?.items ?? [];
  const total = data?.total ?? 0;

  useEffect(() => {
    document.title = '我的任务 · 述评考';
  }, []);

  const columns: TableColumnsType<Task> = [
    {
      title: '指导单位',
      key: 'unit',
      width: 230,
      render: (_, t) => (
        <div>
          <div>{t.organizerName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t.subCampaignTitle}
          </Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              派出单位：{t.senderName}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: '组别',
      key: 'group',
      width: 130,
      render: (_, t) =>
        t.groupName ? (
          <>
            {t.groupName}
            {t.isLeader ? (
              <Tag color="red" style={{ marginInlineStart: 4 }}>
                组长
              </Tag>
            ) : t.leaderName ? (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  组长：{t.leaderName}
                </Typography.Text>
              </div>
            ) : null}
          </>
        ) : (
          '—'
        ),
    },
    {
      title: '述职评议会',
      key: 'meeting',
      width: 210,
      render: (_, t) => (
        <div>
          <div>{phaseWindow(t.meeting)}</div>
          <PhaseNote phase={t.meetingPhase} />
          {t.meetings.map((m) => (
            <div key={`${m.date}${m.title}`}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {m.date} {m.place} {m.title}
              </Typography.Text>
            </div>
          ))}
        </div>
      ),
    },
    {
      title: '完成时限',
      dataIndex: 'completeBy',
      width: 120,
      render: (v: string | null) =>
        v ? (
          <>
            {v}
            {v < today && (
              <Tag color="orange" style={{ marginInlineStart: 4 }}>
                已过
              </Tag>
            )}
          </>
        ) : (
          '—'
        ),
    },
    { title: '任务说明', dataIndex: 'note', width: 160, render: (v: string | null) => v ?? '—' },
    {
      title: '观察记录',
      key: 'observation',
      width: 200,
      render: (_, t) =>
        t.observationNote ? (
          <>
            <Typography.Paragraph ellipsis={{ rows: 2, tooltip: t.observationNote }} style={{ margin: 0 }}>
              {t.observationNote}
            </Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(t.observedAt)}
            </Typography.Text>
          </>
        ) : (
          <Tag color="warning">待记录</Tag>
        ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 110,
      fixed: 'right',
      render: (_, t) => (
        <Button type="link" size="small" onClick={() => setWriting(t)}>
          {t.observationNote ? '修改记录' : '填写记录'}
        </Button>
      ),
    },
  ];

  return (
    <Card size="small" title="我的任务" className="page-card">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        上级组织部门选派您参加以下述职评议会。会后请填写观察记录，每次修改都会记入审计日志。
      </Typography.Paragraph>
      <div className="filters" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder="搜索单位或方案"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          style={{ width: 240 }}
        />
        <Select
          allowClear
          placeholder="记录状态"
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          options={[
            { value: 'pending', label: '待记录' },
            { value: 'recorded', label: '已记录' },
          ]}
        />
      </div>
      <Table<Task>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={list.isFetching}
        scroll={{ x: 1150 }}
        locale={{ emptyText: '暂无选派任务' }}
        pagination={{
          current: page,
          pageSize,
          total,
          showSizeChanger: true,
          showTotal: (n) => `共 ${n} 项`,
          onChange: (p, size) => {
            setPage(size !== pageSize ? 1 : p);
            setPageSize(size);
          },
        }}
        data-testid="my-tasks"
      />
      <ObservationModal
        task={writing}
        onClose={() => setWriting(null)}
        onDone={() => {
          setWriting(null);
          notify.success('观察记录已保存');
          void list.refetch();
        }}
      />
    </Card>
  );
}
