import { eq } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { committeeMembers } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertWrite } from './policy';
import { getOrg } from './repo';

export interface MemberInput {
  name: string;
  position: string;
  phone?: string | null;
}

export async function addMember(db: DbOrTx, user: AuthUser, actor: AuditActor, orgId: number, input: MemberInput) {
  return db.transaction(async (tx) => {
    const org = await getOrg(tx, orgId, user);
    assertWrite(user, org.path);
    const m = (
      await tx
        .insert(committeeMembers)
        .values({ orgId, ...input, phone: input.phone ?? null })
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'org.member.add',
      targetType: 'committee_member',
      targetId: m.id,
      scopePath: org.path,
      detail: { name: m.name },
    });
    return m;
  });
}

async function memberWithOrg(tx: DbOrTx, user: AuthUser, id: number) {
  const [m] = await tx.select().from(committeeMembers).where(eq(committeeMembers.id, id));
  if (!m) throw notFound('班子成员');
  const org = await getOrg(tx, m.orgId, user, '班子成员');
  assertWrite(user, org.path);
  return { m, org };
}

export async function updateMember(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  input: Partial<MemberInput>,
) {
  return db.transaction(async (tx) => {
    const { m, org } = await memberWithOrg(tx, user, id);
    // After the access check (a caller without access learns nothing): an empty change would be an UPDATE without
    // columns, a 500 from the ORM (found by bench/fuzz.ts).
    if (!Object.values(input).some((v) => v !== undefined))
      throw new AppError('VALIDATION', '请至少修改一项（姓名、职务或电话）');
    const [after] = await tx.update(committeeMembers).set(input).where(eq(committeeMembers.id, id)).returning();
    // Read without a lock: a removal committed since then leaves nothing to update.
    if (!after) throw notFound('班子成员');
    await writeAudit(tx, actor, {
      action: 'org.member.update',
      targetType: 'committee_member',
      targetId: id,
      scopePath: org.path,
      detail: { before: { name: m.name, position: m.position }, after: input },
    });
    return after;
  });
}

export async function removeMember(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  await db.transaction(async (tx) => {
    const { m, org } = await memberWithOrg(tx, user, id);
    await tx.delete(committeeMembers).where(eq(committeeMembers.id, id));
    await writeAudit(tx, actor, {
      action: 'org.member.remove',
      targetType: 'committee_member',
      targetId: id,
      scopePath: org.path,
      detail: { name: m.name, position: m.position },
    });
  });
}
