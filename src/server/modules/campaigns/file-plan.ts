import { eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { validateSettings } from '../../../domain/campaign-settings';
import type { DbOrTx } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertWrite } from './policy';
import { asCampaign, getCampaign } from './repo';
import { computeScope } from './scope';
import { presentSummary } from './present';

/** 方案报备 (R-CAMP-3): the lower level files its adjusted draft with the level above. */
export async function submitFiling(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, note?: string) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    if (c.parentId === null)
      throw new AppError('FILING_NOT_REQUIRED', '本方案为最上一级，无需向上级报备', { field: 'filingState' });
    if (c.state !== 'draft') throw new AppError('FILING_STATE', '方案已发布，无需再报备', { field: 'state' });
    if (!['pending', 'returned'].includes(c.filingState)) {
      throw new AppError(
        'FILING_STATE',
        c.filingState === 'filed' ? '方案已报备，正在等待上级审核' : '方案已经上级确认备案',
        { field: 'filingState' },
      );
    }
    // A plan that could not be published is not worth filing: same checks as publication.
    const settings = validateSettings(c.settings);
    await computeScope(tx, { settings, scopeMatch: c.scopeMatch, organizer }, { strict: true });
    const row = (
      await tx
        .update(campaigns)
        .set({
          filingState: 'filed',
          filingNote: note?.trim() || null,
          filedAt: actor.at,
          updatedAt: actor.at,
        })
        .where(eq(campaigns.id, id))
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'campaign.filing.submit',
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: { parentId: c.parentId, note: note?.trim() || null },
    });
    return presentSummary(asCampaign(row), organizer);
  });
}

/** The level above acknowledges the filed plan or returns it with a reason. */
export async function reviewFiling(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  decision: 'acknowledge' | 'return',
  reason?: string,
) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    if (c.parentId === null) {
      // Access first: someone outside the campaign's scope learns nothing about it, not even that it is top-level.
      assertWrite(user, organizer.path);
      throw new AppError('FILING_NOT_REQUIRED', '本方案为最上一级，没有需要审核的报备', { field: 'filingState' });
    }
    const parent = await getCampaign(tx, c.parentId);
    assertWrite(user, parent.organizer.path);
    if (c.filingState !== 'filed') {
      throw new AppError('FILING_STATE', '该方案当前不是“已报备、待审核”状态', { field: 'filingState' });
    }
    const returned = decision === 'return';
    const why = reason?.trim();
    if (returned && !why) throw new AppError('REASON_REQUIRED', '退回方案须填写理由', { field: 'reason' });
    const row = (
      await tx
        .update(campaigns)
        .set({
          filingState: returned ? 'returned' : 'acknowledged',
          filingReturnReason: returned ? why : null,
          filingReviewedAt: actor.at,
          updatedAt: actor.at,
        })
        .where(eq(campaigns.id, id))
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: `campaign.filing.${decision}`,
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: { parentId: c.parentId, ...(returned ? { reason: why } : {}) },
    });
    return presentSummary(asCampaign(row), organizer);
  });
}
