import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { AppError, notFound } from '../../../domain/errors';
import { assertPasswordAcceptable } from '../../../domain/password-policy';
import type { Role } from '../../../domain/roles';
import { type DbOrTx, escapeLike } from '../../db/connect';
import { organizations, sessions, users } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AppConfig, AuthUser } from '../../http/context';
import { hashPassword } from '../auth/password-hash';
import { getOrg } from '../organizations/repo';
import { assertAccountAdmin, assertAccountInScope } from './policy';

const scopeOrg = alias(organizations, 'scope_org');
const ownOrg = alias(organizations, 'own_org');

const accountColumns = {
  id: users.id, username: users.username, displayName: users.displayName, role: users.role,
  scopeOrgId: users.scopeOrgId, scopeOrgName: scopeOrg.name, orgId: users.orgId, orgName: ownOrg.name,
  lockedUntil: users.lockedUntil, disabled: users.disabled,
  path: sql<string | null>`coalesce(${scopeOrg.path}, ${ownOrg.path})`,
};

function accountsQuery(db: DbOrTx) {
  return db
    .select(accountColumns)
    .from(users)
    .leftJoin(scopeOrg, eq(scopeOrg.id, users.scopeOrgId))
    .leftJoin(ownOrg, eq(ownOrg.id, users.orgId));
}

const present = ({ path: _path, lockedUntil, ...rest }: Awaited<ReturnType<typeof accountsQuery>>[number], now: Date) => ({
  ...rest,
  lockedUntil: lockedUntil && lockedUntil > now ? lockedUntil.toISOString() : null,
});

export async function listAccounts(db: DbOrTx, admin: AuthUser, now: Date, q: { q?: string; role?: Role; offset: number; limit: number }) {
  assertAccountAdmin(admin);
  const inScope = sql`coalesce(${scopeOrg.path}, ${ownOrg.path}) like ${escapeLike(admin.scopePath!) + '%'}`;
  const conds: SQL[] = [inScope];
  if (q.q) conds.push(or(ilike(users.username, `%${escapeLike(q.q)}%`), ilike(users.displayName, `%${escapeLike(q.q)}%`))!);
  if (q.role) conds.push(eq(users.role, q.role));
  const where = and(...conds);
  const rows = await accountsQuery(db).where(where).orderBy(asc(users.username)).offset(q.offset).limit(q.limit);
  const [{ total }] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(users)
    .leftJoin(scopeOrg, eq(scopeOrg.id, users.scopeOrgId))
    .leftJoin(ownOrg, eq(ownOrg.id, users.orgId))
    .where(where);
  return { items: rows.map((r) => present(r, now)), total };
}

async function accountById(db: DbOrTx, id: number) {
  const [row] = await accountsQuery(db).where(eq(users.id, id));
  if (!row) throw notFound('账号');
  return row;
}

/** Secretaries are bound to one organization; every other role to a subtree. */
async function resolveBinding(db: DbOrTx, admin: AuthUser, role: Role, scopeOrgId?: number | null, orgId?: number | null) {
  if (role === 'secretary') {
    if (!orgId) throw new AppError('VALIDATION', '书记账号必须指定所在组织', 400, { field: 'orgId' });
    const org = await getOrg(db, orgId);
    assertAccountInScope(admin, org.path, '组织');
    return { scopeOrgId: null, orgId };
  }
  if (!scopeOrgId) throw new AppError('VALIDATION', '该角色必须指定管理范围（组织）', 400, { field: 'scopeOrgId' });
  const org = await getOrg(db, scopeOrgId);
  assertAccountInScope(admin, org.path, '组织');
  return { scopeOrgId, orgId: orgId ?? null };
}

export interface CreateAccountInput {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  scopeOrgId?: number | null;
  orgId?: number | null;
}

