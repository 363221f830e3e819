import type { z } from 'zod';
import { downloadFile, http } from './client';
import type {
  DraftOut,
  JobStartedOut,
  OverviewOut,
  ReporterThemesOut,
  SuggestionsOut,
} from '../../server/modules/themes/schemas';

// The server's zod schemas are the contract; these are their inferred shapes.
export type ThemesOverview = z.infer<typeof OverviewOut>;
export type ReporterThemes = z.infer<typeof ReporterThemesOut>;
export type KeyContentSuggestions = z.infer<typeof SuggestionsOut>;

const q = (roundId: number | null) => (roundId ? { roundId } : undefined);

export const themesApi = {
  overview: (campaignId: number, roundId: number | null, signal?: AbortSignal) =>
    http.get<ThemesOverview>(`/api/campaigns/${campaignId}/themes`, q(roundId), { signal }),
  start: (campaignId: number, roundId: number | null) =>
    http.post<z.infer<typeof JobStartedOut>>(`/api/campaigns/${campaignId}/themes/jobs`, { roundId }),
  /** `silent`: the secretary's card shows "not yet grouped" itself instead of a toast. */
  reporter: (
    campaignId: number,
    orgId: number,
    roundId: number | null,
    opts: { silent?: boolean; signal?: AbortSignal } = {},
  ) => http.get<ReporterThemes>(`/api/campaigns/${campaignId}/themes/reporters/${orgId}`, q(roundId), opts),
  suggestions: (campaignId: number) =>
    http.get<KeyContentSuggestions>(`/api/campaigns/${campaignId}/themes/suggestions`),
  draft: (campaignId: number, orgId: number, themeId: number, roundId: number | null) =>
    http.post<z.infer<typeof DraftOut>>(`/api/campaigns/${campaignId}/themes/drafts`, { orgId, themeId, roundId }),
  docx: (campaignId: number, orgId: number, roundId: number | null) =>
    downloadFile(`/api/campaigns/${campaignId}/themes/reporters/${orgId}/docx`, 'themes.docx', q(roundId)),
  xlsx: (campaignId: number, roundId: number | null) =>
    downloadFile(`/api/campaigns/${campaignId}/themes/xlsx`, 'themes.xlsx', q(roundId)),
};
