import type { TallyRow } from '../../../domain/tally';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';

/**
 * What the meeting pages and the 会议记录 show of the meeting's ballot round (decision 022). The ballots module
 * implements it (ballots/meeting-rounds.ts) and app.ts hands it to meetingRoutes: ballots depends on meetings (a
 * round belongs to a meeting, and announces its changes on the meeting's live channel), so meetings does not import
 * ballots.
 */
export interface MeetingRounds {
  /** The user may run the vote of a meeting whose campaign is organized at organizerPath. */
  canManage(user: AuthUser, organizerPath: string): boolean;
  /** The released results of the meeting's real round, or null (none, not released, or not the user's to read). */
  releasedResults(db: DbOrTx, user: AuthUser, meetingId: number): Promise<ReleasedRoundResults | null>;
}

export interface ReleasedRoundResults {
  note: string;
  results: Array<{ name: string; overall: TallyRow }>;
}
