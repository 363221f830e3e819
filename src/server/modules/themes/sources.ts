import { sql } from 'drizzle-orm';
import { shuffle } from '../../../domain/sampling';
import { type DbOrTx, queryRows } from '../../db/connect';
import { campaignFieldNotes } from '../assessment/queries';
import { cryptoRng } from '../ballots/compute-results';
import { campaignTree } from '../campaigns/queries';
import { campaignComments } from '../meetings/queries';
import { releasedBallotTexts } from '../rectification/inbox';

export interface ReporterRow {
  id: number;
  campaignId: number;
  orgId: number;
  orgName: string;
  orgPath: string;
}

export async function campaignReportersOf(db: DbOrTx, campaignIds: number[]): Promise<ReporterRow[]> {
  return queryRows<ReporterRow>(
    db,
    sql`
    select r.id, r.campaign_id as "campaignId", r.org_id as "orgId", o.name as "orgName", o.path as "orgPath"
    from campaigns_v_reporters r join organizations_v_units o on o.id = r.org_id
    where r.campaign_id in (${sql.join(
      campaignIds.map((id) => sql`${id}`),
      sql`, `,
    )}) and r.role = 'reporter' and r.removed_at is null
    order by o.path, r.id`,
  );
}

/**
 * The texts of one campaign (or one round) per reporter: ballot 问题/建议 as the rectification inbox releases them (released
 * real rounds, the reporter at or above the round's minimum group, shuffled), then — for the whole campaign — 点评 and
 * field-check notes, which are signed and not anonymous. The list is shuffled once more, so a text's place in it says
 * nothing about when or by whom it was written.
 */
export async function loadTexts(db: DbOrTx, campaignId: number, roundId: number | null) {
  // One round belongs to this campaign; the whole campaign also takes in the rounds of the levels below it.
  const campaignIds = roundId === null ? await campaignTree(db, campaignId) : [campaignId];
  const reporters = await campaignReportersOf(db, campaignIds);
  const texts: Array<{ text: string; group: string }> = [];
  const sources = { ballot: 0, comment: 0, field: 0 };
  for (const rep of reporters) {
    for (const round of await releasedBallotTexts(
      db,
      { id: rep.id, campaignId: rep.campaignId },
      roundId ?? undefined,
    )) {
      for (const text of [...round.problems, ...round.suggestions]) {
        texts.push({ text, group: String(rep.id) });
        sources.ballot++;
      }
    }
  }
  if (roundId === null) {
    const comments = (await Promise.all(campaignIds.map((id) => campaignComments(db, id)))).flat();
    const notes = (await Promise.all(campaignIds.map((id) => campaignFieldNotes(db, id)))).flat();
    const known = new Set(reporters.map((r) => r.id));
    for (const c of comments) {
      if (!known.has(c.reporterId)) continue;
      texts.push({ text: c.body, group: String(c.reporterId) });
      sources.comment++;
    }
    for (const n of notes) {
      if (!known.has(n.reporterId)) continue;
      texts.push({ text: n.note, group: String(n.reporterId) });
      sources.field++;
    }
  }
  return { reporters, comments: shuffle(texts, cryptoRng), sources };
}
