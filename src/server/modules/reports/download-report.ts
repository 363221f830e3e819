import type { ReportSection } from '../../../domain/report-checks';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { loadVersion, readableReport } from './compare-versions';
import { buildReportDocx } from './report-docx';
import { secretaryOf } from './repo';
import { countReport, orderSections, sectionSlots } from './sections';
import { shanghaiDate } from '../../../domain/calendar';

/** A version (0: the working copy) as a 公文-layout .docx (R-REP-6). */
export async function downloadReport(db: DbOrTx, user: AuthUser, id: number, versionNo: number, now: Date) {
  const { row, ctx } = await readableReport(db, user, id);
  let sections = row.sections as ReportSection[];
  let date = shanghaiDate(now);
  if (versionNo > 0) {
    const v = await loadVersion(db, id, versionNo);
    sections = v.sections as ReportSection[];
    date = shanghaiDate(v.createdAt);
  }
  sections = orderSections(sections, sectionSlots(ctx.settings, true)).filter((s) => s.text.trim());
  const secretary = await secretaryOf(db, ctx);
  const buffer = await buildReportDocx({
    title: `${ctx.orgName}书记抓基层党建工作述职报告`,
    subtitle: row.onBehalf ? '（代表党组织述职）' : undefined,
    sections,
    signature: secretary ? `${ctx.orgName}书记  ${secretary.name}` : ctx.orgName,
    date,
    charCount: countReport(sections),
  });
  const suffix = versionNo > 0 ? `第${versionNo}版` : '当前稿';
  return { buffer, fileName: `${ctx.orgName}述职报告（${suffix}）.docx` };
}
