import { useSyncExternalStore } from 'react';

/**
 * How stale the data on the page is when the server read it from a replica (DATABASE_READ_URL, decision 027): the
 * server sends `x-replica-lag-ms` on the reads it may serve from a replica — a number, or `primary` when the primary
 * answered. Kept per page (pathname), so a lag seen on the progress page is not shown on the next page.
 */
export interface ReplicaLag {
  page: string;
  lagMs: number;
}

let current: ReplicaLag | null = null;
const listeners = new Set<() => void>();

/** Called by the API client with the header of each successful GET (null when absent). */
export function noteReplicaLag(page: string, header: string | null) {
  if (header === null) return;
  const lagMs = /^\d+$/.test(header) ? Number(header) : null;
  const next = lagMs === null ? (current?.page === page ? null : current) : { page, lagMs };
  if (next === current || (next && current && next.page === current.page && next.lagMs === current.lagMs)) return;
  current = next;
  for (const l of listeners) l();
}

export function replicaLagOf(page: string): ReplicaLag | null {
  return current?.page === page ? current : null;
}

/** The lag of the page shown, or null when its data came from the primary (or no replica is configured). */
export function useReplicaLag(page: string): ReplicaLag | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => replicaLagOf(page),
  );
}

/** "约3秒" / "不到1秒": the lag in words for the notice. */
export const lagInWords = (ms: number) =>
  ms < 1000 ? '不到1秒' : ms < 120_000 ? `约${Math.round(ms / 1000)}秒` : `约${Math.round(ms / 60_000)}分钟`;
