import { Alert, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { usersApi } from '../../api/users';
import type { Account, AccountCreateInput, Role } from '../../api/types';
import { OrgSelect } from '../../components/org-select';
import { passwordProblems, PASSWORD_RULE_TEXT } from '../../../domain/password-policy';
import { showFormError } from '../../lib/form-errors';
import { toOptions, useMeta } from '../../lib/meta';

export const PASSWORD_HINT = PASSWORD_RULE_TEXT;
const USERNAME_RULE = /^[A-Za-z0-9_.-]{3,32}$/;

const passwordRules = (usernameOf: () => string | undefined) => [
  { required: true, message: '请输入密码' },
  {
    validator: async (_: unknown, value?: string) => {
      if (!value) return;
      const problem = passwordProblems(value, usernameOf());
      if (problem) throw new Error(problem);
    },
  },
];

const confirmRules = (field: string) => [
  { required: true, message: '请再次输入密码' },
  ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async (_: unknown, value?: string) => {
      if (value && value !== getFieldValue(field)) throw new Error('两次输入的密码不一致');
    },
  }),
];

/** Secretaries are bound to their own organization; every other role to a subtree (scope). */
function BindingFields({ role, account }: { role?: Role; account?: Account }) {
  if (!role) return null;
  if (role === 'secretary') {
    return (
      <Form.Item
        name="orgId"
        label="所在组织"
        rules={[{ required: true, message: '书记账号必须指定所在组织' }]}
        extra="书记只能查看和填报本组织的信息"
      >
        <OrgSelect
          initial={account?.orgId ? { id: account.orgId, name: account.orgName ?? String(account.orgId) } : null}
          data-testid="account-org"
        />
      </Form.Item>
    );
  }
  return (
    <>
      <Form.Item
        name="scopeOrgId"
        label="管理范围"
        rules={[{ required: true, message: '请选择管理范围（该组织及其全部下级）' }]}
        extra="可查看或管理该组织及其全部下级"
      >
        <OrgSelect
          initial={
            account?.scopeOrgId
              ? { id: account.scopeOrgId, name: account.scopeOrgName ?? String(account.scopeOrgId) }
              : null
          }
          data-testid="account-scope"
        />
      </Form.Item>
      <Form.Item name="orgId" label="所在组织（可选）">
        <OrgSelect
          initial={account?.orgId ? { id: account.orgId, name: account.orgName ?? String(account.orgId) } : null}
        />
      </Form.Item>
    </>
  );
}

interface CreateValues extends AccountCreateInput {
  confirm: string;
}

/** `roles`: those the signed-in user may give (below their own rank, decision 019). */
export function CreateAccountModal({
  open,
  roles: allowed,
  onClose,
  onSaved,
}: {
  open: boolean;
  roles: Role[];
  onClose: () => void;
  onSaved: (a: Account) => void;
}) {
  const [form] = Form.useForm<CreateValues>();
  const { roles: allRoles } = useMeta();
  const roles = allRoles.filter((r) => allowed.includes(r.code as Role));
  const role = Form.useWatch('role', form);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setSubmitting(true);
    try {
      const { confirm: _confirm, ...input } = values;
      const res = await usersApi.create({
        ...input,
        username: input.username.trim(),
        displayName: input.displayName.trim(),
        scopeOrgId: input.role === 'secretary' ? null : (input.scopeOrgId ?? null),
        orgId: input.orgId ?? null,
      });
      onSaved(res.user);
    } catch (e) {
      showFormError(form, e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={open}
      title="新建账号"
      okText="创建"
      onOk={() => void submit().catch(() => undefined)}
      confirmLoading={submitting}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical" autoComplete="off" data-testid="account-form">
        <Form.Item
          name="username"
          label="用户名"
          rules={[
            { required: true, whitespace: true, message: '请输入用户名' },
            { pattern: USERNAME_RULE, message: '用户名为3-32位字母、数字、下划线、点或短横线' },
          ]}
        >
          <Input maxLength={32} autoComplete="off" data-testid="account-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 50, message: '最多50个字' },
          ]}
        >
          <Input maxLength={50} data-testid="account-display-name" />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={toOptions(roles)} placeholder="请选择" data-testid="account-role" />
        </Form.Item>
        <BindingFields role={role} />
        <Form.Item
          name="password"
          label="初始密码"
          rules={passwordRules(() => form.getFieldValue('username'))}
          extra={`${PASSWORD_HINT}；本人首次登录时须修改`}
          hasFeedback
        >
          <Input.Password maxLength={128} autoComplete="new-password" data-testid="account-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认密码"
          dependencies={['password']}
          rules={confirmRules('password')}
          hasFeedback
        >
          <Input.Password maxLength={128} autoComplete="new-password" data-testid="account-password-confirm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface EditValues {
  displayName: string;
  scopeOrgId?: number | null;
  orgId?: number | null;
}

