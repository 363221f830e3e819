/**
 * `npm run account -- <create|password|unlock> …` — the operator's tool for the accounts nobody in the app may manage
 * (decision 019): the 三员 (系统管理员, 安全管理员, 安全审计员) are peers at the top, so the first ones of an installation,
 * a forgotten 三员 password or a locked 三员 account are handled here, by whoever runs the server. Every use is audited
 * (actor 运维（account 命令）). A password set here is printed once and must be changed at the first sign-in.
 *
 *   npm run account -- create --username sec1 --name 安全管理员 --role security_admin [--scope ORG_CODE]
 *   npm run account -- password --username sec1
 *   npm run account -- unlock --username sec1
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { assertPasswordAcceptable } from '../../domain/password-policy';
import { type Role, ROLE_CODES, ROLES } from '../../domain/roles';
import { organizations, sessions, users } from '../db/schema';
import { writeAudit } from '../http/audit';
import { unlockUsername } from '../modules/auth/login-guard';
import { hashPassword } from '../modules/auth/password-hash';
import { openConfigured } from './db-from-env';

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** 16 characters from four classes, so it always meets the complexity rule. */
function temporaryPassword() {
  const pick = (set: string) => set[randomBytes(1)[0]! % set.length]!;
  const body = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
  return `${pick('ABCDEFGHJKLMNPQRSTUVWXYZ')}${pick('abcdefghijkmnpqrstuvwxyz')}${pick('23456789')}${pick('#@%+=')}${body}`;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const username = arg(args, 'username');
  if (!command || !['create', 'password', 'unlock'].includes(command) || !username) {
    throw new Error(
      '用法：npm run account -- create|password|unlock --username 用户名 [--name 姓名 --role 角色 --scope 组织代码]',
    );
  }
  const { database, where } = await openConfigured();
  const db = database.db;
  const now = new Date();
  const actor = { actorId: null, actorName: '运维（account 命令）', ip: null, at: now };
  try {
    if (command === 'create') {
      const role = arg(args, 'role') as Role | undefined;
      const name = arg(args, 'name');
      if (!role || !ROLE_CODES.includes(role)) throw new Error(`--role 应为：${ROLE_CODES.join('、')}`);
      if (!name) throw new Error('请用 --name 指定姓名');
      const code = arg(args, 'scope');
      const [scope] = code ? await db.select().from(organizations).where(eq(organizations.code, code)) : [];
      if (code && !scope) throw new Error(`组织代码「${code}」不存在`);
      if (!scope && role !== 'sys_admin' && role !== 'security_admin' && role !== 'auditor')
        throw new Error('业务角色必须用 --scope 指定组织');
      const password = temporaryPassword();
      assertPasswordAcceptable(password, username);
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        const [u] = await tx
          .insert(users)
          .values({
            username,
            displayName: name,
            role,
            passwordHash,
            mustChangePassword: true,
            passwordChangedAt: now,
            scopeOrgId: role === 'secretary' ? null : (scope?.id ?? null),
            orgId: role === 'secretary' ? scope!.id : null,
          })
          .returning({ id: users.id });
        await writeAudit(tx, actor, {
          action: 'account.create',
          targetType: 'user',
          targetId: u!.id,
          scopePath: scope?.path ?? null,
          detail: { username, role, via: 'cli' },
        });
      });
      console.log(
        `已创建${ROLES[role]}账号「${username}」（${scope ? scope.name : '系统级'}，${where}）。初始密码（仅显示一次，首次登录须修改）：${password}`,
      );
    } else {
      const [u] = await db.select().from(users).where(eq(users.username, username));
      if (!u) throw new Error(`账号「${username}」不存在`);
      // The row goes to the account's subtree, like the app's account rows (a 三员 at system level: none).
      const [bound] = await db
        .select({ path: organizations.path })
        .from(organizations)
        .where(eq(organizations.id, u.scopeOrgId ?? u.orgId ?? -1));
      const scopePath = bound?.path ?? null;
      if (command === 'password') {
        const password = temporaryPassword();
        const passwordHash = await hashPassword(password);
        await db.transaction(async (tx) => {
          await tx
            .update(users)
            .set({ passwordHash, mustChangePassword: true, passwordChangedAt: now })
            .where(eq(users.id, u.id));
          await tx.delete(sessions).where(eq(sessions.userId, u.id));
          await writeAudit(tx, actor, {
            action: 'account.password',
            targetType: 'user',
            targetId: u.id,
            scopePath,
            detail: { via: 'cli' },
          });
        });
        console.log(`已重置「${username}」的密码（${where}）。临时密码（仅显示一次，首次登录须修改）：${password}`);
      } else {
        await db.transaction(async (tx) => {
          await unlockUsername(tx, username);
          await writeAudit(tx, actor, {
            action: 'account.unlock',
            targetType: 'user',
            targetId: u.id,
            scopePath,
            detail: { via: 'cli' },
          });
        });
        console.log(`已解除「${username}」的登录锁定（${where}）`);
      }
    }
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(`操作失败：${err instanceof Error ? err.message : err}`);
  process.exit(2);
});
