import type { z } from 'zod';
import { downloadFile, http, uploadFile } from './client';
import type { Grade } from '../../domain/grades';
import type { QueryIn } from './types';
import type {
  ChangedOut,
  EvaluationItem as EvaluationItemT,
  EvaluationOutT,
  EvaluationQuery as EvaluationQuerySchema,
  HistoryOutT,
  InputRowT,
  InputsOutT,
  LockedOut,
  LockPreviewOutT,
  MineOutT,
  Ok,
  OpinionBody,
  ReviewBody,
  SavedOut,
  SummaryOutT,
} from '../../server/modules/evaluation/schemas';

// The server's zod schemas are the contract; these are their inferred shapes.
export type Evaluation = EvaluationOutT;
export type EvaluationItem = EvaluationItemT;
export type EvaluationSummary = SummaryOutT;
export type InputRow = InputRowT;
export type Inputs = InputsOutT;
export type GradeHistory = HistoryOutT;
export type LockPreview = LockPreviewOutT;
export type MyResult = MineOutT;
export type { Grade };
export type EvaluationQuery = QueryIn<typeof EvaluationQuerySchema>;
export type ReviewStance = z.input<typeof ReviewBody>['stance'];

const base = (id: number) => `/api/campaigns/${id}/evaluation`;

export const evaluationApi = {
  get: (id: number, q: EvaluationQuery, signal?: AbortSignal) =>
    http.get<Evaluation>(base(id), { ...q, autoPoor: q.autoPoor ? 'true' : undefined }, { silent: true, signal }),
  recompute: (id: number) => http.post<EvaluationSummary>(`${base(id)}/recompute`),
  inputs: (id: number) => http.get<Inputs>(`${base(id)}/inputs`),
  saveInputs: (id: number, rows: InputRow[]) =>
    http.put<z.infer<typeof SavedOut>>(`${base(id)}/inputs`, { rows }, { silent: true }),
  inputsTemplate: (id: number) => downloadFile(`${base(id)}/inputs/template.xlsx`, '平时掌握等录入表.xlsx'),
  importInputs: (id: number, file: Blob) =>
    uploadFile<z.infer<typeof SavedOut>>(`${base(id)}/inputs/import`, file, { silent: true }),
  decide: (id: number, reporterId: number, grade: Grade, reason: string | null) =>
    http.put<z.infer<typeof ChangedOut>>(
      `${base(id)}/results/${reporterId}/decision`,
      { grade, reason },
      { silent: true },
    ),
  resetDecision: (id: number, reporterId: number) =>
    http.del<z.infer<typeof ChangedOut>>(`${base(id)}/results/${reporterId}/decision`),
  opinion: (id: number, reporterId: number, body: z.input<typeof OpinionBody>) =>
    http.put<z.infer<typeof Ok>>(`${base(id)}/results/${reporterId}/opinion`, body, { silent: true }),
  review: (id: number, reporterId: number, stance: ReviewStance, note: string | null) =>
    http.put<z.infer<typeof Ok>>(`${base(id)}/results/${reporterId}/review`, { stance, note }, { silent: true }),
  history: (id: number, reporterId: number, signal?: AbortSignal) =>
    http.get<GradeHistory>(`${base(id)}/results/${reporterId}/history`, undefined, { signal }),
  lockPreview: (id: number, lowerSharePercent?: number) =>
    http.get<LockPreview>(`${base(id)}/lock`, lowerSharePercent === undefined ? undefined : { lowerSharePercent }),
  lock: (id: number, decisionNote: string, lowerSharePercent?: number) =>
    http.post<z.infer<typeof LockedOut>>(
      `${base(id)}/lock`,
      { confirm: true, decisionNote, lowerSharePercent },
      { silent: true },
    ),
  mine: (id: number, signal?: AbortSignal) => http.get<MyResult>(`${base(id)}/mine`, undefined, { signal }),
};
