import { Button, Card, Descriptions, Input, Modal, Popconfirm, Space, Steps, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { phaseLabel } from '../../../domain/campaign-phases';
import { describeSettings } from '../../../domain/campaign-settings';
import { campaignsApi, type CampaignDetail, type Phase, type PhaseKey } from '../../api/campaigns';
import { notify } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { cnDate, FilingTag, PHASE_STATE_LABELS, StateTag } from './labels';

interface Props {
  campaign: CampaignDetail;
  canManage: boolean;
  onChanged: (c: CampaignDetail) => void;
}

const PHASE_COLORS = { not_started: 'default', open: 'green', closed: 'blue' } as const;

/** The summary lines the server sends, or the same rules applied here when it sends none. */
export function settingsLines(c: CampaignDetail) {
  if (c.summary?.length) return c.summary;
  try {
    return describeSettings(c.settings);
  } catch {
    return [];
  }
}

export function OverviewTab({ campaign, canManage, onChanged }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [reopening, setReopening] = useState<Phase | null>(null);
  const [reason, setReason] = useState('');
  const published = campaign.state === 'published';
  const lines = useMemo(() => settingsLines(campaign), [campaign]);

  const run = async (key: string, fn: () => Promise<{ campaign: CampaignDetail }>, done: string) => {
    setBusy(key);
    try {
      const res = await fn();
      onChanged(res.campaign);
      notify.success(done);
      return true;
    } catch {
      return false; // the client already showed the server's message
    } finally {
      setBusy(null);
    }
  };

  const phaseAction = (p: Phase, action: 'open' | 'close') =>
    run(`${p.key}:${action}`, () => campaignsApi.phase(campaign.id, p.key as PhaseKey, action), `「${phaseLabel(p.key)}」阶段已${action === 'open' ? '开启' : '关闭'}`);

  const columns: TableColumnsType<Phase> = [
    { title: '阶段', key: 'label', width: 110, render: (_, p) => phaseLabel(p.key) },
    { title: '计划时间', key: 'plan', width: 230, render: (_, p) => `${cnDate(p.start)} 至 ${cnDate(p.end)}` },
    {
      title: '状态',
      key: 'state',
      width: 200,
      render: (_, p) => (
        <div>
          <Tag color={PHASE_COLORS[p.state]}>{PHASE_STATE_LABELS[p.state]}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {p.openedOn && `${p.openedOn} 开启`}
            {p.closedOn && `，${p.closedOn} 关闭`}
          </Typography.Text>
          {p.reopenReason && (
            <div style={{ fontSize: 12, color: '#d46b08' }}>重新开启理由：{p.reopenReason}</div>
          )}
        </div>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 150,
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
                title={`关闭「${phaseLabel(p.key)}」阶段`}
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

  const current = campaign.phases.findIndex((p) => p.state !== 'closed');

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'year', label: '年度', children: `${campaign.year}年度` },
          { key: 'org', label: '组织单位', children: campaign.organizerName },
          {
            key: 'state',
            label: '状态',
            children: (
              <Space size={4} wrap>
                <StateTag state={campaign.state} />
                <FilingTag state={campaign.filingState} />
              </Space>
            ),
          },
          ...(campaign.parentId
            ? [{ key: 'parent', label: '上级方案', children: <Link to={`/campaigns/${campaign.parentId}`}>{campaign.parentTitle ?? `#${campaign.parentId}`}</Link> }]
            : []),
          ...(campaign.completeBy ? [{ key: 'due', label: '本级完成时限', children: cnDate(campaign.completeBy) }] : []),
          ...(campaign.publishedAt ? [{ key: 'pub', label: '发布时间', children: formatDateTime(campaign.publishedAt) }] : []),
        ]}
      />

      <Card size="small" title="工作阶段" extra={!published && <Typography.Text type="secondary">方案发布后可逐个开启、关闭阶段</Typography.Text>}>
        <div style={{ overflowX: 'auto', paddingBottom: 8 }}>
          <Steps
            size="small"
            current={current < 0 ? campaign.phases.length : current}
            style={{ minWidth: 760, marginBottom: 12 }}
            items={campaign.phases.map((p) => ({
              title: phaseLabel(p.key),
              status: p.state === 'closed' ? 'finish' : p.state === 'open' ? 'process' : 'wait',
              description: <span style={{ fontSize: 12 }}>{p.start.slice(5)}～{p.end.slice(5)}</span>,
            }))}
          />
        </div>
        <Table<Phase> rowKey="key" size="small" pagination={false} columns={columns} dataSource={campaign.phases} scroll={{ x: 690 }} data-testid="phases-table" />
        {canManage && (
          <Space style={{ marginTop: 12 }} wrap>
            {campaign.state === 'published' && (
              <Popconfirm
                title="结束本次述职评议考核"
                description="结束后不能再开启阶段、调整述职对象。所有阶段须已关闭。确定结束吗？"
                okText="结束"
                okButtonProps={{ danger: true }}
                cancelText="取消"
                onConfirm={() => run('close', () => campaignsApi.transition(campaign.id, 'close'), '本次述职评议考核已结束')}
              >
                <Button danger loading={busy === 'close'} data-testid="campaign-close">
                  结束本次考核
                </Button>
              </Popconfirm>
            )}
            {campaign.state === 'closed' && (
              <Popconfirm
                title="归档"
                description="归档后本次述职评议考核的全部资料只读保存。确定归档吗？"
                okText="归档"
                cancelText="取消"
                onConfirm={() => run('archive', () => campaignsApi.transition(campaign.id, 'archive'), '已归档')}
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
          items={lines.map((l, i) => ({ key: i, label: l.label, children: l.value }))}
          styles={{ label: { width: 220 } }}
          data-testid="settings-summary"
        />
      </Card>

      <Modal
        open={!!reopening}
        title={reopening ? `重新开启「${phaseLabel(reopening.key)}」阶段` : ''}
        okText="重新开启"
        cancelText="取消"
        okButtonProps={{ disabled: !reason.trim(), loading: !!reopening && busy === `${reopening.key}:reopen` }}
        onCancel={() => setReopening(null)}
        onOk={async () => {
          if (!reopening) return;
          const p = reopening;
          const ok = await run(`${p.key}:reopen`, () => campaignsApi.phase(campaign.id, p.key, 'reopen', reason.trim()), `「${phaseLabel(p.key)}」阶段已重新开启`);
          if (ok) setReopening(null);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">重新开启的理由将记入审计日志，并在阶段列表中显示。</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} showCount value={reason} onChange={(e) => setReason(e.target.value)} placeholder="请填写重新开启的理由" data-testid="reopen-reason" />
      </Modal>
    </Space>
  );
}
