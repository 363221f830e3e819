import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../http/schemas';
import { actorOf } from '../../http/audit';
import { PASSWORD_RULE_TEXT } from '../../../domain/password-policy';
import { requireRole, requireUser } from '../../http/session';
import { SECURITY_SETTINGS_READER } from './policy';
import {
  createAccount,
  expireAccountPassword,
  listAccounts,
  setAccountPassword,
  unlockAccount,
  updateAccount,
} from './manage-accounts';
import {
  AccountCreateIn,
  AccountSavedOut,
  AccountsOut,
  AccountsQuery,
  AccountUpdateIn,
  OkOut as Ok,
  PasswordIn,
  SecurityPolicyOut,
} from './schemas';

export async function accountRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['accounts'];
  const { db, clock, config } = app.deps;

  r.get(
    '/api/users',
    {
      schema: {
        summary: '账号列表（按管理职责筛选）',
        tags,
        querystring: AccountsQuery,
        response: { 200: AccountsOut },
      },
    },
    async (req) => listAccounts(db, requireUser(req), clock.now(), req.query),
  );

  r.post(
    '/api/users',
    {
      schema: {
        summary: '新建账号',
        tags,
        body: AccountCreateIn,
        response: { 200: AccountSavedOut },
      },
    },
    async (req) => ({ user: await createAccount(db, requireUser(req), actorOf(req), config, req.body) }),
  );

  r.patch(
    '/api/users/:id',
    {
      schema: {
        summary: '修改账号（姓名、角色、所在组织、停用）',
        tags,
        params: z.object({ id: Id }),
        body: AccountUpdateIn,
        response: { 200: AccountSavedOut },
      },
    },
    async (req) => {
      const user = await updateAccount(db, requireUser(req), actorOf(req), req.params.id, req.body);
      // Sessions the change ended take their open streams with them.
      await app.sessionStreams.check();
      return { user };
    },
  );

  r.post(
    '/api/users/:id/unlock',
    {
      schema: { summary: '解锁账号', tags, params: z.object({ id: Id }), response: { 200: Ok } },
    },
    async (req) => {
      await unlockAccount(db, requireUser(req), actorOf(req), req.params.id);
      return { ok: true };
    },
  );

  r.post(
    '/api/users/:id/password',
    {
      schema: {
        summary: '重置账号密码（下次登录须修改）',
        tags,
        params: z.object({ id: Id }),
        body: PasswordIn,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await setAccountPassword(db, requireUser(req), actorOf(req), config, req.params.id, req.body.password);
      await app.sessionStreams.check();
      return { ok: true };
    },
  );

  r.post(
    '/api/users/:id/expire-password',
    {
      schema: { summary: '强制账号下次登录修改密码', tags, params: z.object({ id: Id }), response: { 200: Ok } },
    },
    async (req) => {
      await expireAccountPassword(db, requireUser(req), actorOf(req), req.params.id);
      await app.sessionStreams.check();
      return { ok: true };
    },
  );

  // The settings the 安全管理员 answers for; they come from the environment (README, settings), so they are shown here
  // and changed by the operator, with a restart, not from the page.
  r.get(
    '/api/security/policy',
    {
      schema: {
        summary: '查看安全设置（只读）',
        tags,
        response: {
          200: SecurityPolicyOut,
        },
      },
    },
    async (req) => {
      requireRole(req, SECURITY_SETTINGS_READER);
      return {
        passwordRule: PASSWORD_RULE_TEXT,
        passwordMaxAgeDays: config.passwordMaxAgeDays,
        passwordWarnDays: config.passwordWarnDays,
        lockoutAttempts: config.lockoutAttempts,
        lockoutMinutes: config.lockoutMinutes,
        lockoutGlobalAttempts: config.lockoutGlobalAttempts,
        idleTimeoutMinutes: config.idleTimeoutMinutes,
        loginRatePerMinute: config.loginRatePerMinute,
      };
    },
  );
}
