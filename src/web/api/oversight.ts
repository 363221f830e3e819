import { downloadFile, http } from './client';
import type { Page } from './types';
// Row types come from the server's use cases so the page and the API cannot drift apart.
import type { AssignmentRow as Assignment, ObserverGroup, PhaseWindow } from '../../server/modules/oversight/list-observers';
import type { TaskRow as Task } from '../../server/modules/oversight/list-my-tasks';

export type { Assignment, ObserverGroup, PhaseWindow, Task };

export interface CampaignBrief {
  id: number;
  parentId: number | null;
  title: string;
  year: number;
  state: string;
  organizerOrgId: number;
  organizerName: string;
}

export interface Candidate {
  id: number;
  displayName: string;
  username: string;
  role: string;
  scopeOrgName: string | null;
}

export interface AssignInput {
  userIds: number[];
  subCampaignIds: number[];
  groupName?: string | null;
  leaderUserId?: number | null;
  note?: string | null;
}

export interface Visit {
  id: number;
  orgId: number;
  orgName: string;
  visitedOn: string;
  visitors: string;
  seen: string;
  authorId: number;
  authorName: string;
  createdAt: string;
  updatedAt: string;
  problems: { id: number; text: string }[];
  canEdit: boolean;
}

export interface VisitInput {
  orgId: number;
  visitedOn: string;
  visitors: string;
  seen: string;
  problems: string[];
}

export interface VisitPatch {
  orgId?: number;
  visitedOn?: string;
  visitors?: string;
  seen?: string;
  problems?: { id?: number; text: string }[];
}

export interface ProgressRow {
  id: number;
  parentId: number | null;
  depth: number;
  title: string;
  year: number;
  state: string;
  filingState: string;
  completeBy: string | null;
  overdue: boolean;
  organizerOrgId: number;
  organizerName: string;
  organizerLevel: string;
  phasesTotal: number;
  phasesClosed: number;
  openPhases: { key: string; label: string }[];
  /** The next phase to begin by its dates (R-CAMP-8). */
  waiting: { key: string; label: string; start: string } | null;
  /** Results due upward (R-SUM-2): the level's 总结 phase end; overdue while its summary has not gone up. */
  resultsDue: string | null;
  summaryState: string | null;
  resultsOverdue: boolean;
  reporters: number;
  observers: number;
}

export interface ProgressSummary {
  total: number;
  subCampaigns: number;
  overdue: number;
  byState: Record<string, number>;
  byFiling: Record<string, number>;
  reporters: number;
  observers: number;
}

export interface ProgressFilter {
  q?: string;
  state?: string;
  filing?: string;
  overdue?: 'true' | 'false';
}

export interface Progress extends Page<ProgressRow> {
  campaign: CampaignBrief;
  today: string;
  summary: ProgressSummary;
}

const base = (id: number) => `/api/campaigns/${id}`;

export const oversightApi = {
  observers: (id: number, query: { q?: string; groupName?: string; offset: number; limit: number }, signal?: AbortSignal) =>
    http.get<Page<Assignment> & { campaign: CampaignBrief; groups: ObserverGroup[] }>(`${base(id)}/observers`, { ...query }, { silent: true, signal }),
  candidates: (id: number, q?: string, signal?: AbortSignal) =>
    http.get<{ items: Candidate[] }>(`${base(id)}/observers/candidates`, { q }, { signal }),
  assign: (id: number, input: AssignInput) => http.post<{ created: number }>(`${base(id)}/observers`, input, { silent: true }),
  withdraw: (id: number, assignmentId: number) => http.del<{ ok: boolean }>(`${base(id)}/observers/${assignmentId}`),
  exportGroups: (id: number) => downloadFile(`${base(id)}/observers/export`, '观察员分组名单.xlsx'),

  myTasks: (query: { q?: string; status?: 'pending' | 'recorded'; offset: number; limit: number }, signal?: AbortSignal) =>
    http.get<Page<Task>>('/api/my/tasks', { ...query }, { signal }),
  recordObservation: (taskId: number, note: string) =>
    http.post<{ id: number; observationNote: string; observedAt: string }>(`/api/my/tasks/${taskId}/observation`, { note }, { silent: true }),

  visits: (id: number, query: { q?: string; orgId?: number; from?: string; to?: string; offset: number; limit: number }, signal?: AbortSignal) =>
    http.get<Page<Visit> & { campaign: CampaignBrief }>(`${base(id)}/visits`, { ...query }, { silent: true, signal }),
  createVisit: (id: number, input: VisitInput) => http.post<{ id: number }>(`${base(id)}/visits`, input, { silent: true }),
  updateVisit: (id: number, visitId: number, patch: VisitPatch) =>
    http.patch<{ id: number }>(`${base(id)}/visits/${visitId}`, patch, { silent: true }),

  progress: (id: number, query: ProgressFilter & { offset: number; limit: number }, opts: { signal?: AbortSignal; background?: boolean } = {}) =>
    http.get<Progress>(`${base(id)}/progress`, { ...query }, { silent: true, ...opts }),
  exportProgress: (id: number, filter: ProgressFilter) => downloadFile(`${base(id)}/progress/export`, '进度.xlsx', { ...filter }),
};
