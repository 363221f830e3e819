import { Button, Card, Empty } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { isApiError } from '../../api/client';
import { type ReporterThemes, themesApi } from '../../api/themes';
import { ReporterThemeList } from './themes-tab';

/**
 * The secretary's own 群众评议意见归纳 (R-VOTE-6), shown with the locked result: the server refuses it before the lock
 * and for any other organization, so this card only asks. Until the organizer has run the grouping it says so.
 */
export function MyThemesCard({ campaignId, orgId }: { campaignId: number; orgId: number }) {
  const query = useQuery({
    queryKey: ['themes-reporter', campaignId, orgId, null, 'own'],
    queryFn: ({ signal }) => themesApi.reporter(campaignId, orgId, null, { silent: true, signal }),
  });
  const data: ReporterThemes | null = query.data ?? null;
  const e = query.error;
  const state: 'loading' | 'none' | 'ready' | 'error' = query.isPending
    ? 'loading'
    : e
      ? isApiError(e) && (e.code === 'NO_THEMES' || e.status === 404)
        ? 'none'
        : 'error'
      : 'ready';
  if (state === 'error') return null;
  return (
    <Card
      title="群众评议意见归纳"
      loading={state === 'loading'}
      data-testid="my-themes"
      extra={
        state === 'ready' && <Button onClick={() => themesApi.docx(campaignId, orgId, null)}>下载（.docx）</Button>
      }
    >
      {state === 'none' || !data ? (
        <Empty description="组织部门尚未进行意见归纳" />
      ) : (
        <ReporterThemeList reporter={data} />
      )}
    </Card>
  );
}
