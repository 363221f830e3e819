import { and, eq, inArray, isNull } from 'drizzle-orm';
import { defaultAgenda, planAgenda, type AgendaEntry } from '../../../domain/meeting-agenda';
import { AppError } from '../../../domain/errors';
import type { DbOrTx, Tx } from '../../db/connect';
import { meetingAgendaItems, meetingComments, meetings } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { assertOpen, campaignReporterInfo, getMeeting } from './repo';

/**
 * Replaces the speaker order (R-MEET-1). Items are kept by reporter so comments and speech times
 * stay attached when the order changes; a reporter already commented on cannot be taken off.
 */
export async function setAgenda(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, entries: AgendaEntry[]) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    const reporters = await campaignReporterInfo(tx, campaign.id);
    const planned = planAgenda(
      entries,
      reporters.map((r) => ({ ...r, sortKey: r.orgCode, label: r.orgName })),
      campaign.settings.reporterTiers,
    );
    await writePlan(tx, id, planned, meeting.timerItemId);
    await tx.update(meetings).set({ updatedAt: actor.at }).where(eq(meetings.id, id));
    await writeAudit(tx, actor, {
      action: 'meeting.agenda',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: {
        items: planned.map((p) => ({
          reporterId: p.reporterId,
          writtenOnly: p.writtenOnly,
          minutes: p.speakingMinutes,
        })),
      },
    });
    return planned.length;
  });
}

/** Every active reporter of the campaign in the default order (roster, 下评 last). */
export async function defaultAgendaEntries(db: DbOrTx, campaignId: number): Promise<AgendaEntry[]> {
  const reporters = await campaignReporterInfo(db, campaignId);
  return defaultAgenda(reporters.map((r) => ({ ...r, sortKey: r.orgCode })));
}

async function writePlan(
  tx: Tx | DbOrTx,
  meetingId: number,
  planned: ReturnType<typeof planAgenda>,
  timerItemId: number | null,
) {
  const existing = await tx.select().from(meetingAgendaItems).where(eq(meetingAgendaItems.meetingId, meetingId));
  const keep = new Set(planned.map((p) => p.reporterId));
  const dropped = existing.filter((e) => !keep.has(e.reporterId));
  if (dropped.length) {
    const ids = dropped.map((d) => d.id);
    const [commented] = await tx
      .select({ id: meetingComments.agendaItemId })
      .from(meetingComments)
      .where(and(inArray(meetingComments.agendaItemId, ids), isNull(meetingComments.deletedAt)))
      .limit(1);
    if (commented)
      throw new AppError('AGENDA_ITEM_HAS_COMMENTS', '已有点评记录的述职对象不能移出议程', { field: 'items' });
    if (timerItemId != null && ids.includes(timerItemId)) {
      throw new AppError('AGENDA_ITEM_SPEAKING', '正在发言的述职对象不能移出议程', { field: 'items' });
    }
    // Withdrawn comments still reference the item; they go with it.
    await tx.delete(meetingComments).where(inArray(meetingComments.agendaItemId, ids));
    await tx.delete(meetingAgendaItems).where(inArray(meetingAgendaItems.id, ids));
  }
  const byReporter = new Map(existing.map((e) => [e.reporterId, e]));
  for (const p of planned) {
    const e = byReporter.get(p.reporterId);
    if (e) {
      await tx
        .update(meetingAgendaItems)
        .set({ position: p.position, writtenOnly: p.writtenOnly, speakingMinutes: p.speakingMinutes })
        .where(eq(meetingAgendaItems.id, e.id));
    } else {
      await tx.insert(meetingAgendaItems).values({ meetingId, ...p });
    }
  }
}
