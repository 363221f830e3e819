import type { z } from 'zod';
import { http } from './client';
import type { AccountSavedOut, AccountsOut, AccountsQuery, OkOut } from '../../server/modules/accounts/schemas';
import type { AccountCreateInput, AccountUpdateInput, QueryIn, SecurityPolicy } from './types';

// The server's zod schemas (accounts/schemas.ts) are the contract; these are their inferred shapes (decision 025).
export type AccountQuery = QueryIn<typeof AccountsQuery>;
export type AccountList = z.infer<typeof AccountsOut>;
type Saved = z.infer<typeof AccountSavedOut>;
type Ok = z.infer<typeof OkOut>;

export const usersApi = {
  list: (query: AccountQuery, signal?: AbortSignal) => http.get<AccountList>('/api/users', { ...query }, { signal }),
  create: (input: AccountCreateInput) => http.post<Saved>('/api/users', input, { silent: true }),
  update: (id: number, input: AccountUpdateInput) => http.patch<Saved>(`/api/users/${id}`, input, { silent: true }),
  unlock: (id: number) => http.post<Ok>(`/api/users/${id}/unlock`),
  setPassword: (id: number, password: string) =>
    http.post<Ok>(`/api/users/${id}/password`, { password }, { silent: true }),
  expirePassword: (id: number) => http.post<Ok>(`/api/users/${id}/expire-password`),
  securityPolicy: (signal?: AbortSignal) => http.get<SecurityPolicy>('/api/security/policy', undefined, { signal }),
};
