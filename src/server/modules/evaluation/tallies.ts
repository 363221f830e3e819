import { type SQL, sql } from 'drizzle-orm';
import { SURVEY_LEVEL_POINTS, SURVEY_LEVELS } from '../../../domain/grades';
import type { DbOrTx } from '../../db/connect';

/**
 * The recompute's inputs that can no longer change, counted once (migrations 0015 and 0018; the field assessments'
 * sums are described at tallyAssessments):
 *
 * - a released real round's phone ballots per reporter × category × grade (casting needs an open round and the
 *   ballots of a real round cannot be deleted — trigger ballots_keep_real — so released means final);
 * - a closed survey's answers per unit as the sum of points and the number of answers (answering and paper entry
 *   need an open survey; closed is final).
 *
 * Anonymity (R-VOTE-2, R-ASSESS-3): the tallies hold counts only — no ballot or response id, code, token, text or
 * time — i.e. the figures the round's results and the survey results already give; the minimum-group hiding is
 * applied where counts are shown (the ballots module's results), and the recompute uses all counts as before.
 *
 * The ballots module releases a round and the surveys module closes a survey and announces it (modules/events.ts);
 * these run as the reactions, in the same transaction. Every recompute tallies first whatever released round or
 * closed survey of the campaign is not tallied yet (data written before migration 0015, rows inserted directly by tests or imports). evaluation_tallied
 * marks a source as tallied, also when it had no rows; its primary key makes two racing tallies write once.
 *
 * The sources are read through the views their owners publish (migration 0028, decision 022): ballots_v_*,
 * surveys_v_*, assessment_v_* — never the ballots, surveys or assessment base tables.
 */
const roundsOf = (campaignId: number, roundId?: number) => sql`
  select r.id from ballots_v_released_rounds r
  where r.campaign_id = ${campaignId}
    ${roundId === undefined ? sql`` : sql`and r.id = ${roundId}`}
    and not exists (select 1 from evaluation_tallied t where t.kind = 'round' and t.source_id = r.id)`;

const surveysOf = (campaignId: number, surveyId?: number) => sql`
  select s.id from surveys_v_closed s
  where s.campaign_id = ${campaignId}
    ${surveyId === undefined ? sql`` : sql`and s.id = ${surveyId}`}
    and not exists (select 1 from evaluation_tallied t where t.kind = 'survey' and t.source_id = s.id)`;

async function tallyRounds(db: DbOrTx, sources: SQL) {
  const count = (g: string) => sql.raw(`count(*) filter (where b.grade = '${g}')::int`);
  await db.execute(sql`
    with todo as (
      insert into evaluation_tallied (kind, source_id) select 'round', x.id from (${sources}) x
      on conflict do nothing returning source_id
    )
    insert into evaluation_ballot_tallies (round_id, reporter_id, category, good, fair, average, poor)
    select b.round_id, b.reporter_id, b.category, ${count('good')}, ${count('fair')}, ${count('average')}, ${count('poor')}
    from ballots_v_cast b where b.round_id in (select source_id from todo)
    group by b.round_id, b.reporter_id, b.category`);
}

async function tallySurveys(db: DbOrTx, sources: SQL) {
  const points = sql.raw(
    `case a.value ${SURVEY_LEVELS.map((l) => `when '${l}' then ${SURVEY_LEVEL_POINTS[l]}`).join(' ')} end`,
  );
  // Unknown levels count in neither sum (the mean is the same as avg() over every known answer).
  await db.execute(sql`
    with todo as (
      insert into evaluation_tallied (kind, source_id) select 'survey', x.id from (${sources}) x
      on conflict do nothing returning source_id
    )
    insert into evaluation_survey_tallies (survey_id, reporter_id, points, answers)
    select r.survey_id, r.reporter_id, coalesce(sum(a.points), 0), coalesce(sum(a.n), 0)
    from surveys_v_answers r
    cross join lateral (select sum(${points}) as points, count(${points}) as n from jsonb_each_text(r.answers) a) a
    where r.survey_id in (select source_id from todo)
    group by r.survey_id, r.reporter_id`);
}

/**
 * The field assessments' sums (evaluation_field_tallies) of the completed assignments chosen by `where`, unless a tally
 * with the same completed_at is there already. A completed assignment without scores gets a row of zeros, so it is
 * not re-tallied on every recompute (its field score stays missing: 0 points of 0).
 */
async function tallyAssessments(db: DbOrTx, where: SQL) {
  await db.execute(sql`
    insert into evaluation_field_tallies (reporter_id, completed_at, score, max_points)
    select a.reporter_id, a.completed_at, coalesce(sum(fs.score), 0), coalesce(sum(fs.max_points), 0)
    from assessment_v_completed a
    left join assessment_v_item_scores fs on fs.reporter_id = a.reporter_id
    where ${where}
      and not exists (select 1 from evaluation_field_tallies f where f.reporter_id = a.reporter_id and f.completed_at = a.completed_at)
    group by a.reporter_id, a.completed_at
    on conflict (reporter_id) do update set completed_at = excluded.completed_at, score = excluded.score,
      max_points = excluded.max_points`);
}

/** On 'assessment.completed', in completeAssessment's transaction after the assignment is marked completed. */
export async function tallyCompletedAssessment(db: DbOrTx, reporterId: number) {
  await tallyAssessments(db, sql`a.reporter_id = ${reporterId}`);
}

/** On 'assessment.reopened' and 'assessment.item_points_changed': a reporter's field scores may count differently. */
export async function dropFieldTallies(db: DbOrTx, reporters: { reporterId: number } | { itemId: number }) {
  await db.execute(
    'reporterId' in reporters
      ? sql`delete from evaluation_field_tallies where reporter_id = ${reporters.reporterId}`
      : sql`delete from evaluation_field_tallies where reporter_id in (select reporter_id from assessment_v_item_scores where item_id = ${reporters.itemId})`,
  );
}

/** On 'ballots.round_released', in releaseResults' transaction after the round is marked released. */
export async function tallyReleasedRound(db: DbOrTx, campaignId: number, roundId: number) {
  await tallyRounds(db, roundsOf(campaignId, roundId));
}

/** On 'surveys.survey_closed', in closeSurvey's transaction after the survey is marked closed. */
export async function tallyClosedSurvey(db: DbOrTx, campaignId: number, surveyId: number) {
  await tallySurveys(db, surveysOf(campaignId, surveyId));
}

/** Every released round and closed survey of the campaign not tallied yet (the recompute's first step). */
export async function tallyCampaign(db: DbOrTx, campaignId: number) {
  await tallyRounds(db, roundsOf(campaignId));
  await tallySurveys(db, surveysOf(campaignId));
  await tallyAssessments(db, sql`a.campaign_id = ${campaignId}`);
}
