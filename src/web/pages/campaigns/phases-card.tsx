import {
  Alert,
  Button,
  Card,
  DatePicker,
  Input,
  Modal,
  Space,
  Steps,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { campaignsApi, type CampaignDetail, type LevelPhases, type Phase } from '../../api/campaigns';
import { isApiError } from '../../api/client';
import { notify } from '../../lib/notify';
import { cnDate } from './labels';

/**
 * 工作阶段 (R-CAMP-8): each phase with its dates at this level and the others, what it is today, and the organizer's
 * overrides — open early, extend, close (warned with the work still open), reopen — each with a reason.
 */
const STATUS_COLORS = { not_started: 'default', open: 'green', ended: 'orange', closed: 'blue' } as const;
const OVERRIDE_LABELS = { open_early: '提前开启', extend: '延长', reopen: '重新开启' } as const;

type Dialog = { phase: Phase; action: 'open' | 'extend' | 'reopen' };
const range = (start: string, end: string) => `${cnDate(start)} 至 ${cnDate(end)}`;

interface Props {
  detail: CampaignDetail;
  canManage: boolean;
  onChanged: () => void;
}

export function PhasesCard({ detail, canManage, onChanged }: Props) {
  const c = detail.campaign;
  const published = c.state === 'published';
  const [busy, setBusy] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [reason, setReason] = useState('');
  const [end, setEnd] = useState<string | null>(null);
  const [closing, setClosing] = useState<{ phase: Phase; message: string } | null>(null);

  const run = async (key: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(key);
    try {
      await fn();
      notify.success(done);
      onChanged();
      return true;
    } catch {
      return false; // the client already showed the server's message
    } finally {
      setBusy(null);
    }
  };

  /** Closing asks the server what work is still open; with some, the organizer confirms having seen the count. */
  const close = async (p: Phase) => {
    setBusy(`${p.key}:close`);
    try {
      await campaignsApi.phase(c.id, p.key, 'close', {}, true);
      notify.success(`「${p.label}」阶段已关闭`);
      onChanged();
    } catch (e) {
      if (isApiError(e) && e.code === 'PHASE_HAS_OPEN_WORK') setClosing({ phase: p, message: e.message });
      else notify.error(isApiError(e) ? e.message : '关闭失败，请稍后重试');
    } finally {
      setBusy(null);
    }
  };

  const openDialog = (phase: Phase, action: Dialog['action']) => {
    setReason('');
    setEnd(action === 'extend' || (action === 'reopen' && phase.end < detail.today) ? null : phase.end);
    setDialog({ phase, action });
  };
  const needsEnd =
    dialog && (dialog.action === 'extend' || (dialog.action === 'reopen' && dialog.phase.end < detail.today));

  const columns: TableColumnsType<Phase> = [
    { title: '阶段', dataIndex: 'label', key: 'label', width: 100 },
    {
      title: '本级时间',
      key: 'plan',
      width: 240,
      render: (_, p) => (
        <div>
          <div>{range(p.start, p.end)}</div>
          {p.plannedEnd !== p.end && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              原定{cnDate(p.plannedEnd)}结束
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: '状态',
      key: 'status',
      width: 260,
      render: (_, p) => (
        <div data-testid={`phase-status-${p.key}`}>
          <Tag color={STATUS_COLORS[p.status]}>{p.statusLabel}</Tag>
          {p.closedOn && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {cnDate(p.closedOn)}关闭
            </Typography.Text>
          )}
          {p.overrides.map((o, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the overrides are an append-only log; a place in it is its identity
            <div key={i} style={{ fontSize: 12, color: '#d46b08' }}>
              {cnDate(o.on)}
              {OVERRIDE_LABELS[o.kind]}
              {o.end ? `至${cnDate(o.end.to)}` : ''}：{o.reason}
              {o.by ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  （{o.by}）
                </Typography.Text>
              ) : null}
            </div>
          ))}
        </div>
      ),
    },
    ...levelColumns(detail.levels),
    {
      title: '操作',
      key: 'actions',
      width: 150,
      render: (_, p) =>
        !canManage || !published ? null : (
          <Space size={0} wrap>
            {p.status === 'not_started' && (
              <Button
                type="link"
                size="small"
                onClick={() => openDialog(p, 'open')}
                data-testid={`phase-open-${p.key}`}
              >
                提前开启
              </Button>
            )}
            {(p.status === 'open' || p.status === 'ended') && (
              <Button
                type="link"
                size="small"
                onClick={() => openDialog(p, 'extend')}
                data-testid={`phase-extend-${p.key}`}
              >
                延长
              </Button>
            )}
            {(p.status === 'open' || p.status === 'ended') && (
              <Button
                type="link"
                size="small"
                loading={busy === `${p.key}:close`}
                onClick={() => close(p)}
                data-testid={`phase-close-${p.key}`}
              >
                关闭
              </Button>
            )}
            {p.status === 'closed' && (
              <Button
                type="link"
                size="small"
                onClick={() => openDialog(p, 'reopen')}
                data-testid={`phase-reopen-${p.key}`}
              >
                重新开启
              </Button>
            )}
          </Space>
        ),
    },
  ];

  const current = detail.phases.findIndex((p) => p.status === 'open' || p.status === 'not_started');
  const title = dialog
    ? `${dialog.action === 'open' ? '提前开启' : dialog.action === 'extend' ? '延长' : '重新开启'}「${dialog.phase.label}」阶段`
    : '';

  return (
    <Card
      size="small"
      title="工作阶段"
      extra={
        <Typography.Text type="secondary">
          各阶段按计划日期自动开始和截止；提前开启、延长、关闭须由组织单位操作并记录理由
        </Typography.Text>
      }
    >
      <div style={{ overflowX: 'auto', paddingBottom: 8 }}>
        <Steps
          size="small"
          current={current < 0 ? detail.phases.length : current}
          style={{ minWidth: 760, marginBottom: 12 }}
          items={detail.phases.map((p) => ({
            title: p.label,
            status: p.status === 'closed' || p.status === 'ended' ? 'finish' : p.status === 'open' ? 'process' : 'wait',
            content: (
              <span style={{ fontSize: 12 }}>
                {p.start.slice(5)}～{p.end.slice(5)}
              </span>
            ),
          }))}
        />
      </div>
      <Table<Phase>
        rowKey="key"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={detail.phases}
        scroll={{ x: 780 + detail.levels.length * 170 }}
        data-testid="phases-table"
      />

      <Modal
        open={!!dialog}
        title={title}
        okText="确定"
        cancelText="取消"
        okButtonProps={{
          disabled: !reason.trim() || (!!needsEnd && !end),
          loading: !!dialog && busy === `${dialog.phase.key}:${dialog.action}`,
        }}
        onCancel={() => setDialog(null)}
        onOk={async () => {
          if (!dialog) return;
          const { phase: p, action } = dialog;
          const body = { reason: reason.trim(), ...(needsEnd && end ? { end } : {}) };
          const done = action === 'open' ? '已提前开启' : action === 'extend' ? `已延长至${cnDate(end)}` : '已重新开启';
          if (
            await run(
              `${p.key}:${action}`,
              () => campaignsApi.phase(c.id, p.key, action, body),
              `「${p.label}」阶段${done}`,
            )
          )
            setDialog(null);
        }}
        destroyOnHidden
      >
        {dialog && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              计划时间：{range(dialog.phase.start, dialog.phase.end)}。理由记入审计日志，并在阶段列表中显示。
            </Typography.Text>
            {needsEnd && (
              <DatePicker
                style={{ width: '100%' }}
                placeholder="新的结束日期"
                value={end ? dayjs(end) : null}
                disabledDate={(d) =>
                  d.format('YYYY-MM-DD') < detail.today || d.format('YYYY-MM-DD') <= dialog.phase.end
                }
                onChange={(d) => setEnd(d ? d.format('YYYY-MM-DD') : null)}
                data-testid="phase-end"
              />
            )}
            <Input.TextArea
              rows={3}
              maxLength={500}
              showCount
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="请填写理由"
              data-testid="phase-reason"
            />
          </Space>
        )}
      </Modal>

      <Modal
        open={!!closing}
        title={closing ? `关闭「${closing.phase.label}」阶段` : ''}
        okText="仍然关闭"
        okButtonProps={{ danger: true, loading: !!closing && busy === `${closing.phase.key}:confirm` }}
        cancelText="取消"
        onCancel={() => setClosing(null)}
        onOk={async () => {
          if (!closing) return;
          const p = closing.phase;
          if (
            await run(
              `${p.key}:confirm`,
              () => campaignsApi.phase(c.id, p.key, 'close', { confirm: true }),
              `「${p.label}」阶段已关闭`,
            )
          )
            setClosing(null);
        }}
        destroyOnHidden
      >
        {closing && <Alert type="warning" showIcon title={closing.message} data-testid="phase-open-work" />}
      </Modal>
    </Card>
  );
}

/** One column per other level (the level above; the sub-rounds grouped by their dates). */
function levelColumns(levels: LevelPhases[]): TableColumnsType<Phase> {
  return levels.map((l, i) => ({
    title: (
      <Tooltip title={l.organizers.join('、')}>
        <span>
          {l.relation === 'parent' ? `上级（${l.organizers[0]}）` : l.label}
          {l.completeBy ? `，${cnDate(l.completeBy)}前完成` : ''}
        </span>
      </Tooltip>
    ),
    key: `level-${i}`,
    width: 170,
    render: (_: unknown, p: Phase) => {
      const x = l.phases.find((q) => q.key === p.key);
      return x ? (
        <span style={{ fontSize: 12 }}>
          {x.start.slice(5)}～{x.end.slice(5)}{' '}
          <Tag color={STATUS_COLORS[x.status]} style={{ fontSize: 11 }}>
            {x.statusLabel}
          </Tag>
        </span>
      ) : (
        '—'
      );
    },
  }));
}
