import { type SQL, sql } from 'drizzle-orm';
import { PAPER_COUNT_KEYS, PAPER_TEXT_TRIM_PATTERN } from '../../../domain/ballot-codes';
import { type DbOrTx, queryRows } from '../../db/connect';

/**
 * What the ballots module publishes to other modules as SQL (decision 022). The paper double entries that count are
 * not a migration view (ballots_v_*) because which entries match is a domain rule (paperDifferences in
 * src/domain/ballot-codes.ts) whose trimmed characters come from the domain's constants; a view would freeze a copy
 * of them. These fragments are built from those constants, so the rule lives once.
 */

/**
 * paperDifferences (src/domain/ballot-codes.ts) in SQL: whether the entries of ballot_paper_tallies rows aliased `a` and
 * `b` match — the same counts, and the same free texts once trimmed by the domain's PAPER_TEXT_TRIM_PATTERN, empties
 * dropped, in any order. tests/integration/paper-matching.test.ts runs both over the same cases.
 */
export function paperEntriesMatch(a: string, b: string) {
  const same = (k: string) => sql.raw(`(${a}.counts->>'${k}') is not distinct from (${b}.counts->>'${k}')`);
  const norm = (col: string) =>
    sql.raw(`(select coalesce(jsonb_agg(v order by v collate "C"), '[]'::jsonb) from
      (select regexp_replace(x, '${PAPER_TEXT_TRIM_PATTERN}', '', 'g') as v from jsonb_array_elements_text(${col}) x) s where v <> '')`);
  return sql`${sql.join(PAPER_COUNT_KEYS.map(same), sql` and `)}
    and ${norm(`${a}.problems`)} = ${norm(`${b}.problems`)} and ${norm(`${a}.suggestions`)} = ${norm(`${b}.suggestions`)}`;
}

/**
 * The paper tallies that count, as a row source: round_id, reporter_id, category, good, fair, average, poor, invalid,
 * for the rounds whose ids `roundIds` selects (a subquery). Both entries must match (paperEntriesMatch); a count missing
 * from an entry counts 0 (both entries alike: they must match to count at all).
 */
export function matchedPaperTallies(roundIds: SQL) {
  const paper = (k: string) => sql.raw(`coalesce((t1.counts->>'${k}')::int, 0) as ${k}`);
  return sql`(
      select t1.round_id, t1.reporter_id, t1.category, ${paper('good')}, ${paper('fair')}, ${paper('average')}, ${paper('poor')}, ${paper('invalid')}
      from ballot_paper_tallies t1
      join ballot_paper_tallies t2 on t2.round_id = t1.round_id and t2.reporter_id = t1.reporter_id
        and t2.category = t1.category and t2.entry_no = 2
      where t1.entry_no = 1 and t1.round_id in (${roundIds}) and ${paperEntriesMatch('t1', 't2')}
    )`;
}

/**
 * One reporter's phone ballots of one round with their free texts, for the caller's anonymity rule (tallyBallots with
 * the round's minimum group, as the results page): the caller must not show a text before that rule passes it.
 */
export async function reporterPhoneBallots(db: DbOrTx, roundId: number, reporterId: number) {
  return queryRows<{ category: string; grade: string; problems: string | null; suggestions: string | null }>(
    db,
    sql`
    select category, grade, problems, suggestions from ballots where round_id = ${roundId} and reporter_id = ${reporterId}`,
  );
}

/** A campaign's released real rounds with the paper forms issued and collected per category, by round id. */
export async function releasedRoundsPaperCounts(db: DbOrTx, campaignId: number) {
  return queryRows<{ id: number; paperCounts: Record<string, { issued: number; collected: number }> }>(
    db,
    sql`
    select br.id, br.paper_counts as "paperCounts" from ballot_rounds br join meetings_v_meetings m on m.id = br.meeting_id
    where m.campaign_id = ${campaignId} and br.mode = 'real' and br.state = 'released' order by br.id`,
  );
}

/** A round's phone figures: forms (codes used at least once, one per evaluator) and ratings (ballots counted). */
export async function phoneBallotCounts(db: DbOrTx, roundId: number) {
  const [row] = await queryRows<{ forms: number; ratings: number }>(
    db,
    sql`
    select (select count(distinct u.code_id)::int from ballot_code_uses u join ballot_codes c on c.id = u.code_id where c.round_id = ${roundId}) as forms,
           (select count(*)::int from ballots where round_id = ${roundId}) as ratings`,
  );
  return row!;
}
