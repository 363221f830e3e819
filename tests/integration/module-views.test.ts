import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../src/server/db/connect';
import { ballotPaperTallies, ballotRounds } from '../../src/server/db/schema';
import { matchedPaperTallies } from '../../src/server/modules/ballots/queries';
import { buildCampaign, buildMeeting, buildTwoCounties, buildUser, setupTestApp } from '../factories';

// The views a module publishes for other modules' set-based reads (migrations 0029 and 0030, decision 022) are contracts:
// their columns are fixed here, so an owner that changes its base tables must keep the view as it was. The matched
// paper tallies are the ballots module's SQL fragment (ballots/queries.ts), tested here beside the views.

let t: Awaited<ReturnType<typeof setupTestApp>>;
let w: Awaited<ReturnType<typeof buildTwoCounties>>;
const db = () => t.db as Db;

beforeAll(async () => {
  t = await setupTestApp();
  w = await buildTwoCounties(db());
});
afterAll(async () => {
  await t?.close();
});

const CONTRACT: Record<string, string[]> = {
  auth_v_users: ['id', 'username', 'display_name', 'role', 'scope_org_id', 'org_id', 'disabled'],
  organizations_v_units: ['id', 'parent_id', 'name', 'code', 'kind', 'sector', 'level', 'path', 'depth'],
  campaigns_v_reporters: [
    'id',
    'campaign_id',
    'org_id',
    'report_to_org_id',
    'role',
    'secretary_id',
    'tier_key',
    'written_only',
    'removed_at',
  ],
  ballots_v_released_rounds: ['id', 'meeting_id', 'campaign_id', 'anonymity'],
  ballots_v_cast: ['round_id', 'reporter_id', 'category', 'grade'],
  ballots_v_paper_entries: ['round_id', 'reporter_id', 'category', 'entry_no'],
  ballots_v_rounds: ['id', 'meeting_id', 'mode', 'state'],
  meetings_v_meetings: ['id', 'campaign_id', 'title'],
  themes_v_drafts: [
    'id',
    'campaign_id',
    'org_id',
    'reporter_id',
    'label',
    'comment_count',
    'quotes',
    'state',
    'merged_item_id',
  ],
  surveys_v_closed: ['id', 'campaign_id'],
  surveys_v_answers: ['survey_id', 'reporter_id', 'answers'],
  assessment_v_completed: ['reporter_id', 'team_id', 'campaign_id', 'completed_at'],
  assessment_v_item_scores: ['reporter_id', 'item_id', 'score', 'max_points'],
  evaluation_v_state: ['campaign_id', 'state', 'locked_at'],
  evaluation_v_results: [
    'reporter_id',
    'campaign_id',
    'composite',
    'rank',
    'sector_rank',
    'suggested_grade',
    'final_grade',
    'opinion_direction',
  ],
  // 0030
  organizations_v_secretaries: ['id', 'org_id', 'name', 'position', 'tenure_start', 'tenure_end'],
  campaigns_v_campaigns: [
    'id',
    'parent_id',
    'organizer_org_id',
    'year',
    'title',
    'state',
    'settings',
    'phases',
    'filing_state',
    'complete_by',
  ],
  meetings_v_schedule: ['id', 'campaign_id', 'title', 'meeting_date', 'place', 'state'],
  meetings_v_agenda_items: ['id', 'meeting_id', 'reporter_id', 'position', 'written_only'],
  rectification_v_items: ['id', 'campaign_id', 'org_id', 'parent_id', 'status', 'deadline', 'description'],
  results_v_summary_states: ['campaign_id', 'state', 'submitted_at'],
  reports_v_states: ['id', 'reporter_id', 'campaign_id', 'state'],
  surveys_v_surveys: ['id', 'campaign_id', 'state'],
  assessment_v_assignments: ['reporter_id', 'team_id', 'completed_at'],
};

/** The 0030 views are whole projections of one base table: every base row once, nothing filtered. */
const PROJECTIONS: Record<string, string> = {
  organizations_v_secretaries: 'secretaries',
  campaigns_v_campaigns: 'campaigns',
  meetings_v_schedule: 'meetings',
  meetings_v_agenda_items: 'meeting_agenda_items',
  rectification_v_items: 'rectification_items',
  results_v_summary_states: 'summary_reports',
  reports_v_states: 'reports',
  surveys_v_surveys: 'surveys',
  assessment_v_assignments: 'assessment_assignments',
};

