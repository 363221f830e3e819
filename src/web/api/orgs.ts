import { downloadFile, http, uploadFile, type UploadOptions } from './client';
import type {
  ImportResult,
  Member,
  MemberInput,
  OrgDetail,
  OrgInput,
  OrgNode,
  OrgSearchHit,
  Page,
  Secretary,
  SecretaryInput,
} from './types';

export const CHILDREN_PAGE = 200;

export interface OrgSearchQuery {
  q?: string;
  sector?: string;
  kind?: string;
  offset?: number;
  limit?: number;
}

export const IMPORT_TEMPLATE_URL = '/api/orgs/import/template';

export const orgsApi = {
  roots: () => http.get<{ items: OrgNode[] }>('/api/orgs/roots'),
  children: (id: number, offset = 0, limit = CHILDREN_PAGE) =>
    http.get<Page<OrgNode>>(`/api/orgs/${id}/children`, { offset, limit }),
  search: (query: OrgSearchQuery, signal?: AbortSignal) =>
    http.get<Page<OrgSearchHit>>('/api/orgs/search', { limit: 20, offset: 0, ...query }, { signal }),
  detail: (id: number, signal?: AbortSignal) => http.get<OrgDetail>(`/api/orgs/${id}`, undefined, { signal }),
  create: (parentId: number, input: OrgInput) =>
    http.post<{ org: OrgNode }>('/api/orgs', { parentId, ...input }, { silent: true }),
  update: (id: number, input: Partial<OrgInput>) =>
    http.patch<{ org: OrgNode }>(`/api/orgs/${id}`, input, { silent: true }),
  move: (id: number, newParentId: number) => http.post<{ org: OrgNode }>(`/api/orgs/${id}/move`, { newParentId }),
  appointSecretary: (id: number, input: SecretaryInput) =>
    http.put<{ secretary: Secretary }>(`/api/orgs/${id}/secretary`, input, { silent: true }),
  addMember: (orgId: number, input: MemberInput) =>
    http.post<{ member: Member }>(`/api/orgs/${orgId}/members`, input, { silent: true }),
  updateMember: (id: number, input: Partial<MemberInput>) =>
    http.patch<{ member: Member }>(`/api/members/${id}`, input, { silent: true }),
  removeMember: (id: number) => http.del<{ ok: boolean }>(`/api/members/${id}`),
  importFile: (file: Blob, opts: UploadOptions) => uploadFile<ImportResult>('/api/orgs/import', file, opts),
  exportSubtree: (id: number, name: string) => downloadFile(`/api/orgs/${id}/export`, `${name}.xlsx`),
};
