import type { z } from 'zod';
import { downloadFile, http, uploadFile } from './client';
import type { QueryIn } from './types';
import type {
  AccountabilityIn,
  DashboardOut,
  DeriveOut,
  FlagOut,
  FlagsOut,
  FlagsQuery,
  FollowUpOut,
  FollowUpRecordIn,
  FollowUpsOut,
  FollowUpsQuery,
  HonourOut,
  IdOut,
  IdStateOut,
  InboxOut,
  KeyActionIn,
  KeyItemOut,
  KeyScopeOut,
  KeySectorOut,
  KeysOut,
  KeysQuery,
  ParallelOut,
  ParallelRowOut,
  PerformanceImportOut,
  ProposeOut,
  SavedCountOut,
  SavedOut,
  StateOut,
  SubmittedOut,
  SummaryIn,
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
/** The summary's sections as saved: any of their texts. */
export type SummarySections = z.input<typeof SummaryIn>;
export type SummarySectionKey = keyof SummarySections;
export type FlagsFilter = QueryIn<typeof FlagsQuery>;
export type FollowUpsFilter = QueryIn<typeof FollowUpsQuery>;
export type KeysFilter = QueryIn<typeof KeysQuery>;
export type FollowUpRecordInput = z.input<typeof FollowUpRecordIn>;
export type AccountabilityInput = z.input<typeof AccountabilityIn>;
export type KeyActionInput = z.input<typeof KeyActionIn>;
export type Honour = z.infer<typeof HonourOut>;
export type KeyScope = z.infer<typeof KeyScopeOut>;
export type KeysView = z.infer<typeof KeysOut>;
export type ParallelView = z.infer<typeof ParallelOut>;

const base = (id: number) => `/api/campaigns/${id}`;

export const resultsApi = {
  derive: (id: number) => http.post<z.infer<typeof DeriveOut>>(`${base(id)}/results/derive`, {}),
  flags: (id: number, query: FlagsFilter, signal?: AbortSignal) =>
    http.get<z.infer<typeof FlagsOut>>(`${base(id)}/results/flags`, query, { signal }),
  exportFlags: (id: number) => downloadFile(`${base(id)}/results/flags.xlsx`, '结果运用清单.xlsx'),
  followUps: (id: number, query: FollowUpsFilter, signal?: AbortSignal) =>
    http.get<z.infer<typeof FollowUpsOut>>(`${base(id)}/results/follow-ups`, query, { signal }),
  recordFollowUp: (followUpId: number, body: FollowUpRecordInput) =>
    http.post<z.infer<typeof IdStateOut>>(`/api/result-follow-ups/${followUpId}/record`, body, { silent: true }),
  accountability: (id: number, body: AccountabilityInput) =>
    http.post<z.infer<typeof IdOut>>(`${base(id)}/results/accountability`, body, { silent: true }),
  proposeKeys: (id: number) => http.post<z.infer<typeof ProposeOut>>(`${base(id)}/key-management/propose`, {}),
  keys: (id: number, query: KeysFilter, signal?: AbortSignal) =>
    http.get<KeysView>(`${base(id)}/key-management`, query, { signal }),
  addKey: (id: number, orgId: number, reason: string) =>
    http.post<z.infer<typeof IdStateOut>>(`${base(id)}/key-management`, { orgId, reason }, { silent: true }),
  actKey: (id: number, itemId: number, body: KeyActionInput) =>
    http.post<z.infer<typeof IdStateOut>>(`${base(id)}/key-management/${itemId}`, body, { silent: true }),
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
  saveSummary: (id: number, sections: SummarySections) =>
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
