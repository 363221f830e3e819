import { commentKindLabel, meetingStateLabel, MEETING_STEPS, stepLabel } from '../../../domain/meeting-agenda';
import { commentModeLabel, type CampaignSettings } from '../../../domain/campaign-settings';
import type { meetingAttendance, meetingAttendees, meetingComments } from '../../db/schema';
import type { AgendaRow, CampaignCtx, MeetingRow, ReporterInfo } from './repo';
import type {
  AgendaItemOutT,
  AttendanceOutT,
  AttendeeOutT,
  CommentOutT,
  MeetingSummaryT,
  ReporterOptionT,
  TimerOutT,
} from './schemas';

export const ROLE_LABELS: Record<string, string> = { reporter: '述职', downward: '下评' };
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentMeeting(m: MeetingRow, agendaCount: number): MeetingSummaryT {
  return {
    id: m.id,
    campaignId: m.campaignId,
    title: m.title,
    meetingDate: m.meetingDate,
    place: m.place,
    chair: m.chair,
    recorder: m.recorder,
    state: m.state,
    stateLabel: meetingStateLabel(m.state),
    currentStep: m.currentStep,
    currentStepLabel: stepLabel(m.currentStep),
    commentMode: m.commentMode,
    commentModeLabel: commentModeLabel(m.commentMode),
    agendaCount,
    closedAt: iso(m.closedAt),
  };
}

export const presentCampaign = (c: CampaignCtx) => ({
  id: c.id,
  title: c.title,
  year: c.year,
  organizerName: c.organizerName,
});

const tierOf = (s: CampaignSettings, key: string) => s.reporterTiers.find((t) => t.key === key);

export function presentAgendaItem(row: AgendaRow, s: CampaignSettings, comments: number): AgendaItemOutT {
  const tier = tierOf(s, row.tierKey);
  return {
    id: row.id,
    reporterId: row.reporterId,
    position: row.position,
    orgName: row.orgName,
    secretaryName: row.secretaryName,
    role: row.role,
    roleLabel: ROLE_LABELS[row.role] ?? row.role,
    tierKey: row.tierKey,
    tierLabel: tier?.label ?? row.tierKey,
    writtenOnly: row.writtenOnly,
    writtenOnlyAllowed: tier?.writtenOnlyAllowed ?? false,
    speakingMinutes: row.speakingMinutes,
    speechStartedAt: iso(row.speechStartedAt),
    speechEndedAt: iso(row.speechEndedAt),
    commentCount: comments,
  };
}

export function presentReporterOption(r: ReporterInfo, s: CampaignSettings): ReporterOptionT {
  const tier = tierOf(s, r.tierKey);
  return {
    id: r.id,
    orgName: r.orgName,
    secretaryName: r.secretaryName,
    role: r.role,
    roleLabel: ROLE_LABELS[r.role] ?? r.role,
    tierLabel: tier?.label ?? r.tierKey,
    writtenOnly: r.writtenOnly,
    writtenOnlyAllowed: tier?.writtenOnlyAllowed ?? false,
    speakingMinutes: tier?.speakingMinutes ?? null,
  };
}

type AttendeeRow = typeof meetingAttendees.$inferSelect;

/**
 * Every category of the campaign's ballot settings, with the counts saved so far (R-MEET-2). A category with named
 * attendees counts them: 应到 the names listed, 实到 those marked present.
 */
export function presentAttendance(
  s: CampaignSettings,
  rows: (typeof meetingAttendance.$inferSelect)[],
  attendees: readonly AttendeeRow[] = [],
): AttendanceOutT[] {
  const saved = new Map(rows.map((r) => [r.categoryKey, r]));
  const listed = (key: string) => attendees.filter((a) => a.categoryKey === key);
  const counts = (key: string, r: { expected: number; present: number } | undefined) => {
    const list = listed(key);
    return list.length
      ? { expected: list.length, present: list.filter((a) => a.present).length, fromList: true }
      : { expected: r?.expected ?? 0, present: r?.present ?? 0, fromList: false };
  };
  const fromSettings = s.ballots.categories.map((c) => {
    const r = saved.get(c.key);
    return {
      categoryKey: c.key,
      categoryLabel: r?.categoryLabel ?? c.label,
      weight: c.weight,
      ...counts(c.key, r),
      names: r?.names ?? null,
    };
  });
  // A category dropped from the settings after attendance was taken stays in the record.
  const known = new Set(s.ballots.categories.map((c) => c.key));
  const orphans = rows
    .filter((r) => !known.has(r.categoryKey))
    .map((r) => ({
      categoryKey: r.categoryKey,
      categoryLabel: r.categoryLabel,
      weight: null,
      ...counts(r.categoryKey, r),
      names: r.names,
    }));
  return [...fromSettings, ...orphans];
}

export function presentAttendee(a: AttendeeRow, s: CampaignSettings): AttendeeOutT {
  return {
    id: a.id,
    categoryKey: a.categoryKey,
    categoryLabel: s.ballots.categories.find((c) => c.key === a.categoryKey)?.label ?? a.categoryKey,
    name: a.name,
    unit: a.unit,
    identity: a.identity,
    present: a.present,
  };
}

export function presentComment(c: typeof meetingComments.$inferSelect): CommentOutT {
  return {
    id: c.id,
    agendaItemId: c.agendaItemId,
    kind: c.kind,
    kindLabel: commentKindLabel(c.kind),
    authorName: c.authorName,
    authorRole: c.authorRole,
    body: c.body,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function presentTimer(m: MeetingRow, now: Date): TimerOutT {
  return {
    itemId: m.timerItemId,
    status: m.timerStatus as TimerOutT['status'],
    startedAt: iso(m.timerStartedAt),
    elapsedMs: m.timerElapsedMs,
    serverNow: now.toISOString(),
  };
}

export const STEPS = MEETING_STEPS.map((s) => ({ key: s.key, label: s.label }));
