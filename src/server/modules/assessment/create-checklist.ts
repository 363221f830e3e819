import { sql } from 'drizzle-orm';
import { validateItem, type AppliesTo, type ItemInput } from '../../../domain/checklist';
import { AppError } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { checklistItems, checklists } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { checkAppliesTo } from './checklist-input';
import { assertNotArchived, assertOrganize } from './policy';
import { getCampaignRef } from './repo';
import { templateChecklist, type TemplateKind } from './templates';

export interface ChecklistInput {
  title: string;
  appliesTo: AppliesTo;
  items: ItemInput[];
}

/** A checklist with its items, all validated before anything is written (item n's error names it). */
export async function createChecklist(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: ChecklistInput,
  source = 'manual',
) {
  input.items.forEach((it, i) => {
    try {
      validateItem(it);
    } catch (e) {
      if (e instanceof AppError)
        throw new AppError(e.code, `第${i + 1}项：${e.message}`, { field: `items.${i}`, ...(e.details as object) });
      throw e;
    }
  });
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertOrganize(user, campaign);
    assertNotArchived(campaign);
    const appliesTo = checkAppliesTo(campaign, input.appliesTo);
    const { next } = (
      await queryRows<{ next: number }>(
        tx,
        sql`
      select coalesce(max(position) + 1, 0)::int as next from checklists where campaign_id = ${campaignId} and removed_at is null`,
      )
    )[0]!;
    const row = (
      await tx
        .insert(checklists)
        .values({
          campaignId,
          title: input.title.trim(),
          appliesTo,
          position: next,
          createdBy: user.id,
          createdAt: actor.at,
          updatedAt: actor.at,
        })
        .returning({ id: checklists.id })
    )[0]!;
    if (input.items.length) {
      await tx.insert(checklistItems).values(
        input.items.map((it, i) => ({
          checklistId: row.id,
          section: it.section.trim(),
          position: i,
          title: it.title.trim(),
          maxPoints: it.maxPoints,
          guidance: it.guidance?.trim() ?? '',
          method: it.method,
        })),
      );
    }
    await writeAudit(tx, actor, {
      action: 'assessment.checklist.create',
      targetType: 'checklist',
      targetId: row.id,
      scopePath: campaign.organizerPath,
      detail: { campaignId, title: input.title.trim(), appliesTo, items: input.items.length, source },
    });
    return { id: row.id };
  });
}

/** 从模板创建: the default checklist of a kind (templates.ts), appliesTo derived from the campaign unless given. */
export async function createFromTemplate(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: { kind: TemplateKind; appliesTo?: AppliesTo },
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertOrganize(user, campaign);
  const t = templateChecklist(input.kind, campaign.settings as never);
  return createChecklist(
    db,
    user,
    actor,
    campaignId,
    { title: t.title, appliesTo: input.appliesTo ?? t.appliesTo, items: t.items },
    `template:${input.kind}`,
  );
}
