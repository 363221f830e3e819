import { DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { PublishedProgressTab } from './published-progress-tab';
import {
  Alert,
  Button,
  Card,
  Empty,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Progress,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { campaignsApi } from '../../api/campaigns';
import { isApiError } from '../../api/client';
import {
  type Commitment,
  type Inbox,
  type ItemsQuery,
  type RectItem,
  rectificationApi,
  type RectStatus,
} from '../../api/rectification';
import { useAbilities, useUser } from '../../auth/auth-context';
import { paged, usePage, useCampaign } from '../../lib/query';
import { OrgSelect } from '../../components/org-select';
import { notify } from '../../lib/notify';
import { useDebounced } from '../../lib/use-debounced';
import { SOURCE_OPTIONS, STATUS_OPTIONS, StatusTag } from './shared';

const errorText = (e: unknown) => (isApiError(e) ? e.message : '操作失败，请重试');

/**
 * 问题整改 (R-FIX-1…4): the organization list with filters (the 问题/责任/整改清单 are columns of the
 * same rows), the problem inbox and the public commitments of one campaign. Phone-first for secretaries:
 * on a narrow screen the list is cards.
 */
export default function RectificationPage() {
  const ownOrganization = useAbilities().rectification.ownOrganization;
  const [params, setParams] = useSearchParams();
  const campaignId = Number(params.get('campaignId')) || undefined;
  const tab = params.get('tab') ?? 'items';
  const list = { offset: 0, limit: 100 };
  const campaigns =
    useQuery({ queryKey: ['campaigns', list], queryFn: ({ signal }) => campaignsApi.list(list, signal) }).data?.items ??
    [];
  // What the user may do in this campaign's 问题整改 (carry-over, 通报, publishing commitments): the server's answer.
  const organize = useCampaign(campaignId ?? null).data?.permissions.can.organizeRectification ?? false;
  const setParam = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const campaign = campaigns.find((c) => c.id === campaignId);
  useEffect(() => {
    document.title = '问题整改 · 述评考';
  }, []);

  return (
    <Card
      size="small"
      className="page-card"
      title="问题整改"
      extra={
        <Select
          allowClear
          placeholder="全部述职评议考核"
          style={{ width: 260, maxWidth: '55vw' }}
          value={campaignId}
          options={campaigns.map((c) => ({ value: c.id, label: c.title }))}
          onChange={(v) => setParam('campaignId', v ? String(v) : undefined)}
          data-testid="rect-campaign"
        />
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setParam('tab', k)}
        items={[
          { key: 'items', label: '整改清单', children: <ItemsTab campaignId={campaignId} /> },
          {
            key: 'inbox',
            label: '问题收集',
            children: campaignId ? (
              <InboxTab campaignId={campaignId} isSecretary={ownOrganization} />
            ) : (
              <Empty description="请先选择述职评议考核" />
            ),
          },
          {
            key: 'commitments',
            label: '公开承诺',
            children: campaignId ? (
              <CommitmentsTab campaignId={campaignId} organize={organize} />
            ) : (
              <Empty description="请先选择述职评议考核" />
            ),
          },
          {
            key: 'published',
            label: '公开的整改进展',
            children: campaignId ? (
              <PublishedProgressTab campaignId={campaignId} />
            ) : (
              <Empty description="请先选择述职评议考核" />
            ),
          },
        ]}
      />
      {campaign && organize && (
        <Space wrap style={{ marginTop: 8 }}>
          <Button icon={<DownloadOutlined />} onClick={() => void rectificationApi.bulletin(campaign.id)}>
            整改进展通报（.docx）
          </Button>
          <Button
            icon={<ImportOutlined />}
            onClick={() =>
              Modal.confirm({
                title: '结转上年度整改事项',
                content:
                  '将上年度同一组织方未销号的整改事项和巡视巡察反馈问题，导入本年度各述职对象的准备清单和述职报告检查。可重复执行，不会重复导入。',
                onOk: async () => {
                  const r = await rectificationApi.carryOver(campaign.id);
                  notify.success(
                    `已结转${r.carried}项整改事项，${r.priorItems}项列入述职报告检查${r.skipped.length ? `，${r.skipped.length}项因不在本次述职范围而跳过` : ''}`,
                  );
                },
              })
            }
          >
            结转上年度整改事项
          </Button>
        </Space>
      )}
    </Card>
  );
}

function ItemsTab({ campaignId }: { campaignId?: number }) {
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [status, setStatus] = useState<RectStatus | undefined>();
  const [overdue, setOverdue] = useState<boolean | undefined>();
  const [source, setSource] = useState<ItemsQuery['source']>();
  const [orgId, setOrgId] = useState<number | null>(null);
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 400);
  const ownOrganization = useAbilities().rectification.ownOrganization;
  const filters = { campaignId, status, overdue, source, q: q || undefined, orgId: orgId ?? undefined };
  const [page, setPage] = usePage(filters);
  const query = { ...filters, offset: (page - 1) * 20, limit: 20 };
  const items = useQuery({
    queryKey: ['rectification', 'items', query],
    queryFn: ({ signal }) => rectificationApi.list(query, signal),
    ...paged,
  });
  const data = items.isError ? null : items.data;
  const loading = items.isFetching;

  const columns: TableColumnsType<RectItem> = [
    { title: '单位', dataIndex: 'orgName', width: 150 },
    {
      title: '问题',
      dataIndex: 'description',
      render: (v: string, r) => <Link to={`/rectification/items/${r.id}`}>{v}</Link>,
    },
    { title: '来源', dataIndex: 'sourceLabel', width: 110 },
    {
      title: '责任人',
      key: 'owner',
      width: 120,
      render: (_, r) => [r.owner, r.responsibleLeader].filter(Boolean).join(' / ') || '—',
    },
    {
      title: '整改措施',
      dataIndex: 'measures',
      render: (v: string | null) => (
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
          {v ?? '—'}
        </Typography.Paragraph>
      ),
    },
    {
      title: '时限',
      dataIndex: 'deadline',
      width: 105,
      render: (v: string | null, r) => <span style={r.overdue ? { color: '#cf1322' } : undefined}>{v ?? '—'}</span>,
    },
    { title: '进度', dataIndex: 'progress', width: 90, render: (v: number) => `${v}%` },
    { title: '状态', key: 'status', width: 130, render: (_, r) => <StatusTag item={r} /> },
  ];

  return (
    <>
      {data && (
        <Space wrap size="large" style={{ marginBottom: 12, display: 'flex' }}>
          <Statistic title="整改事项" value={data.summary.total} />
          <Statistic title="已销号" value={data.summary.byStatus.closed ?? 0} />
          <Statistic title="待验收" value={data.summary.byStatus.pending_verification ?? 0} />
          <Statistic
            title="逾期"
            value={data.summary.overdue}
            valueStyle={data.summary.overdue ? { color: '#cf1322' } : undefined}
          />
        </Space>
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 110 }}
          options={STATUS_OPTIONS}
          value={status}
          onChange={setStatus}
          data-testid="rect-filter-status"
        />
        <Select
          allowClear
          placeholder="是否逾期"
          style={{ width: 110 }}
          value={overdue === undefined ? undefined : String(overdue)}
          options={[
            { value: 'true', label: '已逾期' },
            { value: 'false', label: '未逾期' },
          ]}
          onChange={(v) => setOverdue(v === undefined ? undefined : v === 'true')}
          data-testid="rect-filter-overdue"
        />
        <Select
          allowClear
          placeholder="问题来源"
          style={{ width: 150 }}
          options={SOURCE_OPTIONS}
          value={source}
          onChange={setSource}
        />
        {!ownOrganization && (
          <div style={{ width: 200 }}>
            <OrgSelect value={orgId} onChange={(v) => setOrgId(v)} placeholder="单位" allowClear />
          </div>
        )}
        <Input.Search
          allowClear
          placeholder="搜索单位、问题、责任人"
          style={{ width: 220 }}
          value={term}
          onChange={(e) => setTerm(e.target.value)}
        />
      </Space>
      {narrow ? (
        <List
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, size: 'small' }}
          renderItem={(r) => (
            <List.Item>
              <Link to={`/rectification/items/${r.id}`} style={{ width: '100%', color: 'inherit' }}>
                <Space direction="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap>
                    <StatusTag item={r} />
                    <Typography.Text type="secondary">{r.orgName}</Typography.Text>
                  </Space>
                  <Typography.Text strong>{r.description}</Typography.Text>
                  <Typography.Text type={r.overdue ? 'danger' : 'secondary'}>
                    时限：{r.deadline ?? '未定'} · 责任人：{r.owner ?? '未定'}
                  </Typography.Text>
                  <Progress percent={r.progress} size="small" />
                </Space>
              </Link>
            </List.Item>
          )}
        />
      ) : (
        <Table<RectItem>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 1000 }}
          rowClassName={(r) => (r.overdue ? 'rect-overdue' : '')}
          onRow={(r) => ({ style: r.overdue ? { background: '#fff1f0' } : undefined })}
          pagination={{
            current: page,
            pageSize: 20,
            total: data?.total ?? 0,
            onChange: setPage,
            showTotal: (n) => `共 ${n} 项`,
          }}
          data-testid="rect-table"
        />
      )}
    </>
  );
}

