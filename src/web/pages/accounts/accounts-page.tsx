import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  EditOutlined,
  KeyOutlined,
  PlusOutlined,
  ReloadOutlined,
  SafetyOutlined,
  SearchOutlined,
  StopOutlined,
  UnlockOutlined,
} from '@ant-design/icons';
import {
  Button,
  Card,
  Descriptions,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Account, Role } from '../../api/types';
import { type AccountList, usersApi } from '../../api/users';
import { useAbilities } from '../../auth/auth-context';
import { paged, usePage } from '../../lib/query';
import { toOptions, useMeta } from '../../lib/meta';
import { notify } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { useDebounced } from '../../lib/use-debounced';
import { CreateAccountModal, EditAccountModal, PasswordModal, RoleModal } from './account-forms';

const ROLE_COLORS: Partial<Record<Role, string>> = {
  org_admin: 'red',
  secretary: 'blue',
  leader: 'purple',
  assessor: 'cyan',
  observer: 'geekblue',
  sys_admin: 'volcano',
  security_admin: 'magenta',
  auditor: 'gold',
};

/** The settings the 安全管理员 answers for, read-only (they come from the server's environment). */
function SecurityPolicyCard() {
  const { data: policy } = useQuery({
    queryKey: ['security-policy'],
    queryFn: ({ signal }) => usersApi.securityPolicy(signal),
  });
  if (!policy) return null;
  return (
    <Card
      size="small"
      title={
        <>
          <SafetyOutlined /> 安全策略
        </>
      }
      className="page-card"
      style={{ marginBottom: 16 }}
      data-testid="security-policy"
    >
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="密码复杂度">{policy.passwordRule}</Descriptions.Item>
        <Descriptions.Item label="密码有效期">
          {policy.passwordMaxAgeDays > 0
            ? `${policy.passwordMaxAgeDays}天（到期前${policy.passwordWarnDays}天提醒）`
            : '不过期'}
        </Descriptions.Item>
        <Descriptions.Item label="登录失败锁定">{`同一地址连续错误${policy.lockoutAttempts}次锁定${policy.lockoutMinutes}分钟；所有地址合计${policy.lockoutGlobalAttempts}次锁定该账号`}</Descriptions.Item>
        <Descriptions.Item label="会话超时">{`${policy.idleTimeoutMinutes}分钟无操作自动退出`}</Descriptions.Item>
        <Descriptions.Item label="登录频率">{`每个地址每分钟最多${policy.loginRatePerMinute}次`}</Descriptions.Item>
      </Descriptions>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        以上设置由运维人员在服务器环境变量中配置（见部署文档），修改后重启生效。
      </Typography.Text>
    </Card>
  );
}

