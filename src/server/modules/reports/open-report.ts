import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { reports } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertActor, isReviewer } from './policy';
import { findReportByReporter, loadReporter, scopeOf } from './repo';
import { assertPhaseOpen } from '../campaigns/phase-gate';

/**
 * The report of a reporter, started as an empty draft the first time its secretary opens the task
 * "撰写述职报告". Reviewers get the id of an existing report only.
 */
export async function openReport(db: DbOrTx, user: AuthUser, actor: AuditActor, reporterId: number): Promise<number> {
  return db.transaction(async (tx) => {
    const ctx = await loadReporter(tx, reporterId, user);
    const scope = scopeOf(ctx);
    const existing = await findReportByReporter(tx, reporterId);
    if (existing) {
      if (!isReviewer(user, scope)) assertActor(user, scope, 'author');
      return existing.id;
    }
    if (isReviewer(user, scope)) throw new AppError('NOT_FOUND', '该组织尚未开始编写述职报告');
    assertActor(user, scope, 'author');
    if (ctx.campaignState !== 'published') throw new AppError('CAMPAIGN_NOT_OPEN');
    if (ctx.removed) throw new AppError('REPORTER_REMOVED', '本组织已从述职范围中移出，无需编写述职报告');
    await assertPhaseOpen(tx, ctx.campaignId, 'report.write', actor.at);
    const [row] = await tx
      .insert(reports)
      .values({ reporterId, campaignId: ctx.campaignId, orgId: ctx.orgId, createdAt: actor.at, updatedAt: actor.at })
      .onConflictDoNothing()
      .returning({ id: reports.id });
    // A second tab opening at the same moment lost the race; the row exists now.
    const id = row?.id ?? (await findReportByReporter(tx, reporterId))!.id;
    if (row)
      await writeAudit(tx, actor, {
        action: 'report.create',
        targetType: 'report',
        targetId: id,
        scopePath: ctx.orgPath,
        detail: { reporterId },
      });
    return id;
  });
}
