import {
  DeleteOutlined,
  FileExcelOutlined,
  FileWordOutlined,
  PlusOutlined,
  PrinterOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { GRADE_LABELS, GRADES } from '../../../domain/grades';
import {
  ballotsApi,
  type BallotRound,
  type BallotRoundDetail,
  type Reconciliation,
  type ReporterResult,
  type RoundMode,
  type RoundResults,
} from '../../api/ballots';
import type { Attendance } from '../../api/meetings';
import { notify } from '../../lib/notify';
import { keys } from '../../lib/query';
import { PaperTallyPanel, type PaperReporter } from './paper-tally-panel';
import { useVoteAddress, VoteAddressWarning } from './vote-address';
import { formatDateTime } from '../../lib/time';

const STATE_COLORS: Record<string, string> = {
  draft: 'default',
  open: 'processing',
  closed: 'warning',
  released: 'success',
  void: 'error',
  purged: 'default',
};
const MODE_LABELS: Record<string, string> = { rehearsal: '演练', real: '正式' };

const roundsKey = (meetingId: number) => ['ballot-rounds', meetingId] as const;
const roundKey = keys.ballotRound;

interface Props {
  meetingId: number;
  /** Evaluator categories of the campaign, as the meeting's attendance lists them (weight 0 = 不参加测评). */
  categories: Attendance[];
  /** The agenda's reporters, for the paper tallies (R-VOTE-4). */
  reporters: PaperReporter[];
  canManage: boolean;
}

/** 测评 tab: ballot rounds of one meeting — codes, opening, closing, reconciliation, release and results (issue 5). */
export function BallotsTab({ meetingId, categories, reporters, canManage }: Props) {
  const queryClient = useQueryClient();
  const roundsQuery = useQuery({
    queryKey: roundsKey(meetingId),
    queryFn: ({ signal }) => ballotsApi.rounds(meetingId, signal),
  });
  const rounds = roundsQuery.data?.items ?? null;
  const [picked, setSelected] = useState<number | null>(null);
  // The round picked while it is listed; otherwise (none yet, or it went away) the first.
  const selected = picked !== null && rounds?.some((r) => r.id === picked) ? picked : (rounds?.[0]?.id ?? null);
  const [mode, setMode] = useState<RoundMode>('rehearsal');
  const loadRounds = () => queryClient.invalidateQueries({ queryKey: roundsKey(meetingId) });

  const create = useMutation({
    mutationFn: () => ballotsApi.create(meetingId, mode),
    onSuccess: async (round) => {
      notify.success(`已创建${MODE_LABELS[round.mode] ?? ''}测评`);
      await loadRounds();
      setSelected(round.id);
    },
  });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="ballots-tab">
      <Card
        size="small"
        title="测评轮次"
        extra={
          <Space wrap>
            <Button
              icon={<FileWordOutlined />}
              onClick={() => ballotsApi.downloadPaperForms(meetingId).catch(() => {})}
            >
              下载纸质评议表
            </Button>
            {canManage && (
              <>
                <Select<RoundMode>
                  value={mode}
                  onChange={setMode}
                  style={{ width: 110 }}
                  options={[
                    { value: 'rehearsal', label: '演练测评' },
                    { value: 'real', label: '正式测评' },
                  ]}
                />
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => create.mutate()}
                  data-testid="create-round"
                >
                  新建测评
                </Button>
              </>
            )}
          </Space>
        }
      >
        <Table<BallotRound>
          rowKey="id"
          size="small"
          loading={rounds === null}
          dataSource={rounds ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description="尚未创建测评" /> }}
          rowSelection={{
            type: 'radio',
            selectedRowKeys: selected === null ? [] : [selected],
            onChange: (keys) => setSelected(Number(keys[0])),
          }}
          onRow={(r) => ({ onClick: () => setSelected(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '编号', dataIndex: 'id', width: 80 },
            {
              title: '类型',
              dataIndex: 'mode',
              width: 100,
              render: (v: string) => <Tag color={v === 'real' ? 'red' : 'blue'}>{MODE_LABELS[v] ?? v}</Tag>,
            },
            {
              title: '状态',
              dataIndex: 'state',
              width: 140,
              render: (v: string, r) => <Tag color={STATE_COLORS[v]}>{r.stateLabel}</Tag>,
            },
            { title: '会场码', dataIndex: 'roomCode', width: 120 },
            { title: '开始投票', dataIndex: 'openedAt', render: fmt },
            { title: '结束投票', dataIndex: 'closedAt', render: fmt },
            { title: '发布', dataIndex: 'releasedAt', render: fmt },
          ]}
        />
      </Card>
      {selected !== null && (
        <RoundPanel
          key={selected}
          roundId={selected}
          meetingId={meetingId}
          categories={categories}
          reporters={reporters}
          canManage={canManage}
          onChanged={() => void loadRounds()}
        />
      )}
    </Space>
  );
}

