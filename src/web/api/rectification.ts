import type { z } from 'zod';
import { downloadFile, http, uploadFile } from './client';
import type { QueryIn } from './types';
import type {
  ActionIn,
  ActionOut,
  CarryOverOut,
  CommitmentFiledOut,
  CommitmentReviewedOut,
  CommitmentReviewIn,
  CommitmentsPublishedOut,
  EvidenceAddedOut,
  IdOut,
  CommitmentOut,
  CommitmentsOut,
  InboxEntryOut,
  InboxOut,
  ItemCreate,
  ItemDetailOut,
  ItemRowOut,
  ItemsOut,
  ItemsQuery as ItemsQuerySchema,
  ItemUpdate,
  OkOut,
  PublishedProgressOut,
  TimelineOut,
  VerifiedOut,
  VerifyIn,
} from '../../server/modules/rectification/schemas';

// The server's zod schemas are the contract; these are their inferred shapes.
export type InboxEntry = z.infer<typeof InboxEntryOut>;
export type Inbox = z.infer<typeof InboxOut>;
export type RectItem = z.infer<typeof ItemRowOut>;
export type RectItems = z.infer<typeof ItemsOut>;
export type RectItemDetail = z.infer<typeof ItemDetailOut>;
export type TimelineEntry = z.infer<typeof TimelineOut>;
export type Commitment = z.infer<typeof CommitmentOut>;
export type Commitments = z.infer<typeof CommitmentsOut>;
export type CarryOverResult = z.infer<typeof CarryOverOut>;
export type ItemCreateInput = z.input<typeof ItemCreate>;
export type ItemUpdateInput = z.input<typeof ItemUpdate>;
export type VerifyInput = z.input<typeof VerifyIn>;
export type RectStatus = RectItem['status'];

export type ItemsQuery = QueryIn<typeof ItemsQuerySchema>;
export type PublishedProgress = z.infer<typeof PublishedProgressOut>;
export type PublishedUnit = PublishedProgress['units'][number];
export type PublishedItem = PublishedUnit['items'][number];
export type CommitmentReviewInput = z.input<typeof CommitmentReviewIn>;
type IdAnswer = z.infer<typeof IdOut>;

export const rectificationApi = {
  inbox: (campaignId: number, orgId?: number, signal?: AbortSignal) =>
    http.get<Inbox>(`/api/campaigns/${campaignId}/rectification/inbox`, { orgId }, { signal }),
  create: (campaignId: number, input: ItemCreateInput) =>
    http.post<IdAnswer>(`/api/campaigns/${campaignId}/rectification/items`, input, { silent: true }),
  list: (query: ItemsQuery, signal?: AbortSignal) =>
    http.get<RectItems>('/api/rectification/items', { ...query }, { signal }),
  detail: (id: number, signal?: AbortSignal) =>
    http.get<RectItemDetail>(`/api/rectification/items/${id}`, undefined, { silent: true, signal }),
  update: (id: number, input: ItemUpdateInput) =>
    http.patch<IdAnswer>(`/api/rectification/items/${id}`, input, { silent: true }),
  remove: (id: number) => http.del<z.infer<typeof OkOut>>(`/api/rectification/items/${id}`),
  act: (id: number, action: z.input<typeof ActionIn>['action'], note?: string) =>
    http.post<z.infer<typeof ActionOut>>(
      `/api/rectification/items/${id}/actions`,
      note ? { action, note } : { action },
    ),
  progress: (id: number, note: string, percent?: number) =>
    http.post<IdAnswer>(
      `/api/rectification/items/${id}/progress`,
      percent === undefined ? { note } : { note, percent },
      { silent: true },
    ),
  uploadEvidence: (id: number, file: File) =>
    uploadFile<z.infer<typeof EvidenceAddedOut>>(`/api/rectification/items/${id}/evidence`, file),
  evidenceUrl: (id: number, evidenceId: number) => `/api/rectification/items/${id}/evidence/${evidenceId}`,
  verify: (id: number, input: VerifyInput) =>
    http.post<z.infer<typeof VerifiedOut>>(`/api/rectification/items/${id}/verifications`, input, {
      silent: true,
    }),
  bulletin: (campaignId: number) =>
    downloadFile(`/api/campaigns/${campaignId}/rectification/bulletin.docx`, '整改进展通报.docx'),
  carryOver: (campaignId: number) =>
    http.post<CarryOverResult>(`/api/campaigns/${campaignId}/rectification/carry-over`),
  publishedProgress: (campaignId: number, signal?: AbortSignal) =>
    http.get<PublishedProgress>(`/api/campaigns/${campaignId}/rectification/published-progress`, undefined, {
      signal,
    }),
  commitments: (campaignId: number, signal?: AbortSignal) =>
    http.get<Commitments>(`/api/campaigns/${campaignId}/commitments`, undefined, { signal }),
  createCommitment: (campaignId: number, content: string) =>
    http.post<IdAnswer>(`/api/campaigns/${campaignId}/commitments`, { content }, { silent: true }),
  updateCommitment: (id: number, content: string) =>
    http.patch<IdAnswer>(`/api/commitments/${id}`, { content }, { silent: true }),
  fileCommitment: (id: number) => http.post<z.infer<typeof CommitmentFiledOut>>(`/api/commitments/${id}/file`),
  reviewCommitment: (id: number, action: CommitmentReviewInput['action'], reason?: string) =>
    http.post<z.infer<typeof CommitmentReviewedOut>>(
      `/api/commitments/${id}/review`,
      action === 'return' ? { action, reason } : { action },
    ),
  publishCommitments: (campaignId: number) =>
    http.post<z.infer<typeof CommitmentsPublishedOut>>(`/api/campaigns/${campaignId}/commitments/publish`),
};
