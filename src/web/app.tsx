import {
  ApartmentOutlined,
  AuditOutlined,
  CheckSquareOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuOutlined,
  ScheduleOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ReplicaLagNotice } from './components/replica-lag-notice';
import { Alert, App as AntApp, Button, ConfigProvider, Drawer, Grid, Layout, Menu, Result, Spin, Tag } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { Link, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { QueryClientProvider } from '@tanstack/react-query';
import type { Abilities } from './api/types';
import { AuthProvider, useAbilities, useAuth, useUser } from './auth/auth-context';
import { ErrorBoundary } from './components/error-boundary';
import { type CampaignPage, NoAccess, RequireCampaignPage } from './components/no-access';
import { canOpen, homePath, SECTION_PATHS, type Section } from './lib/access';
import { MetaProvider, useMeta } from './lib/meta';
import { bindMessageApi } from './lib/notify';
import { createQueryClient } from './lib/query';
import { formatDateTime } from './lib/time';
// Not lazy: the dialog is part of the header, and the page is the same form.
import ChangePasswordPage, { ChangePasswordModal } from './pages/accounts/change-password';

const LoginPage = lazy(() => import('./pages/login'));
const OrgTreePage = lazy(() => import('./pages/organizations/org-tree-page'));
const AccountsPage = lazy(() => import('./pages/accounts/accounts-page'));
const AuditPage = lazy(() => import('./pages/audit/audit-page'));
const CampaignListPage = lazy(() => import('./pages/campaigns/campaign-list-page'));
const CampaignNewPage = lazy(() => import('./pages/campaigns/campaign-new-page'));
const CampaignDetailPage = lazy(() => import('./pages/campaigns/campaign-detail-page'));
const ProgressPage = lazy(() => import('./pages/oversight/progress-page'));
const ObserversPage = lazy(() => import('./pages/oversight/observers-page'));
const VisitsPage = lazy(() => import('./pages/oversight/visits-page'));
const MyTasksPage = lazy(() => import('./pages/oversight/my-tasks-page'));
const ReportsHomePage = lazy(() => import('./pages/reports/reports-home-page'));
const ReportPage = lazy(() => import('./pages/reports/report-page'));
const OpenReporterReport = lazy(() =>
  import('./pages/reports/report-page').then((m) => ({ default: m.OpenReporterReport })),
);
const MeetingListPage = lazy(() => import('./pages/meetings/meeting-list-page'));
const MeetingDetailPage = lazy(() => import('./pages/meetings/meeting-detail-page'));
const MeetingConsolePage = lazy(() => import('./pages/meetings/meeting-console-page'));
const SurveyListPage = lazy(() => import('./pages/surveys/survey-list-page'));
const SurveyDetailPage = lazy(() => import('./pages/surveys/survey-detail-page'));
const RectificationPage = lazy(() => import('./pages/rectification/rectification-page'));
const RectificationItemPage = lazy(() => import('./pages/rectification/item-page'));
const EvaluationPage = lazy(() => import('./pages/evaluation/evaluation-page'));
const ResultsPage = lazy(() => import('./pages/results/results-page'));
const SummaryInboxPage = lazy(() => import('./pages/results/summary-inbox-page'));
const AssessmentAdminPage = lazy(() => import('./pages/assessment/assessment-admin-page'));
const MyAssessmentsPage = lazy(() => import('./pages/assessment/my-assessments-page'));
const ScoringSheetPage = lazy(() => import('./pages/assessment/scoring-sheet'));
const OrganizerSheetPage = lazy(() =>
  import('./pages/assessment/scoring-sheet').then((m) => ({ default: m.OrganizerSheetPage })),
);

// A user who asked the system for reduced motion gets popups and drawers without animation (antd's motion token
// switches rc-motion off entirely); the browser tests run that way so a click never lands on a half-shown popup.
const REDUCED_MOTION =
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
const THEME = {
  token: { colorPrimary: '#c8161d', borderRadius: 6, motion: !REDUCED_MOTION },
};

const SECTION_MENU: Record<Section, { label: string; icon: ReactNode }> = {
  orgs: { label: '组织架构', icon: <ApartmentOutlined /> },
  campaigns: { label: '述职评议考核', icon: <FileDoneOutlined /> },
  reports: { label: '述职报告', icon: <FileTextOutlined /> },
  rectification: { label: '问题整改', icon: <CheckSquareOutlined /> },
  assess: { label: '实地考核', icon: <FileDoneOutlined /> },
  tasks: { label: '我的任务', icon: <ScheduleOutlined /> },
  accounts: { label: '账号管理', icon: <TeamOutlined /> },
  audit: { label: '审计日志', icon: <AuditOutlined /> },
};

/** Hands antd's context-aware message instance to the API client, which lives outside React. */
function MessageBinder() {
  const { message } = AntApp.useApp();
  useEffect(() => {
    bindMessageApi(message);
    return () => bindMessageApi(null);
  }, [message]);
  return null;
}

const PageLoading = () => (
  <div className="full-center" style={{ minHeight: 240 }}>
    <Spin size="large" />
  </div>
);

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, password } = useAuth();
  const location = useLocation();
  if (user === undefined) {
    return (
      <div className="full-center">
        <Spin size="large" description="正在加载…" />
      </div>
    );
  }
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  // Until a password set by an administrator (or an expired one) is changed, the server refuses everything else.
  if (password?.mustChange)
    return <Navigate to="/change-password" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/** The expiry warning (PASSWORD_WARN_DAYS before PASSWORD_MAX_AGE_DAYS), on every page until the password is changed. */
