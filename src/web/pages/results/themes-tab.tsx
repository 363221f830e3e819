import { Alert, App, Button, Card, Empty, List, Progress, Select, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { type KeyContentSuggestions, type ReporterThemes, themesApi, type ThemesOverview } from '../../api/themes';
import { paged } from '../../lib/query';
import { useEChart } from '../../lib/use-echart';

type Theme = NonNullable<ThemesOverview['result']>['themes'][number];

/** Top themes as horizontal bars; a click picks the theme for the drill-down. */
function ThemesChart({ themes, onPick }: { themes: Theme[]; onPick: (id: number) => void }) {
  const option = useMemo(() => {
    const top = themes.slice(0, 15).reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: top.map((t) => t.label), axisLabel: { width: 220, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          name: '意见条数',
          data: top.map((t) => ({ value: t.count, id: t.id })),
          itemStyle: { color: '#c8161d' },
          label: { show: true, position: 'right' },
        },
      ],
    };
  }, [themes]);
  const el = useEChart(option, (p) => onPick((p.data as { id: number }).id));
  return (
    <div
      ref={el}
      style={{ width: '100%', height: Math.max(160, Math.min(themes.length, 15) * 28 + 24) }}
      data-testid="themes-chart"
      role="img"
      aria-label="意见主题分布"
    />
  );
}

const Quotes = ({ quotes }: { quotes: string[] }) => (
  <List
    size="small"
    dataSource={quotes}
    renderItem={(q) => <List.Item>“{q}”</List.Item>}
    locale={{ emptyText: '无引文' }}
  />
);

/** One reporter's themes with tags and shuffled quotes; the organizer also turns a theme into a draft item. */
export function ReporterThemeList({
  reporter,
  onDraft,
}: {
  reporter: ReporterThemes;
  onDraft?: (themeId: number) => void;
}) {
  return (
    <List
      data-testid="reporter-themes"
      header={
        <Typography.Text>
          {reporter.total}条意见，{reporter.noProblem}条无具体问题
          {reporter.copies.some((c) => c.suspicious) ? '；有内容雷同的意见' : ''}
        </Typography.Text>
      }
      dataSource={reporter.themes}
      locale={{ emptyText: '没有达到最小分组人数、可以归纳的具体意见' }}
      renderItem={(t) => (
        <List.Item
          actions={
            onDraft
              ? [
                  <Button key="d" size="small" onClick={() => onDraft(t.id)}>
                    生成整改草稿
                  </Button>,
                ]
              : []
          }
        >
          <List.Item.Meta
            title={`${t.label}（${t.count}条）`}
            description={
              <>
                <Space wrap>
                  {t.tags.map((x) => (
                    <Tag key={x.tag}>{x.tag}</Tag>
                  ))}
                </Space>
                <Quotes quotes={t.quotes} />
              </>
            }
          />
        </List.Item>
      )}
    />
  );
}

