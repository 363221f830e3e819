import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { GRADE_LABELS, GRADES } from '../../../domain/grades';
import { ballotsApi, type PaperTallyCounts, type PaperTallyPair } from '../../api/ballots';
import { meetingsApi } from '../../api/meetings';
import { notify } from '../../lib/notify';
import { keys } from '../../lib/query';

type CountKey = keyof PaperTallyCounts;
const COUNT_KEYS: CountKey[] = [...GRADES, 'invalid'];
const COUNT_LABELS: Record<CountKey, string> = { ...GRADE_LABELS, invalid: '无效' };
type Entry = PaperTallyPair['entries'][number];

export interface PaperReporter {
  reporterId: number;
  name: string;
}
export interface PaperCategory {
  key: string;
  label: string;
}

interface Row {
  key: string;
  reporterId: number;
  reporterName: string;
  category: string;
  categoryLabel: string;
  pair: PaperTallyPair | null;
}

const STATUS: Record<string, { color: string; text: string }> = {
  none: { color: 'default', text: '未录入' },
  waiting_second: { color: 'processing', text: '待第二次录入' },
  matched: { color: 'success', text: '两次一致，已计入' },
  mismatch: { color: 'error', text: '两次不一致，未计入' },
};

const lines = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((t) => t.trim())
    .filter(Boolean);
const summary = (e: Entry) => COUNT_KEYS.map((k) => `${COUNT_LABELS[k]} ${e.counts[k]}`).join('　');

/**
 * 纸质表双人录入 (R-VOTE-4): the paper forms of one reporter and evaluator category are tallied and typed in by two
 * different staff members. The server puts the first entry in slot 1 and the second in slot 2; only a pair whose two
 * entries agree is counted. A mismatch is shown field by field so the clerks can check the forms and delete the
 * wrong entry, which is then typed in again.
 */