const fmt = (v: string | null) => (v ? formatDateTime(v) : '—');

function RoundPanel({
  roundId,
  meetingId,
  categories,
  reporters,
  canManage,
  onChanged,
}: {
  roundId: number;
  meetingId: number;
  categories: Attendance[];
  reporters: PaperReporter[];
  canManage: boolean;
  onChanged: () => void;
}) {
  const queryClient = useQueryClient();
  // The round with what its state shows: the reconciliation once closed, the results once released.
  const detail = useQuery({
    queryKey: roundKey(roundId),
    queryFn: async ({ signal }) => {
      const r = await ballotsApi.get(roundId, signal);
      const recon = ['closed', 'released', 'void'].includes(r.state)
        ? await ballotsApi.reconciliation(roundId, undefined, signal)
        : null;
      const results = r.state === 'released' ? await ballotsApi.results(roundId, signal) : null;
      return { round: r, recon, results };
    },
  });
  const round: BallotRoundDetail | null = detail.data?.round ?? null;
  const recon: Reconciliation | null = detail.data?.recon ?? null;
  const results: RoundResults | null = detail.data?.results ?? null;
  // The slips printed here carry the same address as the console's QR code.
  const { warning: voteWarning } = useVoteAddress();
  const [counts, setCounts] = useState<Record<string, number | null>>({});
  const [attendees, setAttendees] = useState<number | null>(null);
  const [explanation, setExplanation] = useState('');
  const [paper, setPaper] = useState<Record<string, { issued: number; collected: number }>>({});
  // Every answer (also an unchanged one) resets the paper counts typed here and fills an empty explanation, as each
  // reload did; adjusted while rendering, so no effect and no extra render of stale values.
  const [shown, setShown] = useState(0);
  if (detail.data && detail.dataUpdatedAt !== shown) {
    const r = detail.data.round;
    setShown(detail.dataUpdatedAt);
    setPaper({ ...((r.paperCounts ?? {}) as Record<string, { issued: number; collected: number }>) });
    setExplanation((cur) => cur || r.explanation || '');
  }

  // The round and its paper entries (typed in by another clerk elsewhere) are read again together.
  const load = () => queryClient.invalidateQueries({ queryKey: roundKey(roundId) });

  /** Runs a state change, then reloads the round and the list; errors were already shown by the client. */
  const action = useMutation({
    mutationFn: ({ fn }: { fn: () => Promise<unknown>; done?: string }) => fn(),
    onSuccess: async (_, { done }) => {
      if (done) notify.success(done);
      onChanged();
      await load();
    },
  });
  // A promise, so a Popconfirm stays open with its spinner until the change and the reload are done.
  const act = (fn: () => Promise<unknown>, done?: string) =>
    action.mutateAsync({ fn, done }).catch(() => {
      /* shown by the API client */
    });
  const busy = action.isPending;

  if (!round) return <Card loading />;
  const { state } = round;
  const rating = categories.filter((c) => c.weight !== 0);
  const codeRows = rating.map((c) => {
    const n = round.codes.find((x) => x.category === c.categoryKey);
    return {
      key: c.categoryKey,
      label: c.categoryLabel,
      expected: c.expected,
      issued: n?.issued ?? 0,
      used: n?.used ?? 0,
    };
  });
  const canIssue = canManage && (state === 'draft' || state === 'open');
  const canPaper = canManage && ['draft', 'open', 'closed'].includes(state);
  const paperOf = (key: string) => paper[key] ?? { issued: 0, collected: 0 };
  const setPaperOf = (key: string, field: 'issued' | 'collected', v: number | null) =>
    setPaper((p) => ({ ...p, [key]: { ...paperOf(key), [field]: v ?? 0 } }));

  return (
    <Card
      size="small"
      title={
        <Space>
          <span>
            {MODE_LABELS[round.mode]}测评 #{round.id}
          </span>
          <Tag color={STATE_COLORS[state]}>{round.stateLabel}</Tag>
          {round.mode === 'rehearsal' && <Typography.Text type="secondary">演练数据不计入结果</Typography.Text>}
        </Space>
      }
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          刷新
        </Button>
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              label: '会场码',
              children: (
                <Typography.Text strong copyable data-testid="room-code">
                  {round.roomCode}
                </Typography.Text>
              ),
            },
            { label: '签到人数', children: round.attendees ?? '—' },
            { label: '开始投票', children: fmt(round.openedAt) },
          ]}
        />

        {canManage && (
          <Space wrap>
            {state === 'draft' && (
              <Popconfirm
                title="确定开始投票？"
                description="开始后本轮的匿名设置（最少分组人数等）即冻结，不能再改。"
                okText="开始投票"
                onConfirm={() => act(() => ballotsApi.open(roundId), '已开始投票')}
              >
                <Button type="primary" loading={busy} data-testid="open-voting">
                  开始投票
                </Button>
              </Popconfirm>
            )}
            {(state === 'draft' || state === 'open') && (
              <Popconfirm
                title="更换会场码？"
                description="旧会场码立即失效，请在会场公布新码。"
                okText="更换"
                onConfirm={() => act(() => ballotsApi.rotateRoomCode(roundId), '已更换会场码')}
              >
                <Button loading={busy}>更换会场码</Button>
              </Popconfirm>
            )}
            {state === 'open' && (
              <>
                <InputNumber
                  min={0}
                  max={100000}
                  placeholder="签到人数（可选）"
                  value={attendees}
                  onChange={(v) => setAttendees(v)}
                  style={{ width: 170 }}
                  data-testid="close-attendees"
                />
                <Popconfirm
                  title="确定结束投票？"
                  description="结束后手机端不能再投票。签到人数不填则取会议签到登记的人数。"
                  okText="结束投票"
                  okButtonProps={{ danger: true }}
                  onConfirm={() => act(() => ballotsApi.close(roundId, attendees ?? undefined), '已结束投票')}
                >
                  <Button danger loading={busy} data-testid="close-voting">
                    结束投票
                  </Button>
                </Popconfirm>
              </>
            )}
            {round.mode === 'rehearsal' && state !== 'purged' && (
              <Popconfirm
                title="清除本轮演练数据？"
                description="本轮演练的全部选票将被删除，不能恢复。"
                okText="清除"
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  act(async () => {
                    const out = await ballotsApi.purge(roundId);
                    notify.success(`已清除 ${out.ballots} 张演练选票`);
                  })
                }
              >
                <Button danger icon={<DeleteOutlined />} loading={busy}>
                  清除演练数据
                </Button>
              </Popconfirm>
            )}
          </Space>
        )}

        {canIssue && <VoteAddressWarning warning={voteWarning} />}
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={codeRows}
          title={() => '投票码（按参评人员类别）'}
          locale={{ emptyText: <Empty description="本次考核未设置参加测评的人员类别" /> }}
          columns={[
            { title: '类别', dataIndex: 'label' },
            { title: '应到人数', dataIndex: 'expected', width: 100 },
            { title: '已发放', dataIndex: 'issued', width: 100 },
            { title: '已使用', dataIndex: 'used', width: 100 },
            {
              title: '纸质表发放',
              key: 'pi',
              width: 110,
              render: (_: unknown, row: (typeof codeRows)[number]) =>
                canPaper ? (
                  <InputNumber
                    min={0}
                    max={100000}
                    value={paperOf(row.key).issued}
                    style={{ width: 80 }}
                    onChange={(v) => setPaperOf(row.key, 'issued', v)}
                    data-testid={`paper-issued-${row.key}`}
                  />
                ) : (
                  paperOf(row.key).issued
                ),
            },
            {
              title: '纸质表收回',
              key: 'pc',
              width: 110,
              render: (_: unknown, row: (typeof codeRows)[number]) =>
                canPaper ? (
                  <InputNumber
                    min={0}
                    max={100000}
                    value={paperOf(row.key).collected}
                    style={{ width: 80 }}
                    onChange={(v) => setPaperOf(row.key, 'collected', v)}
                    data-testid={`paper-collected-${row.key}`}
                  />
                ) : (
                  paperOf(row.key).collected
                ),
            },
            ...(canIssue
              ? [
                  {
                    title: '生成投票码',
                    key: 'issue',
                    width: 300,
                    render: (_: unknown, row: (typeof codeRows)[number]) => {
                      const count = counts[row.key] ?? (row.expected || null);
                      return (
                        <Space>
                          <InputNumber
                            min={1}
                            max={2000}
                            value={count}
                            placeholder="张数"
                            style={{ width: 90 }}
                            onChange={(v) => setCounts((c) => ({ ...c, [row.key]: v }))}
                          />
                          <Popconfirm
                            title={`生成「${row.label}」投票码？`}
                            description={
                              row.issued
                                ? `将作废此类别已发放的 ${row.issued} 个投票码（含未使用的），旧投票条不能再用。`
                                : '将下载可打印的投票条 PDF。'
                            }
                            okText="生成并下载"
                            okButtonProps={{ disabled: !count }}
                            onConfirm={() =>
                              act(() => ballotsApi.issueCodes(roundId, row.key, count ?? 0), '投票码已生成，请打印 PDF')
                            }
                          >
                            <Button icon={<PrinterOutlined />} disabled={!count} loading={busy}>
                              生成并打印测评码
                            </Button>
                          </Popconfirm>
                        </Space>
                      );
                    },
                  },
                ]
              : []),
          ]}
        />

        {canPaper && (
          <Button
            loading={busy}
            data-testid="paper-counts-save"
            onClick={() =>
              act(
                () =>
                  ballotsApi.paperCounts(
                    roundId,
                    Object.fromEntries(codeRows.map((row) => [row.key, paperOf(row.key)])),
                  ),
                '纸质表数量已保存',
              )
            }
          >
            保存纸质表数量
          </Button>
        )}

        {state !== 'purged' && (
          <PaperTallyPanel
            meetingId={meetingId}
            roundId={roundId}
            reporters={reporters}
            editable={canPaper}
            categories={rating.map((c) => ({ key: c.categoryKey, label: c.categoryLabel }))}
            onChanged={() => void load()}
          />
        )}

        {recon && <ReconciliationView recon={recon} round={round} />}
        {round.secrecy && (
          // What the close did so that no ballot can be traced to its slip, and what the server keeps regardless.
          <Alert
            data-testid="secrecy-report"
            showIcon
            type={round.secrecy.warnings.length ? 'warning' : 'success'}
            message={`匿名保护：${round.secrecy.mixed}张手机选票已随机混合保存，${round.secrecy.walPurged ? '投票期间的数据库日志已清理' : '数据库日志未能清理'}`}
            description={
              round.secrecy.warnings.length ? (
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {round.secrecy.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}

        {state === 'closed' && canManage && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea
              rows={3}
              maxLength={2000}
              showCount
              value={explanation}
              onChange={(e) => setExplanation(e.target.value)}
              placeholder="核对不一致时须填写情况说明（如有人领码未投、纸质表未收回等）"
              data-testid="release-explanation"
            />
            <Popconfirm
              title="确定发布结果？"
              description="发布后结果即可查看和导出；计票数超过发放数的，本轮测评作废。"
              okText="发布"
              onConfirm={() =>
                act(async () => {
                  const out = await ballotsApi.release(roundId, explanation.trim() || undefined);
                  if (out.state === 'void') notify.warning('计票数超过发放数，本轮测评作废');
                  else notify.success('结果已发布');
                })
              }
            >
              <Button type="primary" loading={busy} data-testid="release-results">
                发布结果
              </Button>
            </Popconfirm>
          </Space>
        )}

        {state === 'void' && (
          <Alert
            type="error"
            showIcon
            message="本轮测评因计票数超过投票码发放数与纸质表收回数之和，已作废，没有结果。"
          />
        )}
        {results && <ResultsView results={results} roundId={roundId} />}
      </Space>
    </Card>
  );
}

function ReconciliationView({ recon, round }: { recon: Reconciliation; round: BallotRoundDetail }) {
  const issued = recon.codes.reduce((s, c) => s + c.issued, 0);
  const used = recon.codes.reduce((s, c) => s + c.used, 0);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>计票核对</Typography.Text>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { label: '投票码发放', children: issued },
          { label: '投票码使用', children: used },
          { label: '签到人数', children: round.attendees ?? '—' },
        ]}
      />
      <Table
        size="small"
        rowKey="reporterId"
        pagination={false}
        dataSource={recon.reporters}
        data-testid="reconciliation"
        columns={[
          { title: '述职对象', dataIndex: 'name' },
          { title: '计票数', dataIndex: 'ballotsCounted', width: 100 },
          {
            title: '核对情况',
            key: 'm',
            render: (_: unknown, r) =>
              r.void ? (
                <Tag color="error">计票数超出，测评无效</Tag>
              ) : r.mismatches.length ? (
                <List
                  size="small"
                  split={false}
                  dataSource={r.mismatches}
                  renderItem={(m) => (
                    <List.Item style={{ padding: 0 }}>
                      <Tag color="warning">{m.message}</Tag>
                    </List.Item>
                  )}
                />
              ) : (
                <Tag color="success">一致</Tag>
              ),
          },
        ]}
      />
      {round.explanation && <Alert type="info" message="情况说明" description={round.explanation} />}
    </Space>
  );
}

