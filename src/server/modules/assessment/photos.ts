import { assertPhaseOpen } from '../campaigns/phase-gate';
import { eq, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { type DbOrTx, queryRows } from '../../db/connect';
import { fieldScorePhotos } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertNotArchived, assertScore, assertViewReporter } from './policy';
import { getReporterCtx, isTeamMember } from './repo';

export const PHOTOS_PER_SCORE = 5;

/** The type is read from the bytes, not trusted from the upload's name or header. */
export function photoType(content: Buffer): string | null {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (
    content.length >= 8 &&
    content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (
    content.length >= 12 &&
    content.subarray(0, 4).toString('latin1') === 'RIFF' &&
    content.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}

/** A photo for an item already scored (the phone sends the score first, so the photo has a row to hang on). */
export async function addPhoto(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  reporterId: number,
  itemId: number,
  file: { name: string; content: Buffer },
) {
  const mimeType = photoType(file.content);
  if (!mimeType) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '照片只能是 JPG、PNG 或 WebP 格式', { field: 'file' });
  return db.transaction(async (tx) => {
    const ctx = await getReporterCtx(tx, reporterId, user);
    assertScore(user, await isTeamMember(tx, ctx.teamId, user.id));
    assertNotArchived(ctx.campaign);
    if (ctx.completedAt)
      throw new AppError('ASSESSMENT_COMPLETED', `${ctx.orgName}的实地考核已提交，如需修改请组织部门退回`);
    await assertPhaseOpen(tx, ctx.campaignId, 'field.score', actor.at);
    const [score] = await queryRows<{ id: number; photos: number }>(
      tx,
      sql`
      select f.id, (select count(*)::int from field_score_photos p where p.score_id = f.id and p.removed_at is null) as photos
      from field_scores f where f.reporter_id = ${reporterId} and f.item_id = ${itemId}`,
    );
    if (!score) throw new AppError('VALIDATION', '请先为该项评分，再上传照片', { field: 'itemId' });
    if (score.photos >= PHOTOS_PER_SCORE)
      throw new AppError('TOO_MANY_PHOTOS', `每个考核项目最多上传${PHOTOS_PER_SCORE}张照片`);
    const row = (
      await tx
        .insert(fieldScorePhotos)
        .values({
          scoreId: score.id,
          fileName: (file.name || 'photo').slice(0, 200),
          mimeType,
          size: file.content.length,
          content: file.content,
          uploadedBy: user.id,
          createdAt: actor.at,
        })
        .returning({ id: fieldScorePhotos.id })
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'assessment.photo.add',
      targetType: 'campaign_reporter',
      targetId: reporterId,
      scopePath: ctx.orgPath,
      detail: { itemId, scoreId: score.id, photoId: row.id, size: file.content.length, mimeType },
    });
    return { id: row.id, fileName: file.name, size: file.content.length };
  });
}

export async function readPhoto(db: DbOrTx, user: AuthUser, reporterId: number, photoId: number) {
  const ctx = await getReporterCtx(db, reporterId, user);
  assertViewReporter(user, ctx.campaign, await isTeamMember(db, ctx.teamId, user.id));
  const [photo] = await db
    .select({
      mimeType: fieldScorePhotos.mimeType,
      fileName: fieldScorePhotos.fileName,
      content: fieldScorePhotos.content,
      scoreId: fieldScorePhotos.scoreId,
    })
    .from(fieldScorePhotos)
    .where(eq(fieldScorePhotos.id, photoId));
  if (!photo) throw notFound('照片');
  const owner = (
    await queryRows<{ ok: boolean }>(
      db,
      sql`select exists(select 1 from field_scores where id = ${photo.scoreId} and reporter_id = ${reporterId}) as ok`,
    )
  )[0]!;
  if (!owner.ok) throw notFound('照片');
  return photo;
}