function InboxTab({ campaignId, isSecretary }: { campaignId: number; isSecretary: boolean }) {
  const [orgId, setOrgId] = useState<number | null>(null);
  const [manual, setManual] = useState(false);
  const [form] = Form.useForm<{ description: string }>();
  const queryClient = useQueryClient();
  const inboxKey = ['rectification', 'inbox', campaignId, orgId] as const;
  const query = useQuery({
    queryKey: inboxKey,
    queryFn: ({ signal }) => rectificationApi.inbox(campaignId, orgId ?? undefined, signal),
    // An organizer first picks the unit; a secretary sees their own.
    enabled: isSecretary || !!orgId,
    ...paged,
  });
  const inbox: Inbox | null = query.isError ? null : (query.data ?? null);
  const error = query.isError ? errorText(query.error) : null;
  const reload = () => void queryClient.invalidateQueries({ queryKey: inboxKey });

  const turn = async (key: string) => {
    if (!inbox) return;
    try {
      await rectificationApi.create(campaignId, { orgId: inbox.org.id, fromKey: key });
      notify.success('已转为整改事项，请补充责任人、整改措施和时限');
      reload();
    } catch (e) {
      notify.error(errorText(e));
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {!isSecretary && (
          <div style={{ width: 240 }}>
            <OrgSelect value={orgId} onChange={(v) => setOrgId(v)} placeholder="选择述职单位" />
          </div>
        )}
        {inbox && (
          <Button icon={<PlusOutlined />} onClick={() => setManual(true)}>
            录入巡视巡察反馈问题
          </Button>
        )}
      </Space>
      {error && <Alert type="warning" showIcon message={error} />}
      {!inbox && !error && <Empty description="请选择述职单位" />}
      {inbox && (
        <List
          header={
            <Typography.Text>
              {inbox.org.name}：共{inbox.entries.length}条问题，{inbox.pending}条待转为整改事项
            </Typography.Text>
          }
          dataSource={inbox.entries}
          locale={{ emptyText: '暂未发现问题' }}
          renderItem={(e) => (
            <List.Item
              data-testid="inbox-entry"
              actions={[
                e.itemId ? (
                  <Link key="i" to={`/rectification/items/${e.itemId}`}>
                    查看整改事项
                  </Link>
                ) : (
                  <Button key="t" type="link" size="small" onClick={() => void turn(e.key)}>
                    转为整改事项
                  </Button>
                ),
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    <Tag>{e.sourceLabel}</Tag>
                    {e.text}
                  </Space>
                }
                description={e.detail}
              />
            </List.Item>
          )}
        />
      )}
      <Modal
        title="录入巡视巡察反馈问题"
        open={manual}
        onCancel={() => setManual(false)}
        destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields();
          try {
            await rectificationApi.create(campaignId, { orgId: inbox!.org.id, description: v.description });
            setManual(false);
            form.resetFields();
            reload();
          } catch (e) {
            notify.error(errorText(e));
          }
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="description"
            label="反馈问题"
            rules={[{ required: true, whitespace: true, message: '请填写问题' }]}
          >
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function CommitmentsTab({ campaignId, organize }: { campaignId: number; organize: boolean }) {
  const user = useUser();
  const draftsOwn = useAbilities().rectification.ownOrganization;
  const list = useQuery({
    queryKey: ['rectification', 'commitments', campaignId],
    queryFn: ({ signal }) => rectificationApi.commitments(campaignId, signal),
  });
  // A list that failed to load shows empty.
  const items: Commitment[] = list.isError ? [] : (list.data?.items ?? []);
  const [editing, setEditing] = useState<Commitment | 'new' | null>(null);
  const [text, setText] = useState('');
  const reload = () => void list.refetch();
  const run = (f: () => Promise<unknown>, ok: string) => async () => {
    try {
      await f();
      notify.success(ok);
      reload();
    } catch (e) {
      notify.error(errorText(e));
    }
  };
  const own = items.find((k) => k.orgId === user.orgId && k.state !== 'published');

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {draftsOwn && !own && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setText('');
              setEditing('new');
            }}
          >
            起草公开承诺
          </Button>
        )}
        {organize && (
          <Button onClick={run(() => rectificationApi.publishCommitments(campaignId), '已公开')}>
            公开已确认的承诺
          </Button>
        )}
      </Space>
      <List
        dataSource={items}
        locale={{ emptyText: '暂无公开承诺' }}
        renderItem={(k) => (
          <List.Item
            data-testid="commitment"
            actions={[
              k.canEdit && (
                <Button
                  key="e"
                  type="link"
                  size="small"
                  onClick={() => {
                    setText(k.content);
                    setEditing(k);
                  }}
                >
                  修改
                </Button>
              ),
              k.canEdit && (
                <Button
                  key="f"
                  type="link"
                  size="small"
                  onClick={run(() => rectificationApi.fileCommitment(k.id), '已报组织部门')}
                >
                  报组织部门
                </Button>
              ),
              k.canReview && (
                <Button
                  key="a"
                  type="link"
                  size="small"
                  onClick={run(() => rectificationApi.reviewCommitment(k.id, 'acknowledge'), '已确认')}
                >
                  确认
                </Button>
              ),
              k.canReview && (
                <Button
                  key="r"
                  type="link"
                  size="small"
                  danger
                  onClick={() => {
                    let reason = '';
                    Modal.confirm({
                      title: '退回公开承诺',
                      content: (
                        <Input.TextArea
                          rows={3}
                          onChange={(e) => {
                            reason = e.target.value;
                          }}
                          placeholder="退回理由"
                        />
                      ),
                      onOk: run(() => rectificationApi.reviewCommitment(k.id, 'return', reason), '已退回'),
                    });
                  }}
                >
                  退回
                </Button>
              ),
            ].filter(Boolean)}
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  {k.orgName}
                  <Tag color={k.state === 'published' ? 'success' : k.state === 'returned' ? 'error' : 'processing'}>
                    {k.stateLabel}
                  </Tag>
                </Space>
              }
              description={
                <>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
                    {k.content}
                  </Typography.Paragraph>
                  {k.returnReason && <Typography.Text type="danger">退回理由：{k.returnReason}</Typography.Text>}
                </>
              }
            />
          </List.Item>
        )}
      />
      <Modal
        title={editing === 'new' ? '起草公开承诺' : '修改公开承诺'}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={async () => {
          try {
            if (editing === 'new') await rectificationApi.createCommitment(campaignId, text);
            else if (editing) await rectificationApi.updateCommitment(editing.id, text);
            setEditing(null);
            reload();
          } catch (e) {
            notify.error(errorText(e));
          }
        }}
      >
        <Input.TextArea
          rows={8}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={10000}
          showCount
          placeholder="逐条写明承诺事项和完成时限"
        />
      </Modal>
    </>
  );
}
