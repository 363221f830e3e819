import { QueryBuilder } from 'drizzle-orm/pg-core';
import { users } from '../../db/schema';

/**
 * Row sources the auth module publishes for other modules' Drizzle queries (decision 022): a typed projection of
 * `users` a caller joins like a table, so a join stays one statement while the column names stay the owner's.
 * PostgreSQL inlines such a plain subquery. Like the view auth_v_users it has no password hash; it adds the two
 * password-state columns the account administration shows.
 */
const qb = new QueryBuilder();

/** Who an account is, as other modules name and filter people. */
export const userRowsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      scopeOrgId: users.scopeOrgId,
      orgId: users.orgId,
      disabled: users.disabled,
      mustChangePassword: users.mustChangePassword,
      passwordChangedAt: users.passwordChangedAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .as(name);
export const userRows = userRowsAs('user_rows');
