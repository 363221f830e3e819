import { eq } from 'drizzle-orm';
import { nextSpeaker } from '../../../domain/meeting-agenda';
import { AppError } from '../../../domain/errors';
import { pauseTimer, resetTimer, selectSpeaker, startTimer, type TimerState } from '../../../domain/meeting-timer';
import type { DbOrTx } from '../../db/connect';
import { meetingAgendaItems, meetings } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { agendaItems, assertOpen, getMeeting, timerColumns, timerOf } from './repo';
import { assertPhaseOpen } from '../campaigns/phase-gate';

export type TimerAction = 'select' | 'start' | 'pause' | 'reset' | 'next';

/**
 * Console controls (R-REP-8). The state is written to the meeting row so every screen reads the
 * same clock; selecting the next speaker records when the previous one finished.
 */
export async function controlTimer(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  action: TimerAction,
  itemId?: number,
) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    await assertPhaseOpen(tx, meeting.campaignId, 'meeting.run', actor.at);
    const items = await agendaItems(tx, id);
    const now = actor.at;
    const before = timerOf(meeting);
    let after: TimerState;
    switch (action) {
      case 'start':
        after = startTimer(before, now);
        break;
      case 'pause':
        after = pauseTimer(before, now);
        break;
      case 'reset':
        after = resetTimer(before);
        break;
      case 'next': {
        const next = nextSpeaker(items, before.itemId);
        if (!next) throw new AppError('NO_NEXT_SPEAKER');
        after = selectSpeaker(next.id);
        break;
      }
      case 'select': {
        const item = items.find((i) => i.id === itemId);
        if (!item) throw new AppError('VALIDATION', '请选择本次会议议程中的述职对象', { field: 'itemId' });
        if (item.writtenOnly)
          throw new AppError('WRITTEN_ONLY', `「${item.orgName}」为书面述职，不安排现场发言`, { field: 'itemId' });
        after = selectSpeaker(item.id);
        break;
      }
    }
    if (after === before) return meeting;

    if (before.itemId != null && after.itemId !== before.itemId && before.status !== 'idle') {
      await tx.update(meetingAgendaItems).set({ speechEndedAt: now }).where(eq(meetingAgendaItems.id, before.itemId));
    }
    if (action === 'start') {
      const item = items.find((i) => i.id === after.itemId);
      if (item && !item.speechStartedAt) {
        await tx
          .update(meetingAgendaItems)
          .set({ speechStartedAt: now, speechEndedAt: null })
          .where(eq(meetingAgendaItems.id, item.id));
      }
    }
    // The first speaker opens the meeting: the projector moves from 会前准备 to the reports.
    const opening =
      meeting.state === 'preparing' ? { state: 'in_progress', currentStep: meeting.currentStep ?? 'reports' } : {};
    const row = (
      await tx
        .update(meetings)
        .set({ ...timerColumns(after), ...opening, updatedAt: now })
        .where(eq(meetings.id, id))
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'meeting.timer',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { action, itemId: after.itemId, elapsedMs: after.elapsedMs },
    });
    return row;
  });
}
