import { and, eq, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { rectificationEvidence } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertKeepItems, assertReadItems } from './policy';
import { loadItem } from './repo';

export const MAX_EVIDENCE_FILES = 20;
const ALLOWED = /\.(pdf|jpe?g|png|gif|webp|heic|docx?|xlsx?|pptx?)$/i;

/** 佐证材料 for an item (R-FIX-2), optionally tied to one progress note. */
export async function addEvidence(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  file: { name: string; mimeType: string; content: Buffer },
  progressId?: number,
) {
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, id, true, user);
    assertKeepItems(user, item);
    if (item.status === 'closed') throw new AppError('ITEM_CLOSED', '已销号的整改事项不能再上传佐证材料');
    if (file.content.length === 0) throw new AppError('VALIDATION', '佐证材料是空文件', { field: 'file' });
    if (!ALLOWED.test(file.name)) {
      throw new AppError('VALIDATION', '佐证材料类型不支持：可上传图片（jpg/png等）、PDF或Office文档', {
        field: 'file',
      });
    }
    if (progressId) {
      const [p] = await queryRows<{ id: number }>(
        tx,
        sql`select id from rectification_progress where id = ${progressId} and item_id = ${id}`,
      );
      if (!p) throw notFound('进展记录');
    }
    const { n } = (
      await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from rectification_evidence where item_id = ${id}`,
      )
    )[0]!;
    if (n >= MAX_EVIDENCE_FILES)
      throw new AppError('TOO_MANY_FILES', `每个整改事项最多${MAX_EVIDENCE_FILES}个佐证材料`);
    const saved = (
      await tx
        .insert(rectificationEvidence)
        .values({
          itemId: id,
          progressId: progressId ?? null,
          fileName: file.name.slice(0, 200),
          mimeType: file.mimeType || 'application/octet-stream',
          size: file.content.length,
          content: file.content,
          uploadedBy: user.id,
          createdAt: actor.at,
        })
        .returning({
          id: rectificationEvidence.id,
          fileName: rectificationEvidence.fileName,
          size: rectificationEvidence.size,
        })
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'rectification.evidence.add',
      targetType: 'rectification_item',
      targetId: id,
      scopePath: item.orgPath,
      detail: { evidenceId: saved.id, fileName: saved.fileName, size: saved.size, progressId: progressId ?? null },
    });
    return saved;
  });
}

export async function readEvidence(db: DbOrTx, user: AuthUser, id: number, evidenceId: number) {
  const item = await loadItem(db, id, false, user);
  assertReadItems(user, item);
  const [e] = await db
    .select()
    .from(rectificationEvidence)
    .where(and(eq(rectificationEvidence.id, evidenceId), eq(rectificationEvidence.itemId, id)));
  if (!e) throw notFound('佐证材料');
  return e;
}
