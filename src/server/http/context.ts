import type { PasswordState } from '../../domain/password-policy';
import type { StandbyConfig, StandbyMonitor } from '../db/standby';
import type { Role } from '../../domain/roles';
import type { Database, Db } from '../db/connect';
import type { AuditAnchorConfig, AuditAnchors } from '../modules/audit/anchors';
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
  /** Tree path of the scope organization (secretaries: of their own organization); '/' for a system-level 三员 account. */
  scopePath: string | null;
}

export interface AppConfig {
  /** Wrong passwords per (username, client address) before that address is locked out for lockoutMinutes. */
  lockoutAttempts: number;
  lockoutMinutes: number;
  /** Wrong passwords per username from all addresses together before every address is locked out (slower). */
  lockoutGlobalAttempts: number;
  /** Days a password lasts (0: never expires), and how many days before that the user is warned. */
  passwordMaxAgeDays: number;
  passwordWarnDays: number;
  /** How often an open event stream re-checks its session (ends it after logout, idle expiry, disable). */
  streamCheckMs: number;
  idleTimeoutMinutes: number;
  loginRatePerMinute: number;
  /** The session cookie's Secure flag: always, never, or 'auto' = when the request came over TLS (env COOKIE_SECURE). */
  cookieSecure: boolean | 'auto';
  passwordCost: HashCost;
  /** Folder of the built web app; absent in API-only tests. */
  webDir?: string;
  /** Peers trusted to tell the client address in X-Forwarded-For (env TRUST_PROXY); absent: nobody. */
  trustProxy?: TrustProxy;
  /**
   * How long a phone's vote request waits for its ballots' batch to be stored before it answers "pending" and the
   * phone asks again (decision 017). Below a proxy's read timeout (nginx: 60 s).
   */
  voteWaitMs?: number;
  /** The address phones open to vote (env PUBLIC_URL, an origin); absent: the address the request came in at. */
  publicUrl?: string;
  /** Where the server listens (env HOST/PORT), to tell the console when phones cannot reach it. */
  listen?: { host: string; port: number };
  /** Signed anchors of the audit chain head outside the database (decision 016); main.ts always sets it. */
  auditAnchors?: AuditAnchorConfig;
  /** Uploaded files on disk (env FILES_DIR, decision 021); absent (tests): a temporary directory removed on close. */
  filesDir?: string;
  /**
   * What to do when the synchronous standby is away (env STANDBY_MODE, decision 027); absent: PostgreSQL's own
   * behaviour (commits wait), reported as degraded only when synchronous_standby_names is set.
   */
  standby?: StandbyConfig;
}

export interface AppDeps {
  database: Database;
  db: Db;
  clock: Clock;
  config: AppConfig;
  /** The anchor writer of this process; null when config.auditAnchors is absent (API-only tests). */
  auditAnchors: AuditAnchors | null;
  files: FileStore;
  /** The synchronous standby as seen from the app (PostgreSQL only), for /api/health and the console. */
  standby: StandbyMonitor | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** Open event streams by session, ended when their session ends (session-streams.ts). */
    sessionStreams: import('./session-streams').SessionStreams;
  }
  interface FastifyRequest {
    user: AuthUser | null;
    sessionId: string | null;
    csrfToken: string | null;
    sessionExpired: boolean;
    /** The signed-in user's password state (must change, expiry warning), set by the session hook. */
    passwordState: PasswordState | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a session (login, ballot casting, health). */
    public?: boolean;
  }
}
