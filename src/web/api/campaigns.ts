import type { z } from 'zod';
import { downloadFile, http } from './client';
import type {
  CampaignDetail as CampaignDetailSchema,
  CampaignSummary as CampaignSummarySchema,
  CampaignsOut,
  CreateBody,
  GapOut,
  GapsOut,
  GapsQuery,
  IdOut,
  ListQuery,
  PendingWorkOut,
  PhaseBody,
  PhaseOut,
  PhasesOut,
  PublishOut,
  ReporterOut,
  ReportersExportQuery,
  ReportersOut,
  ReportersQuery,
  ScopePreview as ScopePreviewSchema,
  ScopeSavedOut,
  SelfCommitteeBody,
  SelfCommitteeFiledOut,
  SelfCommitteeOut,
  StepPhaseOut,
  SummaryOut,
  TemplateOut,
  TemplatesOut,
} from '../../server/modules/campaigns/schemas';
import type { CampaignSettings } from '../../domain/campaign-settings';
import type { CampaignState, PhaseAction, PhaseKey } from '../../domain/campaign-phases';
import type { OrgMatch } from '../../domain/routes';
import type { QueryIn } from './types';

export type { CampaignSettings, CampaignState, PhaseKey, OrgMatch };

// The server's zod schemas are the contract; these are their inferred shapes.
export type CampaignTemplateInfo = z.infer<typeof TemplateOut>;
export type CampaignSummary = z.infer<typeof CampaignSummarySchema>;
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>;
export type CampaignChild = CampaignDetail['children'][number];
export type Phase = z.infer<typeof PhaseOut>;
export type LevelPhases = CampaignDetail['levels'][number];
export type PendingWork = z.infer<typeof PendingWorkOut>;
/** On task lists: the phase a task's next step belongs to and what it waits for (R-CAMP-8). */
export type StepPhase = z.infer<typeof StepPhaseOut>;
export type SelfCommitteeInput = z.input<typeof SelfCommitteeBody>;
export type ScopePreview = z.infer<typeof ScopePreviewSchema>;
export type Gap = z.infer<typeof GapOut>;
export type GapType = Gap['type'];
export type Gaps = z.infer<typeof GapsOut>;
export type Reporter = z.infer<typeof ReporterOut>;
export type Reporters = z.infer<typeof ReportersOut>;
export type ReporterQuery = QueryIn<typeof ReportersQuery>;
export type ReporterExportQuery = QueryIn<typeof ReportersExportQuery>;
export type PublishResult = z.infer<typeof PublishOut>;
export type FilingState = CampaignSummary['filingState'];

export type CampaignListQuery = QueryIn<typeof ListQuery>;
export type CampaignList = z.infer<typeof CampaignsOut>;
export type GapQuery = QueryIn<typeof GapsQuery>;
export type CampaignCreateInput = z.input<typeof CreateBody>;
export type PhaseInput = z.input<typeof PhaseBody>;

type Ok = z.infer<typeof SummaryOut>;

export const campaignsApi = {
  templates: (year?: number, signal?: AbortSignal) =>
    http.get<z.infer<typeof TemplatesOut>>('/api/campaign-templates', { year }, { signal }),
  list: (query: CampaignListQuery, signal?: AbortSignal) =>
    http.get<CampaignList>('/api/campaigns', { ...query }, { signal }),
  detail: (id: number, signal?: AbortSignal) =>
    http.get<CampaignDetail>(`/api/campaigns/${id}`, undefined, { silent: true, signal }),
  create: (input: CampaignCreateInput) => http.post<Ok>('/api/campaigns', input, { silent: true }),
  saveSettings: (id: number, settings: CampaignSettings, title?: string) =>
    http.put<Ok>(`/api/campaigns/${id}/settings`, title ? { settings, title } : { settings }, { silent: true }),
  saveScope: (id: number, match: OrgMatch) =>
    http.put<z.infer<typeof ScopeSavedOut>>(`/api/campaigns/${id}/scope`, { match }, { silent: true }),
  preview: (id: number, signal?: AbortSignal) =>
    http.get<ScopePreview>(`/api/campaigns/${id}/scope/preview`, undefined, { silent: true, signal }),
  gaps: (id: number, query: GapQuery, signal?: AbortSignal) =>
    http.get<Gaps>(`/api/campaigns/${id}/gaps`, query, { signal }),
  publish: (id: number) => http.post<PublishResult>(`/api/campaigns/${id}/publish`),
  /** open (early) / extend / close / reopen; `silent` lets the caller show the open-work warning itself. */
  phase: (id: number, key: PhaseKey, action: PhaseAction, body: PhaseInput = {}, silent = false) =>
    http.post<z.infer<typeof PhasesOut>>(`/api/campaigns/${id}/phases/${key}/${action}`, body, { silent }),
  pendingWork: (id: number, key: PhaseKey) => http.get<PendingWork>(`/api/campaigns/${id}/phases/${key}/pending`),
  transition: (id: number, action: 'close' | 'archive') => http.post<Ok>(`/api/campaigns/${id}/${action}`),
  reporters: (id: number, query: ReporterQuery, signal?: AbortSignal) =>
    http.get<Reporters>(`/api/campaigns/${id}/reporters`, { ...query }, { signal }),
  addReporter: (id: number, orgId: number, reason: string) =>
    http.post<z.infer<typeof IdOut>>(`/api/campaigns/${id}/reporters`, { orgId, reason }, { silent: true }),
  removeReporter: (id: number, rid: number, reason: string) =>
    http.post<z.infer<typeof IdOut>>(`/api/campaigns/${id}/reporters/${rid}/remove`, { reason }, { silent: true }),
  selfCommittee: (id: number, rid: number, input: SelfCommitteeInput) =>
    http.post<z.infer<typeof SelfCommitteeOut>>(`/api/campaigns/${id}/reporters/${rid}/self-committee`, input, {
      silent: true,
    }),
  fileSelfCommittee: (id: number, rid: number) =>
    http.post<z.infer<typeof SelfCommitteeFiledOut>>(`/api/campaigns/${id}/reporters/${rid}/self-committee/file`),
  exportReporters: (id: number, title: string, query: ReporterExportQuery = {}) =>
    downloadFile(`/api/campaigns/${id}/reporters/export`, `${title}-述职对象.xlsx`, { ...query }),
  submitFiling: (id: number, note?: string) =>
    http.post<Ok>(`/api/campaigns/${id}/filing/submit`, note ? { note } : {}),
  acknowledgeFiling: (id: number) => http.post<Ok>(`/api/campaigns/${id}/filing/acknowledge`),
  returnFiling: (id: number, reason: string) => http.post<Ok>(`/api/campaigns/${id}/filing/return`, { reason }),
};
