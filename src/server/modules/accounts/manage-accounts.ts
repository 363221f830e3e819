import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { AuditAction } from '../../../domain/audit-actions';
import { AppError, notFound } from '../../../domain/errors';
import { assertPasswordAcceptable } from '../../../domain/password-policy';
import { accountActionsOf, type Role } from '../../../domain/roles';
import { type DbOrTx, escapeLike } from '../../db/connect';
import { userRows } from '../auth/row-sources';
import { orgUnitsAs } from '../organizations/row-sources';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AppConfig, AuthUser } from '../../http/context';
import { endSessionsOf, insertAccount, requirePasswordChange, updateAccountRow } from '../auth/account-writes';
import { activeLocks, unlockUsername } from '../auth/login-guard';
import { hashPassword } from '../auth/password-hash';
import { getOrg } from '../organizations/repo';
import { assertAccountDuty, assertAccountInScope, assertMayAct, assertMayAssign, mayAct } from './policy';
import { ROW_ACTIONS } from './schemas';

const scopeOrg = orgUnitsAs('scope_org');
const ownOrg = orgUnitsAs('own_org');

const accountColumns = {
  id: userRows.id,
  username: userRows.username,
  displayName: userRows.displayName,
  role: userRows.role,
  scopeOrgId: userRows.scopeOrgId,
  scopeOrgName: scopeOrg.name,
  orgId: userRows.orgId,
  orgName: ownOrg.name,
  disabled: userRows.disabled,
  mustChangePassword: userRows.mustChangePassword,
  path: sql<string | null>`coalesce(${scopeOrg.path}, ${ownOrg.path})`,
};

function accountsQuery(db: DbOrTx) {
  return db
    .select(accountColumns)
    .from(userRows)
    .leftJoin(scopeOrg, eq(scopeOrg.id, userRows.scopeOrgId))
    .leftJoin(ownOrg, eq(ownOrg.id, userRows.orgId));
}
type AccountRow = Awaited<ReturnType<typeof accountsQuery>>[number];

/** The row as the list shows it, with what the viewer may do to it (the page offers exactly those actions). */
function present(row: AccountRow, viewer: AuthUser, locks: Map<string, Date>) {
  const { path, ...rest } = row;
  const target = { id: row.id, role: row.role as Role, path };
  return {
    ...rest,
    role: row.role as Role,
    lockedUntil: locks.get(row.username)?.toISOString() ?? null,
    actions: ROW_ACTIONS.filter((a) => mayAct(viewer, a, target)),
  };
}

async function presentOne(db: DbOrTx, row: AccountRow, viewer: AuthUser, now: Date) {
  return present(row, viewer, await activeLocks(db, [row.username], now));
}

export async function listAccounts(
  db: DbOrTx,
  viewer: AuthUser,
  now: Date,
  q: { q?: string; role?: Role; offset: number; limit: number },
) {
  assertAccountDuty(viewer, ...accountActionsOf(viewer.role));
  // A system-level 三员 account sees every account, those bound to no organization (other 三员) too.
  const conds: SQL[] =
    viewer.scopePath === '/'
      ? []
      : [sql`coalesce(${scopeOrg.path}, ${ownOrg.path}) like ${`${escapeLike(viewer.scopePath!)}%`}`];
  if (q.q)
    conds.push(
      or(ilike(userRows.username, `%${escapeLike(q.q)}%`), ilike(userRows.displayName, `%${escapeLike(q.q)}%`))!,
    );
  if (q.role) conds.push(eq(userRows.role, q.role));
  const where = conds.length ? and(...conds) : undefined;
  const rows = await accountsQuery(db).where(where).orderBy(asc(userRows.username)).offset(q.offset).limit(q.limit);
  const { total } = (
    await db
      .select({ total: sql<number>`count(*)::int` })
      .from(userRows)
      .leftJoin(scopeOrg, eq(scopeOrg.id, userRows.scopeOrgId))
      .leftJoin(ownOrg, eq(ownOrg.id, userRows.orgId))
      .where(where)
  )[0]!;
  const locks = await activeLocks(
    db,
    rows.map((r) => r.username),
    now,
  );
  return { items: rows.map((r) => present(r, viewer, locks)), total };
}

async function accountById(db: DbOrTx, id: number) {
  const [row] = await accountsQuery(db).where(eq(userRows.id, id));
  if (!row) throw notFound('账号');
  return row;
}

