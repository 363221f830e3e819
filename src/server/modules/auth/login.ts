import { sql } from 'drizzle-orm';
import type { AuditAction } from '../../../domain/audit-actions';
import { AppError } from '../../../domain/errors';
import { passwordState } from '../../../domain/password-policy';
import type { Role } from '../../../domain/roles';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AppConfig, AppDeps } from '../../http/context';
import { type AuditActor, writeAudit } from '../../http/audit';
import { createSession } from '../../http/session';
import { clearAttempts, overRateLimit, reserveAttempt } from './login-guard';
import { dummyPasswordHash, verifyPassword } from './password-hash';

export interface LoginInput {
  username: string;
  password: string;
  ip: string;
}

interface Account {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  scope_org_id: number | null;
  org_id: number | null;
  password_hash: string;
  disabled: boolean;
  must_change_password: boolean;
  password_changed_at: string | Date;
  scope_path: string | null;
}

/** The account and the tree path its sign-in rows belong to (an auditor reads only their subtree's sign-ins). */
export async function accountByUsername(db: DbOrTx, username: string): Promise<Account | undefined> {
  const [row] = await queryRows<Account>(
    db,
    sql`
    select u.id, u.username, u.display_name, u.role, u.scope_org_id, u.org_id, u.password_hash, u.disabled,
           u.must_change_password, u.password_changed_at, o.path as scope_path
    from users u left join organizations_v_units o on o.id = coalesce(u.scope_org_id, u.org_id)
    where u.username = ${username}`,
  );
  return row;
}

export const lockedError = (until: Date, now: Date) =>
  new AppError(
    'ACCOUNT_LOCKED',
    `密码错误次数过多，账号已锁定，请${Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000))}分钟后再试`,
  );

/**
 * Checks a password the way sign-in does, for sign-in and for a user confirming their current password: the attempt
 * is counted before the check (login-guard.ts), exactly one scrypt runs whether or not the account exists or is
 * disabled — against a dummy hash of the configured cost for unknown usernames — and every outcome answers alike:
 * 401 INVALID_CREDENTIALS (or `wrong` given), 423 when the attempt locked or found a lock. Returns whether the
 * password was right; the caller decides about disabled accounts.
 */
export async function checkPassword(
  db: DbOrTx,
  config: AppConfig,
  o: {
    action: 'auth.login' | 'auth.password';
    username: string;
    password: string;
    ip: string;
    now: Date;
    account: Account | undefined;
    actor: AuditActor;
    scopePath: string | null;
    wrong: AppError;
  },
): Promise<void> {
  const audit = (action: AuditAction, result: 'success' | 'failure', detail: Record<string, unknown>) =>
    writeAudit(db, o.actor, {
      action,
      targetType: 'user',
      targetId: o.account?.id ?? null,
      result,
      scopePath: o.scopePath,
      detail,
    });
  const slot = await reserveAttempt(db, config, o.username, o.ip, o.now);
  if (!slot.ok) {
    await audit(o.action, 'failure', { reason: 'locked' });
    throw lockedError(slot.until, o.now);
  }
  const hash = o.account?.password_hash ?? (await dummyPasswordHash(config.passwordCost));
  const right = (await verifyPassword(o.password, hash)) && !!o.account;
  if (right) {
    await clearAttempts(db, o.username, o.ip, slot.taken);
    return;
  }
  if (slot.locks) {
    await writeAudit(db, o.actor, {
      action: 'auth.lock',
      targetType: 'user',
      targetId: o.account?.id ?? null,
      scopePath: o.scopePath,
      detail: { reason: o.account ? 'bad_password' : 'unknown_user', minutes: config.lockoutMinutes },
    });
    throw new AppError(
      'ACCOUNT_LOCKED',
      `密码连续错误${config.lockoutAttempts}次，账号已锁定${config.lockoutMinutes}分钟`,
    );
  }
  await audit(o.action, 'failure', { reason: o.account ? 'bad_password' : 'unknown_user' });
  throw o.wrong;
}

export async function login({ db, clock, config }: AppDeps, input: LoginInput) {
  const now = clock.now();
  const account = await accountByUsername(db, input.username);
  // Sign-in rows of an account belong to its subtree; those of unknown usernames (and of system-level 三员 accounts)
  // to no subtree, which only a system-level auditor reads.
  const scopePath = account?.scope_path ?? null;
  const actor = account
    ? { actorId: account.id, actorName: `${account.display_name}(${account.username})`, ip: input.ip, at: now }
    : { actorId: null, actorName: input.username.slice(0, 64), ip: input.ip, at: now };

  if (await overRateLimit(db, config, input.ip, now)) {
    await writeAudit(db, actor, {
      action: 'auth.login',
      targetType: 'user',
      targetId: account?.id ?? null,
      result: 'failure',
      scopePath,
      detail: { reason: 'rate_limited' },
    });
    throw new AppError('RATE_LIMITED');
  }
  await checkPassword(db, config, {
    ...input,
    action: 'auth.login',
    now,
    account,
    actor,
    scopePath,
    wrong: new AppError('INVALID_CREDENTIALS'),
  });
  const user = account!;
  if (user.disabled) {
    // Only the holder of the right password learns that the account is disabled; a wrong one answered like any other.
    await writeAudit(db, actor, {
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      result: 'failure',
      scopePath,
      detail: { reason: 'disabled' },
    });
    throw new AppError('ACCOUNT_DISABLED');
  }

  const session = await db.transaction(async (tx) => {
    const created = await createSession(tx, user.id, now);
    await writeAudit(tx, actor, { action: 'auth.login', targetType: 'user', targetId: user.id, scopePath });
    return created;
  });
  return {
    ...session,
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      scopeOrgId: user.scope_org_id,
      orgId: user.org_id,
    },
    password: passwordState({
      mustChange: user.must_change_password,
      changedAt: new Date(user.password_changed_at),
      now,
      maxAgeDays: config.passwordMaxAgeDays,
      warnDays: config.passwordWarnDays,
    }),
  };
}
