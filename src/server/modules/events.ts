import type { DbOrTx } from '../db/connect';
import {
  dropFieldTallies,
  tallyClosedSurvey,
  tallyCompletedAssessment,
  tallyReleasedRound,
} from './evaluation/tallies';

/**
 * What one module announces and others react to, in the announcer's transaction (decision 022). The announcer names
 * only the event; the reactions are listed here, so ballots, surveys and assessment do not import evaluation, which
 * reads their published views (evaluation depends on them, not the other way round). A reaction that throws rolls
 * the announcer's transaction back, as the direct call did.
 */
export interface ModuleEvents {
  /** A real round's results were released: its ballots are final. */
  'ballots.round_released': { campaignId: number; roundId: number };
  /** A survey was closed: its answers are final. */
  'surveys.survey_closed': { campaignId: number; surveyId: number };
  /** A reporter's field assessment was submitted (completed_at set). */
  'assessment.completed': { reporterId: number };
  /** A submitted field assessment was reopened: its scores may change. */
  'assessment.reopened': { reporterId: number };
  /** A checklist item's maximum points changed: every score on it counts differently. */
  'assessment.item_points_changed': { itemId: number };
}

type Reaction<K extends keyof ModuleEvents> = (tx: DbOrTx, event: ModuleEvents[K]) => Promise<void>;

const REACTIONS: { [K in keyof ModuleEvents]: Reaction<K>[] } = {
  'ballots.round_released': [(tx, e) => tallyReleasedRound(tx, e.campaignId, e.roundId)],
  'surveys.survey_closed': [(tx, e) => tallyClosedSurvey(tx, e.campaignId, e.surveyId)],
  'assessment.completed': [(tx, e) => tallyCompletedAssessment(tx, e.reporterId)],
  'assessment.reopened': [(tx, e) => dropFieldTallies(tx, { reporterId: e.reporterId })],
  'assessment.item_points_changed': [(tx, e) => dropFieldTallies(tx, { itemId: e.itemId })],
};

/** Runs every reaction to the event, in order, in the caller's transaction. */
export async function announce<K extends keyof ModuleEvents>(tx: DbOrTx, name: K, event: ModuleEvents[K]) {
  for (const react of REACTIONS[name]) await react(tx, event);
}
