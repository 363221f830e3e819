import { downloadFile, http, uploadFile, type UploadOptions } from './client';

import type { z } from 'zod';
import type {
  AttachmentOut,
  CheckResult as CheckResultSchema,
  Checks as ChecksSchema,
  Deadline as DeadlineSchema,
  DiffOut,
  DiffRowOut,
  DocxOut,
  IdOut,
  OkOut,
  Place as PlaceSchema,
  PublishedOut,
  PublishedQuery as PublishedQuerySchema,
  PublishedReportOut,
  PublishOut,
  QueueOut,
  QueueQuery as QueueQuerySchema,
  RectItem as RectItemSchema,
  RectItemIn,
  RectItemsOut,
  RemindIn,
  RemindOut,
  ReportView as ReportViewSchema,
  SavedOut,
  Section as SectionSchema,
  TaskItem as TaskItemSchema,
  TasksOut,
  TransitionOut,
} from '../../server/modules/reports/schemas';
import type { ReportState, ReviewAction } from '../../domain/report-review';
import type { QueryIn } from './types';

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
export type RemindInput = z.input<typeof RemindIn>;
export type RemindResult = z.infer<typeof RemindOut>;
export type DiffRow = z.infer<typeof DiffRowOut>;
export type QueueQuery = QueryIn<typeof QueueQuerySchema>;
export type PublishedQuery = QueryIn<typeof PublishedQuerySchema>;
export type PublishedItem = z.infer<typeof PublishedReportOut>;
export type DocxResult = z.infer<typeof DocxOut>;
type Ok = z.infer<typeof OkOut>;

export const reportsApi = {
  tasks: (signal?: AbortSignal) => http.get<z.infer<typeof TasksOut>>('/api/reports/tasks', undefined, { signal }),
  queue: (q: QueueQuery, signal?: AbortSignal) =>
    http.get<z.infer<typeof QueueOut>>(
      '/api/reports/queue',
      { ...q, overdue: q.overdue ? 'true' : undefined },
      { signal },
    ),
  published: (q: PublishedQuery, signal?: AbortSignal) =>
    http.get<z.infer<typeof PublishedOut>>('/api/reports/published', q, { signal }),
  open: (reporterId: number, signal?: AbortSignal) =>
    http.post<z.infer<typeof IdOut>>('/api/reports/open', { reporterId }, { signal }),
  get: (id: number, signal?: AbortSignal) => http.get<ReportView>(`/api/reports/${id}`, undefined, { signal }),
  save: (id: number, sections: Section[]) =>
    http.put<z.infer<typeof SavedOut>>(`/api/reports/${id}/sections`, { sections }),
  check: (id: number, sections: Section[], signal?: AbortSignal) =>
    http.post<Checks>(`/api/reports/${id}/check`, { sections }, { silent: true, signal }),
  uploadDocx: (id: number, file: Blob, opts: UploadOptions = {}) =>
    uploadFile<DocxResult>(`/api/reports/${id}/docx`, file, opts),
  transition: (id: number, action: ReviewAction, comment: string) =>
    http.post<z.infer<typeof TransitionOut>>(`/api/reports/${id}/transitions`, { action, comment }),
  diff: (id: number, from: number, to: number) =>
    http.get<z.infer<typeof DiffOut>>(`/api/reports/${id}/diff`, { from, to }),
  downloadDocx: (id: number, versionNo: number, name: string) =>
    downloadFile(`/api/reports/${id}/versions/${versionNo}/docx`, `${name}.docx`),
  uploadAttachment: (id: number, file: Blob, opts: UploadOptions = {}) =>
    uploadFile<z.infer<typeof AttachmentOut>>(`/api/reports/${id}/attachments`, file, opts),
  downloadAttachment: (id: number, attachmentId: number, name: string) =>
    downloadFile(`/api/reports/${id}/attachments/${attachmentId}`, name),
  removeAttachment: (id: number, attachmentId: number) =>
    http.del<Ok>(`/api/reports/${id}/attachments/${attachmentId}`),
  rectItems: (reporterId: number) =>
    http.get<z.infer<typeof RectItemsOut>>(`/api/reporters/${reporterId}/rectification-items`),
  addRectItem: (reporterId: number, input: z.input<typeof RectItemIn>) =>
    http.post<RectItem>(`/api/reporters/${reporterId}/rectification-items`, input),
  removeRectItem: (reporterId: number, itemId: number) =>
    http.del<Ok>(`/api/reporters/${reporterId}/rectification-items/${itemId}`),
  remind: (input: RemindInput) => http.post<RemindResult>('/api/reports/reminders', input),
  publish: (campaignId: number) => http.post<z.infer<typeof PublishOut>>('/api/reports/publish', { campaignId }),
};
