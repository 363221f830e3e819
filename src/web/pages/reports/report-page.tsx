import {
  CheckCircleFilled,
  CloseCircleFilled,
  DownloadOutlined,
  ExclamationCircleFilled,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  List,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
  Upload,
  type ButtonProps,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import { sectionHtml } from '../../../domain/rich-text';
import { countChars } from '../../../domain/word-count';
import { isApiError } from '../../api/client';
import {
  reportsApi,
  type CheckResult,
  type DiffRow,
  type Place,
  type ReportView,
  type ReviewAction,
  type Section,
} from '../../api/reports';
import { notify } from '../../lib/notify';
import { ACTION_LABELS, DueTag, formatSize, formatTime, StateTag } from './labels';
import { RichEditor, type RichEditorHandle } from './rich-editor';
import './reports.css';
import { formatDateProse } from '../../lib/time';
import { useDebounced } from '../../lib/use-debounced';

const LEVEL_ICON = {
  pass: <CheckCircleFilled style={{ color: '#52c41a' }} />,
  advice: <ExclamationCircleFilled style={{ color: '#faad14' }} />,
  blocker: <CloseCircleFilled style={{ color: '#ff4d4f' }} />,
};
const LEVEL_TAG = {
  pass: null,
  advice: <Tag color="warning">建议</Tag>,
  blocker: <Tag color="error">须修改后提交</Tag>,
};

/** The editor works on every slot of the campaign plus anything an upload brought in. */
function editorSections(view: ReportView): Section[] {
  const byKey = new Map(view.report.sections.map((s) => [s.key, s]));
  const fromSlots = view.slots.map(
    (slot) => byKey.get(slot.key) ?? { key: slot.key, title: slot.key === 'preamble' ? '' : slot.title, text: '' },
  );
  const extra = view.report.sections.filter((s) => !view.slots.some((slot) => slot.key === s.key));
  return [...fromSlots, ...extra];
}

const totalChars = (sections: Section[]) =>
  sections.filter((s) => s.text.trim()).reduce((n, s) => n + countChars(s.title) + countChars(s.text), 0);

function ChecksPanel({
  checks,
  onPlace,
  loading,
}: {
  checks: CheckResult[] | null;
  onPlace: (p: Place) => void;
  loading: boolean;
}) {
  if (!checks) return null;
  const order = { blocker: 0, advice: 1, pass: 2 };
  const sorted = [...checks].sort((a, b) => order[a.level] - order[b.level]);
  return (
    <Card size="small" title={<Space>自动检查{loading && <Spin size="small" />}</Space>} data-testid="report-checks">
      <List
        size="small"
        dataSource={sorted}
        renderItem={(c) => (
          <List.Item data-testid={`check-${c.id}`} data-level={c.level} style={{ display: 'block' }}>
            <Space align="start">
              {LEVEL_ICON[c.level]}
              <span>
                {c.message} {LEVEL_TAG[c.level]}
              </span>
            </Space>
            {!!c.places?.length && (
              <div style={{ marginTop: 4, marginInlineStart: 22 }}>
                {c.places.slice(0, 5).map((p, i) => (
                  <Button
                    // biome-ignore lint/suspicious/noArrayIndexKey: a check's places are a fixed answer, never reordered
                    key={i}
                    size="small"
                    type="link"
                    onClick={() => onPlace(p)}
                    style={{ paddingInline: 4, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
                  >
                    定位：{p.excerpt || '（该部分）'}
                  </Button>
                ))}
                {c.places.length > 5 && <Typography.Text type="secondary">等{c.places.length}处</Typography.Text>}
              </div>
            )}
          </List.Item>
        )}
      />
    </Card>
  );
}

function VersionsTab({ view }: { view: ReportView }) {
  const [pair, setPair] = useState<[number | null, number | null]>([null, null]);
  const [rows, setRows] = useState<DiffRow[] | null>(null);
  const options = [
    { value: 0, label: '当前稿' },
    ...view.versions.map((v) => ({ value: v.versionNo, label: `第${v.versionNo}版` })),
  ];
  const name = `${view.reporter.orgName}述职报告`;
  const compare = async () => {
    if (pair[0] === null || pair[1] === null) return;
    setRows((await reportsApi.diff(view.report.id, pair[0], pair[1])).rows);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        size="small"
        rowKey="versionNo"
        pagination={false}
        dataSource={view.versions}
        locale={{ emptyText: '尚无版本：上传Word文件或提交后生成' }}
        columns={[
          { title: '版本', dataIndex: 'versionNo', render: (v) => `第${v}版` },
          {
            title: '来源',
            dataIndex: 'reason',
            render: (r, v) => (r === 'upload' ? `上传 ${v.fileName ?? ''}` : '提交'),
          },
          { title: '字数', dataIndex: 'charCount' },
          { title: '时间', dataIndex: 'createdAt', render: formatTime },
          {
            title: '未识别的标题',
            dataIndex: 'unknownHeadings',
            render: (h: string[]) =>
              h.length
                ? h.map((x) => (
                    <Tag key={x} color="warning">
                      {x}
                    </Tag>
                  ))
                : '—',
          },
          {
            title: '下载',
            render: (_, v) => (
              <Button
                size="small"
                icon={<DownloadOutlined />}
                onClick={() => reportsApi.downloadDocx(view.report.id, v.versionNo, name)}
              >
                Word
              </Button>
            ),
          },
        ]}
      />
      <Space wrap>
        <span>比较</span>
        <Select
          style={{ width: 120 }}
          options={options}
          value={pair[0]}
          onChange={(v) => setPair([v, pair[1]])}
          placeholder="旧版本"
        />
        <span>与</span>
        <Select
          style={{ width: 120 }}
          options={options}
          value={pair[1]}
          onChange={(v) => setPair([pair[0], v])}
          placeholder="新版本"
        />
        <Button onClick={compare} disabled={pair[0] === null || pair[1] === null || pair[0] === pair[1]}>
          比较
        </Button>
      </Space>
      {rows && (
        <Table
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={rows.filter((r) => r.kind !== 'same')}
          locale={{ emptyText: '两个版本内容相同' }}
          columns={[
            { title: '旧', dataIndex: 'left', render: (t) => (t ? <span className="diff-old">{t}</span> : '') },
            { title: '新', dataIndex: 'right', render: (t) => (t ? <span className="diff-new">{t}</span> : '') },
          ]}
        />
      )}
    </Space>
  );
}

function AttachmentsTab({ view, reload }: { view: ReportView; reload: () => void }) {
  const { allowed, maxSizeMb } = view.rules.attachments;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {!allowed && <Alert type="info" title="本次述职评议考核不接收附件" />}
      {allowed && view.can.edit && (
        <Upload
          showUploadList={false}
          customRequest={async ({ file, onSuccess, onError }) => {
            try {
              await reportsApi.uploadAttachment(view.report.id, file as File);
              notify.success('附件已上传');
              onSuccess?.({});
              reload();
            } catch (e) {
              onError?.(e as Error);
            }
          }}
        >
          <Button icon={<UploadOutlined />}>上传附件（幻灯片、视频等，单个不超过{maxSizeMb}MB）</Button>
        </Upload>
      )}
      <List
        size="small"
        dataSource={view.attachments}
        locale={{ emptyText: '无附件' }}
        renderItem={(a) => (
          <List.Item
            actions={[
              <Button
                key="d"
                size="small"
                onClick={() => reportsApi.downloadAttachment(view.report.id, a.id, a.fileName)}
              >
                下载
              </Button>,
              ...(view.can.edit
                ? [
                    <Popconfirm
                      key="r"
                      title="删除这个附件？"
                      onConfirm={async () => {
                        await reportsApi.removeAttachment(view.report.id, a.id);
                        reload();
                      }}
                    >
                      <Button size="small" danger>
                        删除
                      </Button>
                    </Popconfirm>,
                  ]
                : []),
            ]}
          >
            {a.fileName}（{formatSize(a.size)}）
          </List.Item>
        )}
      />
    </Space>
  );
}

function RectificationTab({ view, reload }: { view: ReportView; reload: () => void }) {
  const [ref, setRef] = useState('');
  const [text, setText] = useState('');
  const canManage = view.can.manageItems;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert
        type="info"
        title="上年度未完成的整改事项须在报告中逐项回应（可写明编号，如“针对ZG-2024-01……”）。整改模块上线前，由听取述职的党组织管理员在此录入。"
      />
      <List
        size="small"
        dataSource={view.rules.rectificationItems}
        locale={{ emptyText: '没有需要回应的上年度整改事项' }}
        renderItem={(i) => (
          <List.Item
            actions={
              canManage
                ? [
                    <Popconfirm
                      key="r"
                      title="删除这个整改事项？"
                      onConfirm={async () => {
                        await reportsApi.removeRectItem(view.report.reporterId, i.id);
                        reload();
                      }}
                    >
                      <Button size="small" danger>
                        删除
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            {i.reference && <Tag>{i.reference}</Tag>}
            {i.text}
          </List.Item>
        )}
      />
      {canManage && (
        <Space.Compact style={{ width: '100%' }}>
          <Input
            style={{ width: 160 }}
            placeholder="编号（可选）"
            value={ref}
            onChange={(e) => setRef(e.target.value)}
            maxLength={50}
          />
          <Input placeholder="整改事项内容" value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} />
          <Button
            type="primary"
            disabled={text.trim().length < 2}
            onClick={async () => {
              await reportsApi.addRectItem(view.report.reporterId, {
                reference: ref.trim() || null,
                text: text.trim(),
              });
              setRef('');
              setText('');
              reload();
            }}
          >
            添加
          </Button>
        </Space.Compact>
      )}
      <Typography.Title level={5}>年度重点内容</Typography.Title>
      <ol style={{ paddingInlineStart: 20 }}>
        {view.rules.keyContentItems.map((k) => (
          <li key={k.id}>{k.title}</li>
        ))}
      </ol>
    </Space>
  );
}

function ReviewPanel({ view, onDone }: { view: ReportView; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<ReviewAction | null>(null);
  const act = async (action: ReviewAction) => {
    setBusy(action);
    try {
      await reportsApi.transition(view.report.id, action, comment);
      notify.success(`已${ACTION_LABELS[action]}`);
      setComment('');
      onDone();
    } catch {
      // shown by the client
    } finally {
      setBusy(null);
    }
  };
  if (!view.can.review && !view.can.sign) return null;
  return (
    <Card size="small" title="审核意见" data-testid="review-panel">
      <Input.TextArea
        rows={3}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder="退回修改、责令重写须写明理由"
        maxLength={2000}
        data-testid="review-comment"
      />
      <Space style={{ marginTop: 8 }} wrap>
        {view.can.review && (
          <>
            <Button
              type="primary"
              loading={busy === 'approve'}
              onClick={() => act('approve')}
              data-testid="review-approve"
            >
              审核通过
            </Button>
            <Button
              loading={busy === 'return'}
              onClick={() => act('return')}
              disabled={comment.trim().length < 2}
              data-testid="review-return"
            >
              退回修改
            </Button>
            <Popconfirm
              title="责令重写后，书记须重新撰写报告。确定吗？"
              onConfirm={() => act('order_rewrite')}
              okButtonProps={{ 'data-testid': 'confirm-rewrite' } as ButtonProps}
            >
              <Button danger loading={busy === 'order_rewrite'} disabled={comment.trim().length < 2}>
                责令重写
              </Button>
            </Popconfirm>
          </>
        )}
        {view.can.sign && (
          <Button type="primary" loading={busy === 'sign'} onClick={() => act('sign')} data-testid="review-sign">
            审阅签字
          </Button>
        )}
      </Space>
    </Card>
  );
}

export default function ReportPage() {
  const { id } = useParams();
  const reportId = Number(id);
  const query = useQuery({
    queryKey: ['report', reportId],
    queryFn: ({ signal }) => reportsApi.get(reportId, signal),
    // The editor starts from the server's text on every visit (a cached copy would be replaced under the typing).
    gcTime: 0,
  });
  const view: ReportView | null = query.data ?? null;
  const error = query.error ? (isApiError(query.error) ? query.error.message : '加载失败') : null;
  const [sections, setSections] = useState<Section[]>([]);
  const [dirty, setDirty] = useState(false);
  const [liveChecks, setLiveChecks] = useState<CheckResult[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const editors = useRef(new Map<string, RichEditorHandle>());

  // Every answer (also an unchanged one) puts the saved text back in the editor and shows its saved checks; adjusted
  // while rendering, so the editor never shows the previous text for a frame.
  const [loadedAt, setLoadedAt] = useState(0);
  if (query.data && query.dataUpdatedAt !== loadedAt) {
    setLoadedAt(query.dataUpdatedAt);
    setSections(editorSections(query.data));
    setLiveChecks(query.data.checks?.results ?? null);
    setDirty(false);
  }
  const { refetch } = query;
  const load = useCallback(async () => {
    await refetch();
  }, [refetch]);

  // Checks follow the text as it is typed (debounced), so the secretary sees at once what they find. A newer text's
  // check replaces an older one still under way (the query cancels it); a failed check leaves the shown ones.
  const typed = useDebounced(sections, 700);
  const check = useQuery({
    queryKey: ['report-check', reportId, typed],
    queryFn: ({ signal }) => reportsApi.check(reportId, typed, signal),
    enabled: dirty && !!view?.can.edit && typed === sections,
    gcTime: 0,
  });
  const checking = check.isFetching;
  const [checkedAt, setCheckedAt] = useState(0);
  if (check.data && check.dataUpdatedAt !== checkedAt) {
    setCheckedAt(check.dataUpdatedAt);
    setLiveChecks(check.data.results);
  }

  const chars = useMemo(() => totalChars(sections), [sections]);

  if (error) return <Result status="warning" title={error} extra={<Link to="/reports">返回述职报告</Link>} />;
  if (!view) return <Spin style={{ display: 'block', margin: 48 }} />;

  const { report, reporter, deadline, can } = view;
  const limit = reporter.charLimit;
  const blocking = (liveChecks ?? []).some((c) => c.level === 'blocker');
  const update = (key: string, patch: Partial<Section>) => {
    setSections((all) => all.map((s) => (s.key === key ? { ...s, ...patch } : s)));
    setDirty(true);
  };
  const save = async () => {
    setSaving(true);
    try {
      await reportsApi.save(reportId, sections);
      notify.success('已保存');
      await load();
    } finally {
      setSaving(false);
    }
  };
  const submit = async () => {
    setSubmitting(true);
    try {
      if (dirty) await reportsApi.save(reportId, sections);
      await reportsApi.transition(reportId, 'submit', '');
      notify.success('已提交审核');
      await load();
    } catch {
      await load();
    } finally {
      setSubmitting(false);
    }
  };
  const goTo = (p: Place) => {
    const ed = editors.current.get(p.sectionKey);
    if (!ed?.locate(p.excerpt))
      document.getElementById(`section-${p.sectionKey}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  };
  const slotOf = (key: string) => view.slots.find((s) => s.key === key);
  const unknownHeadings = view.versions[0]?.reason === 'upload' ? view.versions[0].unknownHeadings : [];

  return (
    <div className="report-page">
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="report-title">
          {reporter.orgName} · 述职报告
        </Typography.Title>
        <StateTag state={report.state} label={report.stateLabel} />
        <DueTag
          dueDate={deadline.dueDate}
          daysLeft={deadline.daysLeft}
          overdue={deadline.overdue}
          submitted={!!report.submittedAt}
        />
        {report.onBehalf && <Tag color="purple">代表党组织述职（书记任职不足3个月）</Tag>}
        {report.publishedAt && <Tag color="green">已公开</Tag>}
        {report.publicToken && (
          <a
            href={`/p/reports/${report.publicToken}`}
            target="_blank"
            rel="noreferrer"
            data-testid="report-public-link"
          >
            公开链接
          </a>
        )}
      </Space>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="述职评议考核">{reporter.campaignTitle}</Descriptions.Item>
        <Descriptions.Item label="听取述职">{reporter.reportToName}</Descriptions.Item>
        <Descriptions.Item label="书记">{reporter.secretaryName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="述职评议会">
          {deadline.meetingDate ?? '待定'}
          {deadline.meetingSource === 'phase' ? '（按方案阶段）' : ''}
        </Descriptions.Item>
        <Descriptions.Item label="字数要求">{limit ? `${limit}字以内` : '不限'}</Descriptions.Item>
        <Descriptions.Item label="现场述职">
          {reporter.speakingMinutes ? `${reporter.speakingMinutes}分钟` : '—'}
        </Descriptions.Item>
      </Descriptions>
      {deadline.overdue && !view.rules.lateSubmissionAllowed && report.state === 'draft' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={`已超过报送截止日期（${formatDateProse(deadline.dueDate)}），本次述职评议考核不允许逾期报送，请联系审核人。`}
        />
      )}
      {view.events.length > 0 && ['returned', 'rewrite_ordered'].includes(report.state) && (
        <Alert
          type={report.state === 'rewrite_ordered' ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          title={`${report.stateLabel}：${view.events[view.events.length - 1]!.comment}`}
          data-testid="review-feedback"
        />
      )}
      {unknownHeadings.length > 0 && can.edit && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`上传的Word文件中有${unknownHeadings.length}个标题未对应到必备内容，已作为正文保留在前一部分：${unknownHeadings.join('、')}`}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          {can.edit && (
            <Space wrap style={{ marginBottom: 12 }}>
              <Upload
                accept=".docx"
                showUploadList={false}
                customRequest={async ({ file, onSuccess, onError }) => {
                  try {
                    const r = await reportsApi.uploadDocx(reportId, file as File);
                    notify.success(`已导入Word文件（第${r.versionNo}版，${r.charCount}字）`);
                    onSuccess?.({});
                    await load();
                  } catch (e) {
                    onError?.(e as Error);
                  }
                }}
              >
                <Button icon={<UploadOutlined />} data-testid="report-docx-upload">
                  上传Word文件（.docx）
                </Button>
              </Upload>
              <Button onClick={save} loading={saving} disabled={!dirty} data-testid="report-save">
                保存草稿
              </Button>
              <Popconfirm
                title={
                  blocking
                    ? '仍有须修改的检查项，提交将被拒绝。'
                    : '提交后将由审核人审核，审核期间不能修改。确定提交吗？'
                }
                onConfirm={submit}
                okButtonProps={{ 'data-testid': 'confirm-submit' } as ButtonProps}
              >
                <Button type="primary" loading={submitting} disabled={!can.submit} data-testid="report-submit">
                  {report.state === 'draft' ? '提交审核' : '重新提交'}
                </Button>
              </Popconfirm>
            </Space>
          )}
          <div style={{ marginBottom: 8 }} data-testid="report-charcount">
            全文<b>{chars}</b>字{limit ? `，限${limit}字` : ''}
            {limit && chars > limit && (
              <Tag color="error" style={{ marginInlineStart: 8 }}>
                超出{chars - limit}字
              </Tag>
            )}
          </div>
          {sections.map((s) => {
            const slot = slotOf(s.key);
            const n = countChars(s.text);
            return (
              <Card
                key={s.key}
                id={`section-${s.key}`}
                size="small"
                style={{ marginBottom: 12 }}
                title={
                  <Space wrap>
                    <span>{s.title || slot?.title || '开头'}</span>
                    {slot?.required && <Tag color="red">必备</Tag>}
                    {!slot && <Tag>上传带入</Tag>}
                  </Space>
                }
                extra={
                  <span className="section-count">
                    {n}字{slot?.minChars ? `（不少于${slot.minChars}字）` : ''}
                  </span>
                }
              >
                {can.edit || s.text ? (
                  <RichEditor
                    ref={(r) => {
                      if (r) editors.current.set(s.key, r);
                      else editors.current.delete(s.key);
                    }}
                    html={s.html ?? sectionHtml(s)}
                    editable={can.edit}
                    onChange={(html, text) => update(s.key, { html, text })}
                    placeholder={
                      slot?.key === 'preamble' ? '可简述本单位基本情况' : `请填写“${slot?.title ?? s.title}”`
                    }
                    testId={can.edit ? `section-text-${s.key}` : `section-view-${s.key}`}
                  />
                ) : (
                  <Typography.Text type="secondary" data-testid={`section-view-${s.key}`}>
                    （未填写）
                  </Typography.Text>
                )}
              </Card>
            );
          })}
        </Col>
        <Col xs={24} lg={9}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <ReviewPanel view={view} onDone={load} />
            {liveChecks ? (
              <ChecksPanel checks={liveChecks} onPlace={goTo} loading={checking} />
            ) : (
              <Card size="small">
                <Empty description="已公开的报告不显示检查结果" />
              </Card>
            )}
            <Button
              icon={<DownloadOutlined />}
              onClick={() => reportsApi.downloadDocx(reportId, 0, `${reporter.orgName}述职报告`)}
              data-testid="report-download"
            >
              下载Word（公文格式）
            </Button>
          </Space>
        </Col>
      </Row>
      <Card size="small" style={{ marginTop: 16 }}>
        <Tabs
          items={[
            {
              key: 'events',
              label: `审核记录（${view.events.length}）`,
              children: view.events.length ? (
                <Timeline
                  items={view.events.map((e) => ({
                    key: e.id,
                    content: (
                      <div>
                        <b>{ACTION_LABELS[e.action] ?? e.action}</b>（第{e.versionNo}版） {e.actorName} ·{' '}
                        {formatTime(e.at)}
                        <div>{e.comment}</div>
                      </div>
                    ),
                  }))}
                />
              ) : (
                <Empty description="尚未提交" />
              ),
            },
            { key: 'versions', label: `版本（${view.versions.length}）`, children: <VersionsTab view={view} /> },
            {
              key: 'attachments',
              label: `附件（${view.attachments.length}）`,
              children: <AttachmentsTab view={view} reload={load} />,
            },
            { key: 'items', label: '整改事项与重点内容', children: <RectificationTab view={view} reload={load} /> },
          ]}
        />
      </Card>
    </div>
  );
}

/** /reports/r/:reporterId — the task link: opens (or starts) the reporter's report. */
export function OpenReporterReport() {
  const { reporterId } = useParams();
  // Opening is idempotent (the report the reporter has, or a new draft), so it is asked like a read.
  const opened = useQuery({
    queryKey: ['report-open', Number(reporterId)],
    queryFn: ({ signal }) => reportsApi.open(Number(reporterId), signal),
    gcTime: 0,
  });
  if (opened.data) return <Navigate to={`/reports/${opened.data.id}`} replace />;
  if (opened.error) {
    const error = isApiError(opened.error) ? opened.error.message : '打开失败';
    return <Result status="warning" title={error} extra={<Link to="/reports">返回述职报告</Link>} />;
  }
  return <Spin style={{ display: 'block', margin: 48 }} />;
}
