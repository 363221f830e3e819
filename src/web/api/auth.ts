import { http } from './client';
import type { SessionResponse } from './types';

export const authApi = {
  login: (username: string, password: string) =>
    http.post<SessionResponse>('/api/auth/login', { username, password }, { silent: true }),
  logout: () => http.post<{ ok: boolean }>('/api/auth/logout'),
  me: () => http.get<SessionResponse>('/api/auth/me', undefined, { silent: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    http.post<{ ok: boolean }>('/api/auth/password', { currentPassword, newPassword }, { silent: true }),
};
