import type { z } from 'zod';
import { http } from './client';
import type { HealthOut, MetaOut } from '../../server/modules/meta/schemas';

// The server's zod schemas (meta/schemas.ts) are the contract; these are their inferred shapes (decision 025).
/** /api/health (decision 027: degraded when the synchronous standby is away). */
export type Health = z.infer<typeof HealthOut>;

export const metaApi = {
  get: () => http.get<z.infer<typeof MetaOut>>('/api/meta', undefined, { silent: true }),
  health: (signal?: AbortSignal) => http.get<Health>('/api/health', undefined, { silent: true, signal }),
};