describe('published views (decision 022)', () => {
  it('are exactly the views of the schema, each with its columns in order', async () => {
    const rows = await queryRows<{ view: string; column: string }>(
      db(),
      sql`
      select c.table_name as view, c.column_name as column from information_schema.columns c
      join information_schema.views v on v.table_schema = c.table_schema and v.table_name = c.table_name
      where c.table_schema = 'public' order by c.table_name, c.ordinal_position`,
    );
    const found: Record<string, string[]> = {};
    for (const r of rows) (found[r.view] ??= []).push(r.column);
    expect(found).toEqual(CONTRACT);
  });

  it('ballots_v_released_rounds: real released rounds only, with the campaign of their meeting', async () => {
    const c = await buildCampaign(db(), {
      organizerOrgId: w.townA.id,
      state: 'published',
      reporterOrgIds: [w.villageA1.id],
    });
    const m = await buildMeeting(db(), { campaignId: c.id });
    const other = await buildMeeting(db(), { campaignId: c.id });
    const round = (meetingId: number, mode: string, state: string) =>
      db()
        .insert(ballotRounds)
        .values({ meetingId, mode, state, roomCode: '482913' })
        .returning()
        .then((r) => r[0]!.id);
    const released = await round(m.id, 'real', 'released');
    await round(m.id, 'rehearsal', 'released');
    await round(other.id, 'real', 'closed');
    const rows = await queryRows<{ id: number; campaign_id: number; meeting_id: number }>(
      db(),
      sql`
      select id, campaign_id, meeting_id from ballots_v_released_rounds where campaign_id = ${c.id}`,
    );
    expect(rows.map((r) => [Number(r.id), Number(r.campaign_id), Number(r.meeting_id)])).toEqual([
      [released, c.id, m.id],
    ]);
  });

  it('ballots matchedPaperTallies: a pair counts when both entries agree on the counts and the trimmed texts in any order', async () => {
    const c = await buildCampaign(db(), {
      organizerOrgId: w.countyA.id,
      state: 'published',
      reporterOrgIds: [w.villageA1.id, w.villageA2.id],
    });
    const [r1, r2] = await queryRows<{ id: number }>(
      db(),
      sql`select id from campaign_reporters where campaign_id = ${c.id} order by id`,
    );
    const m = await buildMeeting(db(), { campaignId: c.id });
    const [round] = await db()
      .insert(ballotRounds)
      .values({ meetingId: m.id, mode: 'real', state: 'released', roomCode: '482913' })
      .returning();
    const clerk = await buildUser(db(), { role: 'org_admin', scopeOrgId: w.townA.id });
    const entry = (reporterId: number, category: string, entryNo: number, counts: object, problems: string[] = []) => ({
      roundId: round!.id,
      reporterId,
      category,
      entryNo,
      counts,
      problems,
      enteredBy: clerk!.id,
    });
    await db()
      .insert(ballotPaperTallies)
      .values([
        // Matching: a count missing from both is 0; texts trimmed, empties dropped, order free.
        entry(r1!.id, 'committee', 1, { good: 3, fair: 1 }, [' 台账不全', '', '学习少']),
        entry(r1!.id, 'committee', 2, { good: 3, fair: 1 }, ['学习少', '台账不全 ']),
        // Counts differ: not counted.
        entry(r2!.id, 'committee', 1, { good: 2 }),
        entry(r2!.id, 'committee', 2, { good: 3 }),
        // Entered once: not counted.
        entry(r2!.id, 'masses', 1, { good: 5 }),
      ]);
    const rows = await queryRows<Record<string, number | string>>(
      db(),
      sql`
      select reporter_id, category, good, fair, average, poor, invalid from ${matchedPaperTallies(sql`select ${round!.id}::int`)} p`,
    );
    expect(rows.map((r) => ({ ...r, reporter_id: Number(r.reporter_id) }))).toEqual([
      { reporter_id: r1!.id, category: 'committee', good: 3, fair: 1, average: 0, poor: 0, invalid: 0 },
    ]);
    const entries = await queryRows<{ n: number }>(
      db(),
      sql`
      select count(*)::int as n from ballots_v_paper_entries where round_id = ${round!.id}`,
    );
    expect(entries[0]!.n).toBe(5);
  });

  it('the 0030 views keep every row of their base table (projections, no filter)', async () => {
    const c = await buildCampaign(db(), {
      organizerOrgId: w.townB.id,
      state: 'published',
      reporterOrgIds: [w.villageB1.id],
    });
    await buildMeeting(db(), { campaignId: c.id });
    for (const [view, table] of Object.entries(PROJECTIONS)) {
      const [row] = await queryRows<{ v: number; b: number }>(
        db(),
        sql`
        select (select count(*)::int from ${sql.identifier(view)}) as v, (select count(*)::int from ${sql.identifier(table)}) as b`,
      );
      expect({ view, n: row!.v }).toEqual({ view, n: row!.b });
    }
    const [camp] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from campaigns_v_campaigns where id = ${c.id}`,
    );
    expect(camp!.n).toBe(1);
  });
});
