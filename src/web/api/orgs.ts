import type { z } from 'zod';
import { downloadFile, http, uploadFile, type UploadOptions } from './client';
import type {
  ChildrenOut,
  ImportJobStateOut,
  MemberSavedOut,
  OkOut,
  OrgSavedOut,
  OrgSearchOut,
  OrgSearchQuery as OrgSearchQuerySchema,
  RootsOut,
  SecretarySavedOut,
} from '../../server/modules/organizations/schemas';
import type { ImportResult, MemberInput, OrgDetail, OrgInput, QueryIn, SecretaryInput } from './types';

// The server's zod schemas (organizations/schemas.ts) are the contract; these are their inferred shapes.
export type OrgChildren = z.infer<typeof ChildrenOut>;
export type OrgSearchPage = z.infer<typeof OrgSearchOut>;
/** The codes are the strings of /api/meta's option lists (as in `OrgInput`); the server's schema checks them. */
export type OrgSearchQuery = Omit<QueryIn<typeof OrgSearchQuerySchema>, 'sector' | 'kind'> & {
  sector?: string;
  kind?: string;
};
/** An import job as the page polls it (POST answers 202 with the new job, GET with its state). */
export type ImportJobState = z.infer<typeof ImportJobStateOut>;

export const CHILDREN_PAGE = 200;

export const IMPORT_TEMPLATE_URL = '/api/orgs/import/template';

export const orgsApi = {
  roots: () => http.get<z.infer<typeof RootsOut>>('/api/orgs/roots'),
  children: (id: number, offset = 0, limit = CHILDREN_PAGE) =>
    http.get<OrgChildren>(`/api/orgs/${id}/children`, { offset, limit }),
  search: (query: OrgSearchQuery, signal?: AbortSignal) =>
    http.get<OrgSearchPage>('/api/orgs/search', { limit: 20, offset: 0, ...query }, { signal }),
  detail: (id: number, signal?: AbortSignal) => http.get<OrgDetail>(`/api/orgs/${id}`, undefined, { signal }),
  create: (parentId: number, input: OrgInput) =>
    http.post<z.infer<typeof OrgSavedOut>>('/api/orgs', { parentId, ...input }, { silent: true }),
  update: (id: number, input: Partial<OrgInput>) =>
    http.patch<z.infer<typeof OrgSavedOut>>(`/api/orgs/${id}`, input, { silent: true }),
  move: (id: number, newParentId: number) =>
    http.post<z.infer<typeof OrgSavedOut>>(`/api/orgs/${id}/move`, { newParentId }),
  appointSecretary: (id: number, input: SecretaryInput) =>
    http.put<z.infer<typeof SecretarySavedOut>>(`/api/orgs/${id}/secretary`, input, { silent: true }),
  addMember: (orgId: number, input: MemberInput) =>
    http.post<z.infer<typeof MemberSavedOut>>(`/api/orgs/${orgId}/members`, input, { silent: true }),
  updateMember: (id: number, input: Partial<MemberInput>) =>
    http.patch<z.infer<typeof MemberSavedOut>>(`/api/members/${id}`, input, { silent: true }),
  removeMember: (id: number) => http.del<z.infer<typeof OkOut>>(`/api/members/${id}`),
  importFile: (file: Blob, opts: UploadOptions) => uploadFile<ImportResult>('/api/orgs/import', file, opts),
  /** The page's import: answers at once with a job whose progress the page polls. */
  startImport: (file: Blob, opts: UploadOptions) => uploadFile<ImportJobState>('/api/orgs/import-jobs', file, opts),
  importJob: (id: number) => http.get<ImportJobState>(`/api/orgs/import-jobs/${id}`, undefined, { silent: true }),
  exportSubtree: (id: number, name: string) => downloadFile(`/api/orgs/${id}/export`, `${name}.xlsx`),
};