const targetOf = (row: AccountRow) => ({ id: row.id, role: row.role as Role, path: row.path });
const auditScope = (path: string | null | undefined) => (path && path !== '/' ? path : null);

/**
 * Every account action is audited, the refused ones too (result failure, with the refusal's code): a refused attempt
 * on another's account is itself a security event. The row goes to the target's subtree when it is known.
 */
async function audited<T>(
  db: DbOrTx,
  actor: AuditActor,
  viewer: AuthUser,
  action: AuditAction,
  targetId: number | null,
  work: (setScope: (p: string | null) => void) => Promise<T>,
): Promise<T> {
  let scopePath: string | null = auditScope(viewer.scopePath);
  try {
    return await work((p) => {
      scopePath = auditScope(p);
    });
  } catch (e) {
    if (e instanceof AppError && (e.status === 403 || e.status === 404)) {
      await writeAudit(db, actor, {
        action,
        targetType: 'user',
        targetId,
        result: 'failure',
        scopePath,
        detail: { code: e.code, message: e.message },
      });
    }
    throw e;
  }
}

/** Secretaries are bound to one organization; every other role to a subtree. */
async function resolveBinding(
  db: DbOrTx,
  admin: AuthUser,
  role: Role,
  scopeOrgId?: number | null,
  orgId?: number | null,
) {
  if (role === 'secretary') {
    if (!orgId) throw new AppError('VALIDATION', '书记账号必须指定所在组织', { field: 'orgId' });
    const org = await getOrg(db, orgId);
    assertAccountInScope(admin, org.path, '组织');
    return { scopeOrgId: null, orgId };
  }
  if (!scopeOrgId) throw new AppError('VALIDATION', '该角色必须指定管理范围（组织）', { field: 'scopeOrgId' });
  const org = await getOrg(db, scopeOrgId);
  assertAccountInScope(admin, org.path, '组织');
  if (orgId) assertAccountInScope(admin, (await getOrg(db, orgId)).path, '组织');
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

/** A new account; the password the administrator chose must be changed at the first sign-in. */
export async function createAccount(
  db: DbOrTx,
  admin: AuthUser,
  actor: AuditActor,
  config: AppConfig,
  input: CreateAccountInput,
) {
  return audited(db, actor, admin, 'account.create', null, async (setScope) => {
    assertAccountDuty(admin, 'create');
    assertMayAssign(admin, input.role, 'create');
    assertPasswordAcceptable(input.password, input.username);
    const passwordHash = await hashPassword(input.password, config.passwordCost);
    return db.transaction(async (tx) => {
      const binding = await resolveBinding(tx, admin, input.role, input.scopeOrgId, input.orgId);
      const [taken] = await tx.select({ id: userRows.id }).from(userRows).where(eq(userRows.username, input.username));
      if (taken) throw new AppError('DUPLICATE_USERNAME', `用户名「${input.username}」已被使用`, { field: 'username' });
      const id = await insertAccount(tx, {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        ...binding,
        mustChangePassword: true,
        passwordChangedAt: actor.at,
      });
      const row = await accountById(tx, id);
      setScope(row.path);
      await writeAudit(tx, actor, {
        action: 'account.create',
        targetType: 'user',
        targetId: id,
        scopePath: row.path,
        detail: { username: input.username, role: input.role },
      });
      return presentOne(tx, row, admin, actor.at);
    });
  });
}

export interface UpdateAccountInput {
  displayName?: string;
  role?: Role;
  scopeOrgId?: number | null;
  orgId?: number | null;
  disabled?: boolean;
}

/**
 * One PATCH, three duties: the name and binding are account data (系统管理员, or 组织部管理员 for business accounts),
 * enabling/disabling likewise, the role is the 安全管理员's — who may move the binding along with the role, since a
 * role change can require one (a secretary needs an organization).
 */
export async function updateAccount(
  db: DbOrTx,
  admin: AuthUser,
  actor: AuditActor,
  id: number,
  input: UpdateAccountInput,
) {
  const action: AuditAction = input.role !== undefined ? 'account.role' : 'account.update';
  return audited(db, actor, admin, action, id, async (setScope) => {
    assertAccountDuty(admin, 'edit', 'disable', 'role');
    return db.transaction(async (tx) => {
      const before = await accountById(tx, id);
      setScope(before.path);
      const target = targetOf(before);
      // Refused before anything about the request is judged, so a caller without rights learns nothing more.
      if (!(['edit', 'disable', 'role'] as const).some((a) => mayAct(admin, a, target)))
        assertMayAct(admin, 'edit', target);
      const bindingChange = input.scopeOrgId !== undefined || input.orgId !== undefined;
      if (input.role !== undefined) assertMayAct(admin, 'role', target);
      if (input.displayName !== undefined || (bindingChange && input.role === undefined))
        assertMayAct(admin, 'edit', target);
      if (input.disabled !== undefined) assertMayAct(admin, 'disable', target);
      if (input.role !== undefined) assertMayAssign(admin, input.role, 'role');
      const role = input.role ?? (before.role as Role);
      const binding =
        input.role !== undefined || bindingChange
          ? await resolveBinding(
              tx,
              admin,
              role,
              input.scopeOrgId !== undefined ? input.scopeOrgId : before.scopeOrgId,
              input.orgId !== undefined ? input.orgId : before.orgId,
            )
          : {};
      const values = { displayName: input.displayName, role: input.role, disabled: input.disabled, ...binding };
      // An empty PATCH used to reach Drizzle's "no values to set" and answer 500 (found by the access matrix).
      if (Object.values(values).every((v) => v === undefined)) throw new AppError('VALIDATION', '没有需要修改的内容');
      await updateAccountRow(tx, id, values);
      // Changed rights take effect at once: the user signs in again (their open streams end too, see routes.ts).
      if (input.role || input.disabled || 'scopeOrgId' in binding) await endSessionsOf(tx, id);
      const after = await accountById(tx, id);
      await writeAudit(tx, actor, {
        action,
        targetType: 'user',
        targetId: id,
        scopePath: after.path,
        detail: { changes: input, ...(input.role !== undefined ? { from: before.role } : {}) },
      });
      return presentOne(tx, after, admin, actor.at);
    });
  });
}

/** The 安全管理员 lifts the sign-in locks of an account, from every address. */
export async function unlockAccount(db: DbOrTx, admin: AuthUser, actor: AuditActor, id: number) {
  return audited(db, actor, admin, 'account.unlock', id, async (setScope) => {
    assertAccountDuty(admin, 'unlock');
    return db.transaction(async (tx) => {
      const before = await accountById(tx, id);
      setScope(before.path);
      assertMayAct(admin, 'unlock', targetOf(before));
      await unlockUsername(tx, before.username);
      await writeAudit(tx, actor, {
        action: 'account.unlock',
        targetType: 'user',
        targetId: id,
        scopePath: before.path,
      });
    });
  });
}

/** The 安全管理员 forces a password change at the next sign-in (and ends the current sessions). */
export async function expireAccountPassword(db: DbOrTx, admin: AuthUser, actor: AuditActor, id: number) {
  return audited(db, actor, admin, 'account.expire_password', id, async (setScope) => {
    assertAccountDuty(admin, 'expire');
    return db.transaction(async (tx) => {
      const before = await accountById(tx, id);
      setScope(before.path);
      assertMayAct(admin, 'expire', targetOf(before));
      await requirePasswordChange(tx, id);
      await endSessionsOf(tx, id);
      await writeAudit(tx, actor, {
        action: 'account.expire_password',
        targetType: 'user',
        targetId: id,
        scopePath: before.path,
      });
    });
  });
}

/** An administrator sets a password; the user must change it at the next sign-in. Lockouts stay the security admin's. */
export async function setAccountPassword(
  db: DbOrTx,
  admin: AuthUser,
  actor: AuditActor,
  config: AppConfig,
  id: number,
  password: string,
) {
  return audited(db, actor, admin, 'account.password', id, async (setScope) => {
    assertAccountDuty(admin, 'password');
    const target = await accountById(db, id);
    setScope(target.path);
    assertMayAct(admin, 'password', targetOf(target));
    assertPasswordAcceptable(password, target.username);
    const passwordHash = await hashPassword(password, config.passwordCost);
    await db.transaction(async (tx) => {
      await requirePasswordChange(tx, id, { hash: passwordHash, at: actor.at });
      await endSessionsOf(tx, id);
      await writeAudit(tx, actor, {
        action: 'account.password',
        targetType: 'user',
        targetId: id,
        scopePath: target.path,
      });
    });
  });
}
