import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { authApi } from '../api/auth';
import { isApiError, onPasswordChangeRequired, onUnauthorized, setCsrfToken } from '../api/client';
import { useQueryClient } from '@tanstack/react-query';
import type { Abilities, PasswordState, SessionUser } from '../api/types';
import { notify } from '../lib/notify';

export const SESSION_EXPIRED_TEXT = '会话已超时，请重新登录';

export type SignOutReason = 'expired' | 'signed-out' | null;

interface AuthValue {
  /** undefined while the first /api/auth/me is in flight. */
  user: SessionUser | null | undefined;
  signOutReason: SignOutReason;
  /** Must the password be changed before anything else; when does it expire (warn before). */
  password: PasswordState | null;
  /** What the user may do (sections, actions); null while signed out. */
  abilities: Abilities | null;
  login: (
    username: string,
    password: string,
  ) => Promise<{ user: SessionUser; password: PasswordState; abilities: Abilities }>;
  logout: () => Promise<void>;
  /** Changes the signed-in user's own password (the current one required) and reloads the session's state. */
  changePassword: (currentPassword: string, newPassword: string) => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [signOutReason, setSignOutReason] = useState<SignOutReason>(null);
  const [password, setPassword] = useState<PasswordState | null>(null);
  const [abilities, setAbilities] = useState<Abilities | null>(null);
  const queryClient = useQueryClient();
  const userRef = useRef(user);
  useEffect(() => {
    userRef.current = user;
  }, [user]);

  useEffect(() => {
    let live = true;
    authApi
      .me()
      .then((s) => {
        if (!live) return;
        setCsrfToken(s.csrfToken);
        setPassword(s.password);
        setAbilities(s.abilities);
        setUser(s.user);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setCsrfToken(null);
        setUser(null);
        if (isApiError(e) && e.code === 'SESSION_EXPIRED') setSignOutReason('expired');
        else if (isApiError(e) && e.status !== 401) notify.error(e.message);
      });
    return () => {
      live = false;
    };
  }, []);

  // Any request answering 401 means the session is gone; RequireAuth then sends the user to login.
  useEffect(() => {
    onUnauthorized((error) => {
      setCsrfToken(null);
      if (userRef.current && error.code === 'SESSION_EXPIRED') notify.warning(SESSION_EXPIRED_TEXT);
      setUser(null);
      setSignOutReason(error.code === 'SESSION_EXPIRED' ? 'expired' : null);
    });
    return () => onUnauthorized(null);
  }, []);

  // The password expired (or an administrator reset it) while signed in: the app shows the change page.
  useEffect(() => {
    onPasswordChangeRequired(() =>
      setPassword((p) => ({
        expiresAt: p?.expiresAt ?? null,
        warn: false,
        mustChange: true,
        reason: p?.reason ?? 'expired',
      })),
    );
    return () => onPasswordChangeRequired(null);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const s = await authApi.login(username, password);
    setCsrfToken(s.csrfToken);
    setSignOutReason(null);
    setPassword(s.password);
    setAbilities(s.abilities);
    setUser(s.user);
    return { user: s.user, password: s.password, abilities: s.abilities };
  }, []);

  const changePassword = useCallback(async (currentPassword: string, newPassword: string) => {
    await authApi.changePassword(currentPassword, newPassword);
    const s = await authApi.me();
    setCsrfToken(s.csrfToken);
    setPassword(s.password);
    setAbilities(s.abilities);
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // Signed out locally either way; the server session also times out on its own.
    }
    setCsrfToken(null);
    setSignOutReason('signed-out');
    setPassword(null);
    setAbilities(null);
    setUser(null);
  }, []);

  // Signed out (or the session ended): nothing fetched for that user may show to the next one, nor be refetched.
  // Only on the way out: pages behind RequireAuth start their queries in effects that run before this one.
  const signedOut = user === null;
  useEffect(() => {
    if (signedOut) queryClient.clear();
  }, [signedOut, queryClient]);

  const value = useMemo(
    () => ({ user, signOutReason, password, abilities, login, logout, changePassword }),
    [user, signOutReason, password, abilities, login, logout, changePassword],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in user; only for components rendered behind RequireAuth. */
export function useUser(): SessionUser {
  const { user } = useAuth();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}

/** The signed-in user's abilities; only for components rendered behind RequireAuth. */
export function useAbilities(): Abilities {
  const { abilities } = useAuth();
  if (!abilities) throw new Error('useAbilities without a signed-in user');
  return abilities;
}
