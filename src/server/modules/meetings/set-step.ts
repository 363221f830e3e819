import { eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { pauseTimer, selectSpeaker } from '../../../domain/meeting-timer';
import { type CommentMode, nextInFlow, stepLabel, type MeetingStep } from '../../../domain/meeting-agenda';
import { meetingAgendaItems } from '../../db/schema';
import type { DbOrTx } from '../../db/connect';
import { meetings } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { agendaItems, assertOpen, getMeeting, timerColumns, timerOf } from './repo';
import { assertPhaseOpen } from '../campaigns/phase-gate';

/** The agenda step on the projector (R-MEET-1); setting one opens the meeting. */
export async function setStep(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, step: MeetingStep) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    await assertPhaseOpen(tx, meeting.campaignId, 'meeting.run', actor.at);
    const [row] = await tx
      .update(meetings)
      .set({ currentStep: step, state: 'in_progress', updatedAt: actor.at })
      .where(eq(meetings.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'meeting.step',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { from: meeting.currentStep, to: step, label: stepLabel(step) },
    });
    return row;
  });
}

/**
 * 下一项 on the console (R-MEET-1): moves to the next stop of the meeting's flow — 一述一评: a speech, then its 点评,
 * then the next speaker; 集中点评: every speech, the questions, then the 点评 one by one — and on to rating, guidance
 * and summary. Leaving a speech records its end; a new speaker's clock waits at zero for the chair to start it.
 */
export async function advanceMeeting(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    await assertPhaseOpen(tx, meeting.campaignId, 'meeting.run', actor.at);
    const items = await agendaItems(tx, id);
    const before = timerOf(meeting);
    const mode = meeting.commentMode as CommentMode;
    const next = nextInFlow(mode, items, { step: meeting.currentStep, itemId: before.itemId });
    if (!next) throw new AppError('FLOW_END', items.length ? '议程已全部进行完毕' : '请先安排会议议程');
    if (meeting.currentStep === 'reports' && before.itemId != null && before.status !== 'idle') {
      await tx
        .update(meetingAgendaItems)
        .set({ speechEndedAt: actor.at })
        .where(eq(meetingAgendaItems.id, before.itemId));
    }
    const [row] = await tx
      .update(meetings)
      .set({
        currentStep: next.step,
        state: 'in_progress',
        ...timerColumns(selectSpeaker(next.itemId)),
        updatedAt: actor.at,
      })
      .where(eq(meetings.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'meeting.advance',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: {
        mode,
        from: { step: meeting.currentStep, itemId: before.itemId },
        to: next,
        label: stepLabel(next.step),
      },
    });
    return row;
  });
}

/** Ends the meeting: the record (comments, attendance, agenda) is final from here on. Not phase-gated: ending is never new work. */
export async function closeMeeting(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    const timer = pauseTimer(timerOf(meeting), actor.at);
    const [row] = await tx
      .update(meetings)
      .set({ state: 'closed', closedAt: actor.at, updatedAt: actor.at, ...timerColumns(timer) })
      .where(eq(meetings.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'meeting.close',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
    });
    return row;
  });
}
