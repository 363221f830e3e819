import { Result, Skeleton } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { campaignsApi, type CampaignDetail } from '../api/campaigns';
import { useUser } from '../auth/auth-context';
import { homePath } from '../lib/access';

/** The one page every refusal shows: a role without the section, a campaign page the user cannot use, a 403. */
export function NoAccess() {
  const user = useUser();
  return (
    <Result status="403" title="无权访问" subTitle="当前账号无权使用此页面。" extra={<Link to={homePath(user.role)}>返回首页</Link>} data-testid="no-access" />
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
  const [state, setState] = useState<'loading' | 'ok' | 'denied' | 'missing'>('loading');
  const pages = Array.isArray(page) ? page : [page];
  const key = pages.join(',');
  useEffect(() => {
    if (id === null) return setState('missing');
    // From `key`, not `pages`: the caller may pass a new array on every render.
    const wanted = key.split(',') as CampaignPage[];
    let live = true;
    setState('loading');
    campaignsApi.detail(id)
      .then((d) => live && setState(wanted.some((p) => d.permissions.pages[p]) ? 'ok' : 'denied'))
      .catch((e) => live && setState(isApiError(e) && e.status === 404 ? 'missing' : 'denied'));
    return () => {
      live = false;
    };
  }, [id, key]);
  if (state === 'loading') return <Skeleton active paragraph={{ rows: 6 }} />;
  if (state === 'missing') return <Result status="404" title="方案不存在" extra={<Link to="/campaigns">返回列表</Link>} />;
  if (state === 'denied') return <NoAccess />;
  return <>{children}</>;
}
