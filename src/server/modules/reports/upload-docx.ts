import type { DbOrTx } from '../../db/connect';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { parseReportDocx } from './docx-import';
import { assertEditable, freezeVersion, lockForAuthor, writeSections } from './save-report';
import { orderSections, sectionSlots, sectionSpecs } from './sections';

/**
 * R-REP-6: the Word file the secretary already wrote replaces the working copy and is kept as a
 * version of its own. The file is read before anything is written, so a bad file changes nothing.
 */
export async function uploadReportDocx(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, file: Buffer, fileName: string, today: string) {
  return db.transaction(async (tx) => {
    const { row, ctx } = await lockForAuthor(tx, user, id, actor.at);
    assertEditable(row);
    const parsed = await parseReportDocx(file, fileName, sectionSpecs(ctx.settings));
    const sections = orderSections(parsed.sections, sectionSlots(ctx.settings, true));
    const { charCount } = await writeSections(tx, ctx, row, sections, today, actor.at);
    const versionNo = await freezeVersion(tx, row, {
      reason: 'upload', sections, charCount, unknownHeadings: parsed.unknownHeadings, fileName, userId: user.id, at: actor.at,
    });
    await writeAudit(tx, actor, {
      action: 'report.upload_docx', targetType: 'report', targetId: id, scopePath: ctx.orgPath,
      detail: { fileName, size: file.length, versionNo, sections: sections.map((s) => s.key), unknownHeadings: parsed.unknownHeadings },
    });
    return { versionNo, charCount, sections: sections.map((s) => ({ key: s.key, title: s.title })), unknownHeadings: parsed.unknownHeadings };
  });
}
