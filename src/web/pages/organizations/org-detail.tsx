import {
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  PlusOutlined,
  SwapOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Popconfirm,
  Result,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { isApiError } from '../../api/client';
import { orgsApi } from '../../api/orgs';
import type { Member, OrgDetail as OrgDetailData, OrgNode, Secretary } from '../../api/types';
import { useMeta } from '../../lib/meta';
import { notify } from '../../lib/notify';
import { isShortTenure } from '../../lib/time';
import { MemberModal, MoveModal, OrgFormModal, SecretaryModal } from './org-forms';
import { NoAccess } from '../../components/no-access';

interface Props {
  orgId: number;
  canEdit: boolean;
  /** Opens another organization (breadcrumb, or a newly created child). */
  onOpen: (id: number) => void;
  /** The organization itself changed (name, code, kind…). */
  onUpdated: (org: OrgNode) => void;
  /** A child was created under `parentId`. */
  onCreated: (parentId: number, org: OrgNode) => void;
  /** The organization moved from one parent to another. */
  onMoved: (org: OrgNode, fromParentId: number | null) => void;
  /** Called once the detail (with its ancestors) is loaded. */
  onLoaded?: (detail: OrgDetailData) => void;
}

type Dialog =
  | { kind: 'edit' }
  | { kind: 'create' }
  | { kind: 'move' }
  | { kind: 'secretary' }
  | { kind: 'member'; member?: Member }
  | null;

export function ShortTenureTag({ tenureStart }: { tenureStart: string }) {
  if (!isShortTenure(tenureStart)) return null;
  return (
    <Tag color="orange" data-testid="short-tenure">
      任职不满3个月
    </Tag>
  );
}

export function OrgDetail({ orgId, canEdit, onOpen, onUpdated, onCreated, onMoved, onLoaded }: Props) {
  const { modal } = App.useApp();
  const { kindLabel, sectorLabel, levelLabel } = useMeta();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [exporting, setExporting] = useState(false);
  const [removingId, setRemovingId] = useState<number | null>(null);

  // Every answer goes to the parent (the tree updates the node's name and child count), as each load did before; the
  // local edits below (setDetail) do not.
  const loaded = useRef(onLoaded);
  loaded.current = onLoaded;
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['org', orgId],
    queryFn: async ({ signal }) => {
      const d = await orgsApi.detail(orgId, signal);
      loaded.current?.(d);
      return d;
    },
  });
  const detail: OrgDetailData | null = query.data ?? null;
  const failure = query.error;
  const error = failure
    ? isApiError(failure)
      ? { code: failure.code as string, message: failure.message }
      : { code: 'UNKNOWN', message: '加载失败' }
    : null;
  const setDetail = (update: (d: OrgDetailData | undefined) => OrgDetailData | undefined) =>
    queryClient.setQueryData<OrgDetailData>(['org', orgId], update);
  const refetch = query.refetch;
  const load = useCallback((_id: number) => refetch().then(() => undefined), [refetch]);

  if (error?.code === 'FORBIDDEN') return <NoAccess />;
  if (error) {
    const status = error.code === 'NOT_FOUND' ? '404' : 'error';
    return (
      <Card data-testid="org-detail">
        <Result
          status={status}
          title={error.message}
          extra={
            <Button onClick={() => void load(orgId)} data-testid="org-detail-retry">
              重试
            </Button>
          }
        />
      </Card>
    );
  }

  if (!detail || detail.org.id !== orgId) {
    return (
      <Card data-testid="org-detail" aria-busy="true">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const { org, ancestors, secretary, secretaryHistory, members } = detail;
  const close = () => setDialog(null);

  const doExport = async () => {
    setExporting(true);
    try {
      await orgsApi.exportSubtree(org.id, org.name);
    } catch {
      // Already reported by the client.
    } finally {
      setExporting(false);
    }
  };

  const confirmMove = (target: { id: number; name: string }) => {
    modal.confirm({
      title: '确认移动组织？',
      content: (
        <div data-testid="move-confirm">
          将「{org.name}」{org.childCount > 0 ? `及其全部 ${org.childCount} 个直属下级（含所有下级）` : ''}移动到「
          {target.name}」之下。 移动后，上级党组织及管理范围随之变化。
        </div>
      ),
      okText: '确认移动',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        const fromParentId = org.parentId;
        const res = await orgsApi.move(org.id, target.id);
        notify.success('组织已移动');
        close();
        onMoved({ ...org, ...res.org }, fromParentId);
        await load(org.id);
      },
    });
  };

  const removeMember = async (m: Member) => {
    setRemovingId(m.id);
    try {
      await orgsApi.removeMember(m.id);
      notify.success(`已删除班子成员：${m.name}`);
      setDetail((d) => (d ? { ...d, members: d.members.filter((x) => x.id !== m.id) } : d));
    } catch {
      // Already reported by the client.
    } finally {
      setRemovingId(null);
    }
  };

  const historyColumns = [
    { title: '姓名', dataIndex: 'name', key: 'name' },
    { title: '职务', dataIndex: 'position', key: 'position' },
    { title: '任职开始', dataIndex: 'tenureStart', key: 'tenureStart', width: 110 },
    {
      title: '任职结束',
      dataIndex: 'tenureEnd',
      key: 'tenureEnd',
      width: 110,
      render: (v: string | null) => v ?? <Tag color="green">现任</Tag>,
    },
    { title: '联系电话', dataIndex: 'phone', key: 'phone', render: (v: string | null) => v ?? '—' },
  ];

  const memberColumns = [
    { title: '姓名', dataIndex: 'name', key: 'name' },
    { title: '职务', dataIndex: 'position', key: 'position' },
    { title: '联系电话', dataIndex: 'phone', key: 'phone', render: (v: string | null) => v ?? '—' },
    ...(canEdit
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 140,
            render: (_: unknown, m: Member) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => setDialog({ kind: 'member', member: m })}
                >
                  编辑
                </Button>
                <Popconfirm
                  title="删除班子成员"
                  description={`确定删除「${m.name}」吗？`}
                  okText="删除"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => removeMember(m)}
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} loading={removingId === m.id}>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="org-detail" data-org-id={org.id}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small">
          {ancestors.length > 0 && (
            <Breadcrumb
              style={{ marginBottom: 8 }}
              items={[
                ...ancestors.map((a) => ({
                  key: a.id,
                  title: <Typography.Link onClick={() => onOpen(a.id)}>{a.name}</Typography.Link>,
                })),
                { key: org.id, title: org.name },
              ]}
            />
          )}
          <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, marginBottom: 12 }}>
            <Typography.Title level={4} style={{ margin: 0, wordBreak: 'break-all' }} data-testid="org-detail-name">
              {org.name}
            </Typography.Title>
            <Tag color="red">{kindLabel(org.kind)}</Tag>
            <Tag>{sectorLabel(org.sector)}</Tag>
            <Tag>{levelLabel(org.level)}</Tag>
          </div>
          <Space wrap>
            {canEdit && (
              <>
                <Button icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit' })} data-testid="org-edit">
                  编辑
                </Button>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => setDialog({ kind: 'create' })}
                  data-testid="org-add-child"
                >
                  新建下级组织
                </Button>
                {org.parentId != null && (
                  <Button icon={<SwapOutlined />} onClick={() => setDialog({ kind: 'move' })} data-testid="org-move">
                    移动
                  </Button>
                )}
              </>
            )}
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={doExport} data-testid="org-export">
              导出本级及下级
            </Button>
          </Space>
          <Descriptions size="small" column={{ xs: 1, sm: 2, xl: 3 }} style={{ marginTop: 12 }}>
            <Descriptions.Item label="组织编码">{org.code}</Descriptions.Item>
            <Descriptions.Item label="组织类别">{kindLabel(org.kind)}</Descriptions.Item>
            <Descriptions.Item label="领域">{sectorLabel(org.sector)}</Descriptions.Item>
            <Descriptions.Item label="层级">{levelLabel(org.level)}</Descriptions.Item>
            <Descriptions.Item label="直属下级">{org.childCount} 个</Descriptions.Item>
          </Descriptions>
        </Card>

        <Card
          size="small"
          title="书记"
          extra={
            canEdit && (
              <Button
                size="small"
                type="primary"
                icon={<UserSwitchOutlined />}
                onClick={() => setDialog({ kind: 'secretary' })}
                data-testid="secretary-change"
              >
                {secretary ? '更换书记' : '设置书记'}
              </Button>
            )
          }
        >
          {secretary ? (
            <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
              <Descriptions.Item label="姓名">
                <Space size={4} wrap>
                  <span data-testid="secretary-name">{secretary.name}</span>
                  <ShortTenureTag tenureStart={secretary.tenureStart} />
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label="职务">{secretary.position}</Descriptions.Item>
              <Descriptions.Item label="任职时间">{secretary.tenureStart}</Descriptions.Item>
              <Descriptions.Item label="联系电话">{secretary.phone ?? '—'}</Descriptions.Item>
            </Descriptions>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未设置书记" />
          )}
          {secretaryHistory.length > 0 && (
            <>
              <Typography.Text strong style={{ display: 'block', margin: '12px 0 8px' }}>
                任职记录
              </Typography.Text>
              <Table<Secretary>
                size="small"
                rowKey="id"
                columns={historyColumns}
                dataSource={secretaryHistory}
                pagination={secretaryHistory.length > 10 ? { pageSize: 10, size: 'small' } : false}
                scroll={{ x: 520 }}
                data-testid="secretary-history"
              />
            </>
          )}
        </Card>

        <Card
          size="small"
          title={`班子成员（${members.length}）`}
          extra={
            canEdit && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => setDialog({ kind: 'member' })}
                data-testid="member-add"
              >
                添加成员
              </Button>
            )
          }
        >
          <Table<Member>
            size="small"
            rowKey="id"
            columns={memberColumns}
            dataSource={members}
            pagination={members.length > 10 ? { pageSize: 10, size: 'small' } : false}
            locale={{ emptyText: '暂无班子成员' }}
            scroll={{ x: 480 }}
            data-testid="members-table"
          />
        </Card>
      </Space>

      {/* One form for both edit and create, so its fields (and test ids) exist once on the page. */}
      <OrgFormModal
        open={dialog?.kind === 'edit' || dialog?.kind === 'create'}
        org={dialog?.kind === 'edit' ? org : undefined}
        parent={
          dialog?.kind === 'create' ? { id: org.id, name: org.name, level: org.level, sector: org.sector } : undefined
        }
        onClose={close}
        onSaved={(saved) => {
          const creating = dialog?.kind === 'create';
          close();
          if (creating) {
            notify.success(`已新建：${saved.name}`);
            setDetail((d) => (d ? { ...d, org: { ...d.org, childCount: d.org.childCount + 1 } } : d));
            onCreated(org.id, saved);
          } else {
            notify.success('组织信息已保存');
            const merged = { ...org, ...saved, childCount: org.childCount };
            setDetail((d) => (d ? { ...d, org: merged } : d));
            onUpdated(merged);
          }
        }}
      />
      <MoveModal open={dialog?.kind === 'move'} detail={detail} onClose={close} onPick={confirmMove} />
      <SecretaryModal
        open={dialog?.kind === 'secretary'}
        orgId={org.id}
        current={secretary}
        onClose={close}
        onSaved={() => {
          close();
          notify.success('书记信息已更新');
          void load(org.id);
        }}
      />
      <MemberModal
        open={dialog?.kind === 'member'}
        orgId={org.id}
        member={dialog?.kind === 'member' ? dialog.member : undefined}
        onClose={close}
        onSaved={(saved) => {
          const editing = dialog?.kind === 'member' && !!dialog.member;
          close();
          notify.success(editing ? '班子成员已更新' : '班子成员已添加');
          setDetail((d) =>
            d
              ? {
                  ...d,
                  members: editing ? d.members.map((x) => (x.id === saved.id ? saved : x)) : [...d.members, saved],
                }
              : d,
          );
        }}
      />
    </div>
  );
}
