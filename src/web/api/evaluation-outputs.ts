import { downloadFile, http } from './client';

// Shapes of src/server/modules/evaluation/outputs-routes.ts (declared inline there, restated here).

export interface OutputsStatus {
  locked: boolean;
  lockedAt: string | null;
  /** An admin of the organizer's subtree: every document. */
  canManage: boolean;
  /** A reporter's secretary: only their own feedback letter. */
  ownReporterId: number | null;
}

export interface NoticeOptions {
  issuer?: string;
  docNumber?: string;
  addressee?: string;
  date?: string;
}

const base = (campaignId: number) => `/api/campaigns/${campaignId}/evaluation/outputs`;
const clean = (o: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v.trim() !== '')) as Record<string, string>;

export const evaluationOutputsApi = {
  status: (campaignId: number, signal?: AbortSignal) => http.get<OutputsStatus>(base(campaignId), undefined, { signal }),
  letters: (campaignId: number, showScores: boolean) =>
    downloadFile(`${base(campaignId)}/feedback-letters`, 'feedback-letters.zip', { showScores: String(showScores) }),
  letter: (campaignId: number, reporterId: number, showScores = false) =>
    downloadFile(`${base(campaignId)}/feedback-letters/${reporterId}`, 'feedback-letter.docx', { showScores: String(showScores) }),
  notice: (campaignId: number, o: NoticeOptions) => downloadFile(`${base(campaignId)}/notice`, 'notice.docx', clean({ ...o })),
  cadreSheets: (campaignId: number) => downloadFile(`${base(campaignId)}/cadre-sheets`, 'cadre-sheets.xlsx'),
  ranking: (campaignId: number) => downloadFile(`${base(campaignId)}/ranking`, 'ranking.xlsx'),
};
