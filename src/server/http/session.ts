import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../../domain/errors';
import { passwordState } from '../../domain/password-policy';
import { isSystemRole, type Role } from '../../domain/roles';
import { type DbOrTx, queryRows } from '../db/connect';
import { sessions } from '../db/schema';
import type { AuthUser } from './context';

export const SESSION_COOKIE = 'sp_sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Refreshing last_seen on every request would turn each read into a write.
const TOUCH_INTERVAL_MS = 30_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: DbOrTx, userId: number, now: Date) {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.insert(sessions).values({ id: hashToken(token), userId, csrfToken, createdAt: now, lastSeenAt: now });
  return { token, csrfToken };
}

/**
 * Secure when configured so, or with COOKIE_SECURE=auto (the default) when the request came over TLS: Fastify's
 * req.protocol is 'https' for a TLS socket or, behind a proxy trusted by TRUST_PROXY, when it sent
 * X-Forwarded-Proto: https. A cookie without Secure set over TLS would also be sent over plain HTTP to the same host.
 */
export function cookieIsSecure(setting: boolean | 'auto', req: FastifyRequest) {
  return setting === 'auto' ? req.protocol === 'https' : setting;
}

export function setSessionCookie(app: FastifyInstance, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: cookieIsSecure(app.deps.config.cookieSecure, reply.request),
  });
}

function tokensEqual(a: string, b: string) {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface SessionRow {
  session_id: string;
  csrf_token: string;
  last_seen_at: string | Date;
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  scope_org_id: number | null;
  org_id: number | null;
  disabled: boolean;
  must_change_password: boolean;
  password_changed_at: string | Date;
  scope_path: string | null;
}

/** What a session whose password must be changed may still do (issue 15): read itself, change it, sign out. */
const WHILE_PASSWORD_CHANGE = new Set(['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/logout']);

/**
 * Requests that are not the user's activity, so they never keep an idle session alive: polls the pages make on a
 * timer (they send `x-background: 1`) and event streams (EventSource sends `accept: text/event-stream`).
 */
function isBackground(req: FastifyRequest) {
  return req.headers['x-background'] === '1' || (req.headers.accept ?? '').includes('text/event-stream');
}

/** Loads the session on every /api request, enforces the idle timeout and CSRF. */
export function registerSessions(app: FastifyInstance) {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('passwordState', null);

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token && token.length <= 200) {
      const { db, clock, config } = app.deps;
      const id = hashToken(token);
      const [row] = await queryRows<SessionRow>(
        db,
        sql`
        select s.id as session_id, s.csrf_token, s.last_seen_at, u.id as user_id, u.username,
               u.display_name, u.role, u.scope_org_id, u.org_id, u.disabled, u.must_change_password,
               u.password_changed_at, o.path as scope_path
        from sessions s
        join users u on u.id = s.user_id
        left join organizations o on o.id = coalesce(u.scope_org_id, u.org_id)
        where s.id = ${id}`,
      );
      if (row) {
        const now = clock.now();
        const lastSeen = new Date(row.last_seen_at);
        const idleMs = now.getTime() - lastSeen.getTime();
        if (idleMs > config.idleTimeoutMinutes * 60_000 || row.disabled) {
          await db.delete(sessions).where(eq(sessions.id, id));
          req.sessionExpired = true;
        } else {
          if (idleMs > TOUCH_INTERVAL_MS && !isBackground(req)) {
            await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
          }
          req.sessionId = id;
          req.csrfToken = row.csrf_token;
          req.user = {
            id: row.user_id,
            username: row.username,
            displayName: row.display_name,
            role: row.role,
            scopeOrgId: row.scope_org_id,
            orgId: row.org_id,
            // A 三员 account without a scope works at system level: '/' is the prefix of every tree path.
            scopePath: row.scope_path ?? (isSystemRole(row.role) && row.scope_org_id === null ? '/' : null),
          } satisfies AuthUser;
          req.passwordState = passwordState({
            mustChange: row.must_change_password,
            changedAt: new Date(row.password_changed_at),
            now,
            maxAgeDays: config.passwordMaxAgeDays,
            warnDays: config.passwordWarnDays,
          });
        }
      }
    }
    if (req.routeOptions.config?.public) return;
    // Anonymous callers of a known non-public route are refused here, before body parsing and zod validation, so
    // the answer is 401 whatever they send and a handler that forgot requireUser is still closed.
    if (!req.user && req.routeOptions.url) requireUser(req);
    if (
      req.passwordState?.mustChange &&
      req.routeOptions.url &&
      !WHILE_PASSWORD_CHANGE.has(`${req.method} ${req.routeOptions.url}`)
    ) {
      throw new AppError(
        'PASSWORD_CHANGE_REQUIRED',
        req.passwordState.reason === 'expired' ? '密码已过期，请先修改密码' : '请先修改初始密码后再继续使用',
      );
    }
    if (SAFE_METHODS.has(req.method)) return;
    // Every state-changing request of a signed-in user must echo the token of its own session.
    if (req.user) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !tokensEqual(sent, req.csrfToken!)) {
        throw new AppError('CSRF');
      }
    }
  });
}

/** The signed-in user, or 401. */
export function requireUser(req: FastifyRequest): AuthUser {
  if (req.user) return req.user;
  if (req.sessionExpired) throw new AppError('SESSION_EXPIRED');
  throw new AppError('UNAUTHENTICATED');
}

export function requireRole(req: FastifyRequest, ...roles: Role[]): AuthUser {
  const user = requireUser(req);
  if (!roles.includes(user.role)) throw new AppError('FORBIDDEN', '当前角色无权进行此操作');
  return user;
}
