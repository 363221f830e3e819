import { downloadFile, http, uploadFile } from './client';
// Row types come from the server's use cases so the pages and the API cannot drift apart.
import type { listChecklists } from '../../server/modules/assessment/list-checklists';
import type { listTeams, listTeamCandidates } from '../../server/modules/assessment/list-teams';
import type { listProgress, ProgressStatus } from '../../server/modules/assessment/list-progress';
import type { listMyAssignments } from '../../server/modules/assessment/list-my-assignments';
import type { getSheet } from '../../server/modules/assessment/get-sheet';
import type { SavedScore } from '../../server/modules/assessment/score-item';

export type Checklists = Awaited<ReturnType<typeof listChecklists>>;
export type Checklist = Checklists['checklists'][number];
export type ChecklistItem = Checklist['items'][number];
export type Teams = Awaited<ReturnType<typeof listTeams>>;
export type Team = Teams['items'][number];
export type Candidate = Awaited<ReturnType<typeof listTeamCandidates>>['items'][number];
export type Progress = Awaited<ReturnType<typeof listProgress>>;
export type ProgressRow = Progress['items'][number];
export type MyAssignments = Awaited<ReturnType<typeof listMyAssignments>>;
export type Sheet = Awaited<ReturnType<typeof getSheet>>;
export type { ProgressStatus, SavedScore };

export interface AppliesTo {
  tierKeys?: string[];
  sectors?: string[];
}
export interface ItemInput {
  section: string;
  title: string;
  maxPoints: number;
  guidance?: string;
  method: string;
}
export interface TeamInput {
  name: string;
  leaderName?: string | null;
  memberIds: number[];
  reporterIds: number[];
}
export interface ScoreInput {
  itemId: number;
  score: number;
  failed: boolean;
  note?: string | null;
  clientId: string;
  scoredAt?: string;
}
export interface ProgressFilter {
  q?: string;
  teamId?: number;
  status?: ProgressStatus;
}

export const STATUS_LABELS: Record<ProgressStatus, { label: string; color: string }> = {
  unassigned: { label: '未分组', color: 'default' },
  not_started: { label: '未开始', color: 'warning' },
  in_progress: { label: '评分中', color: 'processing' },
  completed: { label: '已完成', color: 'success' },
};

const c = (id: number) => `/api/campaigns/${id}`;

export const assessmentApi = {
  checklists: (campaignId: number, signal?: AbortSignal) => http.get<Checklists>(`${c(campaignId)}/checklists`, undefined, { silent: true, signal }),
  fromTemplate: (campaignId: number, kind: string) => http.post<{ id: number }>(`${c(campaignId)}/checklists/from-template`, { kind }),
  createChecklist: (campaignId: number, input: { title: string; appliesTo: AppliesTo; items: ItemInput[] }) =>
    http.post<{ id: number }>(`${c(campaignId)}/checklists`, input, { silent: true }),
  updateChecklist: (id: number, patch: { title?: string; appliesTo?: AppliesTo; position?: number }) =>
    http.patch<{ id: number }>(`/api/checklists/${id}`, patch, { silent: true }),
  removeChecklist: (id: number) => http.del<{ ok: true }>(`/api/checklists/${id}`),
  addItem: (checklistId: number, input: ItemInput) => http.post<{ id: number }>(`/api/checklists/${checklistId}/items`, input, { silent: true }),
  updateItem: (id: number, patch: Partial<ItemInput>) => http.patch<{ id: number }>(`/api/checklist-items/${id}`, patch, { silent: true }),
  removeItem: (id: number) => http.del<{ ok: true }>(`/api/checklist-items/${id}`),

  teams: (campaignId: number, query: { q?: string; offset: number; limit: number }, signal?: AbortSignal) => http.get<Teams>(`${c(campaignId)}/assessment-teams`, { ...query }, { signal }),
  candidates: (campaignId: number, q?: string, signal?: AbortSignal) =>
    http.get<{ items: Candidate[] }>(`${c(campaignId)}/assessment-teams/candidates`, { q }, { signal }),
  createTeam: (campaignId: number, input: TeamInput) => http.post<{ id: number }>(`${c(campaignId)}/assessment-teams`, input, { silent: true }),
  updateTeam: (id: number, patch: Partial<TeamInput>) => http.patch<{ id: number }>(`/api/assessment-teams/${id}`, patch, { silent: true }),
  removeTeam: (id: number) => http.del<{ ok: true }>(`/api/assessment-teams/${id}`),

  progress: (campaignId: number, query: ProgressFilter & { offset: number; limit: number }, signal?: AbortSignal) =>
    http.get<Progress>(`${c(campaignId)}/assessment/progress`, { ...query }, { silent: true, signal }),
  exportScores: (campaignId: number, filter: ProgressFilter) => downloadFile(`${c(campaignId)}/assessment/export`, '实地考核得分.xlsx', { ...filter }),

  my: () => http.get<MyAssignments>('/api/assessment/my', undefined, { silent: true }),
  sheet: (reporterId: number) => http.get<Sheet>(`/api/assessment/reporters/${reporterId}`, undefined, { silent: true }),
  /** Silent: the phone page decides whether a failure is queued (network) or shown (refused). */
  score: (reporterId: number, input: ScoreInput) => http.put<SavedScore>(`/api/assessment/reporters/${reporterId}/scores`, input, { silent: true }),
  complete: (reporterId: number) => http.post<{ completedAt: string }>(`/api/assessment/reporters/${reporterId}/complete`, {}, { silent: true }),
  reopen: (reporterId: number, reason: string) => http.post<{ ok: true }>(`/api/assessment/reporters/${reporterId}/reopen`, { reason }, { silent: true }),
  uploadPhoto: (reporterId: number, itemId: number, file: File) =>
    uploadFile<{ id: number; fileName: string; size: number }>(`/api/assessment/reporters/${reporterId}/items/${itemId}/photos`, file, { silent: true }),
  photoUrl: (reporterId: number, photoId: number) => `/api/assessment/reporters/${reporterId}/photos/${photoId}`,
};
