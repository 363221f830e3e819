import { Button, Card, Descriptions, Grid, Input, Modal, Popconfirm, Space, Steps, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { campaignsApi, type CampaignDetail, type Phase } from '../../api/campaigns';
import { notify } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { cnDate, FilingTag, StateTag } from './labels';

interface Props {
  detail: CampaignDetail;
  canManage: boolean;
  onChanged: () => void;
}

const PHASE_COLORS = { not_started: 'default', open: 'green', closed: 'blue' } as const;

export function OverviewTab({ detail, canManage, onChanged }: Props) {
  const c = detail.campaign;
  // On a phone a label column beside the value leaves the value a few characters wide.
  const wide = Grid.useBreakpoint().md ?? true;
  const [busy, setBusy] = useState<string | null>(null);
  const [reopening, setReopening] = useState<Phase | null>(null);
  const [reason, setReason] = useState('');
  const published = c.state === 'published';

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

  const phaseAction = (p: Phase, action: 'open' | 'close') =>
    run(`${p.key}:${action}`, () => campaignsApi.phase(c.id, p.key, action), `「${p.label}」阶段已${action === 'open' ? '开启' : '关闭'}`);

  const columns: TableColumnsType<Phase> = [
    { title: '阶段', dataIndex: 'label', key: 'label', width: 110 },
    { title: '计划时间', key: 'plan', width: 230, render: (_, p) => `${cnDate(p.start)} 至 ${cnDate(p.end)}` },
    {
      title: '状态',
      key: 'state',
      width: 220,
      render: (_, p) => (
        <div>
          <Tag color={PHASE_COLORS[p.state]}>{p.stateLabel}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[p.openedOn && `${cnDate(p.openedOn)}开启`, p.closedOn && `${cnDate(p.closedOn)}关闭`].filter(Boolean).join('，')}
          </Typography.Text>
          {p.reopenReason && <div style={{ fontSize: 12, color: '#d46b08' }}>重新开启理由：{p.reopenReason}</div>}
        </div>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 120,
      render: (_, p) =>
        !canManage || !published ? null : (
          <Space size={0}>
            {p.state === 'not_started' && (
              <Button type="link" size="small" loading={busy === `${p.key}:open`} onClick={() => phaseAction(p, 'open')} data-testid={`phase-open-${p.key}`}>
                开启
              </Button>
            )}
            {p.state === 'open' && (
              <Popconfirm
                title={`关闭「${p.label}」阶段`}
                description="关闭后如需继续，须填写理由重新开启。确定关闭吗？"
                okText="关闭"
                cancelText="取消"
                onConfirm={() => phaseAction(p, 'close')}
              >
                <Button type="link" size="small" loading={busy === `${p.key}:close`} data-testid={`phase-close-${p.key}`}>
                  关闭
                </Button>
              </Popconfirm>
            )}
            {p.state === 'closed' && (
              <Button
                type="link"
                size="small"
                onClick={() => {
                  setReason('');
                  setReopening(p);
                }}
                data-testid={`phase-reopen-${p.key}`}
              >
                重新开启
              </Button>
            )}
          </Space>
        ),
    },
  ];

  const current = detail.phases.findIndex((p) => p.state !== 'closed');

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'year', label: '年度', children: `${c.year}年度` },
          { key: 'org', label: '组织单位', children: c.organizer.name },
          {
            key: 'state',
            label: '状态',
            children: (
              <Space size={4} wrap>
                <StateTag state={c.state} />
                <FilingTag state={c.filingState} />
              </Space>
            ),
          },
          { key: 'mode', label: '组织方式', children: detail.organizingModeLabel },
          ...(detail.parent
            ? [{ key: 'parent', label: '上级方案', children: <Link to={`/campaigns/${detail.parent.id}`}>{detail.parent.title}</Link> }]
            : []),
          ...(c.completeBy ? [{ key: 'due', label: '本级完成时限', children: cnDate(c.completeBy) }] : []),
          ...(c.publishedAt ? [{ key: 'pub', label: '发布时间', children: formatDateTime(c.publishedAt) }] : []),
          ...(c.state !== 'draft'
            ? [
                {
                  key: 'counts',
                  label: '述职对象',
                  children: `${detail.counts.reporters}个${detail.counts.downward ? `（含下评${detail.counts.downward}个）` : ''}${detail.counts.removed ? `，已移出${detail.counts.removed}个` : ''}`,
                },
                { key: 'subs', label: '下级方案', children: `${detail.counts.subCampaigns}个` },
              ]
            : []),
        ]}
      />

      <Card size="small" title="工作阶段" extra={!published && <Typography.Text type="secondary">方案发布后逐个开启、关闭</Typography.Text>}>
        <div style={{ overflowX: 'auto', paddingBottom: 8 }}>
          <Steps
            size="small"
            current={current < 0 ? detail.phases.length : current}
            style={{ minWidth: 760, marginBottom: 12 }}
            items={detail.phases.map((p) => ({
              title: p.label,
              status: p.state === 'closed' ? 'finish' : p.state === 'open' ? 'process' : 'wait',
              content: <span style={{ fontSize: 12 }}>{p.start.slice(5)}～{p.end.slice(5)}</span>,
            }))}
          />
        </div>
        <Table<Phase> rowKey="key" size="small" pagination={false} columns={columns} dataSource={detail.phases} scroll={{ x: 680 }} data-testid="phases-table" />
        {canManage && (
          <Space style={{ marginTop: 12 }} wrap>
            {c.state === 'published' && (
              <Popconfirm
                title="结束本次述职评议考核"
                description="结束后不能再开启阶段、调整述职对象；所有阶段须已关闭。确定结束吗？"
                okText="结束"
                okButtonProps={{ danger: true }}
                cancelText="取消"
                onConfirm={() => run('close', () => campaignsApi.transition(c.id, 'close'), '本次述职评议考核已结束')}
              >
                <Button danger loading={busy === 'close'} data-testid="campaign-close">
                  结束本次考核
                </Button>
              </Popconfirm>
            )}
            {c.state === 'closed' && (
              <Popconfirm
                title="归档"
                description="归档后本次述职评议考核的全部资料只读保存。确定归档吗？"
                okText="归档"
                cancelText="取消"
                onConfirm={() => run('archive', () => campaignsApi.transition(c.id, 'archive'), '已归档')}
              >
                <Button loading={busy === 'archive'} data-testid="campaign-archive">
                  归档
                </Button>
              </Popconfirm>
            )}
          </Space>
        )}
      </Card>

      <Card size="small" title="方案要点">
        <Descriptions
          size="small"
          column={1}
          bordered
          layout={wide ? 'horizontal' : 'vertical'}
          items={detail.lines.map((l, i) => ({ key: i, label: l.label, children: l.value }))}
          styles={wide ? { label: { width: 220 } } : undefined}
          data-testid="settings-summary"
        />
      </Card>

      <Modal
        open={!!reopening}
        title={reopening ? `重新开启「${reopening.label}」阶段` : ''}
        okText="重新开启"
        cancelText="取消"
        okButtonProps={{ disabled: !reason.trim(), loading: !!reopening && busy === `${reopening.key}:reopen` }}
        onCancel={() => setReopening(null)}
        onOk={async () => {
          if (!reopening) return;
          const p = reopening;
          const ok = await run(`${p.key}:reopen`, () => campaignsApi.phase(c.id, p.key, 'reopen', reason.trim()), `「${p.label}」阶段已重新开启`);
          if (ok) setReopening(null);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">重新开启的理由记入审计日志，并在阶段列表中显示。</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} showCount value={reason} onChange={(e) => setReason(e.target.value)} placeholder="请填写重新开启的理由" data-testid="reopen-reason" />
      </Modal>
    </Space>
  );
}
