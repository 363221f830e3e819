import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import type { MeetingRounds } from '../meetings/rounds-port';
import { computeResults } from './compute-results';
import { canManageRounds } from './policy';
import { currentRound } from './repo';

/** The meeting module's view of a meeting's ballot round (meetings/rounds-port.ts), wired in app.ts. */
export const meetingRounds: MeetingRounds = {
  canManage: canManageRounds,
  /** The record never shows a distribution before release (R-VOTE-5). */
  async releasedResults(db: DbOrTx, user: AuthUser, meetingId: number) {
    const round = await currentRound(db, meetingId);
    if (round?.mode !== 'real' || round.state !== 'released') return null;
    try {
      return await computeResults(db, user, round.id);
    } catch (e) {
      if (e instanceof AppError && e.status < 500) return null;
      throw e;
    }
  },
};
