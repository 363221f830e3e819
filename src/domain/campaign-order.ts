/**
 * The order in which the levels of a campaign tree hold their 述职评议会 (R-CAMP-2, R-CAMP-8). Each level's own
 * schedule decides it, not the words of the plan: 001 deploys "自上而下" yet its 党支部 rounds (by 12月底) meet before
 * the 分党委 report to 校党委 (1月初), while 004's townships hear the villages after the city has heard the townships.
 * A level whose meeting is planned to start first goes first: the other may not open its meeting early while the
 * first has not begun, and the level above may not close its meeting while a level planned to meet before it has
 * not finished. On their planned dates the levels follow their schedules by themselves; these checks hold the
 * organizer's early openings and closings to the same order. Only the meeting phase is ordered across levels.
 */
import { AppError } from './errors';
import { cnRange, type PhaseAction, type PhaseKey, type PhaseStatus } from './campaign-phases';

const ORDERED_PHASE: PhaseKey = 'meeting';
const NAMED_AT_MOST = 5;

/** A level's meeting phase: its current dates and its status today; null when the plan has no such phase. */
export interface MeetingWindow {
  start: string;
  end: string;
  status: PhaseStatus;
}

export interface LevelMeeting {
  organizerName: string;
  meeting: MeetingWindow | null;
}

export interface LevelOrderInput {
  phaseKey: PhaseKey;
  action: PhaseAction;
  /** This level's meeting phase. */
  self: MeetingWindow | null;
  /** The campaign above; null at the top of the tree. */
  parent: LevelMeeting | null;
  /** The sub-campaigns whose meeting is still owed (not ended or archived). */
  children: LevelMeeting[];
}

const refuse = (message: string) => new AppError('LEVEL_ORDER', message, { field: 'phaseKey' });
const finished = (m: MeetingWindow) => m.status === 'closed' || m.status === 'ended';

/** Throws a 409 when the transition would break the order between levels; otherwise returns nothing. */
export function assertLevelOrder(input: LevelOrderInput): void {
  const { self, parent } = input;
  if (input.phaseKey !== ORDERED_PHASE || !self) return;

  // Reopening or extending is a correction of a meeting already allowed once, so it is not re-checked.
  if (
    input.action === 'open' &&
    parent?.meeting &&
    parent.meeting.start <= self.start &&
    parent.meeting.status === 'not_started'
  ) {
    throw refuse(
      `按计划，上级「${parent.organizerName}」的述职评议会（${cnRange(parent.meeting.start, parent.meeting.end)}）先于本级召开，上级尚未开始，本级不能提前开启述职评议会`,
    );
  }

  if (input.action === 'close') {
    const pending = input.children.filter((c) => c.meeting && c.meeting.start < self.start && !finished(c.meeting));
    if (pending.length) {
      const names = pending
        .slice(0, NAMED_AT_MOST)
        .map((c) => `「${c.organizerName}」`)
        .join('、');
      const more = pending.length > NAMED_AT_MOST ? `等${pending.length}个下级` : '';
      throw refuse(`按计划，${names}${more}的述职评议会先于本级召开，尚未结束，本级不能关闭述职评议会`);
    }
  }
}