/** 意见归纳 (R-VOTE-6): the organizer groups the released free texts, reads the top themes and each reporter's. */
export function ThemesTab({ campaignId, canManage }: { campaignId: number; canManage: boolean }) {
  const { message } = App.useApp();
  const [roundId, setRoundId] = useState<number | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const [orgId, setOrgId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [suggestions, setSuggestions] = useState<KeyContentSuggestions | null>(null);

  const overview = useQuery({
    queryKey: ['themes', campaignId, roundId],
    queryFn: ({ signal }) => themesApi.overview(campaignId, roundId, signal),
    // The job runs in the background; its progress is read again every second until it ends.
    refetchInterval: (query) => (query.state.data?.job?.state === 'running' ? 1000 : false),
    ...paged,
  });
  const data: ThemesOverview | null = overview.data ?? null;
  const running = data?.job?.state === 'running';
  const load = () => overview.refetch();
  const jobId = data?.result?.jobId;
  const shown = !!orgId && !!data?.result;
  const reporterQuery = useQuery({
    queryKey: ['themes-reporter', campaignId, orgId, roundId, jobId],
    queryFn: ({ signal }) => themesApi.reporter(campaignId, orgId!, roundId, { signal }),
    enabled: shown,
    ...paged,
  });
  const reporter: ReporterThemes | null = shown ? (reporterQuery.data ?? null) : null;

  const start = async () => {
    setBusy(true);
    try {
      await themesApi.start(campaignId, roundId);
      await load();
    } finally {
      setBusy(false);
    }
  };
  const draft = async (themeId: number) => {
    if (!orgId) return;
    try {
      await themesApi.draft(campaignId, orgId, themeId, roundId);
      message.success('已生成整改事项草稿，待该组织书记在“问题来源”中采纳、合并或不采纳');
    } catch {
      /* the client shows the server's message */
    }
  };

  const r = data?.result ?? null;
  const theme = r?.themes.find((t) => t.id === picked) ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="themes-tab">
      <Space wrap>
        <Select
          style={{ minWidth: 240 }}
          value={roundId ?? 0}
          onChange={(v) => {
            setRoundId(v || null);
            setPicked(null);
          }}
          options={[
            { value: 0, label: '全部（测评意见、点评、实地考核记录）' },
            ...(data?.rounds ?? []).map((x) => ({ value: x.id, label: `${x.title}（测评意见）` })),
          ]}
        />
        {canManage && (
          <Button type="primary" loading={busy || running} onClick={start}>
            {r ? '重新归纳' : '生成意见归纳'}
          </Button>
        )}
        <Button disabled={!r} onClick={() => themesApi.xlsx(campaignId, roundId)}>
          导出全部主题（.xlsx）
        </Button>
      </Space>
      {running && <Progress percent={data?.job?.progress ?? 0} status="active" aria-label="归纳进度" />}
      {data?.job?.state === 'failed' && <Alert type="error" showIcon message={data.job.error ?? '意见归纳失败'} />}
      <Typography.Text type="secondary">
        只归纳已公布结果、且达到最小分组人数的测评意见；引文随机排列，不含票号、时间和填写人。
      </Typography.Text>
      {!r ? (
        <Empty description="尚未归纳" />
      ) : (
        <>
          <Typography.Text>
            共{r.total}条意见（测评{r.sources.ballot}、点评{r.sources.comment}、实地考核{r.sources.field}），其中
            {r.noProblem}条无具体问题；归纳为{r.themes.length + r.more}个主题，{r.other.count}条未归类。
          </Typography.Text>
          {r.copies.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message="内容雷同的意见（可能存在串通、刷票）"
              description={r.copies
                .map((c) => `“${c.text}”×${c.count}（${c.reporters.map((x) => x.orgName).join('、')}）`)
                .join('；')}
            />
          )}
          <Card size="small" title="主要问题主题（点击查看引文）">
            <ThemesChart themes={r.themes} onPick={setPicked} />
          </Card>
          {theme && (
            <Card size="small" title={`${theme.label}（${theme.count}条）`} data-testid="theme-detail">
              <Space wrap>
                {theme.tags.map((t) => (
                  <Tag key={t.tag}>
                    {t.tag} {t.count}
                  </Tag>
                ))}
              </Space>
              <Quotes quotes={theme.quotes} />
              <Typography.Text type="secondary">
                涉及：{theme.reporters.map((x) => `${x.orgName}（${x.count}）`).join('、')}
              </Typography.Text>
            </Card>
          )}
          {roundId === null && (
            <Card
              size="small"
              title="下年度重点内容建议"
              extra={
                <Button size="small" onClick={() => themesApi.suggestions(campaignId).then(setSuggestions)}>
                  生成建议
                </Button>
              }
            >
              {suggestions && (
                <List
                  size="small"
                  dataSource={suggestions.suggestions}
                  renderItem={(x) => (
                    <List.Item>
                      <Typography.Text copyable>{x.text}</Typography.Text>
                    </List.Item>
                  )}
                  locale={{ emptyText: '暂无多个单位共有的主题' }}
                />
              )}
            </Card>
          )}
          <Card size="small" title="各述职对象的意见归纳">
            <Space wrap>
              <Select
                showSearch
                optionFilterProp="label"
                placeholder="选择述职对象"
                style={{ minWidth: 260 }}
                value={orgId ?? undefined}
                onChange={setOrgId}
                options={r.reporters.map((x) => ({ value: x.orgId, label: `${x.orgName}（${x.total}条）` }))}
              />
              <Button disabled={!orgId} onClick={() => orgId && themesApi.docx(campaignId, orgId, roundId)}>
                下载群众评议意见归纳（.docx）
              </Button>
            </Space>
            {reporter && <ReporterThemeList reporter={reporter} onDraft={canManage ? draft : undefined} />}
          </Card>
        </>
      )}
    </Space>
  );
}
