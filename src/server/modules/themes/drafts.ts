import { and, eq, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { type Db, type DbOrTx, queryRows } from '../../db/connect';
import { themeDrafts } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { lockReporterRow } from '../campaigns/queries';
import { assertKeepItems } from '../rectification/policy';
import { itemFromSource, itemRef } from '../rectification/queries';
import { campaignOf, requireReporter } from '../rectification/repo';
import { latestJob } from './job';
import { assertOrganizer } from './policy';

/**
 * "Make draft item" (R-VOTE-6 → R-FIX-1): the organizer proposes one reporter's theme as a problem of that
 * organization. It lands in the organization's problem inbox with the comment count and the quotes as its source;
 * the secretary accepts it (转为整改事项, the inbox's own path), merges it into an existing item, or rejects it.
 */
export async function createDraft(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: { orgId: number; themeId: number; roundId?: number | null },
) {
  return db.transaction(async (tx) => {
    const campaign = await campaignOf(tx, campaignId, user);
    assertOrganizer(user, campaign.organizerPath);
    const job = await latestJob(tx, campaignId, input.roundId ?? null, true);
    // A county-wide job holds the townships' reporters too: the draft goes to the reporter's own round and inbox.
    const named = Object.values(job?.result?.reporterNames ?? {}).find((n) => n.orgId === input.orgId);
    const reporterCampaignId = named?.campaignId ?? campaignId;
    const rep = await requireReporter(tx, reporterCampaignId, input.orgId);
    await lockReporterRow(tx, rep.id);
    const theme = job?.result?.reporters[String(rep.id)]?.themes.find((t) => t.id === input.themeId);
    if (!job || !theme) throw notFound('意见主题');
    const [existing] = await tx
      .select({ id: themeDrafts.id })
      .from(themeDrafts)
      .where(
        and(
          eq(themeDrafts.reporterId, rep.id),
          eq(themeDrafts.label, theme.label),
          sql`${themeDrafts.state} <> 'rejected'`,
        ),
      );
    if (existing) throw new AppError('ALREADY_DRAFT');
    const row = (
      await tx
        .insert(themeDrafts)
        .values({
          campaignId: reporterCampaignId,
          orgId: input.orgId,
          reporterId: rep.id,
          jobId: job.id,
          themeId: theme.id,
          label: theme.label,
          commentCount: theme.count,
          quotes: theme.quotes,
          createdBy: user.id,
          createdAt: actor.at,
        })
        .returning({ id: themeDrafts.id })
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'themes.draft.create',
      targetType: 'theme_draft',
      targetId: row.id,
      scopePath: rep.orgPath,
      detail: {
        campaignId: reporterCampaignId,
        jobCampaignId: campaignId,
        orgId: input.orgId,
        label: theme.label,
        count: theme.count,
      },
    });
    return { id: row.id, key: `comment_theme:${row.id}` };
  });
}

async function loadDraft(tx: DbOrTx, user: AuthUser, id: number) {
  const [d] = await queryRows<{ id: number; campaignId: number; orgId: number; orgPath: string; state: string }>(
    tx,
    sql`
    select d.id, d.campaign_id as "campaignId", d.org_id as "orgId", o.path as "orgPath", d.state
    from theme_drafts d join organizations_v_units o on o.id = d.org_id where d.id = ${id} for update of d`,
  );
  if (!d) throw notFound('整改事项草稿');
  await campaignOf(tx, d.campaignId, user);
  assertKeepItems(user, { orgId: d.orgId, orgPath: d.orgPath });
  const item = await itemFromSource(tx, 'comment_theme', id);
  if (d.state !== 'pending' || item) throw new AppError('DRAFT_DECIDED');
  return d;
}

/** Folds the theme into an existing item of the same organization: the item keeps its words, the draft points at it. */
export async function mergeDraft(db: Db, user: AuthUser, actor: AuditActor, id: number, itemId: number) {
  return db.transaction(async (tx) => {
    const d = await loadDraft(tx, user, id);
    const item = await itemRef(tx, itemId);
    if (!item || item.orgId !== d.orgId || item.campaignId !== d.campaignId) throw notFound('整改事项');
    await tx
      .update(themeDrafts)
      .set({ state: 'merged', mergedItemId: itemId, decidedBy: user.id, decidedAt: actor.at })
      .where(eq(themeDrafts.id, id));
    await writeAudit(tx, actor, {
      action: 'themes.draft.merge',
      targetType: 'theme_draft',
      targetId: id,
      scopePath: d.orgPath,
      detail: { itemId },
    });
    return { ok: true as const };
  });
}

export async function rejectDraft(db: Db, user: AuthUser, actor: AuditActor, id: number, reason: string) {
  if (!reason.trim()) throw new AppError('VALIDATION', '请填写不采纳的理由', { field: 'reason' });
  return db.transaction(async (tx) => {
    const d = await loadDraft(tx, user, id);
    await tx
      .update(themeDrafts)
      .set({ state: 'rejected', decisionNote: reason.trim(), decidedBy: user.id, decidedAt: actor.at })
      .where(eq(themeDrafts.id, id));
    await writeAudit(tx, actor, {
      action: 'themes.draft.reject',
      targetType: 'theme_draft',
      targetId: id,
      scopePath: d.orgPath,
      detail: { reason: reason.trim() },
    });
    return { ok: true as const };
  });
}
