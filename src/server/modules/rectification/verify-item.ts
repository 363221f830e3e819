import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { applyAction, RECT_STATUS_LABELS } from '../../../domain/rectification-status';
import { type DbOrTx, queryRows } from '../../db/connect';
import { rectificationItems, rectificationVerifications } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertVerify } from './policy';
import { loadItem, rollUpParent } from './repo';

export interface VerifyInput {
  result: 'pass' | 'fail' | 'reopen';
  note?: string;
  evidence?: string;
  evidenceIds?: number[];
}

/**
 * The upper level's 验收 (R-FIX-2), always a new row of rectification_verifications (append-only by
 * trigger): pass closes (销号), fail sends back to 整改中, reopen on a closed item records why and starts
 * a new item pointing at it, so what was closed and when stays on record.
 */
export async function verifyItem(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, input: VerifyInput) {
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, id, true, user);
    assertVerify(user, item);
    const outcome = applyAction({ id: String(item.id), status: item.status }, input.result, input.note);
    let evidence = input.evidence?.trim() || null;
    if (input.evidenceIds?.length) {
      const files = await queryRows<{ id: number; fileName: string }>(
        tx,
        sql`
        select id, file_name as "fileName" from rectification_evidence
        where item_id = ${id} and id in (${sql.join(
          input.evidenceIds.map((e) => sql`${e}`),
          sql`, `,
        )}) order by id`,
      );
      if (files.length !== new Set(input.evidenceIds).size) {
        throw new AppError('VALIDATION', '所选佐证材料不属于该整改事项', { field: 'evidenceIds' });
      }
      const names = `佐证材料：${files.map((f) => `${f.fileName}（#${f.id}）`).join('、')}`;
      evidence = evidence ? `${evidence}；${names}` : names;
    }
    if (input.result === 'pass' && item.evidenceRequired && !evidence) {
      throw new AppError('VALIDATION', '验收销号须注明或选择佐证材料（该事项要求提供佐证）', { field: 'evidence' });
    }
    const v = (
      await tx
        .insert(rectificationVerifications)
        .values({
          itemId: id,
          result: input.result,
          evidence,
          note: input.note?.trim() || null,
          verifiedBy: user.id,
          verifiedAt: actor.at,
        })
        .returning({ id: rectificationVerifications.id })
    )[0]!;
    let newItemId: number | null = null;
    if (input.result === 'reopen') {
      const copy = (
        await queryRows<{ id: number }>(
          tx,
          sql`
        insert into rectification_items (campaign_id, org_id, reporter_id, parent_id, weight, source_type, source_id, source_text,
          description, root_cause, owner, owner_user_id, responsible_leader, measures, deadline, status, progress,
          evidence_required, created_by, created_at, updated_at)
        select campaign_id, org_id, reporter_id, null, weight, 'reopen', id, ${outcome.newItem!.note},
          description, root_cause, owner, owner_user_id, responsible_leader, measures, null, 'in_progress', 0,
          evidence_required, ${user.id}, ${actor.at}, ${actor.at}
        from rectification_items where id = ${id} returning id`,
        )
      )[0]!;
      newItemId = copy.id;
    } else {
      const closing = outcome.status === 'closed';
      await tx
        .update(rectificationItems)
        .set({
          status: outcome.status,
          updatedAt: actor.at,
          closedAt: closing ? actor.at : null,
          ...(closing && item.children === 0 ? { progress: 100 } : {}),
        })
        .where(sql`id = ${id}`);
      await rollUpParent(tx, item.parentId, actor.at);
    }
    await writeAudit(tx, actor, {
      ...(
        {
          pass: { action: 'rectification.verify.pass' },
          fail: { action: 'rectification.verify.fail' },
          reopen: { action: 'rectification.verify.reopen' },
        } as const
      )[input.result],
      targetType: 'rectification_item',
      targetId: id,
      scopePath: item.orgPath,
      detail: {
        verificationId: v.id,
        from: item.status,
        to: outcome.status,
        evidence,
        note: input.note ?? null,
        newItemId,
      },
    });
    return { verificationId: v.id, status: outcome.status, statusLabel: RECT_STATUS_LABELS[outcome.status], newItemId };
  });
}
