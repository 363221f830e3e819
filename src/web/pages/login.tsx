import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { isApiError } from '../api/client';
import { SESSION_EXPIRED_TEXT, useAuth } from '../auth/auth-context';
import { homePath } from '../lib/access';

interface LoginForm {
  username: string;
  password: string;
}

interface FromState {
  from?: string;
}

export default function LoginPage() {
  const { user, abilities, login, signOutReason } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const from = (location.state as FromState | null)?.from;

  if (user) return <Navigate to={from && from !== '/login' ? from : homePath(abilities)} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const signedIn = await login(values.username.trim(), values.password);
      // A password that must be changed first: RequireAuth sends the user on to /change-password.
      navigate(from && from !== '/login' ? from : homePath(signedIn.abilities), { replace: true });
    } catch (e) {
      // INVALID_CREDENTIALS, ACCOUNT_LOCKED (with the unlock time), RATE_LIMITED: the server's words.
      setError(isApiError(e) ? e.message : '登录失败，请稍后重试');
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="login-screen">
      <Card className="login-card" variant="borderless">
        <div className="login-brand">
          <Typography.Title level={2} style={{ marginBottom: 4 }}>
            述评考
          </Typography.Title>
          <Typography.Text type="secondary">党组织书记抓基层党建工作述职评议考核</Typography.Text>
        </div>
        {signOutReason === 'expired' && !error && (
          <Alert
            type="warning"
            showIcon
            title={SESSION_EXPIRED_TEXT}
            style={{ marginBottom: 16 }}
            data-testid="login-expired"
          />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form<LoginForm>
          form={form}
          layout="vertical"
          size="large"
          onFinish={onFinish}
          requiredMark={false}
          autoComplete="on"
        >
          <Form.Item
            name="username"
            label="用户名"
            rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              maxLength={64}
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              maxLength={256}
              data-testid="login-password"
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 8 }}>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              登录
            </Button>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0, textAlign: 'center' }}>
          连续多次输入错误密码，账号将被临时锁定
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
