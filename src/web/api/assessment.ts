import type { z } from 'zod';
import { downloadFile, http, uploadFile } from './client';
import type { QueryIn } from './types';
import type {
  AppliesTo as AppliesToIn,
  CandidatesOut,
  ChecklistIn,
  ChecklistPatch,
  ChecklistsOut,
  CompletedOut,
  IdOut,
  Item,
  ItemPatch,
  MyAssignmentsOut,
  Ok,
  PhotoOut,
  ProgressFilterQuery,
  ProgressOut,
  ProgressQuery as ProgressQuerySchema,
  ProgressStatus,
  SavedScoreOut,
  ScoreIn,
  SheetOut,
  TeamBody,
  TeamPatch,
  TeamsOut,
  TeamsQuery as TeamsQuerySchema,
} from '../../server/modules/assessment/schemas';

// The server's zod schemas are the contract; these are their inferred shapes.
export type Checklists = z.infer<typeof ChecklistsOut>;
export type Checklist = Checklists['checklists'][number];
export type ChecklistItem = Checklist['items'][number];
export type Teams = z.infer<typeof TeamsOut>;
export type Team = Teams['items'][number];
export type Candidate = z.infer<typeof CandidatesOut>['items'][number];
export type Progress = z.infer<typeof ProgressOut>;
export type ProgressRow = Progress['items'][number];
export type MyAssignments = z.infer<typeof MyAssignmentsOut>;
export type Sheet = z.infer<typeof SheetOut>;
export type SavedScore = z.infer<typeof SavedScoreOut>;
export type { ProgressStatus };

export type AppliesTo = z.input<typeof AppliesToIn>;
export type ItemInput = z.input<typeof Item>;
export type TeamInput = z.input<typeof TeamBody>;
export type ScoreInput = z.input<typeof ScoreIn>;
export type ProgressFilter = QueryIn<typeof ProgressFilterQuery>;
export type ProgressQuery = QueryIn<typeof ProgressQuerySchema>;
export type TeamsQuery = QueryIn<typeof TeamsQuerySchema>;

export const STATUS_LABELS: Record<ProgressStatus, { label: string; color: string }> = {
  unassigned: { label: '未分组', color: 'default' },
  not_started: { label: '未开始', color: 'warning' },
  in_progress: { label: '评分中', color: 'processing' },
  completed: { label: '已完成', color: 'success' },
};

const c = (id: number) => `/api/campaigns/${id}`;

export const assessmentApi = {
  checklists: (campaignId: number, signal?: AbortSignal) =>
    http.get<Checklists>(`${c(campaignId)}/checklists`, undefined, { silent: true, signal }),
  fromTemplate: (campaignId: number, kind: string) =>
    http.post<z.infer<typeof IdOut>>(`${c(campaignId)}/checklists/from-template`, { kind }),
  createChecklist: (campaignId: number, input: z.input<typeof ChecklistIn>) =>
    http.post<z.infer<typeof IdOut>>(`${c(campaignId)}/checklists`, input, { silent: true }),
  updateChecklist: (id: number, patch: z.input<typeof ChecklistPatch>) =>
    http.patch<z.infer<typeof IdOut>>(`/api/checklists/${id}`, patch, { silent: true }),
  removeChecklist: (id: number) => http.del<z.infer<typeof Ok>>(`/api/checklists/${id}`),
  addItem: (checklistId: number, input: ItemInput) =>
    http.post<z.infer<typeof IdOut>>(`/api/checklists/${checklistId}/items`, input, { silent: true }),
  updateItem: (id: number, patch: z.input<typeof ItemPatch>) =>
    http.patch<z.infer<typeof IdOut>>(`/api/checklist-items/${id}`, patch, { silent: true }),
  removeItem: (id: number) => http.del<z.infer<typeof Ok>>(`/api/checklist-items/${id}`),

  teams: (campaignId: number, query: TeamsQuery, signal?: AbortSignal) =>
    http.get<Teams>(`${c(campaignId)}/assessment-teams`, { ...query }, { signal }),
  candidates: (campaignId: number, q?: string, signal?: AbortSignal) =>
    http.get<z.infer<typeof CandidatesOut>>(`${c(campaignId)}/assessment-teams/candidates`, { q }, { signal }),
  createTeam: (campaignId: number, input: TeamInput) =>
    http.post<z.infer<typeof IdOut>>(`${c(campaignId)}/assessment-teams`, input, { silent: true }),
  updateTeam: (id: number, patch: z.input<typeof TeamPatch>) =>
    http.patch<z.infer<typeof IdOut>>(`/api/assessment-teams/${id}`, patch, { silent: true }),
  removeTeam: (id: number) => http.del<z.infer<typeof Ok>>(`/api/assessment-teams/${id}`),

  progress: (campaignId: number, query: ProgressQuery, signal?: AbortSignal) =>
    http.get<Progress>(`${c(campaignId)}/assessment/progress`, { ...query }, { silent: true, signal }),
  exportScores: (campaignId: number, filter: ProgressFilter) =>
    downloadFile(`${c(campaignId)}/assessment/export`, '实地考核得分.xlsx', { ...filter }),

  my: () => http.get<MyAssignments>('/api/assessment/my', undefined, { silent: true }),
  sheet: (reporterId: number) =>
    http.get<Sheet>(`/api/assessment/reporters/${reporterId}`, undefined, { silent: true }),
  /** Silent: the phone page decides whether a failure is queued (network) or shown (refused). */
  score: (reporterId: number, input: ScoreInput) =>
    http.put<SavedScore>(`/api/assessment/reporters/${reporterId}/scores`, input, { silent: true }),
  complete: (reporterId: number) =>
    http.post<z.infer<typeof CompletedOut>>(`/api/assessment/reporters/${reporterId}/complete`, {}, { silent: true }),
  reopen: (reporterId: number, reason: string) =>
    http.post<z.infer<typeof Ok>>(`/api/assessment/reporters/${reporterId}/reopen`, { reason }, { silent: true }),
  uploadPhoto: (reporterId: number, itemId: number, file: File) =>
    uploadFile<z.infer<typeof PhotoOut>>(`/api/assessment/reporters/${reporterId}/items/${itemId}/photos`, file, {
      silent: true,
    }),
  photoUrl: (reporterId: number, photoId: number) => `/api/assessment/reporters/${reporterId}/photos/${photoId}`,
};
