import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connect';
import { sessions, users } from '../../db/schema';

/**
 * The writes to auth's `users` and `sessions` that account administration needs (decision 022: only the owner's files
 * write its tables). The accounts module decides who may do what and audits it; these only store the result, in the
 * caller's transaction.
 */

type UserRow = typeof users.$inferInsert;
export type NewAccountRow = Pick<
  UserRow,
  | 'username'
  | 'displayName'
  | 'role'
  | 'passwordHash'
  | 'scopeOrgId'
  | 'orgId'
  | 'mustChangePassword'
  | 'passwordChangedAt'
>;

/** Stores a new account; answers its id. */
export async function insertAccount(tx: DbOrTx, row: NewAccountRow): Promise<number> {
  const [u] = await tx.insert(users).values(row).returning({ id: users.id });
  return u!.id;
}

export type AccountChanges = Partial<Pick<UserRow, 'displayName' | 'role' | 'disabled' | 'scopeOrgId' | 'orgId'>>;

/** Changes an account's name, role, binding or disabled flag (undefined fields are left as they are). */
export async function updateAccountRow(tx: DbOrTx, id: number, changes: AccountChanges) {
  await tx.update(users).set(changes).where(eq(users.id, id));
}

/** Makes the account change its password at the next sign-in; with a hash, that password is set first. */
export async function requirePasswordChange(tx: DbOrTx, id: number, password?: { hash: string; at: Date }) {
  await tx
    .update(users)
    .set(
      password
        ? { passwordHash: password.hash, mustChangePassword: true, passwordChangedAt: password.at }
        : { mustChangePassword: true },
    )
    .where(eq(users.id, id));
}

/** Ends every session of the account: it signs in again. */
export async function endSessionsOf(tx: DbOrTx, userId: number) {
  await tx.delete(sessions).where(eq(sessions.userId, userId));
}
