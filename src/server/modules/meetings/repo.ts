import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import type { TimerState, TimerStatus } from '../../../domain/meeting-timer';
import type { DbOrTx } from '../../db/connect';
import { meetingAgendaItems, meetingAttendance, meetingAttendees, meetingComments, meetings } from '../../db/schema';
import { userRows } from '../auth/row-sources';
import { campaignRows, reporterRows } from '../campaigns/row-sources';
import { orgUnits, secretaryRows } from '../organizations/row-sources';
import { observerRows } from '../oversight/row-sources';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

export type MeetingRow = typeof meetings.$inferSelect;

export interface CampaignCtx {
  id: number;
  title: string;
  year: number;
  state: string;
  settings: CampaignSettings;
  organizerName: string;
  organizerPath: string;
}

/** With a `viewer`, a campaign off the viewer's branch is not found, like a missing id (issue 15). */
export async function getCampaignCtx(db: DbOrTx, campaignId: number, viewer?: AuthUser): Promise<CampaignCtx> {
  const [row] = await db
    .select({
      id: campaignRows.id,
      title: campaignRows.title,
      year: campaignRows.year,
      state: campaignRows.state,
      settings: campaignRows.settings,
      organizerName: orgUnits.name,
      organizerPath: orgUnits.path,
    })
    .from(campaignRows)
    .innerJoin(orgUnits, eq(orgUnits.id, campaignRows.organizerOrgId))
    .where(eq(campaignRows.id, campaignId));
  if (!row) throw notFound('述职评议考核');
  hideOffBranch(viewer, row.organizerPath, '述职评议考核');
  return { ...row, settings: row.settings as CampaignSettings };
}

/** The meeting with its campaign; `lock` serializes concurrent changes of one meeting (timer, agenda). */
export async function getMeeting(db: DbOrTx, id: number, opts: { lock?: boolean; viewer?: AuthUser } = {}) {
  const q = db.select().from(meetings).where(eq(meetings.id, id));
  const [meeting] = opts.lock ? await q.for('no key update') : await q;
  if (!meeting) throw notFound('述职评议会');
  const campaign = await getCampaignCtx(db, meeting.campaignId);
  hideOffBranch(opts.viewer, campaign.organizerPath, '述职评议会');
  return { meeting, campaign };
}

export function assertOpen(meeting: MeetingRow) {
  if (meeting.state === 'closed') throw new AppError('MEETING_CLOSED');
}

export const timerOf = (m: MeetingRow): TimerState => ({
  itemId: m.timerItemId,
  status: m.timerStatus as TimerStatus,
  startedAt: m.timerStartedAt,
  elapsedMs: m.timerElapsedMs,
});

export const timerColumns = (t: TimerState) => ({
  timerItemId: t.itemId,
  timerStatus: t.status,
  timerStartedAt: t.startedAt,
  timerElapsedMs: t.elapsedMs,
});

export interface ReporterInfo {
  id: number;
  role: string;
  tierKey: string;
  writtenOnly: boolean;
  orgName: string;
  orgCode: string;
  secretaryName: string | null;
}

/** Active reporters of the campaign (removed ones never reach an agenda: R-ORG-3 keeps them in the roster only). */
export async function campaignReporterInfo(db: DbOrTx, campaignId: number): Promise<ReporterInfo[]> {
  return db
    .select({
      id: reporterRows.id,
      role: reporterRows.role,
      tierKey: reporterRows.tierKey,
      writtenOnly: reporterRows.writtenOnly,
      orgName: orgUnits.name,
      orgCode: orgUnits.code,
      secretaryName: secretaryRows.name,
    })
    .from(reporterRows)
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .leftJoin(secretaryRows, eq(secretaryRows.id, reporterRows.secretaryId))
    .where(and(eq(reporterRows.campaignId, campaignId), isNull(reporterRows.removedAt)))
    .orderBy(orgUnits.depth, orgUnits.code);
}

export async function agendaItems(db: DbOrTx, meetingId: number) {
  return db
    .select({
      id: meetingAgendaItems.id,
      reporterId: meetingAgendaItems.reporterId,
      position: meetingAgendaItems.position,
      writtenOnly: meetingAgendaItems.writtenOnly,
      speakingMinutes: meetingAgendaItems.speakingMinutes,
      speechStartedAt: meetingAgendaItems.speechStartedAt,
      speechEndedAt: meetingAgendaItems.speechEndedAt,
      role: reporterRows.role,
      tierKey: reporterRows.tierKey,
      orgName: orgUnits.name,
      secretaryName: secretaryRows.name,
    })
    .from(meetingAgendaItems)
    .innerJoin(reporterRows, eq(reporterRows.id, meetingAgendaItems.reporterId))
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .leftJoin(secretaryRows, eq(secretaryRows.id, reporterRows.secretaryId))
    .where(eq(meetingAgendaItems.meetingId, meetingId))
    .orderBy(asc(meetingAgendaItems.position));
}
export type AgendaRow = Awaited<ReturnType<typeof agendaItems>>[number];

export async function attendanceRows(db: DbOrTx, meetingId: number) {
  return db
    .select()
    .from(meetingAttendance)
    .where(eq(meetingAttendance.meetingId, meetingId))
    .orderBy(meetingAttendance.id);
}

export async function attendeeRows(db: DbOrTx, meetingId: number) {
  return db
    .select()
    .from(meetingAttendees)
    .where(eq(meetingAttendees.meetingId, meetingId))
    .orderBy(meetingAttendees.categoryKey, meetingAttendees.position);
}

export async function commentRows(db: DbOrTx, meetingId: number) {
  return db
    .select()
    .from(meetingComments)
    .where(and(eq(meetingComments.meetingId, meetingId), isNull(meetingComments.deletedAt)))
    .orderBy(asc(meetingComments.createdAt), asc(meetingComments.id));
}

export async function commentCounts(db: DbOrTx, itemIds: number[]): Promise<Map<number, number>> {
  if (!itemIds.length) return new Map();
  const rows = await db
    .select({ itemId: meetingComments.agendaItemId, n: count() })
    .from(meetingComments)
    .where(and(inArray(meetingComments.agendaItemId, itemIds), isNull(meetingComments.deletedAt)))
    .groupBy(meetingComments.agendaItemId);
  return new Map(rows.map((r) => [r.itemId!, Number(r.n)]));
}

/** Observers sent by the upper level to this round (R-CAMP-6), from the oversight module's assignments. */
export async function assignedObservers(db: DbOrTx, campaignId: number) {
  return db
    .select({ name: userRows.displayName, groupName: observerRows.groupName, isLeader: observerRows.isLeader })
    .from(observerRows)
    .innerJoin(userRows, eq(userRows.id, observerRows.userId))
    .where(and(eq(observerRows.subCampaignId, campaignId), isNull(observerRows.removedAt)))
    .orderBy(sql`${observerRows.isLeader} desc`, userRows.displayName);
}
