import type { z } from 'zod';
import { downloadFile, http, uploadFile } from './client';
import type {
  DashboardOut,
  DeriveOut,
  FlagOut,
  FlagsOut,
  FollowUpOut,
  FollowUpsOut,
  HonourOut,
  IdOut,
  IdStateOut,
  InboxOut,
  KeyItemOut,
  KeyScopeOut,
  KeySectorOut,
  KeysOut,
  ParallelOut,
  ParallelRowOut,
  PerformanceImportOut,
  ProposeOut,
  SavedCountOut,
  SavedOut,
  StateOut,
  SubmittedOut,
  SummaryOut,
} from '../../server/modules/results/schemas';

// The server's zod schemas are the contract; these are their inferred shapes.
export type ResultFlag = z.infer<typeof FlagOut>;
export type FollowUp = z.infer<typeof FollowUpOut>;
export type KeyItem = z.infer<typeof KeyItemOut>;
export type KeySector = z.infer<typeof KeySectorOut>;
export type ParallelRow = z.infer<typeof ParallelRowOut>;
export type Summary = z.infer<typeof SummaryOut>;
export type Dashboard = z.infer<typeof DashboardOut>;
export type SummarySectionKey = 'overview' | 'achievements' | 'problems' | 'nextSteps';
export type Honour = z.infer<typeof HonourOut>;
export type KeyScope = z.infer<typeof KeyScopeOut>;
export type ParallelView = z.infer<typeof ParallelOut>;

const base = (id: number) => `/api/campaigns/${id}`;

export const resultsApi = {
  derive: (id: number) => http.post<z.infer<typeof DeriveOut>>(`${base(id)}/results/derive`, {}),
  flags: (id: number, query: { code?: string; q?: string }, signal?: AbortSignal) =>
    http.get<z.infer<typeof FlagsOut>>(`${base(id)}/results/flags`, query, { signal }),
  exportFlags: (id: number) => downloadFile(`${base(id)}/results/flags.xlsx`, '结果运用清单.xlsx'),
  followUps: (
    id: number,
    query: { kind?: string; state?: string; q?: string; overdue?: boolean },
    signal?: AbortSignal,
  ) => http.get<z.infer<typeof FollowUpsOut>>(`${base(id)}/results/follow-ups`, query, { signal }),
  recordFollowUp: (
    followUpId: number,
    body: { recordDate: string; recordBy: string; recordContent: string; done: boolean },
  ) => http.post<z.infer<typeof IdStateOut>>(`/api/result-follow-ups/${followUpId}/record`, body, { silent: true }),
  accountability: (id: number, body: { reporterId: number; note: string; dueDate: string | null }) =>
    http.post<z.infer<typeof IdOut>>(`${base(id)}/results/accountability`, body, { silent: true }),
  proposeKeys: (id: number) => http.post<z.infer<typeof ProposeOut>>(`${base(id)}/key-management/propose`, {}),
  keys: (id: number, query: { state?: string; sector?: string }, signal?: AbortSignal) =>
    http.get<z.infer<typeof KeysOut>>(`${base(id)}/key-management`, query, { signal }),
  addKey: (id: number, orgId: number, reason: string) =>
    http.post<z.infer<typeof IdStateOut>>(`${base(id)}/key-management`, { orgId, reason }, { silent: true }),
  actKey: (
    id: number,
    itemId: number,
    body: { action: 'remove'; reason: string } | { action: 'confirm' } | { action: 'upgrade'; note: string },
  ) => http.post<z.infer<typeof IdStateOut>>(`${base(id)}/key-management/${itemId}`, body, { silent: true }),
  exportKeys: (id: number) => downloadFile(`${base(id)}/key-management.xlsx`, '重点管理名单.xlsx'),
  performanceTemplate: () => downloadFile('/api/results/performance-template.xlsx', '绩效考核结果导入模板.xlsx'),
  importPerformance: (id: number, file: File) =>
    uploadFile<z.infer<typeof PerformanceImportOut>>(`${base(id)}/performance/import`, file, { silent: true }),
  setHonourPlaces: (id: number, places: Record<string, number>) =>
    http.put<z.infer<typeof SavedCountOut>>(`${base(id)}/performance/honours`, { places }),
  parallel: (id: number, signal?: AbortSignal) =>
    http.get<ParallelView>(`${base(id)}/performance/parallel`, undefined, { signal }),
  exportParallel: (id: number) => downloadFile(`${base(id)}/performance/parallel.xlsx`, '平行考核结果.xlsx'),
  summary: (id: number, signal?: AbortSignal) => http.get<Summary>(`${base(id)}/summary`, undefined, { signal }),
  saveSummary: (id: number, sections: Partial<Record<SummarySectionKey, string>>) =>
    http.put<z.infer<typeof SavedOut>>(`${base(id)}/summary`, sections),
  submitSummary: (id: number, recipient?: string) =>
    http.post<z.infer<typeof SubmittedOut>>(`${base(id)}/summary/submit`, recipient ? { recipient } : {}),
  receiveSummary: (id: number) => http.post<z.infer<typeof StateOut>>(`${base(id)}/summary/receive`, {}),
  summaryDocx: (id: number) => downloadFile(`${base(id)}/summary.docx`, '总结报告.docx'),
  resultsTable: (id: number) => downloadFile(`${base(id)}/results-table.xlsx`, '综合评价结果表.xlsx'),
  inbox: (signal?: AbortSignal) =>
    http.get<z.infer<typeof InboxOut>>('/api/summary-reports/inbox', undefined, { signal }),
  dashboard: (id: number, signal?: AbortSignal) => http.get<Dashboard>(`${base(id)}/dashboard`, undefined, { signal }),
};
