import { and, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';
import { loginAttempts, loginGuards } from '../../db/schema';
import type { AppConfig } from '../../http/context';

/** The ip value of the per-username row of the global limit. */
const ANY_ADDRESS = '*';
const DAY_MS = 86_400_000;

export type Reservation =
  | {
      ok: true /** The attempt took the last slot of the (username, address) or global limit: a wrong password now locks. */;
      locks: boolean;
      /** The counts this attempt left on its two keys: a right password clears a key only while it is still the latest. */
      taken: { pair: number; global: number };
    }
  | { ok: false; until: Date };

/**
 * Counts one attempt for a key before any password is checked: one statement that takes a slot only while the key is
 * not locked and has slots left, so however many requests arrive at once, at most `limit` of them are ever evaluated
 * (the lockout bypass by parallel guesses, issue 15). The attempt that takes the last slot sets the lock at once;
 * a right password then lifts it (clearAttempts), a wrong one leaves it. An expired lock starts the count afresh.
 */
async function reserveKey(db: DbOrTx, username: string, ip: string, limit: number, now: Date, lockEnd: Date) {
  const [row] = await queryRows<{ attempts: number }>(
    db,
    sql`
    insert into login_guards as g (username, ip, attempts, locked_until, updated_at)
    values (${username}, ${ip}, 1, ${limit <= 1 ? lockEnd.toISOString() : null}::timestamptz, ${now.toISOString()}::timestamptz)
    on conflict (username, ip) do update set
      attempts = case when g.locked_until is not null then 1 else g.attempts + 1 end,
      locked_until = case when (case when g.locked_until is not null then 1 else g.attempts + 1 end) >= ${limit}
                          then ${lockEnd.toISOString()}::timestamptz end,
      updated_at = excluded.updated_at
    where g.locked_until is null or g.locked_until <= ${now.toISOString()}::timestamptz
    returning attempts`,
  );
  return row ? { ok: true as const, locks: Number(row.attempts) >= limit, attempts: Number(row.attempts) } : null;
}

async function lockedUntil(db: DbOrTx, username: string, ip: string, now: Date): Promise<Date> {
  const [row] = await queryRows<{ until: string | Date | null }>(
    db,
    sql`
    select max(locked_until) as until from login_guards
    where username = ${username} and ip in (${ip}, ${ANY_ADDRESS}) and locked_until > ${now.toISOString()}::timestamptz`,
  );
  return row?.until ? new Date(row.until) : now;
}

/** Per (username, address) first, then the slower global limit of the username. */
export async function reserveAttempt(
  db: DbOrTx,
  config: AppConfig,
  username: string,
  ip: string,
  now: Date,
): Promise<Reservation> {
  const lockEnd = new Date(now.getTime() + config.lockoutMinutes * 60_000);
  const pair = await reserveKey(db, username, ip, config.lockoutAttempts, now, lockEnd);
  if (!pair) return { ok: false, until: await lockedUntil(db, username, ip, now) };
  const global = await reserveKey(db, username, ANY_ADDRESS, config.lockoutGlobalAttempts, now, lockEnd);
  if (!global) return { ok: false, until: await lockedUntil(db, username, ip, now) };
  return { ok: true, locks: pair.locks || global.locks, taken: { pair: pair.attempts, global: global.attempts } };
}

/**
 * A right password: this address's count and the global count start over (a stranger's address stays locked) — each
 * only while this attempt is still the latest on it. Attempts counted after it (a burst of guesses beside the real
 * user) keep their count and any lock they set; clearing under them would hand the burst fresh slots (found by the
 * PostgreSQL pass of login-guard under load: six passwords of a burst checked against a limit of five).
 */
export async function clearAttempts(db: DbOrTx, username: string, ip: string, taken: { pair: number; global: number }) {
  await db
    .update(loginGuards)
    .set({ attempts: 0, lockedUntil: null })
    .where(
      and(
        eq(loginGuards.username, username),
        sql`((${loginGuards.ip} = ${ip} and ${loginGuards.attempts} = ${taken.pair})
      or (${loginGuards.ip} = ${ANY_ADDRESS} and ${loginGuards.attempts} = ${taken.global}))`,
      ),
    );
}

/** Lifts every lock of a username, from every address (the security admin's unlock). */
export async function unlockUsername(db: DbOrTx, username: string) {
  await db.update(loginGuards).set({ attempts: 0, lockedUntil: null }).where(eq(loginGuards.username, username));
}

/** The latest lock of a username still in force from any address, for the account list. */
export async function activeLocks(db: DbOrTx, usernames: string[], now: Date): Promise<Map<string, Date>> {
  if (usernames.length === 0) return new Map();
  const rows = await db
    .select({ username: loginGuards.username, until: sql<string | Date>`max(${loginGuards.lockedUntil})` })
    .from(loginGuards)
    .where(
      and(
        inArray(loginGuards.username, usernames),
        sql`${loginGuards.lockedUntil} > ${now.toISOString()}::timestamptz`,
      ),
    )
    .groupBy(loginGuards.username);
  return new Map(rows.map((r) => [r.username, new Date(r.until)]));
}

/**
 * The per-address limit on sign-in requests. The attempt is recorded first and then counted up to itself, so a burst
 * cannot all see the same count below the limit (count-then-insert let every request of a burst through).
 */
export async function overRateLimit(db: DbOrTx, config: AppConfig, ip: string, now: Date): Promise<boolean> {
  const minuteAgo = new Date(now.getTime() - 60_000);
  await db.delete(loginAttempts).where(and(eq(loginAttempts.ip, ip), lt(loginAttempts.at, minuteAgo)));
  // Guards untouched for a day hold nothing any more (a lock lasts minutes); usernames typed once do not pile up.
  await db.delete(loginGuards).where(lt(loginGuards.updatedAt, new Date(now.getTime() - DAY_MS)));
  const [mine] = await db.insert(loginAttempts).values({ ip, at: now }).returning({ id: loginAttempts.id });
  const { n } = (
    await db
      .select({ n: sql<number>`count(*)::int` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.ip, ip), gte(loginAttempts.at, minuteAgo), lte(loginAttempts.id, mine!.id)))
  )[0]!;
  return n > config.loginRatePerMinute;
}
