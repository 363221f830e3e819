import { downloadFile, http } from './client';
import type { keyContentSuggestions, overview, reporterThemes } from '../../server/modules/themes/views';

// The server's view functions are the contract; these are their return shapes.
export type ThemesOverview = Awaited<ReturnType<typeof overview>>;
export type ReporterThemes = Awaited<ReturnType<typeof reporterThemes>>;
export type KeyContentSuggestions = Awaited<ReturnType<typeof keyContentSuggestions>>;

const q = (roundId: number | null) => (roundId ? { roundId } : undefined);

export const themesApi = {
  overview: (campaignId: number, roundId: number | null) => http.get<ThemesOverview>(`/api/campaigns/${campaignId}/themes`, q(roundId)),
  start: (campaignId: number, roundId: number | null) => http.post<{ id: number; state: string }>(`/api/campaigns/${campaignId}/themes/jobs`, { roundId }),
  /** `silent`: the secretary's card shows "not yet grouped" itself instead of a toast. */
  reporter: (campaignId: number, orgId: number, roundId: number | null, silent = false) =>
    http.get<ReporterThemes>(`/api/campaigns/${campaignId}/themes/reporters/${orgId}`, q(roundId), { silent }),
  suggestions: (campaignId: number) => http.get<KeyContentSuggestions>(`/api/campaigns/${campaignId}/themes/suggestions`),
  draft: (campaignId: number, orgId: number, themeId: number, roundId: number | null) =>
    http.post<{ id: number }>(`/api/campaigns/${campaignId}/themes/drafts`, { orgId, themeId, roundId }),
  docx: (campaignId: number, orgId: number, roundId: number | null) =>
    downloadFile(`/api/campaigns/${campaignId}/themes/reporters/${orgId}/docx`, 'themes.docx', q(roundId)),
  xlsx: (campaignId: number, roundId: number | null) => downloadFile(`/api/campaigns/${campaignId}/themes/xlsx`, 'themes.xlsx', q(roundId)),
};
