import type { ReportSection } from '../../../domain/report-checks';
import { thousands } from '../../../domain/numbers';
import type { DbOrTx } from '../../db/connect';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { FAR_OVER_LIMIT, farOverLimit, parseReportDocxOffThread, reportTooLong } from './docx-import';
import type { ReporterContext } from './repo';
import { MAX_SECTION_HTML, MAX_SECTION_TEXT } from './schemas';
import { assertEditable, checkAuthor, freezeVersion, lockForAuthor, writeSections } from './save-report';
import { countReport, orderSections, sectionSlots, sectionSpecs } from './sections';

const n = thousands;
const charLimitOf = (ctx: ReporterContext) =>
  ctx.settings.reporterTiers.find((t) => t.key === ctx.tierKey)?.charLimit ?? null;

/**
 * What the import may store: what a save may (MAX_SECTION_TEXT, MAX_SECTION_HTML — the report page reads and saves
 * it back), and no more than FAR_OVER_LIMIT times the 字数 limit of the reporter's tier (the worker refused a text far
 * over it before parsing; this is the exact count of what would be stored).
 */
function checkImportedSize(sections: ReportSection[], ctx: ReporterContext) {
  const charLimit = charLimitOf(ctx);
  const count = countReport(sections);
  if (charLimit !== null && count > FAR_OVER_LIMIT * charLimit) throw farOverLimit(count, charLimit);
  for (const s of sections) {
    const name = s.title || (s.key === 'preamble' ? '开头' : s.key);
    if (s.text.length > MAX_SECTION_TEXT) {
      throw reportTooLong(
        `导入的「${name}」部分共${n(s.text.length)}个字符，超过单个部分${n(MAX_SECTION_TEXT)}个字符的上限`,
        { count, section: s.key },
      );
    }
    if ((s.html?.length ?? 0) > MAX_SECTION_HTML) {
      throw reportTooLong(
        `导入的「${name}」部分格式内容过多（${n(s.html!.length)}个字符，上限${n(MAX_SECTION_HTML)}）`,
        { count, section: s.key },
      );
    }
  }
}

/**
 * R-REP-6: the Word file the secretary already wrote replaces the working copy and is kept as a
 * version of its own. The file is checked and parsed before anything is written — off this thread and outside any
 * transaction (decision 021) — so a bad file changes nothing and a slow one holds nothing.
 */
export async function uploadReportDocx(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  file: Buffer,
  fileName: string,
  today: string,
) {
  const { ctx: before } = await checkAuthor(db, user, id, actor.at);
  const parsed = await parseReportDocxOffThread(file, fileName, sectionSpecs(before.settings), charLimitOf(before));
  return db.transaction(async (tx) => {
    const { row, ctx } = await lockForAuthor(tx, user, id, actor.at);
    assertEditable(row);
    const sections = orderSections(parsed.sections, sectionSlots(ctx.settings, true));
    checkImportedSize(sections, ctx);
    const { charCount } = await writeSections(tx, ctx, row, sections, today, actor.at);
    const versionNo = await freezeVersion(tx, row, {
      reason: 'upload',
      sections,
      charCount,
      unknownHeadings: parsed.unknownHeadings,
      fileName,
      userId: user.id,
      at: actor.at,
    });
    await writeAudit(tx, actor, {
      action: 'report.upload_docx',
      targetType: 'report',
      targetId: id,
      scopePath: ctx.orgPath,
      detail: {
        fileName,
        size: file.length,
        versionNo,
        sections: sections.map((s) => s.key),
        unknownHeadings: parsed.unknownHeadings,
      },
    });
    return {
      versionNo,
      charCount,
      sections: sections.map((s) => ({ key: s.key, title: s.title })),
      unknownHeadings: parsed.unknownHeadings,
    };
  });
}
