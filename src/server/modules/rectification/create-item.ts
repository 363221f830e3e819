import { assertPhaseOpen } from '../campaigns/phase-gate';
import { sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { rectificationItems } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { inboxEntries } from './inbox';
import { assertKeepItems } from './policy';
import { campaignOf, loadItem, requireReporter, rollUpParent, shanghaiDate } from './repo';
import { formatDateProse } from '../../../domain/calendar';

export interface ItemFields {
  description?: string;
  rootCause?: string | null;
  owner?: string | null;
  responsibleLeader?: string | null;
  measures?: string | null;
  deadline?: string | null;
  weight?: number;
  evidenceRequired?: boolean;
}

export interface CreateItemInput extends ItemFields {
  orgId: number;
  fromKey?: string;
  parentId?: number;
}

const blankToNull = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());

/** A deadline is a promise about the future: never before the day the item was made (R-FIX-2). */
export function assertDeadline(deadline: string | null | undefined, createdOn: string) {
  if (deadline && deadline < createdOn) {
    throw new AppError(
      'VALIDATION',
      `整改时限（${formatDateProse(deadline)}）不能早于创建日期（${formatDateProse(createdOn)}）`,
      { field: 'deadline' },
    );
  }
}

/** Waiving evidence is the upper level's call, not the organization's own. */
export function assertEvidenceWaiver(user: AuthUser, evidenceRequired: boolean | undefined) {
  if (evidenceRequired === false && user.role !== 'org_admin') {
    throw new AppError('FORBIDDEN', '只有上级组织部门可以免予提交佐证材料', { field: 'evidenceRequired' });
  }
}

/**
 * "Turn into item" (R-FIX-1): from an inbox entry, as a sub-item of an item, or typed in by hand as
 * 巡视/巡察 feedback. Owner, measures and deadline may follow later (the three lists fill in over time);
 * 开始整改 requires them.
 */
export async function createItem(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: CreateItemInput,
) {
  const today = shanghaiDate(actor.at);
  return db.transaction(async (tx) => {
    const campaign = await campaignOf(tx, campaignId, user);
    const [org] = await queryRows<{ path: string }>(
      tx,
      sql`select path from organizations_v_units where id = ${input.orgId}`,
    );
    if (!org) throw notFound('党组织');
    assertKeepItems(user, { orgId: input.orgId, orgPath: org.path });
    const rep = await requireReporter(tx, campaignId, input.orgId);
    // Serializes item creation per organization, so two clicks on one inbox entry make one item.
    await tx.execute(sql`select id from campaigns_v_reporters where id = ${rep.id} for update`);
    assertDeadline(input.deadline, today);
    assertEvidenceWaiver(user, input.evidenceRequired);
    // Lists are drawn up in 整改 (or 反馈); the items then run to their own deadlines, which flag them overdue (R-FIX-2).
    await assertPhaseOpen(tx, campaignId, 'rectification.list', actor.at);

    let source: { sourceType: string; sourceId: number | null; sourceText: string | null };
    let description = input.description?.trim() ?? '';
    let parentId: number | null = null;
    if (input.parentId) {
      const parent = await loadItem(tx, input.parentId, true);
      if (parent.campaignId !== campaignId || parent.orgId !== input.orgId) throw notFound('上级整改事项');
      if (parent.parentId) throw new AppError('VALIDATION', '子项下不能再建子项', { field: 'parentId' });
      if (parent.status === 'closed') throw new AppError('ITEM_CLOSED');
      parentId = parent.id;
      source = { sourceType: 'sub_item', sourceId: parent.id, sourceText: null };
    } else if (input.fromKey) {
      const entry = (await inboxEntries(tx, user, campaign, rep)).find((e) => e.key === input.fromKey);
      if (!entry) throw notFound('问题来源');
      if (entry.itemId) throw new AppError('ALREADY_ITEM');
      source = { sourceType: entry.sourceType, sourceId: entry.sourceId, sourceText: entry.text };
      if (!description) description = entry.text;
    } else {
      if (!description) throw new AppError('VALIDATION', '问题不能为空', { field: 'description' });
      source = { sourceType: 'inspection', sourceId: null, sourceText: description };
    }
    if (!description) throw new AppError('VALIDATION', '问题不能为空', { field: 'description' });

    const row = (
      await tx
        .insert(rectificationItems)
        .values({
          campaignId,
          orgId: input.orgId,
          reporterId: rep.id,
          parentId,
          weight: input.weight ?? 1,
          ...source,
          description,
          rootCause: blankToNull(input.rootCause),
          owner: blankToNull(input.owner),
          responsibleLeader: blankToNull(input.responsibleLeader),
          measures: blankToNull(input.measures),
          deadline: input.deadline ?? null,
          evidenceRequired: input.evidenceRequired ?? true,
          createdBy: user.id,
          createdAt: actor.at,
          updatedAt: actor.at,
        })
        .returning({ id: rectificationItems.id })
    )[0]!;
    await rollUpParent(tx, parentId, actor.at);
    await writeAudit(tx, actor, {
      action: 'rectification.item.create',
      targetType: 'rectification_item',
      targetId: row.id,
      scopePath: org.path,
      detail: { campaignId, orgId: input.orgId, parentId, ...source, description, deadline: input.deadline ?? null },
    });
    return { id: row.id };
  });
}
