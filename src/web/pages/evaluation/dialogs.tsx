import { Alert, Checkbox, Form, Input, InputNumber, List, Modal, Select, Space, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  evaluationApi,
  type EvaluationItem,
  type Grade,
  type GradeHistory,
  type LockPreview,
  type ReviewStance,
} from '../../api/evaluation';
import { isApiError } from '../../api/client';
import { notify } from '../../lib/notify';
import { GRADE_LABEL, GRADE_OPTIONS } from './labels';
import { formatDateTime } from '../../lib/time';

const errorText = (e: unknown) => (isApiError(e) ? e.message : '操作失败，请重试');

/** Final grade: a grade other than the suggestion needs the committee's reason (R-GRADE-4). */
export function DecisionModal({
  campaignId,
  item,
  onClose,
}: {
  campaignId: number;
  item: EvaluationItem | null;
  onClose: (saved: boolean) => void;
}) {
  const [grade, setGrade] = useState<Grade | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setGrade((item?.finalGrade ?? item?.suggestedGrade ?? null) as Grade | null);
    setReason(item?.finalReason ?? '');
    setError(null);
  }, [item]);
  if (!item) return null;
  const differs = grade !== null && grade !== item.suggestedGrade;
  return (
    <Modal
      open
      title={`确定等次：${item.orgName}`}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      okButtonProps={{ disabled: !grade || (differs && !reason.trim()), 'data-testid': 'decision-save' } as ButtonProps}
      onCancel={() => onClose(false)}
      onOk={async () => {
        setSaving(true);
        try {
          await evaluationApi.decide(campaignId, item.reporterId, grade!, differs ? reason.trim() : null);
          notify.success('已保存等次');
          onClose(true);
        } catch (e) {
          setError(errorText(e));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          建议等次：<b>{item.suggestedGrade ? GRADE_LABEL[item.suggestedGrade] : '—'}</b>（
          {item.suggestionReasons.join('；')}）
        </Typography.Text>
        {item.autoPoorReasons.length > 0 && (
          <Alert type="warning" showIcon message={`符合自动定为“差”的情形：${item.autoPoorReasons.join('；')}`} />
        )}
        <Form layout="vertical">
          <Form.Item label="确定等次" required>
            <Select
              value={grade ?? undefined}
              options={GRADE_OPTIONS}
              onChange={(v) => setGrade(v)}
              data-testid="decision-grade"
            />
          </Form.Item>
          {differs && (
            <Form.Item label="调整理由（与建议等次不一致时必填）" required>
              <Input.TextArea
                rows={3}
                maxLength={1000}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="decision-reason"
              />
            </Form.Item>
          )}
        </Form>
        {error && <Alert type="error" showIcon message={error} />}
      </Space>
    </Modal>
  );
}

/** 综合评价意见 (R-GRADE-5): achievements, problems, direction. */
export function OpinionModal({
  campaignId,
  item,
  onClose,
}: {
  campaignId: number;
  item: EvaluationItem | null;
  onClose: (saved: boolean) => void;
}) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (item) form.setFieldsValue(item.opinion);
    setError(null);
  }, [item, form]);
  if (!item) return null;
  return (
    <Modal
      open
      title={`综合评价意见：${item.orgName}`}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      width={640}
      onCancel={() => onClose(false)}
      onOk={async () => {
        const v = form.getFieldsValue();
        setSaving(true);
        try {
          await evaluationApi.opinion(campaignId, item.reporterId, {
            achievements: v.achievements || null,
            problems: v.problems || null,
            direction: v.direction || null,
          });
          notify.success('已保存评价意见');
          onClose(true);
        } catch (e) {
          setError(errorText(e));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="achievements" label="主要成绩">
          <Input.TextArea rows={3} maxLength={3000} />
        </Form.Item>
        <Form.Item name="problems" label="存在问题">
          <Input.TextArea rows={3} maxLength={3000} />
        </Form.Item>
        <Form.Item name="direction" label="努力方向">
          <Input.TextArea rows={3} maxLength={3000} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}

/** 平时掌握 / 述职评议 scores and the facts that force 差 (R-GRADE-1, R-GRADE-3). */
export function InputModal({
  campaignId,
  item,
  onClose,
}: {
  campaignId: number;
  item: EvaluationItem | null;
  onClose: (saved: boolean) => void;
}) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const majorError = Form.useWatch('majorError', form);
  const accountability = Form.useWatch('accountability', form);
  useEffect(() => {
    if (item) form.setFieldsValue(item.inputs);
    setError(null);
  }, [item, form]);
  if (!item) return null;
  return (
    <Modal
      open
      title={`评价信息录入：${item.orgName}`}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      width={640}
      onCancel={() => onClose(false)}
      onOk={async () => {
        const v = form.getFieldsValue();
        setSaving(true);
        try {
          await evaluationApi.saveInputs(campaignId, [
            {
              reporterId: item.reporterId,
              dailyScore: v.dailyScore ?? null,
              dailyNote: v.dailyNote || null,
              reportScore: v.reportScore ?? null,
              reportNote: v.reportNote || null,
              majorError: !!v.majorError,
              majorErrorNote: v.majorErrorNote || null,
              accountability: !!v.accountability,
              accountabilityNote: v.accountabilityNote || null,
            },
          ]);
          notify.success('已保存，重新计算后生效');
          onClose(true);
        } catch (e) {
          setError(errorText(e));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form form={form} layout="vertical">
        <Space>
          <Form.Item name="dailyScore" label="平时掌握得分（0–100）">
            <InputNumber min={0} max={100} precision={2} />
          </Form.Item>
          <Form.Item name="reportScore" label="述职评议得分（0–100）">
            <InputNumber min={0} max={100} precision={2} />
          </Form.Item>
        </Space>
        <Form.Item name="dailyNote" label="平时掌握说明">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="reportNote" label="述职评议说明">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="majorError" valuePropName="checked">
          <Checkbox>年度基层党建工作出现重大失误造成严重影响</Checkbox>
        </Form.Item>
        {majorError && (
          <Form.Item name="majorErrorNote" label="重大失误情况" required>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        )}
        <Form.Item name="accountability" valuePropName="checked">
          <Checkbox>党组织书记抓基层党建工作不力被问责追责</Checkbox>
        </Form.Item>
        {accountability && (
          <Form.Item name="accountabilityNote" label="问责情况" required>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        )}
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}

/** A committee member's 同意/有疑问 on the suggested grade. */
export function ReviewModal({
  campaignId,
  item,
  onClose,
}: {
  campaignId: number;
  item: EvaluationItem | null;
  onClose: (saved: boolean) => void;
}) {
  const [stance, setStance] = useState<ReviewStance>('agree');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setStance('agree');
    setNote('');
    setError(null);
  }, [item]);
  if (!item) return null;
  return (
    <Modal
      open
      title={`对建议等次表态：${item.orgName}`}
      okText="提交"
      cancelText="取消"
      onCancel={() => onClose(false)}
      onOk={async () => {
        try {
          await evaluationApi.review(campaignId, item.reporterId, stance, note.trim() || null);
          notify.success('已提交');
          onClose(true);
        } catch (e) {
          setError(errorText(e));
        }
      }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text>建议等次：{item.suggestedGrade ? GRADE_LABEL[item.suggestedGrade] : '—'}</Typography.Text>
        <Select
          value={stance}
          onChange={setStance}
          style={{ width: 160 }}
          options={[
            { value: 'agree', label: '同意' },
            { value: 'question', label: '有疑问' },
          ]}
        />
        <Input.TextArea
          rows={3}
          placeholder={stance === 'question' ? '请写明疑问（必填）' : '意见（选填）'}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {error && <Alert type="error" showIcon message={error} />}
      </Space>
    </Modal>
  );
}

export function HistoryModal({
  campaignId,
  item,
  onClose,
}: {
  campaignId: number;
  item: EvaluationItem | null;
  onClose: () => void;
}) {
  const reporterId = item?.reporterId ?? 0;
  const history = useQuery({
    queryKey: ['grade-history', campaignId, reporterId],
    queryFn: ({ signal }) => evaluationApi.history(campaignId, reporterId, signal),
    enabled: !!item,
  });
  const data: GradeHistory | null = history.data ?? null;
  if (!item) return null;
  const label = (g: Grade | null) => (g ? GRADE_LABEL[g] : '（未定）');
  return (
    <Modal open title={`等次调整记录：${item.orgName}`} footer={null} onCancel={onClose} width={640}>
      <List
        loading={!data}
        dataSource={data?.items ?? []}
        locale={{ emptyText: '没有调整记录' }}
        renderItem={(c) => (
          <List.Item>
            <Space direction="vertical" size={0}>
              <span>
                {label(c.oldGrade)} → <b>{label(c.newGrade)}</b>（建议 {label(c.suggestedGrade)}）
              </span>
              <Typography.Text type="secondary">
                {c.changedBy ?? '—'} · {formatDateTime(c.changedAt)}
              </Typography.Text>
              {c.reason && <span>理由：{c.reason}</span>}
            </Space>
          </List.Item>
        )}
      />
    </Modal>
  );
}

/** The lock: lists what blocks it; once locked nothing changes (R-GRADE-4). */
export function LockModal({
  campaignId,
  open,
  onClose,
}: {
  campaignId: number;
  open: boolean;
  onClose: (locked: boolean) => void;
}) {
  const [preview, setPreview] = useState<LockPreview | null>(null);
  const [note, setNote] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // 004 sets no share of 较好 or below: the committee states it here, and the lock enforces it.
  const [lowerShare, setLowerShare] = useState<number | null>(null);
  useEffect(() => {
    setPreview(null);
    setError(null);
    setConfirmed(false);
    if (open)
      evaluationApi
        .lockPreview(campaignId, lowerShare ?? undefined)
        .then(setPreview)
        .catch(() => {});
  }, [open, campaignId, lowerShare]);
  if (!open) return null;
  return (
    <Modal
      open
      title="锁定综合评价结果"
      okText="确认锁定"
      cancelText="取消"
      confirmLoading={saving}
      width={640}
      okButtonProps={
        {
          danger: true,
          disabled: !preview?.canLock || !confirmed || !note.trim(),
          'data-testid': 'lock-confirm',
        } as ButtonProps
      }
      onCancel={() => onClose(false)}
      onOk={async () => {
        setSaving(true);
        try {
          const res = await evaluationApi.lock(campaignId, note.trim(), lowerShare ?? undefined);
          notify.success(res.warnings.length ? `已锁定（提示：${res.warnings.join('；')}）` : '已锁定综合评价结果');
          onClose(true);
        } catch (e) {
          setError(errorText(e));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {!preview && <Typography.Text type="secondary">正在检查…</Typography.Text>}
        {preview?.lowerShareRequired && (
          <Space wrap>
            <Typography.Text>党委（党组）研究确定的“较好”及以下等次比例不低于</Typography.Text>
            <InputNumber<number>
              min={0}
              max={100}
              precision={1}
              suffix="%"
              value={lowerShare}
              onChange={(v) => setLowerShare(v)}
              data-testid="lock-lower-share"
            />
          </Space>
        )}
        {preview && preview.blockers.length > 0 && (
          <Alert
            type="error"
            showIcon
            message="以下问题处理后才能锁定"
            data-testid="lock-blockers"
            description={
              <ol style={{ margin: 0, paddingLeft: 18 }}>
                {preview.blockers.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ol>
            }
          />
        )}
        {preview && preview.warnings.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message="提示"
            data-testid="lock-warnings"
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {preview.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            }
          />
        )}
        {preview?.canLock && (
          <>
            <Alert
              type="info"
              showIcon
              message="锁定后，等次、理由和评价意见均不能再修改；未单独确定等次的，按建议等次确定。书记在锁定后才能看到本人的等次和评价意见。"
            />
            <Input
              placeholder="党委研究确定的会议，如“2026年1月15日镇党委会议”"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              data-testid="lock-note"
            />
            <Checkbox checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="lock-check">
              已经党委（党组）会议研究确定
            </Checkbox>
          </>
        )}
        {error && <Alert type="error" showIcon message={error} />}
        {preview && <Tag>{preview.canLock ? '可以锁定' : '暂不能锁定'}</Tag>}
      </Space>
    </Modal>
  );
}
