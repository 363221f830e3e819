import { downloadFile, http, type Query } from './client';
import type { Page } from './types';
import type { CampaignSettings } from '../../domain/campaign-settings';
import type { CampaignState, Phase, PhaseKey } from '../../domain/campaign-phases';
import type { OrgMatch } from '../../domain/routes';

export type { CampaignSettings, CampaignState, Phase, PhaseKey, OrgMatch };

export type FilingState = 'not_required' | 'pending' | 'filed' | 'acknowledged' | 'returned';

export interface CampaignTemplateInfo {
  id: string;
  seedId: string;
  name: string;
  description: string;
  /** Chinese label/value lines of the template's settings (describeSettings). */
  summary: { label: string; value: string }[];
}

export interface CampaignSummary {
  id: number;
  parentId: number | null;
  parentTitle: string | null;
  organizerOrgId: number;
  organizerName: string;
  year: number;
  title: string;
  templateId: string;
  state: CampaignState;
  filingState: FilingState;
  filingNote: string | null;
  completeBy: string | null;
  publishedAt: string | null;
  createdAt: string;
}

export interface CampaignDetail extends CampaignSummary {
  settings: CampaignSettings;
  phases: Phase[];
  scope: OrgMatch | null;
  summary: { label: string; value: string }[];
  children: CampaignSummary[];
  /** What the signed-in user may do here, as the server decides it. */
  can?: Partial<Record<string, boolean>>;
}

export interface ScopePreview {
  total: number;
  bySector: Record<string, number>;
  byKind: Record<string, number>;
  planGaps: string[];
  routes: { reportToOrgId: number; reportToName: string; count: number; ruleLabel: string | null }[];
  gaps: ScopeGap[];
  subCampaigns: { orgId: number; name: string }[];
}

export interface ScopeGap {
  orgId: number;
  orgName: string;
  code: string;
  message: string;
}

export interface Reporter {
  id: number;
  orgId: number;
  orgName: string;
  sector: string;
  kind: string;
  reportToOrgId: number;
  reportToName: string;
  role: string;
  secretaryName: string | null;
  tierKey: string;
  tierLabel?: string;
  selfCommitteeReportedOn: string | null;
  removedAt: string | null;
  removedReason: string | null;
}

export interface CampaignListQuery {
  q?: string;
  year?: number;
  state?: CampaignState;
  offset: number;
  limit: number;
}

export interface ReporterQuery extends Query {
  q?: string;
  sector?: string;
  kind?: string;
  reportTo?: number;
  removed?: boolean;
  offset: number;
  limit: number;
}

type Ok = { campaign: CampaignDetail };

export const campaignsApi = {
  templates: () => http.get<{ items: CampaignTemplateInfo[] }>('/api/campaign-templates'),
  list: (query: CampaignListQuery) => http.get<Page<CampaignSummary>>('/api/campaigns', { ...query }),
  detail: (id: number) => http.get<CampaignDetail>(`/api/campaigns/${id}`),
  create: (input: { templateId: string; year: number; organizerOrgId: number }) =>
    http.post<Ok>('/api/campaigns', input, { silent: true }),
  saveSettings: (id: number, settings: CampaignSettings) =>
    http.put<Ok>(`/api/campaigns/${id}/settings`, { settings }, { silent: true }),
  saveScope: (id: number, match: OrgMatch) => http.put<Ok>(`/api/campaigns/${id}/scope`, { match }, { silent: true }),
  preview: (id: number) => http.get<ScopePreview>(`/api/campaigns/${id}/scope/preview`, undefined, { silent: true }),
  publish: (id: number) => http.post<Ok>(`/api/campaigns/${id}/publish`),
  phase: (id: number, key: PhaseKey, action: 'open' | 'close' | 'reopen', reason?: string) =>
    http.post<Ok>(`/api/campaigns/${id}/phases/${key}/${action}`, reason ? { reason } : {}),
  transition: (id: number, action: 'close' | 'archive') => http.post<Ok>(`/api/campaigns/${id}/${action}`),
  reporters: (id: number, query: ReporterQuery) => http.get<Page<Reporter>>(`/api/campaigns/${id}/reporters`, query),
  addReporter: (id: number, orgId: number, reason: string) =>
    http.post<unknown>(`/api/campaigns/${id}/reporters`, { orgId, reason }),
  removeReporter: (id: number, rid: number, reason: string) =>
    http.post<unknown>(`/api/campaigns/${id}/reporters/${rid}/remove`, { reason }),
  selfCommittee: (id: number, rid: number, date: string | null) =>
    http.post<unknown>(`/api/campaigns/${id}/reporters/${rid}/self-committee`, { date }),
  exportReporters: (id: number, title: string) =>
    downloadFile(`/api/campaigns/${id}/reporters/export`, `${title}-述职对象.xlsx`),
  gaps: (id: number) => http.get<{ items: ScopeGap[] }>(`/api/campaigns/${id}/gaps`),
  filing: (id: number, action: 'submit' | 'acknowledge' | 'return', note?: string) =>
    http.post<Ok>(`/api/campaigns/${id}/filing/${action}`, note ? { note } : {}),
};
