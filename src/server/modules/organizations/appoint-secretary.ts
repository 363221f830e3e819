import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { secretaries } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertWrite } from './policy';
import { currentSecretary, getOrg } from './repo';
import { formatDateProse } from '../../../domain/calendar';

export interface AppointInput {
  name: string;
  position: string;
  tenureStart: string;
  phone?: string | null;
}

/** A new secretary ends the current one's tenure the day before; history is never overwritten. */
export async function appointSecretary(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  orgId: number,
  input: AppointInput,
) {
  return db.transaction(async (tx) => {
    const org = await getOrg(tx, orgId, user);
    assertWrite(user, org.path);
    const current = await currentSecretary(tx, orgId);
    if (current) {
      if (input.tenureStart <= current.tenureStart) {
        throw new AppError(
          'TENURE_ORDER',
          `新任书记的任职时间须晚于现任书记的任职时间（${formatDateProse(current.tenureStart)}）`,
          { field: 'tenureStart' },
        );
      }
      await tx
        .update(secretaries)
        .set({ tenureEnd: input.tenureStart })
        .where(and(eq(secretaries.id, current.id), isNull(secretaries.tenureEnd)));
    }
    const created = (
      await tx
        .insert(secretaries)
        .values({
          orgId,
          name: input.name,
          position: input.position,
          phone: input.phone ?? null,
          tenureStart: input.tenureStart,
        })
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'org.secretary.appoint',
      targetType: 'organization',
      targetId: orgId,
      scopePath: org.path,
      detail: { name: input.name, tenureStart: input.tenureStart, previous: current?.name ?? null },
    });
    return created;
  });
}
