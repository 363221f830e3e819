import { http } from './client';
import type { AuditEntry, AuditQuery, Page } from './types';

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  head: number | null;
  tail: { seq: number; hash: string | null } | null;
  algs: Record<string, number>;
  breakCount: number;
  breaks: { seq: number; reason: string; message: string }[];
}

export const auditApi = {
  search: (query: AuditQuery) => http.get<Page<AuditEntry>>('/api/audit', { ...query }),
  verify: () => http.get<AuditChainReport>('/api/audit/verify'),
};
