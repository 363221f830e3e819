import { assertPhaseOpen } from '../campaigns/phase-gate';
import { sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { commitments } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { loadCommitment } from './commitments-repo';
import { assertDraftCommitment } from './policy';
import { campaignOf, requireReporter } from './repo';

/** 公开承诺 (R-FIX-3): the secretary drafts for their own organization only. */
export async function createCommitment(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: { orgId?: number; content: string },
) {
  return db.transaction(async (tx) => {
    await campaignOf(tx, campaignId, user);
    const orgId = input.orgId ?? user.orgId ?? 0;
    assertDraftCommitment(user, orgId);
    const rep = await requireReporter(tx, campaignId, orgId);
    await assertPhaseOpen(tx, campaignId, 'rectification.list', actor.at);
    const [open] = await queryRows<{ id: number }>(
      tx,
      sql`
      select id from commitments where campaign_id = ${campaignId} and org_id = ${orgId} and state <> 'published' limit 1`,
    );
    if (open) throw new AppError('COMMITMENT_EXISTS');
    const row = (
      await tx
        .insert(commitments)
        .values({
          campaignId,
          orgId,
          reporterId: rep.id,
          content: input.content,
          createdBy: user.id,
          createdAt: actor.at,
          updatedAt: actor.at,
        })
        .returning({ id: commitments.id })
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'rectification.commitment.create',
      targetType: 'commitment',
      targetId: row.id,
      scopePath: rep.orgPath,
      detail: { campaignId, orgId, content: input.content },
    });
    return { id: row.id };
  });
}

/** Edits while the draft is the secretary's own: never after filing, unless it came back. */
export async function updateCommitment(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, content: string) {
  return db.transaction(async (tx) => {
    const k = await loadCommitment(tx, id, true, user);
    assertDraftCommitment(user, k.orgId);
    if (!['draft', 'returned'].includes(k.state)) throw new AppError('COMMITMENT_FILED');
    await tx.update(commitments).set({ content, updatedAt: actor.at }).where(sql`id = ${id}`);
    await writeAudit(tx, actor, {
      action: 'rectification.commitment.update',
      targetType: 'commitment',
      targetId: id,
      scopePath: k.orgPath,
      detail: { before: k.content, after: content },
    });
    return { id };
  });
}

/** 报组织部门备案. */
export async function fileCommitment(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const k = await loadCommitment(tx, id, true, user).catch(() => {
      throw notFound('公开承诺');
    });
    assertDraftCommitment(user, k.orgId);
    if (!['draft', 'returned'].includes(k.state)) throw new AppError('TRANSITION_REFUSED');
    await tx
      .update(commitments)
      .set({ state: 'filed', filedAt: actor.at, returnReason: null, updatedAt: actor.at })
      .where(sql`id = ${id}`);
    await writeAudit(tx, actor, {
      action: 'rectification.commitment.file',
      targetType: 'commitment',
      targetId: id,
      scopePath: k.orgPath,
      detail: { from: k.state },
    });
    return { id, state: 'filed' as const };
  });
}