function PasswordExpiryWarning({ onChange }: { onChange: () => void }) {
  const { password } = useAuth();
  if (!password?.warn || !password.expiresAt) return null;
  const days = Math.max(0, Math.ceil((Date.parse(password.expiresAt) - Date.now()) / 86_400_000));
  return (
    <Alert
      type="warning"
      showIcon
      banner
      title={`您的密码将于 ${formatDateTime(password.expiresAt)} 过期（约${days}天后），过期后须修改密码才能继续使用。`}
      action={
        <Button size="small" onClick={onChange} data-testid="pw-expiry-change">
          立即修改
        </Button>
      }
      data-testid="pw-expiry-warning"
    />
  );
}

/** `allow` narrows a section for a page only some of its users may use (creating a campaign). */
function RequireSection({
  section,
  allow,
  children,
}: {
  section: Section;
  allow?: (a: Abilities) => boolean;
  children: ReactNode;
}) {
  const abilities = useAbilities();
  if (!canOpen(abilities, section) || (allow && !allow(abilities))) return <NoAccess />;
  return <>{children}</>;
}

/** A page of one campaign: the section, then what the server says this user may open of that campaign. */
function CampaignPageRoute({ page, children }: { page: CampaignPage | CampaignPage[]; children: ReactNode }) {
  return (
    <RequireSection section="campaigns">
      <RequireCampaignPage page={page}>{children}</RequireCampaignPage>
    </RequireSection>
  );
}

function HomeRedirect() {
  return <Navigate to={homePath(useAbilities())} replace />;
}

