import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { meetingAttendance, meetings } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { assertOpen, attendanceRows, attendeeRows, getMeeting } from './repo';

export interface AttendanceRowInput {
  categoryKey: string;
  expected: number;
  present: number;
  names?: string | null;
}

/**
 * 应到 / 实到 per category of the campaign's ballot settings (R-MEET-2). A category with a named list counts the list;
 * other counts for it are refused rather than silently kept beside the names.
 */
export async function saveAttendance(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  rows: AttendanceRowInput[],
) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    const categories = new Map(campaign.settings.ballots.categories.map((c) => [c.key, c]));
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const field = `rows.${i}`;
      const cat = categories.get(r.categoryKey);
      if (!cat)
        throw new AppError('VALIDATION', `第${i + 1}行的人员类别不在本次测评设置中`, { field: `${field}.categoryKey` });
      if (seen.has(r.categoryKey))
        throw new AppError('VALIDATION', `「${cat.label}」重复填写`, { field: `${field}.categoryKey` });
      seen.add(r.categoryKey);
      if (r.present > r.expected) {
        throw new AppError('VALIDATION', `「${cat.label}」实到人数不能多于应到人数`, { field: `${field}.present` });
      }
    });
    const named = await attendeeRows(tx, id);
    rows.forEach((r, i) => {
      const list = named.filter((a) => a.categoryKey === r.categoryKey);
      if (!list.length) return;
      const present = list.filter((a) => a.present).length;
      if (r.expected !== list.length || r.present !== present) {
        throw new AppError(
          'ATTENDANCE_FROM_LIST',
          `「${categories.get(r.categoryKey)!.label}」已按参会人员名单统计（应到${list.length}人、实到${present}人），请修改名单`,
          { field: `rows.${i}.expected` },
        );
      }
    });
    const before = await attendanceRows(tx, id);
    for (const r of rows) {
      const label = categories.get(r.categoryKey)!.label;
      const values = { expected: r.expected, present: r.present, names: r.names?.trim() || null, updatedAt: actor.at };
      const updated = await tx
        .update(meetingAttendance)
        .set(values)
        .where(and(eq(meetingAttendance.meetingId, id), eq(meetingAttendance.categoryKey, r.categoryKey)))
        .returning();
      if (!updated.length)
        await tx
          .insert(meetingAttendance)
          .values({ meetingId: id, categoryKey: r.categoryKey, categoryLabel: label, ...values });
    }
    await tx.update(meetings).set({ updatedAt: actor.at }).where(eq(meetings.id, id));
    await writeAudit(tx, actor, {
      action: 'meeting.attendance',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: {
        before: before.map((b) => ({ categoryKey: b.categoryKey, expected: b.expected, present: b.present })),
        after: rows.map((r) => ({ categoryKey: r.categoryKey, expected: r.expected, present: r.present })),
      },
    });
  });
}