export default function AccountsPage() {
  const can = useAbilities().accounts;
  const { roles, roleLabel } = useMeta();
  const queryClient = useQueryClient();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [role, setRole] = useState<Role | undefined>();
  const [pageSize, setPageSize] = useState(20);
  const [page, setPage] = usePage([q, role, pageSize]);
  const query = { q: q || undefined, role, offset: (page - 1) * pageSize, limit: pageSize };
  const queryKey = ['users', query];
  const list = useQuery({ queryKey, queryFn: ({ signal }) => usersApi.list(query, signal), ...paged });
  const data = list.data ?? { items: [], total: 0 };
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Account | null>(null);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [changingRole, setChangingRole] = useState<Account | null>(null);
  const canCreate = can.create.length > 0;
  const [busyId, setBusyId] = useState<number | null>(null);

  useEffect(() => {
    document.title = '账号管理 · 述评考';
  }, []);

  const reload = () => void list.refetch();
  // An action's answer is the row as it is now: shown at once, without reloading the page of rows.
  const replace = (a: Account) =>
    queryClient.setQueryData<AccountList>(
      queryKey,
      (d) => d && { ...d, items: d.items.map((x) => (x.id === a.id ? a : x)) },
    );

  const setDisabled = async (a: Account, disabled: boolean) => {
    setBusyId(a.id);
    try {
      const res = await usersApi.update(a.id, { disabled });
      replace(res.user);
      notify.success(disabled ? `已停用账号：${a.username}` : `已启用账号：${a.username}`);
    } catch (e) {
      // update() is silent for the forms; here the message is the only place to show it.
      notify.error(e instanceof Error ? e.message : '操作失败');
    } finally {
      setBusyId(null);
    }
  };

  const unlock = async (a: Account) => {
    setBusyId(a.id);
    try {
      await usersApi.unlock(a.id);
      replace({ ...a, lockedUntil: null });
      notify.success(`已解锁账号：${a.username}`);
    } catch {
      // Already reported by the client.
    } finally {
      setBusyId(null);
    }
  };

  const expire = async (a: Account) => {
    setBusyId(a.id);
    try {
      await usersApi.expirePassword(a.id);
      replace({ ...a, mustChangePassword: true });
      notify.success(`「${a.username}」下次登录时须修改密码`);
    } catch {
      // Already reported by the client.
    } finally {
      setBusyId(null);
    }
  };

  const columns: TableColumnsType<Account> = [
    { title: '用户名', dataIndex: 'username', key: 'username', width: 140, fixed: 'left' },
    { title: '姓名', dataIndex: 'displayName', key: 'displayName', width: 120 },
    {
      title: '角色',
      dataIndex: 'role',
      key: 'role',
      width: 130,
      render: (r: Role) => <Tag color={ROLE_COLORS[r]}>{roleLabel(r)}</Tag>,
    },
    {
      title: '管理范围 / 所在组织',
      key: 'scope',
      render: (_, a) => (
        <div style={{ minWidth: 160 }}>
          {a.scopeOrgName && <div>范围：{a.scopeOrgName}</div>}
          {a.orgName && <div style={{ color: 'rgba(0,0,0,0.55)' }}>所在：{a.orgName}</div>}
          {!a.scopeOrgName && !a.orgName && '—'}
        </div>
      ),
    },
    {
      title: '状态',
      key: 'status',
      width: 150,
      render: (_, a) => (
        <Space size={4} wrap>
          {a.disabled ? <Tag color="default">已停用</Tag> : <Tag color="green">正常</Tag>}
          {a.mustChangePassword && <Tag color="blue">待改密</Tag>}
          {a.lockedUntil && (
            <Tooltip title={`锁定至 ${formatDateTime(a.lockedUntil)}`}>
              <Tag color="orange">已锁定</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 320,
      // Exactly what the server says this user may do to the account (三员分立, decision 019).
      render: (_, a) => {
        const may = new Set(a.actions);
        if (may.size === 0) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Space size={0} wrap>
            {may.has('edit') && (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(a)}>
                编辑
              </Button>
            )}
            {may.has('role') && (
              <Button
                type="link"
                size="small"
                icon={<SafetyOutlined />}
                onClick={() => setChangingRole(a)}
                data-testid="account-change-role"
              >
                修改角色
              </Button>
            )}
            {may.has('password') && (
              <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(a)}>
                重置密码
              </Button>
            )}
            {may.has('expire') && !a.mustChangePassword && (
              <Popconfirm
                title="强制修改密码"
                description={`「${a.username}」当前的登录将失效，下次登录时须修改密码。确定吗？`}
                okText="确定"
                cancelText="取消"
                onConfirm={() => expire(a)}
              >
                <Button type="link" size="small" icon={<ClockCircleOutlined />} loading={busyId === a.id}>
                  强制改密
                </Button>
              </Popconfirm>
            )}
            {may.has('unlock') && a.lockedUntil && (
              <Popconfirm
                title="解锁账号"
                description={`确定解除「${a.username}」在所有地址的登录锁定吗？`}
                okText="解锁"
                cancelText="取消"
                onConfirm={() => unlock(a)}
              >
                <Button type="link" size="small" icon={<UnlockOutlined />} loading={busyId === a.id}>
                  解锁
                </Button>
              </Popconfirm>
            )}
            {may.has('disable') &&
              (a.disabled ? (
                <Popconfirm
                  title="启用账号"
                  description={`确定启用「${a.username}」吗？`}
                  okText="启用"
                  cancelText="取消"
                  onConfirm={() => setDisabled(a, false)}
                >
                  <Button type="link" size="small" icon={<CheckCircleOutlined />} loading={busyId === a.id}>
                    启用
                  </Button>
                </Popconfirm>
              ) : (
                <Popconfirm
                  title="停用账号"
                  description={`停用后「${a.username}」将无法登录，已登录的会话立即失效。确定停用吗？`}
                  okText="停用"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => setDisabled(a, true)}
                >
                  <Button type="link" size="small" danger icon={<StopOutlined />} loading={busyId === a.id}>
                    停用
                  </Button>
                </Popconfirm>
              ))}
          </Space>
        );
      },
    },
  ];

  return (
    <>
      {can.securitySettings && <SecurityPolicyCard />}
      <Card
        size="small"
        title="账号管理"
        className="page-card"
        extra={
          canCreate && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="account-create"
            >
              新建账号
            </Button>
          )
        }
      >
        <div className="filters">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="搜索用户名或姓名"
            value={term}
            onChange={(e) => setTerm(e.target.value)}
            style={{ width: 240 }}
            maxLength={64}
            data-testid="account-search"
          />
          <Select<Role>
            allowClear
            placeholder="全部角色"
            value={role}
            onChange={setRole}
            options={toOptions(roles) as { value: Role; label: string }[]}
            style={{ width: 160 }}
            data-testid="account-role-filter"
          />
          <Button icon={<ReloadOutlined />} onClick={reload}>
            刷新
          </Button>
        </div>
        <Table<Account>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          columns={columns}
          dataSource={data.items}
          scroll={{ x: 1000 }}
          pagination={{
            current: page,
            pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (t) => `共 ${t} 个账号`,
            onChange: (p, s) => {
              if (s !== pageSize) setPageSize(s);
              else setPage(p);
            },
          }}
          data-testid="accounts-table"
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
          仅列出您管理范围内的账号。三员分立：不能管理同级或更高级别的账号（系统管理员、安全管理员、安全审计员的账号由运维人员管理）；
          角色、解锁和强制改密由安全管理员办理。
        </Typography.Paragraph>

        <CreateAccountModal
          open={creating}
          roles={can.create}
          onClose={() => setCreating(false)}
          onSaved={(a) => {
            setCreating(false);
            notify.success(`已创建账号：${a.username}`);
            reload();
          }}
        />
        <RoleModal
          account={changingRole}
          roles={can.assignRole}
          onClose={() => setChangingRole(null)}
          onSaved={(a) => {
            setChangingRole(null);
            notify.success('角色已修改');
            replace(a);
          }}
        />
        <EditAccountModal
          account={editing}
          onClose={() => setEditing(null)}
          onSaved={(a) => {
            setEditing(null);
            notify.success('账号已保存');
            replace(a);
          }}
        />
        <PasswordModal
          account={resetting}
          onClose={() => setResetting(null)}
          onSaved={() => {
            notify.success(`已重置「${resetting?.username ?? ''}」的密码`);
            setResetting(null);
          }}
        />
      </Card>
    </>
  );
}
