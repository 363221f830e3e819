import { and, eq } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import type { ReportSection } from '../../../domain/report-checks';
import { diffTexts, sideBySide } from '../../../domain/text-diff';
import type { DbOrTx } from '../../db/connect';
import { reportVersions } from '../../db/schema';
import type { AuthUser } from '../../http/context';
import { assertReadReport } from './policy';
import { getReportRow, loadReporter, readScopeOf } from './repo';
import { reportText, usedSections } from './sections';
import { readTogether } from '../../db/parallel';
import { hideOffBranch } from '../../http/scope';

/**
 * The report and its reporter as a reader may load them: a report published to the public (社会公开) exists for every
 * signed-in user; any other off the reader's branch of the tree is not found, like a missing id (issue 15).
 */
export async function loadForReading(db: DbOrTx, user: AuthUser, id: number) {
  const row = await getReportRow(db, id);
  const ctx = await loadReporter(db, row.reporterId);
  if (!(row.publishedAt !== null && ctx.settings.report.publicationAudience === 'public')) {
    hideOffBranch(user, [ctx.orgPath, ctx.reportToPath, ctx.organizerPath], '述职报告');
  }
  return { row, ctx };
}

export async function readableReport(db: DbOrTx, user: AuthUser, id: number) {
  const { row, ctx } = await loadForReading(db, user, id);
  assertReadReport(user, await readScopeOf(db, ctx, user.role === 'secretary' ? user.orgId : null), {
    everSubmitted: row.submittedAt !== null,
    published: row.publishedAt !== null,
    audience: ctx.settings.report.publicationAudience,
  });
  return { row, ctx };
}

export async function loadVersion(db: DbOrTx, reportId: number, versionNo: number) {
  const [v] = await db
    .select()
    .from(reportVersions)
    .where(and(eq(reportVersions.reportId, reportId), eq(reportVersions.versionNo, versionNo)));
  if (!v) throw notFound(`第${versionNo}版`);
  return v;
}

/** Sentence-level side-by-side diff of two versions (text-diff.ts); `to` 0 means the working copy. */
export async function compareVersions(db: DbOrTx, user: AuthUser, id: number, from: number, to: number) {
  const { row } = await readableReport(db, user, id);
  if (from === to) throw new AppError('VALIDATION', '请选择两个不同的版本进行比较', { field: 'to' });
  const text = async (n: number) => {
    if (n === 0) return reportText(usedSections(row.sections as ReportSection[]));
    return reportText(usedSections((await loadVersion(db, id, n)).sections as ReportSection[]));
  };
  const [a, b] = await readTogether(db, [() => text(from), () => text(to)] as const);
  const rows = sideBySide(diffTexts(a, b));
  return { from, to, rows, changed: rows.filter((r) => r.kind !== 'same').length };
}
