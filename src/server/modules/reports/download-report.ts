import { AppError } from '../../../domain/errors';
import { thousands } from '../../../domain/numbers';
import type { ReportSection } from '../../../domain/report-checks';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { runWorker, WorkerSlots } from '../../uploads/worker';
import { loadVersion, readableReport } from './compare-versions';
import { buildReportDocx, type ReportDocxInput } from './report-docx';
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
  const buffer = await buildDocx({
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

/** Lines (paragraphs, list items, table rows) a report may have for its .docx to be built on the request's thread. */
const INLINE_LINES = 2000;
/**
 * Beyond this no .docx is built: the docx library's memory grows faster than the text (20,000 lines: 100 MB of heap
 * and 2 s; 40,000: over 384 MB). A report of a few thousand 字 has a few hundred lines.
 */
export const MAX_DOCX_LINES = 20_000;
const WORKER = new URL('./report-docx-worker.ts', import.meta.url);
const SLOTS = new WorkerSlots(1, 8);

const tooLarge = (lines: number) =>
  new AppError(
    'REPORT_TOO_LARGE',
    `述职报告共${thousands(lines)}行（段落、列表项和表格行），超过可生成Word文件的上限${thousands(MAX_DOCX_LINES)}行，请删减后再下载`,
  );

/**
 * A report of a few thousand 字 builds in milliseconds, here. A long one (a save allows 30 parts of 100,000
 * characters) took 34 s for 150,000 lines, blocking every other request (once it no longer overflowed the stack): it is
 * built on a worker thread (60 s, 256 MB heap), or refused beyond MAX_DOCX_LINES (decision 021).
 */
async function buildDocx(input: ReportDocxInput): Promise<Buffer> {
  let lines = 0;
  for (const s of input.sections) {
    lines++;
    for (let i = s.text.indexOf('\n'); i >= 0; i = s.text.indexOf('\n', i + 1)) lines++;
  }
  if (lines <= INLINE_LINES) return buildReportDocx(input);
  if (lines > MAX_DOCX_LINES) throw tooLarge(lines);
  const out = await runWorker<Uint8Array>(WORKER, input, {
    timeoutMs: 60_000,
    maxOldGenerationSizeMb: 256,
    tooComplex: () => tooLarge(lines),
    slots: SLOTS,
  });
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
