import { ArrowLeftOutlined, CameraOutlined, CloudSyncOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, InputNumber, Modal, Result, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { validateScore } from '../../../domain/checklist';
import { type ChecklistItem, type Sheet, assessmentApi } from '../../api/assessment';
import { isApiError } from '../../api/client';
import { notify } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import type { QueuedScore } from './offline-queue';
import { newClientId, useScoreQueue } from './use-score-queue';
import { NoAccess } from '../../components/no-access';

interface Draft {
  score: number | null;
  failed: boolean;
  note: string;
}

type ItemState = 'saved' | 'queued' | 'unsaved' | 'empty';

/** "待同步 N 条" for the phone's header: shown whenever a score waits to be sent. */
export function SyncIndicator({ pending, online, onRetry }: { pending: number; online: boolean; onRetry: () => void }) {
  if (!pending && online) return null;
  return (
    <Space size={4} wrap>
      {!online && (
        <Tag color="default" data-testid="offline-tag">
          离线
        </Tag>
      )}
      {pending > 0 && (
        <Tag
          color="warning"
          icon={<CloudSyncOutlined />}
          data-testid="sync-pending"
          onClick={onRetry}
          style={{ cursor: 'pointer' }}
        >
          待同步 {pending} 条
        </Tag>
      )}
    </Space>
  );
}

/**
 * One reporter's checklist on a phone (R-ASSESS-1): items grouped by section, score, fail toggle with
 * note, photo, big buttons. A score that cannot reach the server is queued (use-score-queue.ts) and
 * shown as 待同步 until it is sent. The organizer opens the same sheet read-only, with 退回.
 */
export function ScoringSheet({ reporterId, backTo }: { reporterId: number; backTo: string }) {
  const navigate = useNavigate();
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [saving, setSaving] = useState<number | null>(null);
  const [completing, setCompleting] = useState(false);
  const [reopenOpen, setReopenOpen] = useState(false);
  const [reason, setReason] = useState('');
  const dirty = useRef(new Set<number>());

  const load = useCallback(async () => {
    try {
      const s = await assessmentApi.sheet(reporterId);
      setSheet(s);
      setError(null);
      document.title = `实地考核 · ${s.reporter.orgName} · 述评考`;
    } catch (e) {
      setError(e);
    }
  }, [reporterId]);
  const { pending, online, add, flush } = useScoreQueue(load);

  useEffect(() => {
    void load();
  }, [load]);

  const queued = useMemo(
    () => new Map(pending.filter((p) => p.reporterId === reporterId).map((p) => [p.itemId, p])),
    [pending, reporterId],
  );
  const scoreOf = useMemo(() => new Map((sheet?.scores ?? []).map((s) => [s.itemId, s])), [sheet]);

  // Drafts follow the server and the queue, except for items being edited.
  useEffect(() => {
    if (!sheet) return;
    setDrafts((prev) => {
      const next: Record<number, Draft> = {};
      for (const item of sheet.items) {
        if (dirty.current.has(item.id) && prev[item.id]) {
          next[item.id] = prev[item.id]!;
          continue;
        }
        const q = queued.get(item.id);
        const s = scoreOf.get(item.id);
        next[item.id] = q
          ? { score: q.score, failed: q.failed, note: q.note ?? '' }
          : s
            ? { score: s.score, failed: s.failed, note: s.note ?? '' }
            : { score: null, failed: false, note: '' };
      }
      return next;
    });
  }, [sheet, queued, scoreOf]);

  if (error && !sheet) {
    const status = isApiError(error) ? error.status : 0;
    if (status === 403) return <NoAccess />;
    return (
      <Result
        status={status === 404 ? '404' : 'warning'}
        title={status === 404 ? '不存在' : '暂时无法加载'}
        subTitle={isApiError(error) ? error.message : '加载失败'}
        extra={
          <Button size="large" onClick={() => void load()}>
            重试
          </Button>
        }
      />
    );
  }
  if (!sheet) return <Skeleton active />;

  const canScore = sheet.canScore;
  const stateOf = (item: ChecklistItem): ItemState => {
    if (dirty.current.has(item.id)) return 'unsaved';
    if (queued.has(item.id)) return 'queued';
    if (scoreOf.has(item.id)) return 'saved';
    return 'empty';
  };
  const doneCount = sheet.items.filter((i) => queued.has(i.id) || scoreOf.has(i.id)).length;

  const edit = (itemId: number, patch: Partial<Draft>) => {
    dirty.current.add(itemId);
    setDrafts((d) => ({ ...d, [itemId]: { ...d[itemId]!, ...patch } }));
    setErrors((e) => ({ ...e, [itemId]: '' }));
  };

  const save = async (item: ChecklistItem) => {
    const d = drafts[item.id];
    if (d?.score == null) {
      setErrors((e) => ({ ...e, [item.id]: '请填写得分' }));
      return;
    }
    try {
      validateScore({ score: d.score, failed: d.failed, note: d.note }, item);
    } catch (e) {
      setErrors((x) => ({ ...x, [item.id]: (e as Error).message }));
      return;
    }
    const entry: QueuedScore = {
      reporterId,
      itemId: item.id,
      score: d.score,
      failed: d.failed,
      note: d.note.trim() || null,
      clientId: newClientId(),
      scoredAt: new Date().toISOString(),
    };
    const keep = () => {
      add(entry);
      dirty.current.delete(item.id);
      notify.info('网络不可用，评分已保存在本机，联网后自动同步');
    };
    setSaving(item.id);
    try {
      if (!navigator.onLine) {
        keep();
        return;
      }
      const { reporterId: _reporter, ...body } = entry;
      await assessmentApi.score(reporterId, body);
      dirty.current.delete(item.id);
      await load();
    } catch (e) {
      const status = isApiError(e) ? e.status : 0;
      if (!isApiError(e) || e.code === 'NETWORK' || status === 0 || status >= 500) keep();
      else setErrors((x) => ({ ...x, [item.id]: e.message }));
    } finally {
      setSaving(null);
    }
  };

  const photo = async (item: ChecklistItem, file: File | undefined) => {
    if (!file) return;
    if (!navigator.onLine) {
      notify.warning('照片需联网后上传');
      return;
    }
    try {
      await assessmentApi.uploadPhoto(reporterId, item.id, file);
      notify.success('照片已上传');
      await load();
    } catch (e) {
      setErrors((x) => ({ ...x, [item.id]: isApiError(e) ? e.message : '照片上传失败' }));
    }
  };

  const complete = async () => {
    setCompleting(true);
    try {
      await assessmentApi.complete(reporterId);
      notify.success(`${sheet.reporter.orgName}的实地考核已提交`);
      await load();
    } catch (e) {
      Modal.error({ title: '暂不能提交', content: isApiError(e) ? e.message : '提交失败，请稍后重试' });
    } finally {
      setCompleting(false);
    }
  };

  const reopen = async () => {
    try {
      await assessmentApi.reopen(reporterId, reason.trim());
      notify.success('已退回，考评组可继续修改评分');
      setReopenOpen(false);
      setReason('');
      await load();
    } catch (e) {
      notify.error(isApiError(e) ? e.message : '退回失败');
    }
  };

  const sections = [...new Set(sheet.items.map((i) => i.section))];

  return (
    <div className="assessment-sheet" style={{ maxWidth: 720, margin: '0 auto' }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(backTo)} aria-label="返回" />
        <Typography.Title level={4} style={{ margin: 0, flex: '1 1 200px' }}>
          {sheet.reporter.orgName}
        </Typography.Title>
        <SyncIndicator pending={pending.length} online={online} onRetry={() => void flush()} />
      </div>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {sheet.reporter.secretaryName ? `书记：${sheet.reporter.secretaryName} · ` : ''}
        {sheet.reporter.teamName ?? '未分配考评组'} · {sheet.checklist?.title ?? '无适用的考核细则'}
        {sheet.checklist ? `（满分 ${sheet.checklist.total} 分）` : ''}
      </Typography.Paragraph>
      {sheet.reporter.completedAt ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="completed-banner"
          message={`已提交（${formatDateTime(sheet.reporter.completedAt)}${sheet.reporter.completedByName ? `，${sheet.reporter.completedByName}` : ''}）`}
          description={`得分 ${sheet.summary.score} 分，${sheet.summary.failed} 项不合格`}
          action={
            sheet.canReopen ? (
              <Button danger onClick={() => setReopenOpen(true)}>
                退回
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          message={`已评 ${doneCount}/${sheet.items.length} 项 · 当前得分 ${sheet.summary.score} 分`}
        />
      )}

      {sections.map((section) => (
        <div key={section} style={{ marginBottom: 12 }}>
          <Typography.Title level={5} style={{ margin: '12px 0 8px' }}>
            {section}
          </Typography.Title>
          {sheet.items
            .filter((i) => i.section === section)
            .map((item) => {
              const d = drafts[item.id] ?? { score: null, failed: false, note: '' };
              const st = stateOf(item);
              const saved = scoreOf.get(item.id);
              return (
                <Card key={item.id} size="small" style={{ marginBottom: 8 }} data-testid={`item-${item.id}`}>
                  <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                    <Typography.Text strong>{item.title}</Typography.Text>
                    <span style={{ whiteSpace: 'nowrap' }}>
                      {st === 'saved' && <Tag color="success">已保存</Tag>}
                      {st === 'queued' && <Tag color="warning">待同步</Tag>}
                      {st === 'unsaved' && <Tag color="processing">未保存</Tag>}
                    </span>
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    {item.methodLabel} · 分值 {item.maxPoints} 分{item.guidance ? ` · ${item.guidance}` : ''}
                  </Typography.Text>
                  {canScore ? (
                    <div style={{ marginTop: 8 }}>
                      <Space.Compact style={{ width: '100%' }}>
                        <InputNumber
                          aria-label="得分"
                          size="large"
                          style={{ width: '100%' }}
                          min={0}
                          step={0.5}
                          inputMode="decimal"
                          placeholder={`0–${item.maxPoints}`}
                          value={d.score}
                          onChange={(v) => edit(item.id, { score: typeof v === 'number' ? v : null })}
                        />
                        <Button size="large" onClick={() => edit(item.id, { score: item.maxPoints })}>
                          满分
                        </Button>
                      </Space.Compact>
                      <div style={{ display: 'flex', alignItems: 'center', gap: 8, margin: '10px 0' }}>
                        <Switch aria-label="不合格" checked={d.failed} onChange={(v) => edit(item.id, { failed: v })} />
                        <span>不合格</span>
                      </div>
                      {(d.failed || d.note) && (
                        <Input.TextArea
                          aria-label="问题说明"
                          placeholder="问题说明（不合格必填）"
                          autoSize={{ minRows: 2, maxRows: 5 }}
                          maxLength={2000}
                          value={d.note}
                          onChange={(e) => edit(item.id, { note: e.target.value })}
                        />
                      )}
                      {errors[item.id] && (
                        <Alert type="error" showIcon message={errors[item.id]} style={{ marginTop: 8 }} />
                      )}
                      <div style={{ display: 'flex', gap: 8, marginTop: 10 }}>
                        <Button
                          type="primary"
                          size="large"
                          block
                          loading={saving === item.id}
                          onClick={() => void save(item)}
                        >
                          保存本项
                        </Button>
                        <PhotoButton disabled={!saved} onPick={(f) => void photo(item, f)} />
                      </div>
                      {saved?.photos.length ? <Photos reporterId={reporterId} photos={saved.photos} /> : null}
                    </div>
                  ) : (
                    <div style={{ marginTop: 6 }}>
                      {saved ? (
                        <>
                          <Typography.Text>
                            得分：<b>{saved.score}</b>
                          </Typography.Text>
                          {saved.failed && (
                            <Tag color="error" style={{ marginLeft: 8 }}>
                              不合格
                            </Tag>
                          )}
                          {saved.note && <div>问题说明：{saved.note}</div>}
                          {saved.photos.length > 0 && <Photos reporterId={reporterId} photos={saved.photos} />}
                        </>
                      ) : (
                        <Typography.Text type="secondary">未评分</Typography.Text>
                      )}
                    </div>
                  )}
                </Card>
              );
            })}
        </div>
      ))}

      {canScore && (
        <Button
          type="primary"
          size="large"
          block
          style={{ height: 52, marginBottom: 24 }}
          loading={completing}
          disabled={pending.length > 0 || doneCount < sheet.items.length}
          onClick={() => void complete()}
        >
          {pending.length > 0
            ? '请等待离线评分同步后提交'
            : doneCount < sheet.items.length
              ? `还有 ${sheet.items.length - doneCount} 项未评分`
              : '提交考核'}
        </Button>
      )}

      <Modal
        title="退回实地考核"
        open={reopenOpen}
        onOk={() => void reopen()}
        onCancel={() => setReopenOpen(false)}
        okButtonProps={{ disabled: !reason.trim() }}
        okText="退回"
      >
        <Input.TextArea
          aria-label="退回原因"
          placeholder="退回原因（必填）"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
        />
      </Modal>
    </div>
  );
}

function PhotoButton({ disabled, onPick }: { disabled: boolean; onPick: (f: File | undefined) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button
        size="large"
        icon={<CameraOutlined />}
        disabled={disabled}
        title={disabled ? '先保存本项再拍照' : '拍照'}
        onClick={() => input.current?.click()}
      >
        拍照
      </Button>
      <input
        ref={input}
        type="file"
        accept="image/jpeg,image/png,image/webp"
        capture="environment"
        hidden
        onChange={(e) => {
          onPick(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
    </>
  );
}

function Photos({ reporterId, photos }: { reporterId: number; photos: { id: number; fileName: string }[] }) {
  return (
    <Space wrap style={{ marginTop: 8 }}>
      {photos.map((p) => (
        <a key={p.id} href={assessmentApi.photoUrl(reporterId, p.id)} target="_blank" rel="noreferrer">
          <img
            src={assessmentApi.photoUrl(reporterId, p.id)}
            alt={p.fileName}
            style={{ width: 64, height: 64, objectFit: 'cover', borderRadius: 4 }}
          />
        </a>
      ))}
    </Space>
  );
}

/** /assess/:reporterId — the assessor's phone page. */
export default function ScoringSheetPage() {
  const reporterId = Number(useParams().reporterId);
  return <ScoringSheet reporterId={reporterId} backTo="/assess" />;
}

/** /campaigns/:id/assessment/reporters/:reporterId — the organizer reads (and may reopen) the same sheet. */
export function OrganizerSheetPage() {
  const params = useParams();
  return (
    <>
      <Link to={`/campaigns/${params.id}/assessment?tab=progress`}>返回考核进度</Link>
      <ScoringSheet reporterId={Number(params.reporterId)} backTo={`/campaigns/${params.id}/assessment?tab=progress`} />
    </>
  );
}