function ResultsView({ results, roundId }: { results: RoundResults; roundId: number }) {
  const columns: TableColumnsType<ReporterResult> = [
    { title: '排名', dataIndex: 'rank', width: 70 },
    {
      title: '述职对象',
      dataIndex: 'name',
      render: (v: string, r) => (
        <>
          {v}
          {r.downward && <Tag style={{ marginLeft: 4 }}>下评</Tag>}
        </>
      ),
    },
    { title: '有效票', key: 'valid', width: 80, render: (_, r) => r.overall.valid },
    ...GRADES.map((g) => ({
      title: GRADE_LABELS[g],
      key: g,
      width: 120,
      render: (_: unknown, r: ReporterResult) => `${r.overall.counts[g]}（${r.overall.percents[g].toFixed(1)}%）`,
    })),
    {
      title: '一般+差 占比',
      key: 'ap',
      width: 120,
      render: (_, r) => `${r.overall.averageOrPoor}（${r.overall.averageOrPoorPercent.toFixed(1)}%）`,
    },
    { title: '平均分（不分类别）', dataIndex: 'score', width: 130, render: (v: number) => v.toFixed(2) },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text strong>测评结果{results.round.mode === 'rehearsal' ? '（演练）' : ''}</Typography.Text>
        <Button icon={<FileExcelOutlined />} onClick={() => ballotsApi.downloadResults(roundId).catch(() => {})}>
          导出 Excel
        </Button>
      </Space>
      <Table<ReporterResult>
        size="small"
        rowKey="reporterId"
        dataSource={results.results}
        columns={columns}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="ballot-results"
      />
      <Typography.Text type="secondary">{results.note}</Typography.Text>
      <Typography.Text type="secondary" data-testid="score-formula">
        {results.scoreFormula.unweighted}
        {results.scoreFormula.weighted}
      </Typography.Text>
    </Space>
  );
}
