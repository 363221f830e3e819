/**
 * Attachments stored before decision 021 kept their bytes in report_attachments.content. At start-up each such row is
 * written to the file store and its bytes cleared, one row at a time (a row is at most the old 200 MB limit). Safe to
 * run in several processes at once: the file name is the content's hash and the row is only cleared where still set.
 */
import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/connect';
import { reportAttachments } from '../db/schema';
import type { FileStore } from './file-store';

/**
 * Rows whose file is not in the store: a FILES_DIR left unset or wrong after an upgrade or a move shows at start-up
 * (main.ts prints it), not as failing downloads weeks later.
 */
export async function missingAttachmentFiles(db: Db, files: FileStore): Promise<number> {
  const rows = await db
    .selectDistinct({ sha256: reportAttachments.sha256 })
    .from(reportAttachments)
    .where(isNotNull(reportAttachments.sha256));
  return rows.filter((r) => !files.has(r.sha256!)).length;
}

export async function moveLegacyAttachments(db: Db, files: FileStore): Promise<number> {
  const pending = await db
    .select({ id: reportAttachments.id })
    .from(reportAttachments)
    .where(isNotNull(reportAttachments.content));
  let moved = 0;
  for (const { id } of pending) {
    const [row] = await db
      .select({ content: reportAttachments.content })
      .from(reportAttachments)
      .where(eq(reportAttachments.id, id));
    if (!row?.content) continue;
    const sha256 = createHash('sha256').update(row.content).digest('hex');
    const tmp = path.join(files.incoming, randomUUID());
    await writeFile(tmp, row.content, { flag: 'wx', mode: 0o600 });
    await files.put(tmp, sha256);
    await db
      .update(reportAttachments)
      .set({ sha256, content: null })
      .where(and(eq(reportAttachments.id, id), isNotNull(reportAttachments.content)));
    moved++;
  }
  return moved;
}
