import { http } from './client';
import type { Account, AccountCreateInput, AccountUpdateInput, Page, Role, SecurityPolicy } from './types';

export interface AccountQuery {
  q?: string;
  role?: Role;
  offset: number;
  limit: number;
}

export const usersApi = {
  list: (query: AccountQuery, signal?: AbortSignal) => http.get<Page<Account>>('/api/users', { ...query }, { signal }),
  create: (input: AccountCreateInput) => http.post<{ user: Account }>('/api/users', input, { silent: true }),
  update: (id: number, input: AccountUpdateInput) =>
    http.patch<{ user: Account }>(`/api/users/${id}`, input, { silent: true }),
  unlock: (id: number) => http.post<{ ok: boolean }>(`/api/users/${id}/unlock`),
  setPassword: (id: number, password: string) =>
    http.post<{ ok: boolean }>(`/api/users/${id}/password`, { password }, { silent: true }),
  expirePassword: (id: number) => http.post<{ ok: boolean }>(`/api/users/${id}/expire-password`),
  securityPolicy: (signal?: AbortSignal) => http.get<SecurityPolicy>('/api/security/policy', undefined, { signal }),
};
