import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { buildFromTemplate } from '../../../domain/campaign-templates';
import { startPhases } from '../../../domain/campaign-phases';
import type { DbOrTx } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertCreate } from './policy';
import { asCampaign, getOrgRef } from './repo';
import { presentSummary } from './present';

export interface CreateInput {
  templateId: string;
  year: number;
  organizerOrgId: number;
}

export const yearTaken = (orgName: string, year: number) =>
  new AppError('CAMPAIGN_EXISTS', `「${orgName}」已有${year}年度的述职评议考核，每个党组织每年只能有一个`, {
    field: 'year',
  });

/** A draft from a template: settings as the seed sets them, phases not started, scope = the organizer's subtree. */
export async function createCampaign(db: DbOrTx, user: AuthUser, actor: AuditActor, input: CreateInput) {
  return db.transaction(async (tx) => {
    const organizer = await getOrgRef(tx, input.organizerOrgId, user);
    assertCreate(user, organizer.path);
    const built = buildFromTemplate(input.templateId, input.year);
    const [existing] = await tx
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.organizerOrgId, organizer.id), eq(campaigns.year, input.year)));
    if (existing) throw yearTaken(organizer.name, input.year);
    const row = (
      await tx
        .insert(campaigns)
        .values({
          organizerOrgId: organizer.id,
          year: input.year,
          title: built.title,
          templateId: built.templateId,
          settings: built.settings,
          phases: startPhases(built.settings.phases),
          scopeMatch: { subtreeOf: organizer.id },
          createdBy: user.id,
          createdAt: actor.at,
          updatedAt: actor.at,
        })
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'campaign.create',
      targetType: 'campaign',
      targetId: row.id,
      scopePath: organizer.path,
      detail: { templateId: built.templateId, year: input.year, organizer: organizer.name },
    });
    return presentSummary(asCampaign(row), organizer);
  });
}
