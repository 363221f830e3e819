import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { passwordProblems, PASSWORD_RULE_TEXT } from '../../../domain/password-policy';
import { useAuth } from '../../auth/auth-context';
import { homePath } from '../../lib/access';
import { showFormError } from '../../lib/form-errors';
import { notify } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** The server names `password` for the complexity rule; here that field is the new password. */
const FIELD_ALIASES = { password: 'newPassword' };

function PasswordFields({ username }: { username: string }) {
  return (
    <>
      <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="current-password"
          maxLength={256}
          data-testid="pw-current"
        />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        extra={PASSWORD_RULE_TEXT}
        hasFeedback
        rules={[
          { required: true, message: '请输入新密码' },
          {
            validator: async (_: unknown, value?: string) => {
              const problem = value ? passwordProblems(value, username) : null;
              if (problem) throw new Error(problem);
            },
          },
          ({ getFieldValue }) => ({
            validator: async (_: unknown, value?: string) => {
              if (value && value === getFieldValue('currentPassword')) throw new Error('新密码不能与当前密码相同');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} data-testid="pw-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认新密码"
        dependencies={['newPassword']}
        hasFeedback
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_: unknown, value?: string) => {
              if (value && value !== getFieldValue('newPassword')) throw new Error('两次输入的密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} data-testid="pw-confirm" />
      </Form.Item>
    </>
  );
}

/**
 * /change-password — where a session whose password must be changed lands (a password an administrator set, or one
 * that expired: the server refuses everything else with PASSWORD_CHANGE_REQUIRED). Full screen, like the login page.
 */
export default function ChangePasswordPage() {
  const { user, abilities, password, changePassword, logout } = useAuth();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;

  useEffect(() => {
    document.title = '修改密码 · 述评考';
  }, []);

  if (user === null) return <Navigate to="/login" replace />;
  if (!user) return null;

  const onFinish = async (v: Values) => {
    setSubmitting(true);
    try {
      await changePassword(v.currentPassword, v.newPassword);
      notify.success('密码已修改');
      navigate(from && from !== '/change-password' ? from : homePath(abilities), { replace: true });
    } catch (e) {
      showFormError(form, e, FIELD_ALIASES);
    } finally {
      setSubmitting(false);
    }
  };

  const reason =
    password?.reason === 'expired'
      ? `您的密码已于 ${password.expiresAt ? formatDateTime(password.expiresAt) : ''} 过期，请设置新密码后继续使用。`
      : '您的密码由管理员设置，首次登录须修改为只有您本人知道的密码。';

  return (
    <div className="login-screen">
      <Card className="login-card" variant="borderless">
        <div className="login-brand">
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            修改密码
          </Typography.Title>
          <Typography.Text type="secondary">
            {user.displayName}（{user.username}）
          </Typography.Text>
        </div>
        {password?.mustChange && (
          <Alert type="warning" showIcon title={reason} style={{ marginBottom: 16 }} data-testid="pw-reason" />
        )}
        <Form<Values> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} data-testid="pw-form">
          <PasswordFields username={user.username} />
          <Form.Item style={{ marginBottom: 8 }}>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="pw-submit">
              确认修改
            </Button>
          </Form.Item>
        </Form>
        <Button type="link" block onClick={() => void logout().then(() => navigate('/login', { replace: true }))}>
          退出登录
        </Button>
      </Card>
    </div>
  );
}

/** The same form in a dialog, opened from the header (修改密码) or the expiry warning. */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { user, changePassword } = useAuth();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields();
    setSubmitting(true);
    try {
      await changePassword(v.currentPassword, v.newPassword);
      notify.success('密码已修改，您在其他设备上的登录已退出');
      onClose();
    } catch (e) {
      showFormError(form, e, FIELD_ALIASES);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={open}
      title="修改密码"
      okText="确认修改"
      onOk={() => void submit().catch(() => undefined)}
      confirmLoading={submitting}
      onCancel={onClose}
      forceRender
    >
      <Form<Values> form={form} layout="vertical" autoComplete="off" data-testid="pw-modal-form">
        <PasswordFields username={user?.username ?? ''} />
      </Form>
    </Modal>
  );
}
