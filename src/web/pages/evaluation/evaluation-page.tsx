import { CalculatorOutlined, DownloadOutlined, LockOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Input,
  Popconfirm,
  Result,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
  type TableColumnsType,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { MyThemesCard } from '../results/my-themes';
import { evaluationApi, type Evaluation, type EvaluationItem, type Grade, type MyResult } from '../../api/evaluation';
import { useUser } from '../../auth/auth-context';
import { useMeta } from '../../lib/meta';
import { notify } from '../../lib/notify';
import { useDebounced } from '../../lib/use-debounced';
import { DecisionModal, HistoryModal, InputModal, LockModal, OpinionModal, ReviewModal } from './dialogs';
import { COMPONENT_LABEL, COMPONENT_ORDER, GRADE_COLOR, GRADE_LABEL, GRADE_OPTIONS } from './labels';
import { OutputsPanel } from './outputs-panel';
import { NoAccess } from '../../components/no-access';
import { paged, useCampaign, useLastData } from '../../lib/query';
import { formatDateTimeProse } from '../../lib/time';

const GradeTag = ({ grade }: { grade: Grade | null }) =>
  grade ? <Tag color={GRADE_COLOR[grade]}>{GRADE_LABEL[grade]}</Tag> : <span>—</span>;

type Dialog = 'decision' | 'opinion' | 'input' | 'review' | 'history';
const FORBIDDEN = 'forbidden';

/** /campaigns/:id/evaluation — 综合评价 (R-GRADE-1…5); a secretary sees only their own result after the lock. */
export default function EvaluationPage() {
  // The guard let the user in for one of the two pages (permissions.pages); a reporting secretary has only myResult.
  const pages = useCampaign(Number(useParams().id)).data?.permissions.pages;
  if (!pages) return <Card loading />;
  return pages.evaluation ? <EvaluationView /> : <MyResultView />;
}

function MyResultView() {
  const campaignId = Number(useParams().id);
  const user = useUser();
  const mine = useQuery({
    queryKey: ['evaluation-mine', campaignId],
    queryFn: ({ signal }) => evaluationApi.mine(campaignId, signal),
  });
  const data: MyResult | null = mine.data ?? null;
  const error = mine.error;
  if (isApiError(error) && error.status === 403) return <NoAccess />;
  if (error) return <Result status="error" title={isApiError(error) ? error.message : '加载失败'} />;
  if (!data) return <Card loading />;
  if (!data.locked)
    return <Result status="info" title={data.orgName} subTitle={data.message} data-testid="mine-hidden" />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={`${data.orgName} 综合评价结果`} data-testid="mine-result">
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label="综合评价等次">
            <GradeTag grade={(data.finalGrade ?? null) as Grade | null} />
          </Descriptions.Item>
          <Descriptions.Item label="主要成绩">{data.opinion?.achievements ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="存在问题">{data.opinion?.problems ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="努力方向">{data.opinion?.direction ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <OutputsPanel campaignId={campaignId} locked />
      {user.orgId && <MyThemesCard campaignId={campaignId} orgId={user.orgId} />}
    </Space>
  );
}

function EvaluationView() {
  const campaignId = Number(useParams().id);
  const { sectorLabel } = useMeta();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [sector, setSector] = useState<string | undefined>();
  const [grade, setGrade] = useState<Grade | undefined>();
  const [autoPoor, setAutoPoor] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [computing, setComputing] = useState(false);
  const [dialog, setDialog] = useState<{ kind: Dialog; item: EvaluationItem } | null>(null);
  const [locking, setLocking] = useState(false);
  const query = { q, sector, grade, autoPoor, offset: (page - 1) * pageSize, limit: pageSize };
  const list = useQuery({
    queryKey: ['evaluation', campaignId, query],
    queryFn: ({ signal }) => evaluationApi.get(campaignId, query, signal),
    ...paged,
  });
  // Until an answer arrives the page keeps the last one (a failed reload leaves the table as it was).
  const data: Evaluation | null = useLastData(list.data) ?? null;
  const failure = list.error;
  const error = failure
    ? isApiError(failure)
      ? failure.status === 403
        ? FORBIDDEN
        : failure.message
      : '加载失败'
    : null;
  const loading = list.isFetching;
  const load = () => list.refetch();

  if (error && !data) return error === FORBIDDEN ? <NoAccess /> : <Result status="error" title={error} />;
  const locked = data?.state === 'locked';
  const manage = !!data?.can.manage && !locked;
  const review = !!data?.can.review && !locked;
  const weights = data?.weights ?? {};
  const weighted = COMPONENT_ORDER.filter((c) => (weights[c] ?? 0) > 0);
  const closeDialog = (saved?: boolean) => {
    setDialog(null);
    if (saved) load().catch(() => {});
  };
  const open = (kind: Dialog, item: EvaluationItem) => setDialog({ kind, item });

  const recompute = async () => {
    setComputing(true);
    try {
      const s = await evaluationApi.recompute(campaignId);
      notify.success(`已重新计算${s.n}个述职对象：${s.bins}`);
      await load();
    } finally {
      setComputing(false);
    }
  };

  const columns: TableColumnsType<EvaluationItem> = [
    { title: '排名', dataIndex: 'rank', width: 64, fixed: 'left' },
    {
      title: '党组织 / 书记',
      key: 'org',
      width: 220,
      fixed: 'left',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <span>{r.orgName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.secretaryName ?? '—'} · {sectorLabel(r.sector)} 第{r.sectorRank ?? '—'}名
          </Typography.Text>
        </Space>
      ),
    },
    ...weighted.map((c) => ({
      // The 测评得分 here weighs each evaluator category; the 测评结果 page's 平均分 does not (formulas under the table).
      title: c === 'ballots' ? `测评得分（按类别加权，${weights[c]}%）` : `${COMPONENT_LABEL[c]}（${weights[c]}%）`,
      key: c,
      width: c === 'ballots' ? 130 : 110,
      align: 'right' as const,
      render: (_: unknown, r: EvaluationItem) =>
        r.components[c] === null ? <Typography.Text type="secondary">缺</Typography.Text> : r.components[c]!.toFixed(2),
    })),
    {
      title: '综合得分',
      dataIndex: 'composite',
      width: 100,
      align: 'right',
      render: (v: number | null, r) => (
        <Tooltip
          title={
            <div>
              {r.formula}
              {r.formulaNote && <div style={{ marginTop: 4 }}>{r.formulaNote}</div>}
            </div>
          }
        >
          <b data-testid="composite">{v === null ? '—' : v.toFixed(2)}</b>
        </Tooltip>
      ),
    },
    {
      title: '测评票（好/较好/一般/差）',
      key: 'ballots',
      width: 150,
      render: (_, r) => (
        <span>
          {r.ballotCounts.good}/{r.ballotCounts.fair}/{r.ballotCounts.average}/{r.ballotCounts.poor}
          {r.averageOrPoorShare !== null && (
            <Typography.Text type="secondary">（一般+差 {(r.averageOrPoorShare * 100).toFixed(1)}%）</Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: '建议等次',
      key: 'suggested',
      width: 240,
      render: (_, r) => (
        <Space direction="vertical" size={2}>
          <Space size={4}>
            <GradeTag grade={r.suggestedGrade} />
            {r.autoPoorReasons.length > 0 && (
              <Tag color="red" data-testid="auto-poor">
                自动定为差
              </Tag>
            )}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.suggestionReasons.join('；')}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '确定等次',
      key: 'final',
      width: 260,
      render: (_, r) => {
        const final = (r.finalGrade ?? r.suggestedGrade) as Grade | null;
        const changed = r.finalGrade !== null && r.finalGrade !== r.suggestedGrade;
        return (
          <Space direction="vertical" size={2}>
            <Space size={4}>
              <GradeTag grade={final} />
              {changed && <Tag color="gold">已调整</Tag>}
              {manage && (
                <Button size="small" type="link" onClick={() => open('decision', r)} data-testid="decide">
                  调整
                </Button>
              )}
              {manage && changed && (
                <Popconfirm
                  title="恢复为建议等次？"
                  okText="恢复"
                  cancelText="取消"
                  onConfirm={async () => {
                    await evaluationApi.resetDecision(campaignId, r.reporterId);
                    await load();
                  }}
                >
                  <Button size="small" type="link">
                    恢复建议
                  </Button>
                </Popconfirm>
              )}
            </Space>
            {r.finalReason && <Typography.Text style={{ fontSize: 12 }}>理由：{r.finalReason}</Typography.Text>}
            {r.changes > 0 && (
              <Button size="small" type="link" style={{ padding: 0 }} onClick={() => open('history', r)}>
                调整记录（{r.changes}）
              </Button>
            )}
          </Space>
        );
      },
    },
    {
      title: '党委成员表态',
      key: 'reviews',
      width: 160,
      render: (_, r) => (
        <Space direction="vertical" size={2}>
          {r.reviews.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
          {r.reviews.map((v) => (
            <Tooltip key={v.userId} title={v.note}>
              <Tag color={v.stance === 'agree' ? 'green' : 'orange'}>
                {v.userName}：{v.stance === 'agree' ? '同意' : '有疑问'}
              </Tag>
            </Tooltip>
          ))}
          {review && (
            <Button size="small" type="link" style={{ padding: 0 }} onClick={() => open('review', r)}>
              表态
            </Button>
          )}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 150,
      fixed: 'right',
      render: (_, r) => (
        <Space size={0} wrap>
          <Button
            size="small"
            type="link"
            onClick={() => open('opinion', r)}
            disabled={!manage && !r.opinion.achievements}
          >
            {manage ? '评价意见' : '查看意见'}
          </Button>
          {manage && (
            <Button size="small" type="link" onClick={() => open('input', r)}>
              录入
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const summary = data?.summary;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to="/campaigns">述职评议考核</Link> },
          { title: <Link to={`/campaigns/${campaignId}`}>{data?.campaign.title ?? '…'}</Link> },
          { title: '综合评价' },
        ]}
      />
      <Card
        title={
          <Space>
            <Typography.Title level={4} style={{ margin: 0 }}>
              综合评价
            </Typography.Title>
            {locked ? (
              <Tag color="red" icon={<LockOutlined />} data-testid="eval-state">
                已锁定
              </Tag>
            ) : (
              <Tag data-testid="eval-state">{data?.state === 'open' ? '研究中' : '未计算'}</Tag>
            )}
          </Space>
        }
        extra={
          data?.can.manage &&
          !locked && (
            <Space wrap>
              <Button icon={<DownloadOutlined />} onClick={() => evaluationApi.inputsTemplate(campaignId)}>
                下载录入表
              </Button>
              <Upload
                accept=".xlsx"
                showUploadList={false}
                customRequest={async ({ file }) => {
                  try {
                    const res = await evaluationApi.importInputs(campaignId, file as Blob);
                    notify.success(`已导入${res.saved}条，重新计算后生效`);
                    await load();
                  } catch (e) {
                    notify.error(isApiError(e) ? e.message : '导入失败');
                  }
                }}
              >
                <Button icon={<UploadOutlined />}>导入平时掌握等</Button>
              </Upload>
              <Popconfirm
                title="重新计算综合评价？"
                okText="计算"
                cancelText="取消"
                description="按当前测评、考核、调查和录入数据重新计算得分、排名和建议等次；已确定的等次、理由和意见保留。"
                onConfirm={recompute}
              >
                <Button type="primary" icon={<CalculatorOutlined />} loading={computing} data-testid="recompute">
                  {computing ? '正在计算…' : '重新计算'}
                </Button>
              </Popconfirm>
              <Button
                danger
                icon={<LockOutlined />}
                onClick={() => setLocking(true)}
                disabled={!summary}
                data-testid="lock"
              >
                锁定结果
              </Button>
            </Space>
          )
        }
      >
        {locked && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="locked-banner"
            message={
              `综合评价结果已于${formatDateTimeProse(data!.lockedAt!)}锁定${data!.decisionNote ? `（${data!.decisionNote}）` : ''}，不能再修改。` +
              (data!.lowerShareStated !== null
                ? `党委确定“较好”及以下等次比例不低于${Math.round(data!.lowerShareStated * 1000) / 10}%。`
                : '')
            }
          />
        )}
        {!summary && data && (
          <Empty description={data.can.manage ? '尚未计算，请点击“重新计算”' : '尚未计算综合评价'} />
        )}
        {summary && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              综合得分 = {weighted.map((c) => `${COMPONENT_LABEL[c]}×${weights[c]}%`).join(' + ')}
              ；缺少某项得分的，其余各项按原比例折算。{summary.rankNote}（{formatDateTimeProse(summary.computedAt)}
              计算，{summary.n}个述职对象，已发布测评{summary.releasedRounds}轮）
            </Typography.Text>
            {weights.ballots ? (
              <Typography.Text type="secondary" data-testid="ballot-formula">
                {data!.ballotFormula.weighted}
                {data!.ballotFormula.unweighted}
              </Typography.Text>
            ) : null}
            <div data-testid="quota-bins">
              <Space wrap>
                <b>等次比例：</b>
                <span data-testid="bins-text">{data!.current.bins}</span>
                {data!.current.checks.map((c) => (
                  <Tag key={c.label} color={c.ok ? 'green' : c.hard ? 'red' : 'orange'}>
                    {c.label}：{c.message}
                    {c.hard ? '' : '（参考）'}
                  </Tag>
                ))}
                <span>
                  当前：{GRADE_OPTIONS.map((g) => `${g.label}${data!.current.counts[g.value] ?? 0}个`).join('，')}
                </span>
                {summary.autoPoor > 0 && <Tag color="red">自动定为差 {summary.autoPoor} 个</Tag>}
              </Space>
            </div>
            {summary.unmet && <Alert type="warning" showIcon message={summary.unmet} data-testid="quota-unmet" />}
          </Space>
        )}
      </Card>
      {data && data.state !== 'none' && <OutputsPanel campaignId={campaignId} locked={locked} />}
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="党组织名称或编码"
            value={term}
            style={{ width: 240 }}
            onChange={(e) => {
              setTerm(e.target.value);
              setPage(1);
            }}
          />
          <Select
            allowClear
            placeholder="领域"
            style={{ width: 140 }}
            value={sector}
            options={(data?.sectors ?? []).map((s) => ({ value: s, label: sectorLabel(s) }))}
            onChange={(v) => {
              setSector(v);
              setPage(1);
            }}
          />
          <Select
            allowClear
            placeholder="等次"
            style={{ width: 120 }}
            value={grade}
            options={GRADE_OPTIONS}
            onChange={(v) => {
              setGrade(v);
              setPage(1);
            }}
          />
          <Checkbox
            checked={autoPoor}
            onChange={(e) => {
              setAutoPoor(e.target.checked);
              setPage(1);
            }}
          >
            仅看自动定为差
          </Checkbox>
        </Space>
        <Table
          rowKey="reporterId"
          size="small"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          scroll={{ x: 1700 }}
          data-testid="evaluation-table"
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            onChange: (p, s) => {
              setPage(p);
              setPageSize(s);
            },
            showTotal: (n) => `共 ${n} 个述职对象`,
          }}
        />
      </Card>
      <DecisionModal
        campaignId={campaignId}
        item={dialog?.kind === 'decision' ? dialog.item : null}
        onClose={closeDialog}
      />
      {dialog?.kind === 'opinion' &&
        (manage ? (
          <OpinionModal campaignId={campaignId} item={dialog.item} onClose={closeDialog} />
        ) : (
          <OpinionView item={dialog.item} onClose={() => closeDialog()} />
        ))}
      <InputModal campaignId={campaignId} item={dialog?.kind === 'input' ? dialog.item : null} onClose={closeDialog} />
      <ReviewModal
        campaignId={campaignId}
        item={dialog?.kind === 'review' ? dialog.item : null}
        onClose={closeDialog}
      />
      <HistoryModal
        campaignId={campaignId}
        item={dialog?.kind === 'history' ? dialog.item : null}
        onClose={() => closeDialog()}
      />
      <LockModal
        campaignId={campaignId}
        open={locking}
        onClose={(done) => {
          setLocking(false);
          if (done) load().catch(() => {});
        }}
      />
    </Space>
  );
}

function OpinionView({ item, onClose }: { item: EvaluationItem; onClose: () => void }) {
  return (
    <Card
      size="small"
      title={`综合评价意见：${item.orgName}`}
      extra={
        <Button size="small" onClick={onClose}>
          关闭
        </Button>
      }
      style={{ position: 'fixed', right: 24, bottom: 24, width: 480, zIndex: 1000 }}
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label="主要成绩">{item.opinion.achievements ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="存在问题">{item.opinion.problems ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="努力方向">{item.opinion.direction ?? '—'}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
