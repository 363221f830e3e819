import type { z } from 'zod';
import { ApiError, answerCode, buildUrl, downloadFile, http, uploadFile } from './client';
import { notify } from '../lib/notify';
import type {
  ImportOut,
  OkOut,
  PaperIn,
  PaperOut,
  RespondentAddedOut,
  RespondentIn,
  RespondentsOut,
  RespondentsQuery,
  SampleOut,
  SurveyCreateIn,
  SurveyDetailOut,
  SurveyListOut,
  SurveyOut,
  SurveyResultsOut,
  SurveyUpdateIn,
  TokensIn,
} from '../../server/modules/surveys/schemas';
import type { QueryIn, SessionResponse, Wire } from './types';

// The server's zod schemas are the contract; these are their shapes as JSON (dates arrive as ISO strings).
export type Survey = Wire<z.infer<typeof SurveyOut>>;
export type SurveyList = Wire<z.infer<typeof SurveyListOut>>;
export type SurveyDetail = Wire<z.infer<typeof SurveyDetailOut>>;
export type SurveyUnit = SurveyDetail['units'][number];
export type Respondents = z.infer<typeof RespondentsOut>;
export type Respondent = Respondents['items'][number];
export type SampleResult = z.infer<typeof SampleOut>;
export type SurveyResults = z.infer<typeof SurveyResultsOut>;
export type SurveyPatch = z.input<typeof SurveyUpdateIn>;
export type RespondentInput = z.input<typeof RespondentIn>;

export type RespondentQuery = QueryIn<typeof RespondentsQuery>;

/** POST answering a file (the links .xlsx / PDF): plaintext tokens exist only in this response. */
async function postDownload(path: string, body: unknown, fallbackName: string): Promise<void> {
  const me = await http.get<SessionResponse>('/api/auth/me');
  let res: Response;
  try {
    res = await fetch(buildUrl(path), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...(me.csrfToken ? { 'x-csrf-token': me.csrfToken } : {}) },
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
  const star = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('content-disposition') ?? '');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = star ? decodeURIComponent(star[1]!) : fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export const surveysApi = {
  list: (campaignId: number, signal?: AbortSignal) =>
    http.get<SurveyList>(`/api/campaigns/${campaignId}/surveys`, undefined, { signal }),
  create: (campaignId: number, body: z.input<typeof SurveyCreateIn>) =>
    http.post<Survey>(`/api/campaigns/${campaignId}/surveys`, body),
  detail: (id: number, signal?: AbortSignal) =>
    http.get<SurveyDetail>(`/api/surveys/${id}`, undefined, { silent: true, signal }),
  update: (id: number, body: SurveyPatch) => http.patch<Survey>(`/api/surveys/${id}`, body),
  open: (id: number) => http.post<Survey>(`/api/surveys/${id}/open`, {}),
  close: (id: number) => http.post<Survey>(`/api/surveys/${id}/close`, {}),
  respondents: (id: number, query: RespondentQuery, signal?: AbortSignal) =>
    http.get<Respondents>(`/api/surveys/${id}/respondents`, { ...query }, { signal }),
  addRespondent: (id: number, body: RespondentInput) =>
    http.post<z.infer<typeof RespondentAddedOut>>(`/api/surveys/${id}/respondents`, body, { silent: true }),
  removeRespondent: (id: number, respondentId: number) =>
    http.del<z.infer<typeof OkOut>>(`/api/surveys/${id}/respondents/${respondentId}`),
  template: () => downloadFile('/api/survey-respondents/template', '满意度调查对象名单模板.xlsx'),
  importRespondents: (id: number, file: File) =>
    uploadFile<z.infer<typeof ImportOut>>(`/api/surveys/${id}/respondents/import`, file, { silent: true }),
  sample: (id: number, seed?: string) => http.post<SampleResult>(`/api/surveys/${id}/sample`, seed ? { seed } : {}),
  issueLinks: (id: number, body: z.input<typeof TokensIn>) =>
    postDownload(`/api/surveys/${id}/tokens`, body, body.format === 'pdf' ? 'survey-links.pdf' : 'survey-links.xlsx'),
  paper: (id: number, body: z.input<typeof PaperIn>) =>
    http.post<z.infer<typeof PaperOut>>(`/api/surveys/${id}/paper-responses`, body, { silent: true }),
  results: (id: number, signal?: AbortSignal) =>
    http.get<SurveyResults>(`/api/surveys/${id}/results`, undefined, { signal }),
  exportResults: (id: number) => downloadFile(`/api/surveys/${id}/results.xlsx`, 'survey-results.xlsx'),
};
