import type { Role } from '../../domain/roles';
import type { Database, Db } from '../db/connect';
import type { FileStore } from '../uploads/file-store';
import type { HashCost } from '../modules/auth/password-hash';
import type { TrustProxy } from './trust-proxy';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scopeOrgId: number | null;
  orgId: number | null;
  /** Tree path of the scope organization (secretaries: of their own organization). */
  scopePath: string | null;
}

export interface AppConfig {
  lockoutAttempts: number;
  lockoutMinutes: number;
  idleTimeoutMinutes: number;
  loginRatePerMinute: number;
  cookieSecure: boolean;
  passwordCost: HashCost;
  /** Folder of the built web app; absent in API-only tests. */
  webDir?: string;
  /** Peers trusted to tell the client address in X-Forwarded-For (env TRUST_PROXY); absent: nobody. */
  trustProxy?: TrustProxy;
  /** Uploaded files on disk (env FILES_DIR, decision 016); absent (tests): a temporary directory removed on close. */
  filesDir?: string;
}

export interface AppDeps {
  database: Database;
  db: Db;
  clock: Clock;
  config: AppConfig;
  files: FileStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
  interface FastifyRequest {
    user: AuthUser | null;
    sessionId: string | null;
    csrfToken: string | null;
    sessionExpired: boolean;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a session (login, ballot casting, health). */
    public?: boolean;
  }
}
