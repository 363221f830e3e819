import { downloadFile, http, uploadFile, type UploadOptions } from './client';

import type { z } from 'zod';
import type {
  CheckResult as CheckResultSchema,
  Checks as ChecksSchema,
  Deadline as DeadlineSchema,
  Place as PlaceSchema,
  RectItem as RectItemSchema,
  ReportView as ReportViewSchema,
  Section as SectionSchema,
  TaskItem as TaskItemSchema,
} from '../../server/modules/reports/schemas';
import type { ReportState, ReviewAction } from '../../domain/report-review';

export type { ReportState, ReviewAction };

// The server's zod schemas (reports/schemas.ts) are the contract; these are their inferred shapes.
/** `text` is the plain text derived from `html` (what the checks and the 字数 read); `html` is absent for sections stored before rich text (decision 009). */
export type Section = z.infer<typeof SectionSchema>;
export type Place = z.infer<typeof PlaceSchema>;
export type CheckResult = z.infer<typeof CheckResultSchema>;
export type Checks = z.infer<typeof ChecksSchema>;
export type Deadline = z.infer<typeof DeadlineSchema>;
export type ReportView = z.infer<typeof ReportViewSchema>;
/** A report task: `phase` is the phase its next step belongs to (R-CAMP-8); `reminders` the 催报 received, newest first (the secretary's own tasks only). */
export type TaskItem = z.infer<typeof TaskItemSchema>;
export type Reminder = NonNullable<TaskItem['reminders']>[number];
export type RectItem = z.infer<typeof RectItemSchema>;
export interface RemindInput {
  reporterIds?: number[];
  all?: {
    campaignId?: number;
    q?: string;
    overdue?: boolean;
    state?: 'none' | 'draft' | 'returned' | 'rewrite_ordered';
  };
  message?: string;
}
export interface DiffRow {
  kind: 'same' | 'changed' | 'removed' | 'added';
  left: string | null;
  right: string | null;
}
export interface QueueQuery {
  campaignId?: number;
  state?: string;
  q?: string;
  overdue?: boolean;
  offset?: number;
  limit?: number;
}
export interface PublishedItem {
  id: number;
  reporterId: number;
  campaignId: number;
  orgName: string;
  campaignTitle: string;
  publishedAt: string;
  charCount: number;
}

export const reportsApi = {
  tasks: (signal?: AbortSignal) => http.get<{ items: TaskItem[] }>('/api/reports/tasks', undefined, { signal }),
  queue: (q: QueueQuery, signal?: AbortSignal) =>
    http.get<{ items: TaskItem[]; total: number }>(
      '/api/reports/queue',
      { ...q, overdue: q.overdue ? 'true' : undefined },
      { signal },
    ),
  published: (q: { campaignId?: number; q?: string; offset?: number; limit?: number }, signal?: AbortSignal) =>
    http.get<{ items: PublishedItem[]; total: number }>('/api/reports/published', q, { signal }),
  open: (reporterId: number, signal?: AbortSignal) =>
    http.post<{ id: number }>('/api/reports/open', { reporterId }, { signal }),
  get: (id: number, signal?: AbortSignal) => http.get<ReportView>(`/api/reports/${id}`, undefined, { signal }),
  save: (id: number, sections: Section[]) =>
    http.put<{ charCount: number }>(`/api/reports/${id}/sections`, { sections }),
  check: (id: number, sections: Section[], signal?: AbortSignal) =>
    http.post<Checks>(`/api/reports/${id}/check`, { sections }, { silent: true, signal }),
  uploadDocx: (id: number, file: Blob, opts: UploadOptions = {}) =>
    uploadFile<{
      versionNo: number;
      charCount: number;
      unknownHeadings: string[];
      sections: { key: string; title: string }[];
    }>(`/api/reports/${id}/docx`, file, opts),
  transition: (id: number, action: ReviewAction, comment: string) =>
    http.post<{ state: ReportState; versionNo: number }>(`/api/reports/${id}/transitions`, { action, comment }),
  diff: (id: number, from: number, to: number) =>
    http.get<{ from: number; to: number; changed: number; rows: DiffRow[] }>(`/api/reports/${id}/diff`, { from, to }),
  downloadDocx: (id: number, versionNo: number, name: string) =>
    downloadFile(`/api/reports/${id}/versions/${versionNo}/docx`, `${name}.docx`),
  uploadAttachment: (id: number, file: Blob, opts: UploadOptions = {}) =>
    uploadFile<{ id: number; fileName: string; size: number }>(`/api/reports/${id}/attachments`, file, opts),
  downloadAttachment: (id: number, attachmentId: number, name: string) =>
    downloadFile(`/api/reports/${id}/attachments/${attachmentId}`, name),
  removeAttachment: (id: number, attachmentId: number) =>
    http.del<{ ok: true }>(`/api/reports/${id}/attachments/${attachmentId}`),
  rectItems: (reporterId: number) =>
    http.get<{ items: RectItem[] }>(`/api/reporters/${reporterId}/rectification-items`),
  addRectItem: (reporterId: number, input: { reference?: string | null; text: string }) =>
    http.post<RectItem>(`/api/reporters/${reporterId}/rectification-items`, input),
  removeRectItem: (reporterId: number, itemId: number) =>
    http.del<{ ok: true }>(`/api/reporters/${reporterId}/rectification-items/${itemId}`),
  remind: (input: RemindInput) =>
    http.post<{ sent: string[]; skipped: { orgName: string; reason: string }[] }>('/api/reports/reminders', input),
  publish: (campaignId: number) =>
    http.post<{ published: string[]; skipped: { orgName: string; reason: string }[]; audience: string }>(
      '/api/reports/publish',
      { campaignId },
    ),
};
