import type { z } from 'zod';
import { downloadFile, http, uploadFile } from './client';
import type {
  AgendaInput,
  AttendanceInput,
  AttendeesImportOut,
  AttendeesInput,
  CommentInput,
  CommentOutT,
  CommentPatch,
  ListQuery,
  MeetingDetailT,
  MeetingInput,
  MeetingListT,
  MeetingPatch as MeetingPatchSchema,
  MeetingSummaryT,
  OkOut,
  TimerInput,
  TimerOutT,
} from '../../server/modules/meetings/schemas';
import type { LiveCountsOut } from '../../server/modules/ballots/schemas';
import type { BallotRound, BallotRounds } from './ballots';
import type { QueryIn } from './types';

// The server's zod schemas are the contract; these are their inferred shapes.
export type MeetingDetail = MeetingDetailT;
export type MeetingSummary = MeetingSummaryT;
export type MeetingList = MeetingListT;
export type AgendaItem = MeetingDetailT['agenda'][number];
export type ReporterOption = MeetingDetailT['availableReporters'][number];
export type Attendance = MeetingDetailT['attendance'][number];
export type Attendee = MeetingDetailT['attendees'][number];
export type AttendeeRow = z.input<typeof AttendeesInput>['rows'][number];
export type MeetingComment = CommentOutT;
export type Timer = TimerOutT;
export type MeetingForm = z.input<typeof MeetingInput>;
export type CommentForm = z.input<typeof CommentInput>;
export type TimerAction = z.input<typeof TimerInput>['action'];

export type MeetingListQuery = QueryIn<typeof ListQuery>;
export type MeetingPatch = z.input<typeof MeetingPatchSchema>;
/** The ballots module's live count event (GET /api/meetings/:id/live): received per reporter, never grades. */
export type LiveCounts = z.infer<typeof LiveCountsOut>;
/** The ballots module's rounds, as the console reads them (room code, state). */
export type { BallotRound };

export const meetingsApi = {
  list: (campaignId: number, query: MeetingListQuery, signal?: AbortSignal) =>
    http.get<MeetingList>(`/api/campaigns/${campaignId}/meetings`, query, { signal }),
  create: (campaignId: number, body: MeetingForm) =>
    http.post<MeetingSummary>(`/api/campaigns/${campaignId}/meetings`, body, { silent: true }),
  detail: (id: number, opts: { silent?: boolean; background?: boolean; signal?: AbortSignal } = {}) =>
    http.get<MeetingDetail>(`/api/meetings/${id}`, undefined, opts),
  update: (id: number, body: MeetingPatch) => http.patch<MeetingDetail>(`/api/meetings/${id}`, body, { silent: true }),
  remove: (id: number) => http.del<z.infer<typeof OkOut>>(`/api/meetings/${id}`),
  setAgenda: (id: number, items: z.input<typeof AgendaInput>['items']) =>
    http.put<MeetingDetail>(`/api/meetings/${id}/agenda`, { items }),
  defaultAgenda: (id: number) => http.post<MeetingDetail>(`/api/meetings/${id}/agenda/default`),
  setStep: (id: number, step: string) => http.put<MeetingDetail>(`/api/meetings/${id}/step`, { step }),
  timer: (id: number, action: TimerAction, itemId?: number) =>
    http.post<Timer>(`/api/meetings/${id}/timer`, { action, itemId }),
  saveAttendance: (id: number, rows: z.input<typeof AttendanceInput>['rows']) =>
    http.put<MeetingDetail>(`/api/meetings/${id}/attendance`, { rows }),
  /** 下一项: the next stop of the meeting's 一述一评 / 集中点评 flow. */
  advance: (id: number) => http.post<MeetingDetail>(`/api/meetings/${id}/advance`),
  saveAttendees: (id: number, rows: AttendeeRow[]) =>
    http.put<MeetingDetail>(`/api/meetings/${id}/attendees`, { rows }),
  importAttendees: (id: number, file: Blob) =>
    uploadFile<z.infer<typeof AttendeesImportOut>>(`/api/meetings/${id}/attendees/import`, file, { silent: true }),
  downloadAttendeesTemplate: (id: number) =>
    downloadFile(`/api/meetings/${id}/attendees/template.xlsx`, '参会人员名单模板.xlsx'),
  close: (id: number) => http.post<MeetingDetail>(`/api/meetings/${id}/close`),
  addComment: (id: number, body: CommentForm) => http.post<MeetingComment>(`/api/meetings/${id}/comments`, body),
  editComment: (id: number, commentId: number, body: z.input<typeof CommentPatch>) =>
    http.patch<MeetingComment>(`/api/meetings/${id}/comments/${commentId}`, body),
  deleteComment: (id: number, commentId: number) =>
    http.del<z.infer<typeof OkOut>>(`/api/meetings/${id}/comments/${commentId}`),
  downloadRecord: (id: number) => downloadFile(`/api/meetings/${id}/record.docx`, '会议记录.docx'),
  downloadSheet: (id: number) => downloadFile(`/api/meetings/${id}/sheet.xlsx`, '议程及参会人员.xlsx'),
  /** The ballots module's rounds (room code); only the organizer's admins may read them. */
  ballotRounds: (id: number, opts: { background?: boolean; signal?: AbortSignal } = {}) =>
    http.get<BallotRounds>(`/api/meetings/${id}/ballot-rounds`, undefined, { silent: true, ...opts }),
  liveUrl: (id: number) => `/api/meetings/${id}/live`,
  /** Server-sent `changed` events whenever the meeting (timer, step, agenda, comments, ballot round) changes. */
  eventsUrl: (id: number) => `/api/meetings/${id}/events`,
};
