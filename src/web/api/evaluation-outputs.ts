import type { z } from 'zod';
import { downloadFile, http } from './client';
import type { NoticeQuery, OutputsStatusOut } from '../../server/modules/evaluation/schemas';
import type { Wire } from './types';

// The server's zod schemas (evaluation/schemas.ts) are the contract; these are their shapes as JSON.
export type OutputsStatus = Wire<z.infer<typeof OutputsStatusOut>>;
export type NoticeOptions = z.input<typeof NoticeQuery>;

const base = (campaignId: number) => `/api/campaigns/${campaignId}/evaluation/outputs`;
const clean = (o: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v.trim() !== '')) as Record<string, string>;

export const evaluationOutputsApi = {
  status: (campaignId: number, signal?: AbortSignal) =>
    http.get<OutputsStatus>(base(campaignId), undefined, { signal }),
  letters: (campaignId: number, showScores: boolean) =>
    downloadFile(`${base(campaignId)}/feedback-letters`, 'feedback-letters.zip', { showScores: String(showScores) }),
  letter: (campaignId: number, reporterId: number, showScores = false) =>
    downloadFile(`${base(campaignId)}/feedback-letters/${reporterId}`, 'feedback-letter.docx', {
      showScores: String(showScores),
    }),
  notice: (campaignId: number, o: NoticeOptions) =>
    downloadFile(`${base(campaignId)}/notice`, 'notice.docx', clean({ ...o })),
  cadreSheets: (campaignId: number) => downloadFile(`${base(campaignId)}/cadre-sheets`, 'cadre-sheets.xlsx'),
  ranking: (campaignId: number) => downloadFile(`${base(campaignId)}/ranking`, 'ranking.xlsx'),
};
