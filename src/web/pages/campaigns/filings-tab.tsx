import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { campaignsApi, type CampaignChild, type CampaignDetail } from '../../api/campaigns';
import { notify } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { cnDate, FilingTag, StateTag } from './labels';

interface Props {
  detail: CampaignDetail;
  canManage: boolean;
  onChanged: () => void;
}

/**
 * 方案报备 (R-CAMP-3) from both sides: a sub-campaign files its plan with the level above; the
 * level above sees every sub-campaign's filing and acknowledges it or returns it with a reason.
 */
export function FilingsTab({ detail, canManage, onChanged }: Props) {
  const campaign = detail.campaign;
  const filing = detail.filing;
  const [busy, setBusy] = useState<string | null>(null);
  const [noteFor, setNoteFor] = useState<'submit' | CampaignChild | null>(null);
  const [text, setText] = useState('');

  const act = async (key: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(key);
    try {
      await fn();
      notify.success(done);
      onChanged();
      return true;
    } catch {
      return false;
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<CampaignChild> = [
    {
      title: '下级方案',
      key: 'title',
      render: (_, c) => (
        <div style={{ minWidth: 200 }}>
          <Link to={`/campaigns/${c.id}`}>{c.title}</Link>
          <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>{c.organizer.name}</div>
        </div>
      ),
    },
    {
      title: '状态',
      key: 'state',
      width: 190,
      render: (_, c) => (
        <Space size={4} wrap>
          <StateTag state={c.state} />
          <FilingTag state={c.filingState} />
        </Space>
      ),
    },
    { title: '完成时限', key: 'due', width: 130, render: (_, c) => cnDate(c.completeBy) },
    {
      title: '操作',
      key: 'actions',
      width: 150,
      render: (_, c) =>
        canManage && c.filingState === 'filed' ? (
          <Space size={0}>
            <Popconfirm
              title="确认收到报备"
              description={`确认「${c.organizer.name}」报备的方案？确认后下级即可发布。`}
              okText="确认"
              cancelText="取消"
              onConfirm={() =>
                act(
                  `ack:${c.id}`,
                  () => campaignsApi.acknowledgeFiling(c.id),
                  `已确认「${c.organizer.name}」的方案报备`,
                )
              }
            >
              <Button type="link" size="small" loading={busy === `ack:${c.id}`} data-testid={`filing-ack-${c.id}`}>
                确认
              </Button>
            </Popconfirm>
            <Button
              type="link"
              size="small"
              danger
              onClick={() => {
                setText('');
                setNoteFor(c);
              }}
              data-testid={`filing-return-${c.id}`}
            >
              退回
            </Button>
          </Space>
        ) : null,
    },
  ];

  const canSubmit = detail.permissions.canFile;
  const returning = noteFor && noteFor !== 'submit' ? noteFor : null;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {campaign.parentId !== null && (
        <Card size="small" title="本级方案报备（向上级）">
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              {
                key: 'parent',
                label: '上级方案',
                children: detail.parent ? `${detail.parent.title}（${detail.parent.organizer.name}）` : '—',
              },
              { key: 'state', label: '报备状态', children: <FilingTag state={filing.state} /> },
              { key: 'due', label: '本级完成时限', children: cnDate(campaign.completeBy) },
              ...(filing.filedAt
                ? [{ key: 'filed', label: '报备时间', children: formatDateTime(filing.filedAt) }]
                : []),
              ...(filing.note ? [{ key: 'note', label: '报备说明', children: filing.note }] : []),
              ...(filing.reviewedAt
                ? [{ key: 'rev', label: '上级处理时间', children: formatDateTime(filing.reviewedAt) }]
                : []),
            ]}
          />
          {filing.state === 'returned' && filing.returnReason && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 8 }}
              title="上级退回了本级方案，请修改后重新报备"
              description={`退回理由：${filing.returnReason}`}
              data-testid="filing-return-reason"
            />
          )}
          {canSubmit && (
            <Button
              type="primary"
              style={{ marginTop: 12 }}
              onClick={() => {
                setText('');
                setNoteFor('submit');
              }}
              data-testid="filing-submit"
            >
              {filing.state === 'returned' ? '重新报备' : '向上级报备方案'}
            </Button>
          )}
        </Card>
      )}

      <Card size="small" title={`下级方案（${detail.children.length}）`}>
        {detail.children.length ? (
          <Table<CampaignChild>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={detail.children}
            scroll={{ x: 820 }}
            pagination={detail.children.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            data-testid="sub-campaigns-table"
          />
        ) : (
          <Typography.Text type="secondary">
            {campaign.state === 'draft' ? '发布后为下级党组织生成各自的方案。' : '没有下级方案。'}
          </Typography.Text>
        )}
      </Card>

      <Modal
        open={noteFor !== null}
        title={returning ? `退回「${returning.organizer.name}」的方案` : '向上级报备方案'}
        okText={returning ? '退回' : '报备'}
        okButtonProps={{ danger: !!returning, disabled: !!returning && !text.trim(), loading: busy !== null }}
        cancelText="取消"
        onCancel={() => setNoteFor(null)}
        onOk={async () => {
          const ok = returning
            ? await act(
                `ret:${returning.id}`,
                () => campaignsApi.returnFiling(returning.id, text.trim()),
                `已退回「${returning.organizer.name}」的方案`,
              )
            : await act(
                'submit',
                () => campaignsApi.submitFiling(campaign.id, text.trim() || undefined),
                '已向上级报备方案',
              );
          if (ok) setNoteFor(null);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {returning
            ? '请写明需要修改的内容，下级将看到退回理由。'
            : '可附上说明（如对模板所作的调整），上级确认后生效。'}
        </Typography.Paragraph>
        <Input.TextArea
          rows={3}
          maxLength={1000}
          showCount
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={returning ? '退回理由（必填）' : '报备说明（选填）'}
          data-testid="filing-note"
        />
      </Modal>
    </Space>
  );
}
