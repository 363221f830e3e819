import { http } from './client';
import type { Meta } from './types';

/** /api/health (decision 027: degraded when the synchronous standby is away). */
export interface Health {
  status: 'ok' | 'degraded';
  db: string;
  standby?: { state: 'ok' | 'absent' | 'off'; streaming: number; switchedOffAt: string | null; message: string | null };
}

export const metaApi = {
  get: () => http.get<Meta>('/api/meta', undefined, { silent: true }),
  health: (signal?: AbortSignal) => http.get<Health>('/api/health', undefined, { silent: true, signal }),
};
