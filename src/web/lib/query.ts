import { keepPreviousData, QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { campaignsApi, type CampaignDetail } from '../api/campaigns';
import { isApiError } from '../api/client';
import { primeOrgNames } from '../components/org-pickers';

/**
 * The one query client (decision 025). Every query function goes through api/client.ts's `request`, which sends the
 * CSRF header, marks polls `x-background`, and shows an error's Chinese message with antd's message (unless the call
 * is silent); so the client itself neither retries (a refused request stays refused, and its message shows once) nor
 * refetches on focus (the pages refresh on their own timers or after their own actions), and sends even when the
 * browser says it is offline.
 */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // networkMode 'always': a request is sent even when the browser believes it is offline, and fails as it did
      // before (NETWORK, with its message) instead of waiting paused — the assessor's phone pages rely on that answer.
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, networkMode: 'always' },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/** Query keys of data more than one page reads, so an action on one page refreshes the others. */
export const keys = {
  campaign: (id: number) => ['campaign', id] as const,
  /** One meeting's detail; the console reads it under the same prefix, so invalidating this refreshes both. */
  meeting: (id: number) => ['meeting', id] as const,
  /** One ballot round; its paper entries sit under the same prefix, so reloading the round reads them again too. */
  ballotRound: (id: number) => ['ballot-round', id] as const,
};

/**
 * One campaign's detail, shared by the page guard (permissions.pages), the campaign's pages (permissions.can) and
 * their headers: fetched once per visit, refreshed by invalidating `keys.campaign(id)`.
 */
export function useCampaign(id: number | null) {
  return useQuery({ ...campaignQuery(id ?? 0), enabled: id !== null });
}

export const campaignQuery = (id: number) =>
  queryOptions<CampaignDetail>({
    queryKey: keys.campaign(id),
    queryFn: async ({ signal }) => {
      const detail = await campaignsApi.detail(id, signal);
      // Names of organizations the settings bind by id, before any picker would look them up (and be refused).
      primeOrgNames(detail.orgNames);
      return detail;
    },
  });

/** Paging state of a list whose filters reset it to the first page (the filters are part of the key). */
export function usePage(filterKey: unknown) {
  const [state, setState] = useState({ page: 1, key: JSON.stringify(filterKey) });
  const key = JSON.stringify(filterKey);
  // Rendering with new filters goes back to page 1 at once, without an effect's extra render and request.
  if (state.key !== key) setState({ page: 1, key });
  const page = state.key === key ? state.page : 1;
  return [page, (p: number) => setState({ page: p, key })] as const;
}

/** A list page: the previous page stays on screen while the next loads, and a late answer never replaces a newer one. */
export const paged = { placeholderData: keepPreviousData } as const;

export const statusOf = (e: unknown) => (isApiError(e) ? e.status : 0);

/**
 * The last answer a query had: a page whose next request failed keeps what it showed (as the hand-written pages did,
 * which only replaced their state on success), while the failure itself is reported by the client.
 */
export function useLastData<T>(data: T | undefined): T | undefined {
  const last = useRef(data);
  if (data !== undefined) last.current = data;
  return last.current;
}
