import type { z } from 'zod';
import { http } from './client';
import type { OkOut } from '../../server/modules/auth/schemas';
import type { SessionResponse } from './types';

type Ok = z.infer<typeof OkOut>;

export const authApi = {
  login: (username: string, password: string) =>
    http.post<SessionResponse>('/api/auth/login', { username, password }, { silent: true }),
  logout: () => http.post<Ok>('/api/auth/logout'),
  me: () => http.get<SessionResponse>('/api/auth/me', undefined, { silent: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    http.post<Ok>('/api/auth/password', { currentPassword, newPassword }, { silent: true }),
};
