import { downloadFile, http } from './client';
import type { AuditEntry, AuditQuery, Page } from './types';

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  head: number | null;
  tail: { seq: number; hash: string | null } | null;
  algs: Record<string, number>;
  /** Signed anchors of the chain head kept outside the database (decision 016); null when not set up. */
  anchors: {
    total: number;
    purged: number;
    lastSeq: number | null;
    lastAt: string | null;
    unanchoredFrom: number | null;
    keyId: string | null;
  } | null;
  breakCount: number;
  /** Breaks per reason (unsealed, anchor_mismatch, …). */
  reasons: Record<string, number>;
  breaks: { seq: number; reason: string; message: string }[];
}

export const auditApi = {
  search: (query: AuditQuery, signal?: AbortSignal) =>
    http.get<Page<AuditEntry>>('/api/audit', { ...query }, { signal }),
  verify: () => http.get<AuditChainReport>('/api/audit/verify'),
  /** The current filter's rows as .xlsx, with an anchor of the chain signed at export time (to print and keep). */
  exportXlsx: (query: Omit<AuditQuery, 'offset' | 'limit'>) =>
    downloadFile('/api/audit/export', '审计日志.xlsx', { ...query }),
};
