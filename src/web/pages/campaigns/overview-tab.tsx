import { Button, Card, Descriptions, Grid, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { campaignsApi, type CampaignDetail } from '../../api/campaigns';
import { notify } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { cnDate, FilingTag, StateTag } from './labels';
import { PhasesCard } from './phases-card';

interface Props {
  detail: CampaignDetail;
  canManage: boolean;
  onChanged: () => void;
}

export function OverviewTab({ detail, canManage, onChanged }: Props) {
  const c = detail.campaign;
  // On a phone a label column beside the value leaves the value a few characters wide.
  const wide = Grid.useBreakpoint().md ?? true;
  const [busy, setBusy] = useState<string | null>(null);

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
            ? [
                {
                  key: 'parent',
                  label: '上级方案',
                  children: <Link to={`/campaigns/${detail.parent.id}`}>{detail.parent.title}</Link>,
                },
              ]
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

      <PhasesCard detail={detail} canManage={canManage} onChanged={onChanged} />
      {canManage && (c.state === 'published' || c.state === 'closed') && (
        <Card size="small">
          <Space wrap>
            {c.state === 'published' && (
              <Popconfirm
                title="结束本次述职评议考核"
                description="结束后不能再开启阶段、调整述职对象；各阶段须已结束或关闭。确定结束吗？"
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
        </Card>
      )}

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
    </Space>
  );
}
