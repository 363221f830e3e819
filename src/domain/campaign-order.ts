/**
 * The order in which the levels of a campaign tree hold their 述职评议会 (R-CAMP-2). The parent's
 * organizing mode decides between it and its sub-campaigns: top-down (001, 004) the upper level
 * meets first, so a lower level may not open its meeting before the level above has; bottom-up
 * (002, 压茬进行) the lower levels finish first, so the upper level may not close its meeting while
 * a lower level's is still to finish. Only the meeting phase is ordered across levels: the seeds
 * stagger the 述职评议 rounds, while each level's other phases follow its own plan.
 */
import { AppError } from './errors';
import type { PhaseKey, PhaseState } from './campaign-phases';
import type { CampaignSettings } from './campaign-settings';

export type OrganizingMode = CampaignSettings['organizing']['mode'];

const ORDERED_PHASE: PhaseKey = 'meeting';
const NAMED_AT_MOST = 5;

export interface LevelMeeting {
  organizerName: string;
  /** The level's meeting phase state; null when the plan has no such phase. */
  meeting: PhaseState | null;
}

export interface LevelOrderInput {
  phaseKey: PhaseKey;
  action: 'open' | 'close' | 'reopen';
  /** The campaign above and its organizing mode; null at the top of the tree. */
  parent: (LevelMeeting & { mode: OrganizingMode }) | null;
  /** This campaign's own organizing mode, which governs its sub-campaigns. */
  mode: OrganizingMode;
  /** The sub-campaigns whose meeting is still owed (not ended or archived). */
  children: LevelMeeting[];
}

const refuse = (message: string) => new AppError('LEVEL_ORDER', message, 409, { field: 'phaseKey' });

/** Throws a 409 when the transition would break the order between levels; otherwise returns nothing. */
export function assertLevelOrder(input: LevelOrderInput): void {
  if (input.phaseKey !== ORDERED_PHASE) return;

  // Reopening is a correction of a meeting already allowed once, so it is not re-checked.
  if (input.action === 'open' && input.parent?.mode === 'top_down' && input.parent.meeting === 'not_started') {
    throw refuse(
      `本次述职评议考核为自上而下开展，上级「${input.parent.organizerName}」的述职评议会尚未开启，本级不能先开启述职评议会`,
    );
  }

  if (input.action === 'close' && input.mode === 'bottom_up') {
    const pending = input.children.filter((c) => c.meeting !== null && c.meeting !== 'closed');
    if (pending.length) {
      const names = pending.slice(0, NAMED_AT_MOST).map((c) => `「${c.organizerName}」`).join('、');
      const more = pending.length > NAMED_AT_MOST ? `等${pending.length}个下级` : '';
      throw refuse(
        `本次述职评议考核为自下而上开展，${names}${more}的述职评议会尚未结束，本级不能关闭述职评议会`,
      );
    }
  }
}