function AdminLayout() {
  const user = useUser();
  const { logout } = useAuth();
  const { roleLabel } = useMeta();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const isDesktop = screens.lg ?? true;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);

  const abilities = useAbilities();
  const sections = abilities.sections;
  const selected = sections.find((s) => location.pathname.startsWith(SECTION_PATHS[s]));
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      items={sections.map((s) => ({ key: s, icon: SECTION_MENU[s].icon, label: SECTION_MENU[s].label }))}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(SECTION_PATHS[key as Section]);
      }}
      style={{ borderInlineEnd: 'none' }}
      data-testid="nav-menu"
    />
  );

  const onLogout = async () => {
    setLoggingOut(true);
    await logout();
    setLoggingOut(false);
    navigate('/login', { replace: true });
  };

  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        {!isDesktop && (
          <Button type="text" icon={<MenuOutlined />} aria-label="打开菜单" onClick={() => setDrawerOpen(true)} />
        )}
        <Link to={homePath(abilities)} className="app-brand">
          述评考
        </Link>
        <div className="app-header-spacer" />
        <div className="app-user" data-testid="current-user">
          <UserOutlined />
          <span className="app-user-name" title={user.displayName}>
            {user.displayName}
          </span>
          {screens.sm !== false && (
            <Tag color="red" style={{ marginInlineEnd: 0 }}>
              {roleLabel(user.role)}
            </Tag>
          )}
        </div>
        <Button
          icon={<KeyOutlined />}
          onClick={() => setChangingPassword(true)}
          data-testid="change-password"
          size={isDesktop ? 'middle' : 'small'}
          aria-label="修改密码"
        >
          {screens.sm !== false && '修改密码'}
        </Button>
        <Button
          icon={<LogoutOutlined />}
          onClick={onLogout}
          loading={loggingOut}
          data-testid="logout"
          size={isDesktop ? 'middle' : 'small'}
        >
          退出登录
        </Button>
        <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
      </Layout.Header>
      <Layout hasSider={isDesktop}>
        {isDesktop ? (
          <Layout.Sider width={200} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
            {menu}
          </Layout.Sider>
        ) : (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={240}
            title="述评考"
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        )}
        <Layout.Content className="app-content">
          <PasswordExpiryWarning onChange={() => setChangingPassword(true)} />
          <ReplicaLagNotice />
          <ErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <Suspense fallback={<PageLoading />}>
            <LoginPage />
          </Suspense>
        }
      />
      <Route
        path="/change-password"
        element={
          <Suspense fallback={<PageLoading />}>
            <ChangePasswordPage />
          </Suspense>
        }
      />
      {/* The projector page is full-screen: no admin menu or header. */}
      <Route
        path="/campaigns/:id/meetings/:meetingId/console"
        element={
          <RequireAuth>
            <CampaignPageRoute page="meetings">
              <Suspense fallback={<PageLoading />}>
                <MeetingConsolePage />
              </Suspense>
            </CampaignPageRoute>
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AdminLayout />
          </RequireAuth>
        }
      >
        <Route index element={<HomeRedirect />} />
        <Route
          path="orgs/:orgId?"
          element={
            <RequireSection section="orgs">
              <OrgTreePage />
            </RequireSection>
          }
        />
        <Route
          path="campaigns"
          element={
            <RequireSection section="campaigns">
              <CampaignListPage />
            </RequireSection>
          }
        />
        <Route
          path="campaigns/new"
          element={
            <RequireSection section="campaigns" allow={(a) => a.campaigns.create}>
              <CampaignNewPage />
            </RequireSection>
          }
        />
        <Route
          path="campaigns/:id"
          element={
            <RequireSection section="campaigns">
              <CampaignDetailPage />
            </RequireSection>
          }
        />
        <Route
          path="reports"
          element={
            <RequireSection section="reports">
              <ReportsHomePage />
            </RequireSection>
          }
        />
        <Route
          path="reports/r/:reporterId"
          element={
            <RequireSection section="reports">
              <OpenReporterReport />
            </RequireSection>
          }
        />
        <Route
          path="reports/:id"
          element={
            <RequireSection section="reports">
              <ReportPage />
            </RequireSection>
          }
        />
        <Route
          path="assess"
          element={
            <RequireSection section="assess">
              <MyAssessmentsPage />
            </RequireSection>
          }
        />
        <Route
          path="assess/:reporterId"
          element={
            <RequireSection section="assess">
              <ScoringSheetPage />
            </RequireSection>
          }
        />
        <Route
          path="campaigns/:id/assessment"
          element={
            <CampaignPageRoute page="assessment">
              <AssessmentAdminPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/assessment/reporters/:reporterId"
          element={
            <CampaignPageRoute page="assessment">
              <OrganizerSheetPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/evaluation"
          element={
            <CampaignPageRoute page={['evaluation', 'myResult']}>
              <EvaluationPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/results"
          element={
            <CampaignPageRoute page="results">
              <ResultsPage />
            </CampaignPageRoute>
          }
        />
        {/* The level above receives summary reports: its organization department only (results/policy.ts). */}
        <Route
          path="summary-inbox"
          element={
            <RequireSection section="campaigns" allow={(a) => a.campaigns.receiveSummaries}>
              <SummaryInboxPage />
            </RequireSection>
          }
        />
        <Route
          path="rectification"
          element={
            <RequireSection section="rectification">
              <RectificationPage />
            </RequireSection>
          }
        />
        <Route
          path="rectification/items/:id"
          element={
            <RequireSection section="rectification">
              <RectificationItemPage />
            </RequireSection>
          }
        />
        <Route
          path="accounts"
          element={
            <RequireSection section="accounts">
              <AccountsPage />
            </RequireSection>
          }
        />
        <Route
          path="audit"
          element={
            <RequireSection section="audit">
              <AuditPage />
            </RequireSection>
          }
        />
        <Route
          path="campaigns/:id/progress"
          element={
            <CampaignPageRoute page="progress">
              <ProgressPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/observers"
          element={
            <CampaignPageRoute page="observers">
              <ObserversPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/meetings"
          element={
            <CampaignPageRoute page="meetings">
              <MeetingListPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/meetings/:meetingId"
          element={
            <CampaignPageRoute page="meetings">
              <MeetingDetailPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/surveys"
          element={
            <CampaignPageRoute page="surveys">
              <SurveyListPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/surveys/:surveyId"
          element={
            <CampaignPageRoute page="surveys">
              <SurveyDetailPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="campaigns/:id/visits"
          element={
            <CampaignPageRoute page="visits">
              <VisitsPage />
            </CampaignPageRoute>
          }
        />
        <Route
          path="my-tasks"
          element={
            <RequireSection section="tasks">
              <MyTasksPage />
            </RequireSection>
          }
        />
        <Route
          path="no-access"
          element={<Result status="403" title="无可用功能" subTitle="当前账号的角色暂无可访问的页面，请联系管理员。" />}
        />
        <Route path="*" element={<Result status="404" title="页面不存在" extra={<Link to="/">返回首页</Link>} />} />
      </Route>
    </Routes>
  );
}

export function Root() {
  const [queryClient] = useState(createQueryClient);
  return (
    <ConfigProvider locale={zhCN} theme={THEME}>
      <AntApp>
        <MessageBinder />
        <QueryClientProvider client={queryClient}>
          <MetaProvider>
            <AuthProvider>
              <AppRoutes />
            </AuthProvider>
          </MetaProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