export async function createAccount(db: DbOrTx, admin: AuthUser, actor: AuditActor, config: AppConfig, input: CreateAccountInput) {
  assertAccountAdmin(admin);
  assertPasswordAcceptable(input.password, input.username);
  const passwordHash = await hashPassword(input.password, config.passwordCost);
  return db.transaction(async (tx) => {
    const binding = await resolveBinding(tx, admin, input.role, input.scopeOrgId, input.orgId);
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (taken) throw new AppError('DUPLICATE_USERNAME', `用户名「${input.username}」已被使用`, 409, { field: 'username' });
    const [u] = await tx
      .insert(users)
      .values({ username: input.username, displayName: input.displayName, role: input.role, passwordHash, ...binding })
      .returning({ id: users.id });
    const row = await accountById(tx, u.id);
    await writeAudit(tx, actor, { action: 'account.create', targetType: 'user', targetId: u.id, scopePath: row.path, detail: { username: input.username, role: input.role } });
    return present(row, actor.at);
  });
}

export interface UpdateAccountInput {
  displayName?: string;
  role?: Role;
  scopeOrgId?: number | null;
  orgId?: number | null;
  disabled?: boolean;
}

export async function updateAccount(db: DbOrTx, admin: AuthUser, actor: AuditActor, id: number, input: UpdateAccountInput) {
  assertAccountAdmin(admin);
  return db.transaction(async (tx) => {
    const before = await accountById(tx, id);
    assertAccountInScope(admin, before.path);
    if (id === admin.id && (input.disabled || (input.role && input.role !== admin.role))) {
      throw new AppError('SELF_LOCKOUT', '不能停用自己的账号或修改自己的角色', 400, { field: 'role' });
    }
    const role = (input.role ?? before.role) as Role;
    const binding = input.role || input.scopeOrgId !== undefined || input.orgId !== undefined
      ? await resolveBinding(tx, admin, role, input.scopeOrgId ?? before.scopeOrgId, input.orgId ?? before.orgId)
      : {};
    const values = { displayName: input.displayName, role: input.role, disabled: input.disabled, ...binding };
    // An empty PATCH used to reach Drizzle's "no values to set" and answer 500 (found by the access matrix).
    if (Object.values(values).every((v) => v === undefined)) throw new AppError('VALIDATION', '没有需要修改的内容', 400);
    await tx.update(users).set(values).where(eq(users.id, id));
    // Changed rights take effect at once: the user signs in again.
    if (input.role || input.disabled || 'scopeOrgId' in binding) await tx.delete(sessions).where(eq(sessions.userId, id));
    const after = await accountById(tx, id);
    await writeAudit(tx, actor, { action: 'account.update', targetType: 'user', targetId: id, scopePath: after.path, detail: { changes: input } });
    return present(after, actor.at);
  });
}

export async function unlockAccount(db: DbOrTx, admin: AuthUser, actor: AuditActor, id: number) {
  assertAccountAdmin(admin);
  return db.transaction(async (tx) => {
    const before = await accountById(tx, id);
    assertAccountInScope(admin, before.path);
    await tx.update(users).set({ lockedUntil: null, failedAttempts: 0 }).where(eq(users.id, id));
    await writeAudit(tx, actor, { action: 'account.unlock', targetType: 'user', targetId: id, scopePath: before.path });
  });
}

export async function setAccountPassword(db: DbOrTx, admin: AuthUser, actor: AuditActor, config: AppConfig, id: number, password: string) {
  assertAccountAdmin(admin);
  const target = await accountById(db, id);
  assertAccountInScope(admin, target.path);
  assertPasswordAcceptable(password, target.username);
  const passwordHash = await hashPassword(password, config.passwordCost);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, failedAttempts: 0, lockedUntil: null }).where(eq(users.id, id));
    await tx.delete(sessions).where(eq(sessions.userId, id));
    await writeAudit(tx, actor, { action: 'account.password', targetType: 'user', targetId: id, scopePath: target.path });
  });
}