export function PaperTallyPanel({
  meetingId,
  roundId,
  reporters,
  categories,
  editable,
  onChanged,
}: {
  meetingId: number;
  roundId: number;
  reporters: PaperReporter[];
  categories: PaperCategory[];
  /** Draft, open or closed rounds take entries; released or void ones are read-only. */
  editable: boolean;
  onChanged: () => void;
}) {
  // Set for the reload the other clerk's change triggers (x-background).
  const backgroundLoad = useRef(false);
  // Under the round's key: reloading the round reads the entries again.
  const tallies = useQuery({
    queryKey: [...keys.ballotRound(roundId), 'paper-tallies'],
    queryFn: ({ signal }) => {
      const background = backgroundLoad.current;
      backgroundLoad.current = false;
      return ballotsApi.paperTallies(roundId, { background, signal });
    },
  });
  const pairs: PaperTallyPair[] | null = tallies.data?.items ?? null;
  const [entering, setEntering] = useState<Row | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  const { refetch } = tallies;
  // The two clerks sit at different screens: each sees the other's entry (and a mismatch) within a second.
  useEffect(() => {
    const es = new EventSource(meetingsApi.eventsUrl(meetingId));
    // A reload on the other clerk's change is not this user's activity (x-background).
    es.addEventListener('changed', () => {
      backgroundLoad.current = true;
      void refetch();
    });
    return () => es.close();
  }, [meetingId, refetch]);

  const byKey = new Map((pairs ?? []).map((p) => [`${p.reporterId}:${p.category}`, p]));
  const rows: Row[] = reporters.flatMap((r) =>
    categories.map((c) => ({
      key: `${r.reporterId}:${c.key}`,
      reporterId: r.reporterId,
      reporterName: r.name,
      category: c.key,
      categoryLabel: c.label,
      pair: byKey.get(`${r.reporterId}:${c.key}`) ?? null,
    })),
  );
  const tally = { matched: 0, waiting_second: 0, mismatch: 0 } as Record<string, number>;
  for (const p of pairs ?? []) tally[p.status] = (tally[p.status] ?? 0) + 1;

  // The modal is destroyed when hidden, so each entry starts from these values.
  const open = (row: Row) => setEntering(row);
  const initial = { ...Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])), problems: '', suggestions: '' };

  const submit = async () => {
    if (!entering) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const out = await ballotsApi.enterPaperTally(roundId, {
        reporterId: entering.reporterId,
        category: entering.category,
        counts: {
          good: Number(v.good),
          fair: Number(v.fair),
          average: Number(v.average),
          poor: Number(v.poor),
          invalid: Number(v.invalid),
        },
        problems: lines(v.problems),
        suggestions: lines(v.suggestions),
      });
      notify.success(`已保存第${out.entryNo === 1 ? '一' : '二'}次录入`);
      setEntering(null);
      onChanged();
    } catch {
      /* shown by the API client */
    } finally {
      setBusy(false);
    }
  };

  const remove = async (entry: Entry) => {
    setBusy(true);
    try {
      await ballotsApi.deletePaperTally(roundId, entry.id);
      notify.success(`已删除第${entry.entryNo === 1 ? '一' : '二'}次录入，请重新录入`);
      onChanged();
    } catch {
      /* shown by the API client */
    } finally {
      setBusy(false);
    }
  };

  const entryCell = (no: number) => (_: unknown, row: Row) => {
    const e = row.pair?.entries.find((x) => x.entryNo === no);
    if (!e) return <Typography.Text type="secondary">—</Typography.Text>;
    return (
      <Space direction="vertical" size={0}>
        <span>{summary(e)}</span>
        <Typography.Text type="secondary">
          问题 {e.problems.length} 条，建议 {e.suggestions.length} 条；录入人 {e.enteredBy}
        </Typography.Text>
      </Space>
    );
  };

  const columns: TableColumnsType<Row> = [
    { title: '述职对象', dataIndex: 'reporterName' },
    { title: '类别', dataIndex: 'categoryLabel', width: 160 },
    { title: '第一次录入', key: 'e1', render: entryCell(1) },
    { title: '第二次录入', key: 'e2', render: entryCell(2) },
    {
      title: '状态',
      key: 'status',
      width: 150,
      render: (_, row) => {
        const s = STATUS[row.pair?.status ?? 'none']!;
        return (
          <Tag color={s.color} data-testid={`paper-status-${row.reporterId}-${row.category}`}>
            {s.text}
          </Tag>
        );
      },
    },
    ...(editable
      ? [
          {
            title: '操作',
            key: 'op',
            width: 110,
            render: (_: unknown, row: Row) =>
              (row.pair?.entries.length ?? 0) < 2 ? (
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => open(row)}
                  data-testid={`paper-enter-${row.reporterId}-${row.category}`}
                >
                  {row.pair ? '第二次录入' : '录入'}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="paper-tallies">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text strong>纸质表录入（双人录入）</Typography.Text>
        <Space>
          <Tag color="success">已计入 {tally.matched}</Tag>
          <Tag color="processing">待第二次录入 {tally.waiting_second}</Tag>
          <Tag color={tally.mismatch ? 'error' : 'default'} data-testid="paper-mismatch-count">
            不一致 {tally.mismatch}
          </Tag>
        </Space>
      </Space>
      <Typography.Text type="secondary">
        按述职对象和参评人员类别汇总纸质评议表后录入；须由两名工作人员分别录入，两次一致的才计入测评结果。不一致的，请核对纸质表后删除错误的一次并重新录入。
      </Typography.Text>
      <Table<Row>
        size="small"
        rowKey="key"
        dataSource={rows}
        columns={columns}
        loading={pairs === null}
        pagination={{ pageSize: 30, hideOnSinglePage: true }}
        expandable={{
          // Mismatches open by themselves: they block the release until resolved.
          expandedRowKeys: rows.filter((r) => r.pair?.status === 'mismatch').map((r) => r.key),
          rowExpandable: (r) => r.pair?.status === 'mismatch',
          showExpandColumn: false,
          expandedRowRender: (r) => <MismatchView pair={r.pair!} editable={editable} busy={busy} onDelete={remove} />,
        }}
      />
      <Modal
        open={entering !== null}
        title={entering ? `录入纸质表：${entering.reporterName}（${entering.categoryLabel}）` : ''}
        okText="保存录入"
        confirmLoading={busy}
        onOk={() => submit().catch(() => {})}
        onCancel={() => setEntering(null)}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'paper-submit' } as Record<`data-${string}`, string>}
      >
        {entering?.pair && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message="这是第二次录入：请按纸质表独立录入，不要参照第一次录入的结果。"
          />
        )}
        <Form form={form} layout="vertical" initialValues={initial}>
          <Space wrap>
            {COUNT_KEYS.map((k) => (
              <Form.Item
                key={k}
                name={k}
                label={`${COUNT_LABELS[k]}（张）`}
                rules={[{ required: true, message: '请填写张数' }]}
              >
                <InputNumber
                  min={0}
                  max={100000}
                  precision={0}
                  style={{ width: 90 }}
                  data-testid={`paper-count-${k}`}
                />
              </Form.Item>
            ))}
          </Space>
          <Form.Item name="problems" label="存在的主要问题和不足（每条一行）">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} data-testid="paper-problems" />
          </Form.Item>
          <Form.Item name="suggestions" label="意见建议（每条一行）">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} data-testid="paper-suggestions" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** The two entries side by side, differing fields marked, with the delete that resolves the mismatch. */
