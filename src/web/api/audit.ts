import type { z } from 'zod';
import { downloadFile, http } from './client';
import type {
  AuditExportQuery,
  AuditPageOut,
  AuditQuery as AuditQuerySchema,
  ChainReportOut,
} from '../../server/modules/audit/schemas';
import type { QueryIn } from './types';

// The server's zod schemas (audit/schemas.ts) are the contract; these are their inferred shapes (decision 025).
export type AuditQuery = QueryIn<typeof AuditQuerySchema>;
export type AuditExportFilter = QueryIn<typeof AuditExportQuery>;
export type AuditPage = z.infer<typeof AuditPageOut>;
/** The chain check; `anchors` is null when no anchors are set up (decision 016). */
export type AuditChainReport = z.infer<typeof ChainReportOut>;

export const auditApi = {
  search: (query: AuditQuery, signal?: AbortSignal) => http.get<AuditPage>('/api/audit', { ...query }, { signal }),
  verify: () => http.get<AuditChainReport>('/api/audit/verify'),
  /** The current filter's rows as .xlsx, with an anchor of the chain signed at export time (to print and keep). */
  exportXlsx: (query: AuditExportFilter) => downloadFile('/api/audit/export', '审计日志.xlsx', { ...query }),
};
