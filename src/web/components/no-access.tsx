import { Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { CampaignDetail } from '../api/campaigns';
import { useAuth } from '../auth/auth-context';
import { homePath } from '../lib/access';
import { statusOf, useCampaign } from '../lib/query';

/** The one page every refusal shows: a role without the section, a campaign page the user cannot use, a 403. */
export function NoAccess() {
  const { abilities } = useAuth();
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="当前账号无权使用此页面。"
      extra={<Link to={homePath(abilities)}>返回首页</Link>}
      data-testid="no-access"
    />
  );
}

export type CampaignPage = keyof CampaignDetail['permissions']['pages'];

/**
 * A campaign's page opens only for those the server says may use it (permissions.pages of the campaign detail);
 * anyone else gets NoAccess before the page asks for data it would be refused — no toast, no empty table.
 */
export function RequireCampaignPage({ page, children }: { page: CampaignPage | CampaignPage[]; children: ReactNode }) {
  const { id: raw } = useParams<{ id: string }>();
  const id = raw && /^\d+$/.test(raw) ? Number(raw) : null;
  const pages = Array.isArray(page) ? page : [page];
  // The page's own components read the same cached detail (useCampaign) for their abilities.
  const { data, error, isPending } = useCampaign(id);
  if (id === null || statusOf(error) === 404)
    return <Result status="404" title="方案不存在" extra={<Link to="/campaigns">返回列表</Link>} />;
  if (error) return <NoAccess />;
  if (isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (!pages.some((p) => data.permissions.pages[p])) return <NoAccess />;
  return <>{children}</>;
}
