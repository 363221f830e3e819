import { DownloadOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { type KeyItem, type KeySector, type KeysFilter, type KeysView, resultsApi } from '../../api/results';
import { OrgSelect } from '../../components/org-select';
import { notify } from '../../lib/notify';
import { useLastData } from '../../lib/query';

const STATE_COLOR: Record<string, string> = {
  proposed: 'orange',
  listed: 'red',
  removed: 'default',
  upgraded: 'green',
};

/** 重点管理 (R-USE-4): the weakest per sector, adjusted with reasons, tracked until 晋位升级. */
export function KeysTab({ campaignId, canManage }: { campaignId: number; canManage: boolean }) {
  const [state, setState] = useState<KeysFilter['state']>();
  const [dialog, setDialog] = useState<{ kind: 'add' } | { kind: 'remove' | 'upgrade'; item: KeyItem } | null>(null);
  const list = useQuery({
    queryKey: ['key-management', campaignId, state],
    queryFn: ({ signal }) => resultsApi.keys(campaignId, { state }, signal),
  });
  const data: KeysView | null = useLastData(list.data) ?? null;
  const error = list.error ? (isApiError(list.error) ? list.error.message : '加载失败') : null;
  const load = () => void list.refetch();
  const propose = async () => {
    try {
      const r = await resultsApi.proposeKeys(campaignId);
      notify.success(`新提出${r.added}个重点管理对象`);
      load();
    } catch {
      /* shown by the client */
    }
  };
  const confirm = async (item: KeyItem) => {
    try {
      await resultsApi.actKey(campaignId, item.id, { action: 'confirm' });
      load();
    } catch (e) {
      notify.error(isApiError(e) ? e.message : '操作失败');
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {error && <Alert type="warning" showIcon message={error} />}
      {data?.scope.decidedAbove && (
        <Alert
          type="info"
          showIcon
          message={`本级的重点管理名单由「${data.scope.decidedAbove}」在各下级述职评议考核结果中统一排序确定。`}
        />
      )}
      {data?.scope.mode === 'sub_rounds' && !data.scope.decidedAbove && (
        <Alert
          type={data.scope.unlocked.length ? 'warning' : 'info'}
          showIcon
          data-testid="key-scope"
          message={
            `名单从${data.scope.rounds}个下级述职评议考核的述职对象中按综合得分统一排序确定（农村不低于10%、社区和其他基层党组织不低于5%）。` +
            (data.scope.unlocked.length
              ? `以下下级的综合评价尚未锁定，锁定后才能提出名单：${data.scope.unlocked.join('、')}`
              : '')
          }
        />
      )}
      {data?.sectors.some((s) => s.short > 0) && (
        <Alert
          type="error"
          showIcon
          data-testid="key-short"
          message={data.sectors
            .filter((s) => s.short > 0)
            .map((s) => `${s.sectorLabel}领域应列入不少于${s.required}个，现有${s.onList}个，还差${s.short}个`)
            .join('；')}
        />
      )}
      <Space wrap>
        {canManage && !data?.scope.decidedAbove && (
          <Popconfirm
            title="按综合排名提出重点管理名单？"
            description="已在名单中的（含已调整的）不会改变。"
            onConfirm={propose}
            okText="提出"
            cancelText="取消"
          >
            <Button type="primary" icon={<ThunderboltOutlined />} data-testid="propose-keys">
              按比例提出名单
            </Button>
          </Popconfirm>
        )}
        {canManage && (
          <Button icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'add' })}>
            增列
          </Button>
        )}
        <Select
          allowClear
          placeholder="状态"
          value={state}
          onChange={setState}
          style={{ width: 140 }}
          options={[
            { value: 'proposed', label: '拟列入' },
            { value: 'listed', label: '已列入' },
            { value: 'removed', label: '已调出' },
            { value: 'upgraded', label: '已晋位升级' },
          ]}
        />
        <Button icon={<DownloadOutlined />} onClick={() => resultsApi.exportKeys(campaignId)}>
          导出名单
        </Button>
      </Space>
      <Table<KeySector>
        size="small"
        rowKey="sector"
        pagination={false}
        dataSource={data?.sectors ?? []}
        columns={[
          { title: '领域', dataIndex: 'sectorLabel' },
          { title: '党组织数', dataIndex: 'total' },
          { title: '应列入（不少于）', dataIndex: 'required' },
          { title: '名单中', dataIndex: 'onList' },
        ]}
      />
      <Table<KeyItem>
        size="small"
        rowKey="id"
        loading={!data && !error}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 20 }}
        data-testid="keys-table"
        columns={[
          { title: '党组织', dataIndex: 'orgName' },
          ...(data?.scope.mode === 'sub_rounds'
            ? [{ title: '所在述职评议考核', dataIndex: 'roundName', width: 160 }]
            : []),
          { title: '领域', dataIndex: 'sectorLabel', width: 80 },
          { title: data?.scope.mode === 'sub_rounds' ? '统一排名' : '综合排名', dataIndex: 'compositeRank', width: 90 },
          {
            title: '状态',
            dataIndex: 'stateLabel',
            width: 100,
            render: (v: string, r) => (
              <Tag color={STATE_COLOR[r.state]}>
                {v}
                {r.addedManually ? '（增列）' : ''}
              </Tag>
            ),
          },
          {
            title: '理由',
            dataIndex: 'reason',
            render: (v: string | null) => <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span>,
          },
          { title: '晋位升级', dataIndex: 'upgradeNote' },
          {
            title: '操作',
            width: 200,
            render: (_, r) =>
              canManage && (
                <Space size="small">
                  {r.state === 'proposed' && (
                    <Button size="small" onClick={() => confirm(r)}>
                      确认列入
                    </Button>
                  )}
                  {(r.state === 'proposed' || r.state === 'listed') && (
                    <Button size="small" danger onClick={() => setDialog({ kind: 'remove', item: r })}>
                      调出
                    </Button>
                  )}
                  {r.state === 'listed' && (
                    <Button size="small" onClick={() => setDialog({ kind: 'upgrade', item: r })}>
                      晋位升级
                    </Button>
                  )}
                </Space>
              ),
          },
        ]}
      />
      {dialog && (
        <KeyDialog
          campaignId={campaignId}
          dialog={dialog}
          onClose={(changed) => {
            setDialog(null);
            if (changed) load();
          }}
        />
      )}
    </Space>
  );
}

