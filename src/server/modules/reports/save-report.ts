import { eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { ReportSection } from '../../../domain/report-checks';
import { minhashSignature } from '../../../domain/similarity';
import type { DbOrTx, Tx } from '../../db/connect';
import { reports, reportVersions } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertActor } from './policy';
import { getReportRow, loadReporter, scopeOf, stateOf, type ReporterContext, type ReportRow } from './repo';
import { isEditable, STATE_LABELS } from '../../../domain/report-review';
import { runChecks } from './run-checks';
import { assertPhaseOpen } from '../campaigns/phase-gate';
import type { StepKey } from '../../../domain/phase-gates';
import { normalizeSections } from './rich-text';
import { countReport, reportText, usedSections } from './sections';

/**
 * Loads a report for a change by its author: locked, in a state that can be edited, campaign open, its phase open —
 * 述职报告 for a first draft, or 审核 too for a report sent back (or a late one where the plan allows late reports).
 */
export async function lockForAuthor(tx: Tx, user: AuthUser, id: number, at: Date) {
  return authorContext(tx, user, id, true, at);
}

/**
 * The author's checks without the lock, before an upload is read or parsed (that takes seconds and must not hold the
 * report row, nor — on PGlite — the one connection); lockForAuthor repeats them when writing.
 */
export async function checkAuthor(db: DbOrTx, user: AuthUser, id: number, at: Date) {
  const found = await authorContext(db, user, id, false, at);
  assertEditable(found.row);
  return found;
}

async function authorContext(db: DbOrTx, user: AuthUser, id: number, lock: boolean, at: Date) {
  const row = await getReportRow(db, id, lock);
  const ctx = await loadReporter(db, row.reporterId, user, '述职报告');
  assertActor(user, scopeOf(ctx), 'author');
  if (ctx.campaignState !== 'published')
    throw new AppError('CAMPAIGN_NOT_OPEN', '该述职评议考核未发布或已结束，不能修改述职报告');
  await assertPhaseOpen(
    db,
    ctx.campaignId,
    authorStep(stateOf(row), ctx.settings.report.lateSubmissionAllowed, 'report.write'),
    at,
  );
  return { row, ctx };
}

/** The step an author's change is: writing or submitting a first draft, or revising one sent back (R-CAMP-8). */
export function authorStep(state: string, lateAllowed: boolean, first: 'report.write' | 'report.submit'): StepKey {
  return state === 'draft' && !lateAllowed ? first : 'report.revise';
}

export function assertEditable(row: ReportRow) {
  const state = stateOf(row);
  if (!isEditable(state)) {
    throw new AppError('REPORT_LOCKED', `述职报告当前为「${STATE_LABELS[state]}」，不能修改`);
  }
}

function checkSections(sections: ReportSection[]) {
  const seen = new Set<string>();
  for (const s of sections) {
    if (seen.has(s.key))
      throw new AppError('VALIDATION', `述职报告的「${s.title || s.key}」部分重复`, { field: 'sections' });
    seen.add(s.key);
  }
}

/** Writes the working copy with its 字数, MinHash signature and the on-behalf mark (R-REP-5). */
export async function writeSections(
  tx: DbOrTx,
  ctx: ReporterContext,
  row: ReportRow,
  sections: ReportSection[],
  today: string,
  at: Date,
) {
  checkSections(sections);
  const checks = await runChecks(tx, ctx, row.id, sections, today);
  const used = usedSections(sections);
  const charCount = countReport(sections);
  await tx
    .update(reports)
    .set({
      sections,
      charCount,
      signature: used.length ? Array.from(minhashSignature(reportText(used))) : null,
      onBehalf: checks.onBehalf,
      updatedAt: at,
    })
    .where(eq(reports.id, row.id));
  return { charCount, checks };
}

export async function freezeVersion(
  tx: DbOrTx,
  row: ReportRow,
  v: {
    reason: 'submission' | 'upload';
    sections: ReportSection[];
    charCount: number;
    unknownHeadings?: string[];
    fileName?: string;
    userId: number;
    at: Date;
  },
) {
  const versionNo = row.versionNo + 1;
  await tx.insert(reportVersions).values({
    reportId: row.id,
    versionNo,
    reason: v.reason,
    sections: v.sections,
    charCount: v.charCount,
    unknownHeadings: v.unknownHeadings ?? [],
    fileName: v.fileName ?? null,
    createdBy: v.userId,
    createdAt: v.at,
  });
  await tx.update(reports).set({ versionNo }).where(eq(reports.id, row.id));
  return versionNo;
}

export async function saveReport(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  input: ReportSection[],
  today: string,
) {
  // Sanitized and measured before the transaction: bad input changes nothing.
  const sections = normalizeSections(input);
  return db.transaction(async (tx) => {
    const { row, ctx } = await lockForAuthor(tx, user, id, actor.at);
    assertEditable(row);
    const { charCount } = await writeSections(tx, ctx, row, sections, today, actor.at);
    await writeAudit(tx, actor, {
      action: 'report.save',
      targetType: 'report',
      targetId: id,
      scopePath: ctx.orgPath,
      detail: { charCount },
    });
    return { charCount };
  });
}
