import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { Role } from '../../../domain/roles';
import type { AppDeps } from '../../http/context';
import { writeAudit } from '../../http/audit';
import { createSession } from '../../http/session';
import { loginAttempts, users } from '../../db/schema';
import { dummyPasswordHash, verifyPassword } from './password-hash';

export interface LoginInput {
  username: string;
  password: string;
  ip: string;
}

export async function login({ db, clock, config }: AppDeps, input: LoginInput) {
  const now = clock.now();
  const minuteAgo = new Date(now.getTime() - 60_000);
  const actor = { actorId: null, actorName: input.username.slice(0, 64), ip: input.ip, at: now };

  // Rate limit per client address, counted in the database so every app process shares it.
  await db.delete(loginAttempts).where(and(eq(loginAttempts.ip, input.ip), lt(loginAttempts.at, minuteAgo)));
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.ip, input.ip), gte(loginAttempts.at, minuteAgo)));
  if (n >= config.loginRatePerMinute) {
    await writeAudit(db, actor, { action: 'auth.login', targetType: 'user', result: 'failure', detail: { reason: 'rate_limited' } });
    throw new AppError('RATE_LIMITED', '登录尝试过于频繁，请1分钟后再试', 429);
  }
  await db.insert(loginAttempts).values({ ip: input.ip, at: now });

  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  const invalid = new AppError('INVALID_CREDENTIALS', '用户名或密码错误', 401);
  if (!user) {
    // Same work as for a real account, so response time does not reveal which usernames exist.
    await verifyPassword(input.password, await dummyPasswordHash(config.passwordCost));
    await writeAudit(db, actor, { action: 'auth.login', targetType: 'user', result: 'failure', detail: { reason: 'unknown_user' } });
    throw invalid;
  }
  const userActor = { ...actor, actorId: user.id, actorName: `${user.displayName}(${user.username})` };
  if (user.disabled) {
    await writeAudit(db, userActor, { action: 'auth.login', targetType: 'user', targetId: user.id, result: 'failure', detail: { reason: 'disabled' } });
    throw new AppError('ACCOUNT_DISABLED', '账号已停用，请联系管理员', 403);
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    const minutes = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 60_000);
    await writeAudit(db, userActor, { action: 'auth.login', targetType: 'user', targetId: user.id, result: 'failure', detail: { reason: 'locked' } });
    throw new AppError('ACCOUNT_LOCKED', `密码错误次数过多，账号已锁定，请${minutes}分钟后再试`, 423);
  }

  if (!(await verifyPassword(input.password, user.passwordHash))) {
    const [after] = await db
      .update(users)
      .set({ failedAttempts: sql`${users.failedAttempts} + 1` })
      .where(eq(users.id, user.id))
      .returning({ failed: users.failedAttempts });
    if (after.failed >= config.lockoutAttempts) {
      await db
        .update(users)
        .set({ failedAttempts: 0, lockedUntil: new Date(now.getTime() + config.lockoutMinutes * 60_000) })
        .where(eq(users.id, user.id));
      await writeAudit(db, userActor, { action: 'auth.lock', targetType: 'user', targetId: user.id, result: 'success', detail: { attempts: after.failed } });
      throw new AppError('ACCOUNT_LOCKED', `密码连续错误${config.lockoutAttempts}次，账号已锁定${config.lockoutMinutes}分钟`, 423);
    }
    await writeAudit(db, userActor, { action: 'auth.login', targetType: 'user', targetId: user.id, result: 'failure', detail: { reason: 'bad_password' } });
    throw invalid;
  }

  const session = await db.transaction(async (tx) => {
    await tx.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, user.id));
    const created = await createSession(tx, user.id, now);
    await writeAudit(tx, userActor, { action: 'auth.login', targetType: 'user', targetId: user.id });
    return created;
  });
  return {
    ...session,
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role as Role,
      scopeOrgId: user.scopeOrgId,
      orgId: user.orgId,
    },
  };
}
