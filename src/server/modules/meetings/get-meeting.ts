import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { commentModeLabel } from '../../../domain/campaign-settings';
import { type CommentMode, flowLabel, nextInFlow } from '../../../domain/meeting-agenda';
import { assertRead, canComment, canManage } from './policy';
import type { MeetingRounds } from './rounds-port';
import {
  presentAgendaItem,
  presentAttendance,
  presentAttendee,
  presentCampaign,
  presentComment,
  presentMeeting,
  presentReporterOption,
  presentTimer,
  STEPS,
} from './present';
import {
  agendaItems,
  assignedObservers,
  attendanceRows,
  attendeeRows,
  campaignReporterInfo,
  commentCounts,
  commentRows,
  getMeeting,
} from './repo';
import type { MeetingDetailT } from './schemas';
import { readTogether } from '../../db/parallel';

/** Everything the staff page and the console show; both poll it, so it is one read. */
export async function getMeetingDetail(
  db: DbOrTx,
  user: AuthUser,
  id: number,
  now: Date,
  rounds: MeetingRounds,
): Promise<MeetingDetailT> {
  const { meeting, campaign } = await getMeeting(db, id, { viewer: user });
  assertRead(user, campaign.organizerPath);
  const s = campaign.settings;
  const [agenda, reporters, attendance, observers, comments, attendees] = await readTogether(db, [
    () => agendaItems(db, id),
    () => campaignReporterInfo(db, campaign.id),
    () => attendanceRows(db, id),
    () => assignedObservers(db, campaign.id),
    () => commentRows(db, id),
    () => attendeeRows(db, id),
  ] as const);
  const counts = await commentCounts(
    db,
    agenda.map((a) => a.id),
  );
  const onAgenda = new Set(agenda.map((a) => a.reporterId));
  const mode = meeting.commentMode as CommentMode;
  const here = { step: meeting.currentStep, itemId: meeting.timerItemId };
  const nameOf = (itemId: number) => agenda.find((a) => a.id === itemId)?.orgName;
  const next = meeting.state === 'closed' ? null : nextInFlow(mode, agenda, here);
  return {
    meeting: presentMeeting(meeting, agenda.length),
    campaign: presentCampaign(campaign),
    agenda: agenda.map((a) => presentAgendaItem(a, s, counts.get(a.id) ?? 0)),
    availableReporters: reporters.filter((r) => !onAgenda.has(r.id)).map((r) => presentReporterOption(r, s)),
    attendance: presentAttendance(s, attendance, attendees),
    attendees: attendees.map((a) => presentAttendee(a, s)),
    flow: {
      mode,
      modeLabel: commentModeLabel(mode),
      current: flowLabel(here, nameOf),
      next: next && flowLabel(next, nameOf),
    },
    observers,
    comments: comments.map(presentComment),
    timer: presentTimer(meeting, now),
    steps: STEPS,
    permissions: {
      manage: canManage(user, campaign.organizerPath),
      comment: canComment(user, campaign.organizerPath),
      ballots: rounds.canManage(user, campaign.organizerPath),
    },
  };
}
