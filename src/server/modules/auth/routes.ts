import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { sessions } from '../../db/schema';
import { actorOf, writeAudit } from '../../http/audit';
import { requireUser, SESSION_COOKIE, setSessionCookie } from '../../http/session';
import { userAbilities } from '../abilities';
import { changeOwnPassword } from './change-password';
import { login } from './login';
import { OkOut, SessionOut } from './schemas';

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        summary: '登录',
        tags: ['auth'],
        body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: SessionOut },
      },
    },
    async (req, reply) => {
      const result = await login(app.deps, { ...req.body, ip: req.ip });
      // A fresh token on every login: a session id planted before login is never promoted.
      if (req.sessionId) {
        await app.deps.db.delete(sessions).where(eq(sessions.id, req.sessionId));
        void app.sessionStreams.check();
      }
      setSessionCookie(app, reply, result.token);
      return {
        user: result.user,
        csrfToken: result.csrfToken,
        password: result.password,
        abilities: userAbilities(result.user),
      };
    },
  );

  r.post(
    '/api/auth/logout',
    {
      schema: { summary: '退出登录', tags: ['auth'], response: { 200: OkOut } },
    },
    async (req, reply) => {
      const user = requireUser(req);
      await app.deps.db.transaction(async (tx) => {
        await tx.delete(sessions).where(eq(sessions.id, req.sessionId!));
        await writeAudit(tx, actorOf(req), {
          action: 'auth.logout',
          targetType: 'user',
          targetId: user.id,
          scopePath: user.scopePath === '/' ? null : user.scopePath,
        });
      });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      // The session's live streams end with it.
      await app.sessionStreams.check();
      return { ok: true };
    },
  );

  r.get(
    '/api/auth/me',
    {
      schema: { summary: '当前用户、CSRF 令牌与密码状态', tags: ['auth'], response: { 200: SessionOut } },
    },
    async (req) => {
      const user = requireUser(req);
      return { user, csrfToken: req.csrfToken!, password: req.passwordState!, abilities: userAbilities(user) };
    },
  );

  r.post(
    '/api/auth/password',
    {
      schema: {
        summary: '修改本人密码',
        tags: ['auth'],
        body: z
          .object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) })
          .strict(),
        response: { 200: OkOut },
      },
    },
    async (req) => {
      await changeOwnPassword(app.deps, requireUser(req), req.sessionId!, req.ip, req.body);
      await app.sessionStreams.check();
      return { ok: true };
    },
  );
}
