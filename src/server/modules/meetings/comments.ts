import { and, eq, isNull } from 'drizzle-orm';
import type { CommentKind } from '../../../domain/meeting-agenda';
import { AppError, notFound } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { meetingAgendaItems, meetingComments } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertComment } from './policy';
import { assertOpen, getMeeting } from './repo';
import { assertPhaseOpen } from '../campaigns/phase-gate';

export interface CommentInput {
  agendaItemId: number | null;
  kind: CommentKind;
  authorName: string;
  authorRole: string;
  body: string;
}

/**
 * 点评, 提问 and 回答 per reporter (R-MEET-3), by the presiding secretary or other members, entered by
 * staff at the meeting. Editable until the meeting closes; every version is in the audit log.
 */
export async function addComment(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  meetingId: number,
  input: CommentInput,
) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, meetingId, { viewer: user });
    assertComment(user, campaign.organizerPath);
    assertOpen(meeting);
    await assertPhaseOpen(tx, meeting.campaignId, 'meeting.run', actor.at);
    if (input.agendaItemId != null) {
      const [item] = await tx
        .select({ id: meetingAgendaItems.id })
        .from(meetingAgendaItems)
        .where(and(eq(meetingAgendaItems.id, input.agendaItemId), eq(meetingAgendaItems.meetingId, meetingId)));
      if (!item) throw new AppError('VALIDATION', '所选述职对象不在本次会议议程中', { field: 'agendaItemId' });
    }
    const row = (
      await tx
        .insert(meetingComments)
        .values({
          meetingId,
          ...input,
          createdBy: user.id,
          createdAt: actor.at,
          updatedBy: user.id,
          updatedAt: actor.at,
        })
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'meeting.comment.add',
      targetType: 'meeting_comment',
      targetId: row.id,
      scopePath: campaign.organizerPath,
      detail: { meetingId, ...input },
    });
    return row;
  });
}

async function loadComment(tx: DbOrTx, user: AuthUser, meetingId: number, commentId: number, at: Date) {
  const { meeting, campaign } = await getMeeting(tx, meetingId, { viewer: user });
  assertComment(user, campaign.organizerPath);
  const [row] = await tx
    .select()
    .from(meetingComments)
    .where(
      and(
        eq(meetingComments.id, commentId),
        eq(meetingComments.meetingId, meetingId),
        isNull(meetingComments.deletedAt),
      ),
    )
    .for('no key update');
  if (!row) throw notFound('点评记录');
  assertOpen(meeting);
  await assertPhaseOpen(tx, meeting.campaignId, 'meeting.run', at);
  return { row, campaign };
}

export async function editComment(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  meetingId: number,
  commentId: number,
  input: Partial<Omit<CommentInput, 'agendaItemId'>>,
) {
  return db.transaction(async (tx) => {
    const { row, campaign } = await loadComment(tx, user, meetingId, commentId, actor.at);
    const changes = Object.fromEntries(
      Object.entries(input)
        .filter(([k, v]) => v !== undefined && v !== row[k as keyof typeof row])
        .map(([k, v]) => [k, { from: row[k as keyof typeof row], to: v }]),
    );
    const after = (
      await tx
        .update(meetingComments)
        .set({ ...input, updatedBy: user.id, updatedAt: actor.at })
        .where(eq(meetingComments.id, commentId))
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'meeting.comment.edit',
      targetType: 'meeting_comment',
      targetId: commentId,
      scopePath: campaign.organizerPath,
      detail: { meetingId, changes },
    });
    return after;
  });
}

export async function deleteComment(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  meetingId: number,
  commentId: number,
) {
  await db.transaction(async (tx) => {
    const { row, campaign } = await loadComment(tx, user, meetingId, commentId, actor.at);
    await tx
      .update(meetingComments)
      .set({ deletedAt: actor.at, updatedBy: user.id, updatedAt: actor.at })
      .where(eq(meetingComments.id, commentId));
    await writeAudit(tx, actor, {
      action: 'meeting.comment.delete',
      targetType: 'meeting_comment',
      targetId: commentId,
      scopePath: campaign.organizerPath,
      detail: { meetingId, kind: row.kind, authorName: row.authorName, body: row.body },
    });
  });
}
