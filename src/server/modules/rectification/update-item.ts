import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertDeadline, assertEvidenceWaiver, type ItemFields } from './create-item';
import { assertDeleteItem, assertKeepItems } from './policy';
import { loadItem, rollUpParent } from './repo';

const COLUMNS: Record<keyof ItemFields, string> = {
  description: 'description',
  rootCause: 'root_cause',
  owner: 'owner',
  responsibleLeader: 'responsible_leader',
  measures: 'measures',
  deadline: 'deadline',
  weight: 'weight',
  evidenceRequired: 'evidence_required',
};

/** Edits the problem, responsibility or rectification columns; a closed (销号) item is a record and stays as it is. */
export async function updateItem(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, input: ItemFields) {
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, id, true, user);
    assertKeepItems(user, item);
    if (item.status === 'closed')
      throw new AppError('ITEM_CLOSED', '已销号的整改事项不能修改；如需重新整改，请由上级发起“重新整改”');
    assertDeadline(input.deadline, item.createdOn);
    assertEvidenceWaiver(user, input.evidenceRequired);
    const entries = Object.entries(input).filter(([k, v]) => v !== undefined && k in COLUMNS) as [
      keyof ItemFields,
      unknown,
    ][];
    if (!entries.length) return { id };
    const norm = (v: unknown) =>
      typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v;
    const sets = entries.map(([k, v]) => sql`${sql.identifier(COLUMNS[k])} = ${norm(v)}`);
    const [before] = await queryRows<Record<string, unknown>>(
      tx,
      sql`
      select ${sql.join(
        entries.map(([k]) => sql`${sql.identifier(COLUMNS[k])}::text as ${sql.identifier(k)}`),
        sql`, `,
      )}
      from rectification_items where id = ${id}`,
    );
    await tx.execute(
      sql`update rectification_items set ${sql.join(sets, sql`, `)}, updated_at = ${actor.at} where id = ${id}`,
    );
    if (input.weight !== undefined) await rollUpParent(tx, item.parentId, actor.at);
    await writeAudit(tx, actor, {
      action: 'rectification.item.update',
      targetType: 'rectification_item',
      targetId: id,
      scopePath: item.orgPath,
      detail: { before, after: Object.fromEntries(entries.map(([k, v]) => [k, norm(v)])) },
    });
    return { id };
  });
}

/** Only an item nothing has happened to yet may be deleted (typed by mistake); anything else is history. */
export async function deleteItem(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, id, true, user);
    const [creator] = await queryRows<{ createdBy: number | null }>(
      tx,
      sql`select created_by as "createdBy" from rectification_items where id = ${id}`,
    );
    assertDeleteItem(user, item, creator?.createdBy ?? null);
    const used = (
      await queryRows<{ n: number }>(
        tx,
        sql`
      select ((select count(*) from rectification_progress where item_id = ${id})
        + (select count(*) from rectification_evidence where item_id = ${id})
        + (select count(*) from rectification_verifications where item_id = ${id})
        + (select count(*) from rectification_items where parent_id = ${id} or carried_from_id = ${id}))::int as n`,
      )
    )[0]!;
    if (item.status !== 'not_started' || used.n > 0) {
      throw new AppError('ITEM_IN_USE');
    }
    await tx.execute(sql`delete from rectification_items where id = ${id}`);
    await rollUpParent(tx, item.parentId, actor.at);
    await writeAudit(tx, actor, {
      action: 'rectification.item.delete',
      targetType: 'rectification_item',
      targetId: id,
      scopePath: item.orgPath,
      detail: { campaignId: item.campaignId, orgId: item.orgId, description: item.description },
    });
  });
}
