import { http } from './client';
import type { AuditEntry, AuditQuery, Page } from './types';

export const auditApi = {
  search: (query: AuditQuery) => http.get<Page<AuditEntry>>('/api/audit', { ...query }),
};
