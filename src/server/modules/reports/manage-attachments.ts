import { and, eq, isNull, sql } from 'drizzle-orm';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { AppError, notFound } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { reportAttachments } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import type { UploadKind } from '../../uploads/receive';
import { readableReport } from './compare-versions';
import { assertEditable, lockForAuthor } from './save-report';

/** Whatever the campaign allows, one file stays below this (decision 008; streamed to disk since decision 021). */
export const MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

// Slides and video (002: 可以附加播放视频短片、幻灯片), plus the usual office and image files.
const ALLOWED = /\.(pptx?|pdf|docx?|xlsx?|mp4|m4v|mov|avi|wmv|mkv|webm|mp3|jpe?g|png|gif)$/i;

export const attachmentLimitBytes = (maxSizeMb: number) =>
  Math.min(Math.floor(maxSizeMb * 1024 * 1024), MAX_ATTACHMENT_BYTES);

/** The campaign's size limit as an upload kind, known before the upload is read. */
export function attachmentUploadKind(settings: CampaignSettings): UploadKind {
  const a = settings.report.attachments;
  if (!a.allowed) throw new AppError('ATTACHMENTS_NOT_ALLOWED');
  return { what: '附件', maxBytes: attachmentLimitBytes(a.maxSizeMb), source: '本次述职评议考核的设置' };
}

/** What can be told from the upload alone, checked before the file is kept. */
export function checkAttachmentFile(file: { name: string; size: number }) {
  if (file.size === 0) throw new AppError('VALIDATION', '附件是空文件', { field: 'file' });
  if (!ALLOWED.test(file.name)) {
    throw new AppError('VALIDATION', '附件类型不支持：可上传幻灯片（ppt/pptx/pdf）、视频（mp4/mov等）、文档或图片', {
      field: 'file',
    });
  }
}

/** Records an attachment whose bytes are already in the file store under `sha256`. */
export async function addAttachment(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  file: { name: string; mimeType: string; size: number; sha256: string },
) {
  checkAttachmentFile(file);
  return db.transaction(async (tx) => {
    const { row, ctx } = await lockForAuthor(tx, user, id, actor.at);
    assertEditable(row);
    const a = ctx.settings.report.attachments;
    if (!a.allowed) throw new AppError('ATTACHMENTS_NOT_ALLOWED');
    if (file.size > attachmentLimitBytes(a.maxSizeMb)) {
      throw new AppError('PAYLOAD_TOO_LARGE', `附件不能超过${a.maxSizeMb}MB`, { field: 'file' });
    }
    const { n } = (
      await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(reportAttachments)
        .where(and(eq(reportAttachments.reportId, id), isNull(reportAttachments.removedAt)))
    )[0]!;
    if (Number(n) >= MAX_ATTACHMENTS)
      throw new AppError('TOO_MANY_ATTACHMENTS', `每份述职报告最多${MAX_ATTACHMENTS}个附件`);
    const saved = (
      await tx
        .insert(reportAttachments)
        .values({
          reportId: id,
          fileName: file.name.slice(0, 200),
          mimeType: file.mimeType || 'application/octet-stream',
          size: file.size,
          sha256: file.sha256,
          uploadedBy: user.id,
          createdAt: actor.at,
        })
        .returning({ id: reportAttachments.id, fileName: reportAttachments.fileName, size: reportAttachments.size })
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'report.attachment_add',
      targetType: 'report',
      targetId: id,
      scopePath: ctx.orgPath,
      detail: { attachmentId: saved.id, fileName: saved.fileName, size: saved.size, sha256: file.sha256 },
    });
    return saved;
  });
}

export async function removeAttachment(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  attachmentId: number,
) {
  return db.transaction(async (tx) => {
    const { row, ctx } = await lockForAuthor(tx, user, id, actor.at);
    assertEditable(row);
    const [gone] = await tx
      .update(reportAttachments)
      .set({ removedAt: actor.at })
      .where(
        and(
          eq(reportAttachments.id, attachmentId),
          eq(reportAttachments.reportId, id),
          isNull(reportAttachments.removedAt),
        ),
      )
      .returning({ fileName: reportAttachments.fileName });
    if (!gone) throw notFound('附件');
    await writeAudit(tx, actor, {
      action: 'report.attachment_remove',
      targetType: 'report',
      targetId: id,
      scopePath: ctx.orgPath,
      detail: { attachmentId, fileName: gone.fileName },
    });
  });
}

/** The attachment's row (without bytes: they are read from the file store by `sha256`). */
export async function readAttachment(db: DbOrTx, user: AuthUser, id: number, attachmentId: number) {
  await readableReport(db, user, id);
  const [a] = await db
    .select({
      fileName: reportAttachments.fileName,
      mimeType: reportAttachments.mimeType,
      size: reportAttachments.size,
      sha256: reportAttachments.sha256,
    })
    .from(reportAttachments)
    .where(
      and(
        eq(reportAttachments.id, attachmentId),
        eq(reportAttachments.reportId, id),
        isNull(reportAttachments.removedAt),
      ),
    );
  // No hash: a row from before decision 021 that the start-up move has not reached (it runs before the server listens).
  if (!a?.sha256) throw notFound('附件');
  return { ...a, sha256: a.sha256 };
}
