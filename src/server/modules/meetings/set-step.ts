import { eq } from 'drizzle-orm';
import { pauseTimer } from '../../../domain/meeting-timer';
import { stepLabel, type MeetingStep } from '../../../domain/meeting-agenda';
import type { DbOrTx } from '../../db/connect';
import { meetings } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { assertOpen, getMeeting, timerColumns, timerOf } from './repo';
import { assertPhaseOpen } from '../campaigns/phase-gate';

/** The agenda step on the projector (R-MEET-1); setting one opens the meeting. */
export async function setStep(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, step: MeetingStep) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    await assertPhaseOpen(tx, meeting.campaignId, 'meeting.run', actor.at);
    const [row] = await tx.update(meetings)
      .set({ currentStep: step, state: 'in_progress', updatedAt: actor.at })
      .where(eq(meetings.id, id)).returning();
    await writeAudit(tx, actor, {
      action: 'meeting.step', targetType: 'meeting', targetId: id, scopePath: campaign.organizerPath,
      detail: { from: meeting.currentStep, to: step, label: stepLabel(step) },
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
    const [row] = await tx.update(meetings)
      .set({ state: 'closed', closedAt: actor.at, updatedAt: actor.at, ...timerColumns(timer) })
      .where(eq(meetings.id, id)).returning();
    await writeAudit(tx, actor, { action: 'meeting.close', targetType: 'meeting', targetId: id, scopePath: campaign.organizerPath });
    return row;
  });
}
