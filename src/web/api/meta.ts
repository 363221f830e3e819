import { http } from './client';
import type { Meta } from './types';

export const metaApi = {
  get: () => http.get<Meta>('/api/meta', undefined, { silent: true }),
  health: () => http.get<{ status: string; db: string }>('/api/health', undefined, { silent: true }),
};
