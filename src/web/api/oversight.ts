import type { z } from 'zod';
import { downloadFile, http } from './client';
import type { QueryIn } from './types';
import type {
  AssignIn,
  AssignmentOut,
  AssignOut,
  CampaignOut,
  CandidatesOut,
  CandidateOut,
  GroupOut,
  IdOut,
  ObservationOut,
  ObserversOut,
  ObserversQuery as ObserversQuerySchema,
  OkOut,
  PhaseWindowOut,
  ProgressFilterQuery,
  ProgressOut,
  ProgressQuery as ProgressQuerySchema,
  TaskOut,
  TasksOut,
  TasksQuery as TasksQuerySchema,
  VisitCreatedOut,
  VisitIn,
  VisitOut,
  VisitPatchIn,
  VisitsOut,
  VisitsQuery as VisitsQuerySchema,
} from '../../server/modules/oversight/schemas';

// The server's zod schemas are the contract; these are their inferred shapes.
export type CampaignBrief = z.infer<typeof CampaignOut>;
export type PhaseWindow = NonNullable<z.infer<typeof PhaseWindowOut>>;
export type Assignment = z.infer<typeof AssignmentOut>;
export type ObserverGroup = z.infer<typeof GroupOut>;
export type Task = z.infer<typeof TaskOut>;
export type Candidate = z.infer<typeof CandidateOut>;
export type AssignInput = z.input<typeof AssignIn>;
export type Visit = z.infer<typeof VisitOut>;
export type VisitInput = z.input<typeof VisitIn>;
export type VisitPatch = z.input<typeof VisitPatchIn>;
export type Progress = z.infer<typeof ProgressOut>;
export type ProgressRow = Progress['items'][number];
export type ProgressSummary = Progress['summary'];
export type ProgressFilter = QueryIn<typeof ProgressFilterQuery>;
export type ProgressQuery = QueryIn<typeof ProgressQuerySchema>;
export type ObserversQuery = QueryIn<typeof ObserversQuerySchema>;
export type TasksQuery = QueryIn<typeof TasksQuerySchema>;
export type VisitsQuery = QueryIn<typeof VisitsQuerySchema>;

const base = (id: number) => `/api/campaigns/${id}`;

export const oversightApi = {
  observers: (id: number, query: ObserversQuery, signal?: AbortSignal) =>
    http.get<z.infer<typeof ObserversOut>>(`${base(id)}/observers`, { ...query }, { silent: true, signal }),
  candidates: (id: number, q?: string, signal?: AbortSignal) =>
    http.get<z.infer<typeof CandidatesOut>>(`${base(id)}/observers/candidates`, { q }, { signal }),
  assign: (id: number, input: AssignInput) =>
    http.post<z.infer<typeof AssignOut>>(`${base(id)}/observers`, input, { silent: true }),
  withdraw: (id: number, assignmentId: number) =>
    http.del<z.infer<typeof OkOut>>(`${base(id)}/observers/${assignmentId}`),
  exportGroups: (id: number) => downloadFile(`${base(id)}/observers/export`, '观察员分组名单.xlsx'),

  myTasks: (query: TasksQuery, signal?: AbortSignal) =>
    http.get<z.infer<typeof TasksOut>>('/api/my/tasks', { ...query }, { signal }),
  recordObservation: (taskId: number, note: string) =>
    http.post<z.infer<typeof ObservationOut>>(`/api/my/tasks/${taskId}/observation`, { note }, { silent: true }),

  visits: (id: number, query: VisitsQuery, signal?: AbortSignal) =>
    http.get<z.infer<typeof VisitsOut>>(`${base(id)}/visits`, { ...query }, { silent: true, signal }),
  createVisit: (id: number, input: VisitInput) =>
    http.post<z.infer<typeof VisitCreatedOut>>(`${base(id)}/visits`, input, { silent: true }),
  updateVisit: (id: number, visitId: number, patch: VisitPatch) =>
    http.patch<z.infer<typeof IdOut>>(`${base(id)}/visits/${visitId}`, patch, { silent: true }),

  progress: (id: number, query: ProgressQuery, opts: { signal?: AbortSignal; background?: boolean } = {}) =>
    http.get<Progress>(`${base(id)}/progress`, { ...query }, { silent: true, ...opts }),
  exportProgress: (id: number, filter: ProgressFilter) =>
    downloadFile(`${base(id)}/progress/export`, '进度.xlsx', { ...filter }),
};