/** Name and binding (account data); the role is the security admin's (RoleModal). */
export function EditAccountModal({
  account,
  onClose,
  onSaved,
}: {
  account: Account | null;
  onClose: () => void;
  onSaved: (a: Account) => void;
}) {
  const [form] = Form.useForm<EditValues>();
  const { roleLabel } = useMeta();
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (!account) return;
    form.resetFields();
    form.setFieldsValue({ displayName: account.displayName, scopeOrgId: account.scopeOrgId, orgId: account.orgId });
  }, [account, form]);

  const submit = async () => {
    if (!account) return;
    const values = await form.validateFields();
    setSubmitting(true);
    try {
      const res = await usersApi.update(account.id, {
        displayName: values.displayName.trim(),
        scopeOrgId: account.role === 'secretary' ? null : (values.scopeOrgId ?? null),
        orgId: values.orgId ?? null,
      });
      onSaved(res.user);
    } catch (e) {
      showFormError(form, e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={!!account}
      title={account ? `编辑账号：${account.username}（${roleLabel(account.role)}）` : '编辑账号'}
      okText="保存"
      onOk={() => void submit().catch(() => undefined)}
      confirmLoading={submitting}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 50, message: '最多50个字' },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
        {/* Re-mount on account change so the pickers show the right initial labels. */}
        <BindingFields key={account?.id} role={account?.role} account={account ?? undefined} />
      </Form>
    </Modal>
  );
}

/** The 安全管理员 changes a role (with the binding the new role needs); only roles below their own are offered. */
export function RoleModal({
  account,
  roles: allowed,
  onClose,
  onSaved,
}: {
  account: Account | null;
  roles: Role[];
  onClose: () => void;
  onSaved: (a: Account) => void;
}) {
  const [form] = Form.useForm<{ role: Role; scopeOrgId?: number | null; orgId?: number | null }>();
  const { roles: allRoles } = useMeta();
  const role = Form.useWatch('role', form);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (!account) return;
    form.resetFields();
    form.setFieldsValue({ role: account.role, scopeOrgId: account.scopeOrgId, orgId: account.orgId });
  }, [account, form]);

  const submit = async () => {
    if (!account) return;
    const values = await form.validateFields();
    setSubmitting(true);
    try {
      const res = await usersApi.update(account.id, {
        role: values.role,
        scopeOrgId: values.role === 'secretary' ? null : (values.scopeOrgId ?? null),
        orgId: values.orgId ?? null,
      });
      onSaved(res.user);
    } catch (e) {
      showFormError(form, e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={!!account}
      title={account ? `修改角色：${account.displayName}（${account.username}）` : '修改角色'}
      okText="保存"
      onOk={() => void submit().catch(() => undefined)}
      confirmLoading={submitting}
      onCancel={onClose}
      forceRender
    >
      <Alert
        type="info"
        showIcon
        title="修改角色后该账号的登录会话立即失效，需重新登录。"
        style={{ marginBottom: 12 }}
      />
      <Form form={form} layout="vertical">
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select
            options={toOptions(allRoles.filter((r) => allowed.includes(r.code as Role)))}
            data-testid="account-role-change"
          />
        </Form.Item>
        <BindingFields key={account?.id} role={role} account={account ?? undefined} />
      </Form>
    </Modal>
  );
}

export function PasswordModal({
  account,
  onClose,
  onSaved,
}: {
  account: Account | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (account) form.resetFields();
  }, [account, form]);

  const submit = async () => {
    if (!account) return;
    const { password } = await form.validateFields();
    setSubmitting(true);
    try {
      await usersApi.setPassword(account.id, password);
      onSaved();
    } catch (e) {
      showFormError(form, e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={!!account}
      title={account ? `重置密码：${account.displayName}（${account.username}）` : '重置密码'}
      okText="确认重置"
      onOk={() => void submit().catch(() => undefined)}
      confirmLoading={submitting}
      onCancel={onClose}
      forceRender
    >
      <Alert
        type="info"
        showIcon
        title="重置后请将新密码当面或通过安全渠道告知本人；本人登录后须立即修改。"
        style={{ marginBottom: 12 }}
      />
      <Form form={form} layout="vertical" autoComplete="off">
        <Form.Item
          name="password"
          label="新密码"
          rules={passwordRules(() => account?.username)}
          extra={PASSWORD_HINT}
          hasFeedback
        >
          <Input.Password maxLength={128} autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['password']}
          rules={confirmRules('password')}
          hasFeedback
        >
          <Input.Password maxLength={128} autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
