import { sql } from 'drizzle-orm';
import { shuffle } from '../../../domain/sampling';
import { type DbOrTx, queryRows } from '../../db/connect';
import { cryptoRng } from '../ballots/compute-results';
import { releasedBallotTexts } from '../rectification/inbox';

export interface ReporterRow {
  id: number;
  campaignId: number;
  orgId: number;
  orgName: string;
  orgPath: string;
}

/** The campaign and every lower level's round under it (R-CAMP-2): a county's themes span its townships' rounds. */
export async function campaignTree(db: DbOrTx, campaignId: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(db, sql`
    with recursive tree(id) as (select ${campaignId}::int union all select c.id from campaigns c join tree t on c.parent_id = t.id)
    select id from tree`);
  return rows.map((r) => Number(r.id));
}

export async function campaignReportersOf(db: DbOrTx, campaignIds: number[]): Promise<ReporterRow[]> {
  return queryRows<ReporterRow>(db, sql`
    select r.id, r.campaign_id as "campaignId", r.org_id as "orgId", o.name as "orgName", o.path as "orgPath"
    from campaign_reporters r join organizations o on o.id = r.org_id
    where r.campaign_id in (${sql.join(campaignIds.map((id) => sql`${id}`), sql`, `)}) and r.role = 'reporter' and r.removed_at is null
    order by o.path, r.id`);
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
  const inCampaigns = sql.join(campaignIds.map((id) => sql`${id}`), sql`, `);
  const reporters = await campaignReportersOf(db, campaignIds);
  const texts: Array<{ text: string; group: string }> = [];
  const sources = { ballot: 0, comment: 0, field: 0 };
  for (const rep of reporters) {
    for (const round of await releasedBallotTexts(db, { id: rep.id, campaignId: rep.campaignId }, roundId ?? undefined)) {
      for (const text of [...round.problems, ...round.suggestions]) {
        texts.push({ text, group: String(rep.id) });
        sources.ballot++;
      }
    }
  }
  if (roundId === null) {
    const comments = await queryRows<{ reporterId: number; body: string }>(db, sql`
      select a.reporter_id as "reporterId", c.body from meeting_comments c
      join meeting_agenda_items a on a.id = c.agenda_item_id join meetings m on m.id = a.meeting_id
      where m.campaign_id in (${inCampaigns}) and c.kind = 'comment' and c.deleted_at is null`);
    const notes = await queryRows<{ reporterId: number; note: string }>(db, sql`
      select fs.reporter_id as "reporterId", fs.note from field_scores fs join campaign_reporters r on r.id = fs.reporter_id
      where r.campaign_id in (${inCampaigns}) and fs.note is not null and btrim(fs.note) <> ''`);
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