function MismatchView({
  pair,
  editable,
  busy,
  onDelete,
}: {
  pair: PaperTallyPair;
  editable: boolean;
  busy: boolean;
  onDelete: (e: Entry) => void;
}) {
  const [a, b] = [pair.entries.find((e) => e.entryNo === 1)!, pair.entries.find((e) => e.entryNo === 2)!];
  const norm = (l: string[]) =>
    JSON.stringify(
      l
        .map((t) => t.trim())
        .filter(Boolean)
        .sort(),
    );
  const rows = [
    ...COUNT_KEYS.map((k) => ({
      key: k,
      field: COUNT_LABELS[k],
      a: String(a.counts[k]),
      b: String(b.counts[k]),
      diff: a.counts[k] !== b.counts[k],
    })),
    {
      key: 'problems',
      field: '问题和不足',
      a: a.problems.join('\n') || '—',
      b: b.problems.join('\n') || '—',
      diff: norm(a.problems) !== norm(b.problems),
    },
    {
      key: 'suggestions',
      field: '意见建议',
      a: a.suggestions.join('\n') || '—',
      b: b.suggestions.join('\n') || '—',
      diff: norm(a.suggestions) !== norm(b.suggestions),
    },
  ];
  const cell = (v: string, r: { diff: boolean }) => (
    <Typography.Text type={r.diff ? 'danger' : undefined} strong={r.diff} style={{ whiteSpace: 'pre-wrap' }}>
      {v}
    </Typography.Text>
  );
  const del = (e: Entry) =>
    editable && (
      <Popconfirm
        title={`删除第${e.entryNo === 1 ? '一' : '二'}次录入？`}
        description="删除后须重新录入。"
        okText="删除"
        okButtonProps={{ danger: true }}
        onConfirm={() => onDelete(e)}
      >
        <Button
          size="small"
          danger
          icon={<DeleteOutlined />}
          loading={busy}
          data-testid={`paper-delete-${pair.reporterId}-${pair.category}-${e.entryNo}`}
        >
          删除此次录入
        </Button>
      </Popconfirm>
    );
  return (
    <Space
      direction="vertical"
      style={{ width: '100%' }}
      data-testid={`paper-mismatch-${pair.reporterId}-${pair.category}`}
    >
      <Alert type="error" showIcon message="两次录入不一致" description={pair.differences.join('；')} />
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        rowClassName={(r) => (r.diff ? 'paper-diff-row' : '')}
        columns={[
          { title: '项目', dataIndex: 'field', width: 120 },
          {
            title: (
              <Space>
                第一次录入（{a.enteredBy}）{del(a)}
              </Space>
            ),
            dataIndex: 'a',
            render: cell,
          },
          {
            title: (
              <Space>
                第二次录入（{b.enteredBy}）{del(b)}
              </Space>
            ),
            dataIndex: 'b',
            render: cell,
          },
          {
            title: '',
            key: 'd',
            width: 80,
            render: (_: unknown, r) => (r.diff ? <Tag color="error">不一致</Tag> : null),
          },
        ]}
      />
    </Space>
  );
}