function KeyDialog({
  campaignId,
  dialog,
  onClose,
}: {
  campaignId: number;
  dialog: { kind: 'add' } | { kind: 'remove' | 'upgrade'; item: KeyItem };
  onClose: (changed: boolean) => void;
}) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const titles = { add: '增列重点管理对象', remove: '调出重点管理名单', upgrade: '晋位升级' };
  const ok = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      if (dialog.kind === 'add') await resultsApi.addKey(campaignId, v.orgId, v.text);
      else if (dialog.kind === 'remove')
        await resultsApi.actKey(campaignId, dialog.item.id, { action: 'remove', reason: v.text });
      else await resultsApi.actKey(campaignId, dialog.item.id, { action: 'upgrade', note: v.text });
      onClose(true);
    } catch (e) {
      notify.error(isApiError(e) ? e.message : '操作失败');
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={titles[dialog.kind]}
      onOk={ok}
      confirmLoading={saving}
      onCancel={() => onClose(false)}
      okText="确定"
      cancelText="取消"
    >
      <Form form={form} layout="vertical">
        {dialog.kind === 'add' && (
          <Form.Item
            name="orgId"
            label="党组织（须为本次述职对象）"
            rules={[{ required: true, message: '请选择党组织' }]}
          >
            <OrgSelect />
          </Form.Item>
        )}
        <Form.Item
          name="text"
          label={dialog.kind === 'upgrade' ? '晋位升级情况' : '理由'}
          rules={[{ required: true, whitespace: true, message: '请填写理由' }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
