import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';

/** What the surveys module offers other modules to read (decision 022): typed rows, not its base tables. */

/**
 * Per item of a campaign's closed surveys, how many of one unit's responses answered it and how many of those were
 * 不满意 — counts only, no response, token or respondent (R-ASSESS-3). The caller decides whether a count is large
 * enough to show.
 */
export async function reporterItemDissatisfaction(db: DbOrTx, campaignId: number, reporterId: number) {
  return queryRows<{ id: number; text: string; answers: number; dissatisfied: number }>(
    db,
    sql`
    select si.id, si.text, count(*)::int as answers,
           count(*) filter (where r.answers ->> si.id::text = 'dissatisfied')::int as dissatisfied
    from survey_items si join surveys s on s.id = si.survey_id
    join survey_responses r on r.survey_id = s.id and r.reporter_id = ${reporterId} and r.answers ? si.id::text
    where s.campaign_id = ${campaignId} and s.state = 'closed'
    group by si.id, si.text, si.position order by si.position, si.id`,
  );
}
