import { ApiError, answerCode, buildUrl, downloadFile, http } from './client';
import { notify } from '../lib/notify';

import type { z } from 'zod';
import type {
  CodeCountOut,
  ReconciliationOut,
  RoundDetailOut,
  RoundMode,
  RoundOut,
  RoundPaperCountsIn,
  RoundResultsOut,
  RoundsOut,
  PurgedOut,
  RoundState,
  TallyRowOut,
  PaperPairOut,
  PaperTallyDeletedOut,
  PaperTallyEnteredOut,
  PaperTallyIn,
  PaperTalliesOut,
} from '../../server/modules/ballots/schemas';
import type { SessionResponse, Wire } from './types';

// The server's zod schemas (ballots/schemas.ts) are the contract; these are their shapes as JSON (decision 025).
export type { RoundMode, RoundState };

/** `secrecy`: what the close did for ballot secrecy (decision 017); null before the close and for rehearsals. */
export type BallotRound = Wire<z.infer<typeof RoundOut>>;
export type BallotRounds = Wire<z.infer<typeof RoundsOut>>;
export type CodeCount = z.infer<typeof CodeCountOut>;
export type BallotRoundDetail = Wire<z.infer<typeof RoundDetailOut>>;
export type Reconciliation = z.infer<typeof ReconciliationOut>;
/** `percents` are already a percentage to one decimal (src/domain/tally.ts percent). */
export type TallyRow = z.infer<typeof TallyRowOut>;
/** `scoreFormula`: the unweighted 平均分 here and the weighted 测评得分 of the evaluation, in words. */
export type RoundResults = z.infer<typeof RoundResultsOut>;
export type ReporterResult = RoundResults['results'][number];

/** One reporter × category of paper forms as the two clerks entered it (R-VOTE-4); the server's own shape. */
export type PaperTallyPair = z.infer<typeof PaperPairOut>;
export type PaperTallyInput = z.input<typeof PaperTallyIn>;
export type PaperTallyCounts = PaperTallyPair['entries'][number]['counts'];
/** Paper forms issued and collected, per category. */
export type RoundPaperCounts = z.input<typeof RoundPaperCountsIn>['counts'];

/** GET /api/auth/me carries the CSRF token; needed because the code slips come back from a POST as a PDF. */
async function csrfToken(): Promise<string | null> {
  const me = await http.get<SessionResponse>('/api/auth/me');
  return me.csrfToken ?? null;
}

/** POST that answers a file (the code slips PDF): the generic client only downloads GETs. */
async function postDownload(path: string, body: unknown, fallbackName: string): Promise<void> {
  const token = await csrfToken();
  let res: Response;
  try {
    res = await fetch(buildUrl(path), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/pdf, application/json',
        ...(token ? { 'x-csrf-token': token } : {}),
      },
      body: JSON.stringify(body),
    });
  } catch {
    notify.error('网络连接失败，请检查网络后重试');
    throw new ApiError('NETWORK', '网络连接失败，请检查网络后重试', 0);
  }
  if (!res.ok) {
    const payload = (await res.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
    const message =
      typeof payload?.message === 'string' && payload.message ? payload.message : `请求失败（${res.status}）`;
    notify.error(message);
    throw new ApiError(answerCode(payload, res.status), message, res.status);
  }
  const blob = await res.blob();
  const header = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  let name = fallbackName;
  if (star) {
    try {
      name = decodeURIComponent(star[1]!);
    } catch {
      /* keep the fallback */
    }
  }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export const ballotsApi = {
  rounds: (meetingId: number, signal?: AbortSignal) =>
    http.get<BallotRounds>(`/api/meetings/${meetingId}/ballot-rounds`, undefined, { signal }),
  create: (meetingId: number, mode: RoundMode) =>
    http.post<BallotRound>(`/api/meetings/${meetingId}/ballot-rounds`, { mode }),
  get: (roundId: number, signal?: AbortSignal) =>
    http.get<BallotRoundDetail>(`/api/ballot-rounds/${roundId}`, undefined, { signal }),
  /** Issues a new batch for a category (voiding the previous one) and downloads its PDF of slips. */
  issueCodes: (roundId: number, category: string, count: number) =>
    postDownload(`/api/ballot-rounds/${roundId}/codes`, { category, count }, 'slips.pdf'),
  open: (roundId: number) => http.post<BallotRound>(`/api/ballot-rounds/${roundId}/open`, {}),
  rotateRoomCode: (roundId: number) => http.post<BallotRound>(`/api/ballot-rounds/${roundId}/room-code`, {}),
  close: (roundId: number, attendees?: number) =>
    http.post<BallotRound>(`/api/ballot-rounds/${roundId}/close`, attendees === undefined ? {} : { attendees }),
  release: (roundId: number, explanation?: string) =>
    http.post<BallotRound>(`/api/ballot-rounds/${roundId}/release`, explanation ? { explanation } : {}),
  paperCounts: (roundId: number, counts: RoundPaperCounts) =>
    http.post<BallotRound>(`/api/ballot-rounds/${roundId}/paper-counts`, { counts }),
  purge: (roundId: number) =>
    http.post<z.infer<typeof PurgedOut>>(`/api/ballot-rounds/${roundId}/purge`, { confirm: true }),
  reconciliation: (roundId: number, attendees?: number, signal?: AbortSignal) =>
    http.get<Reconciliation>(`/api/ballot-rounds/${roundId}/reconciliation`, { attendees }, { signal }),
  paperTallies: (roundId: number, opts: { background?: boolean; signal?: AbortSignal } = {}) =>
    http.get<z.infer<typeof PaperTalliesOut>>(`/api/ballot-rounds/${roundId}/paper-tallies`, undefined, opts),
  /** The server fills slot 1 or 2 and refuses a second entry by the same person. */
  enterPaperTally: (roundId: number, body: PaperTallyInput) =>
    http.post<z.infer<typeof PaperTallyEnteredOut>>(`/api/ballot-rounds/${roundId}/paper-tallies`, body),
  deletePaperTally: (roundId: number, tallyId: number) =>
    http.del<z.infer<typeof PaperTallyDeletedOut>>(`/api/ballot-rounds/${roundId}/paper-tallies/${tallyId}`),
  results: (roundId: number, signal?: AbortSignal) =>
    http.get<RoundResults>(`/api/ballot-rounds/${roundId}/results`, undefined, { signal }),
  downloadResults: (roundId: number) => downloadFile(`/api/ballot-rounds/${roundId}/results.xlsx`, 'results.xlsx'),
  downloadPaperForms: (meetingId: number) => downloadFile(`/api/meetings/${meetingId}/paper-forms.docx`, 'forms.docx'),
};
