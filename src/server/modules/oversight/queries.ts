import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/connect';

/** What the oversight module offers other modules to read (decision 022): typed rows, not its base tables. */

/**
 * The problems research visits found at one organization that are not withdrawn, from the visits recorded on any
 * level's campaign of the given year (visits are recorded on whichever level's campaign the visitors came from).
 */
export async function orgVisitProblems(db: DbOrTx, orgId: number, year: number) {
  return queryRows<{ id: number; text: string; visitedOn: string; visitors: string }>(
    db,
    sql`
    select p.id, p.text, v.visited_on::text as "visitedOn", v.visitors
    from visit_problems p join research_visits v on v.id = p.visit_id join campaigns_v_campaigns c on c.id = p.campaign_id
    where p.org_id = ${orgId} and p.withdrawn_at is null and c.year = ${year}
    order by v.visited_on, p.position, p.id`,
  );
}
