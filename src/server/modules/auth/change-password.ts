import { and, eq, ne } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { assertPasswordAcceptable } from '../../../domain/password-policy';
import { sessions, users } from '../../db/schema';
import { writeAudit } from '../../http/audit';
import type { AppDeps, AuthUser } from '../../http/context';
import { accountByUsername, checkPassword } from './login';
import { hashPassword } from './password-hash';

/**
 * A user changes their own password (issue 15). The current password is checked like a sign-in — counted by the same
 * guard first, so a stolen session cannot be used to guess it — the new one must meet the rule and differ from it.
 * Clears "must change" and restarts the expiry clock; the user's other sessions end (a thief's session with them).
 */
export async function changeOwnPassword(
  { db, clock, config }: AppDeps,
  user: AuthUser,
  sessionId: string,
  ip: string,
  input: { currentPassword: string; newPassword: string },
) {
  const now = clock.now();
  assertPasswordAcceptable(input.newPassword, user.username);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('PASSWORD_REUSED', '新密码不能与当前密码相同', { field: 'newPassword' });
  }
  const account = await accountByUsername(db, user.username);
  const scopePath = account?.scope_path ?? null;
  const actor = { actorId: user.id, actorName: `${user.displayName}(${user.username})`, ip, at: now };
  await checkPassword(db, config, {
    action: 'auth.password',
    username: user.username,
    password: input.currentPassword,
    ip,
    now,
    account,
    actor,
    scopePath,
    wrong: new AppError('WRONG_PASSWORD', '当前密码不正确', { field: 'currentPassword' }),
  });
  const passwordHash = await hashPassword(input.newPassword, config.passwordCost);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: now })
      .where(eq(users.id, user.id));
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, sessionId)));
    await writeAudit(tx, actor, { action: 'auth.password', targetType: 'user', targetId: user.id, scopePath });
  });
}
