import type { StepPhase } from './campaigns';
import { downloadFile, http, uploadFile, type UploadOptions } from './client';

export type ReportState = 'draft' | 'submitted' | 'returned' | 'rewrite_ordered' | 'resubmitted' | 'approved' | 'signed';
export type ReviewAction = 'submit' | 'return' | 'order_rewrite' | 'approve' | 'sign';

export interface Section {
  key: string;
  title: string;
  /** Plain text derived from `html` (what the checks and the 字数 read). */
  text: string;
  /** Editor HTML; absent for sections stored before rich text (decision 009). */
  html?: string;
}
export interface Place {
  sectionKey: string;
  offset: number;
  length: number;
  excerpt: string;
}
export interface CheckResult {
  id: string;
  level: 'pass' | 'advice' | 'blocker';
  message: string;
  places?: Place[];
  details?: Record<string, unknown>;
}
export interface Checks {
  results: CheckResult[];
  blocking: boolean;
}
export interface Deadline {
  meetingDate: string | null;
  meetingSource: 'meeting' | 'phase' | null;
  dueDate: string | null;
  daysLeft: number | null;
  overdue: boolean;
  meetingHeld: boolean;
}
export interface ReportView {
  report: {
    id: number; reporterId: number; state: ReportState; stateLabel: string; onBehalf: boolean; charCount: number;
    versionNo: number; submittedAt: string | null; approvedAt: string | null; signedAt: string | null;
    publishedAt: string | null; publicToken: string | null; updatedAt: string; sections: Section[];
  };
  reporter: {
    campaignId: number; campaignTitle: string; year: number; orgId: number; orgName: string; reportToName: string;
    secretaryName: string | null; tenureStart: string | null; tierLabel: string | null; charLimit: number | null;
    speakingMinutes: number | null;
  };
  slots: { key: string; title: string; required: boolean; minChars: number }[];
  rules: {
    achievementsMaxShare: { num: number; den: number } | number | null; blockingChecks: string[];
    lateSubmissionAllowed: boolean; supervisorSignOffRequired: boolean; attachments: { allowed: boolean; maxSizeMb: number };
    publicationAudience: string; keyContentItems: { id: string; title: string }[];
    rectificationItems: RectItem[];
  };
  deadline: Deadline;
  checks: Checks | null;
  events: { id: number; action: string; fromState: string; toState: string; comment: string; versionNo: number; actorName: string; at: string }[];
  versions: { versionNo: number; reason: string; charCount: number; fileName: string | null; unknownHeadings: string[]; createdAt: string }[];
  attachments: { id: number; fileName: string; mimeType: string; size: number; createdAt: string }[];
  can: { edit: boolean; submit: boolean; review: boolean; sign: boolean; publish: boolean; final: boolean };
}
export interface TaskItem {
  task: string; reporterId: number; campaignId: number; campaignTitle: string; orgId: number; orgName: string;
  reportToName: string; reportId: number | null; state: ReportState | 'none'; stateLabel: string; charCount: number;
  submittedAt: string | null; updatedAt: string | null; publishedAt: string | null; meetingDate: string | null;
  dueDate: string | null; daysLeft: number | null; overdue: boolean; dueSoon: boolean; lateSubmissionAllowed: boolean;
  lastRemindedAt: string | null;
  /** The phase the report's next step belongs to (R-CAMP-8). */
  phase: StepPhase | null;
  /** 催报 received, newest first (the secretary's own tasks only). */
  reminders?: Reminder[];
}
export interface Reminder {
  id: number; at: string; senderName: string; message: string; overdue: boolean;
}
export interface RemindInput {
  reporterIds?: number[];
  all?: { campaignId?: number; q?: string; overdue?: boolean; state?: 'none' | 'draft' | 'returned' | 'rewrite_ordered' };
  message?: string;
}
export interface RectItem {
  id: number;
  reference: string | null;
  text: string;
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
  id: number; reporterId: number; campaignId: number; orgName: string; campaignTitle: string; publishedAt: string; charCount: number;
}

export const reportsApi = {
  tasks: () => http.get<{ items: TaskItem[] }>('/api/reports/tasks'),
  queue: (q: QueueQuery) => http.get<{ items: TaskItem[]; total: number }>('/api/reports/queue', { ...q, overdue: q.overdue ? 'true' : undefined }),
  published: (q: { campaignId?: number; q?: string; offset?: number; limit?: number }) =>
    http.get<{ items: PublishedItem[]; total: number }>('/api/reports/published', q),
  open: (reporterId: number) => http.post<{ id: number }>('/api/reports/open', { reporterId }),
  get: (id: number) => http.get<ReportView>(`/api/reports/${id}`),
  save: (id: number, sections: Section[]) => http.put<{ charCount: number }>(`/api/reports/${id}/sections`, { sections }),
  check: (id: number, sections: Section[], signal?: AbortSignal) =>
    http.post<Checks>(`/api/reports/${id}/check`, { sections }, { silent: true, signal }),
  uploadDocx: (id: number, file: Blob, opts: UploadOptions = {}) =>
    uploadFile<{ versionNo: number; charCount: number; unknownHeadings: string[]; sections: { key: string; title: string }[] }>(`/api/reports/${id}/docx`, file, opts),
  transition: (id: number, action: ReviewAction, comment: string) =>
    http.post<{ state: ReportState; versionNo: number }>(`/api/reports/${id}/transitions`, { action, comment }),
  diff: (id: number, from: number, to: number) =>
    http.get<{ from: number; to: number; changed: number; rows: DiffRow[] }>(`/api/reports/${id}/diff`, { from, to }),
  downloadDocx: (id: number, versionNo: number, name: string) => downloadFile(`/api/reports/${id}/versions/${versionNo}/docx`, `${name}.docx`),
  uploadAttachment: (id: number, file: Blob, opts: UploadOptions = {}) =>
    uploadFile<{ id: number; fileName: string; size: number }>(`/api/reports/${id}/attachments`, file, opts),
  downloadAttachment: (id: number, attachmentId: number, name: string) => downloadFile(`/api/reports/${id}/attachments/${attachmentId}`, name),
  removeAttachment: (id: number, attachmentId: number) => http.del<{ ok: true }>(`/api/reports/${id}/attachments/${attachmentId}`),
  rectItems: (reporterId: number) => http.get<{ items: RectItem[] }>(`/api/reporters/${reporterId}/rectification-items`),
  addRectItem: (reporterId: number, input: { reference?: string | null; text: string }) =>
    http.post<RectItem>(`/api/reporters/${reporterId}/rectification-items`, input),
  removeRectItem: (reporterId: number, itemId: number) => http.del<{ ok: true }>(`/api/reporters/${reporterId}/rectification-items/${itemId}`),
  remind: (input: RemindInput) =>
    http.post<{ sent: string[]; skipped: { orgName: string; reason: string }[] }>('/api/reports/reminders', input),
  publish: (campaignId: number) =>
    http.post<{ published: string[]; skipped: { orgName: string; reason: string }[]; audience: string }>('/api/reports/publish', { campaignId }),
};
