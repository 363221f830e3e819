import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { notFound } from '../../../domain/errors';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { type DbOrTx, queryRows } from '../../db/connect';
import { roundBallots } from './inbox';
import { ballotRounds } from '../../db/schema';
import { campaignRows, reporterRows } from '../campaigns/row-sources';
import { agendaItemRows, meetingRows } from '../meetings/row-sources';
import { orgUnits, secretaryRows } from '../organizations/row-sources';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

export type RoundRow = typeof ballotRounds.$inferSelect;

export interface Anonymity {
  minGroupSize: number;
  categories: Array<{ key: string; label: string }>;
}

export interface MeetingContext {
  meeting: { id: number; title: string; campaignId: number };
  settings: CampaignSettings;
  organizerPath: string;
  organizerName: string;
}

/** With a `viewer`, a meeting off the viewer's branch is not found, like a missing id (issue 15). */
export async function getMeetingContext(db: DbOrTx, meetingId: number, viewer?: AuthUser): Promise<MeetingContext> {
  const [row] = await db
    .select({
      id: meetingRows.id,
      title: meetingRows.title,
      campaignId: meetingRows.campaignId,
      settings: campaignRows.settings,
      organizerPath: orgUnits.path,
      organizerName: orgUnits.name,
    })
    .from(meetingRows)
    .innerJoin(campaignRows, eq(campaignRows.id, meetingRows.campaignId))
    .innerJoin(orgUnits, eq(orgUnits.id, campaignRows.organizerOrgId))
    .where(eq(meetingRows.id, meetingId));
  if (!row) throw notFound('述职评议会');
  hideOffBranch(viewer, row.organizerPath, '述职评议会');
  return {
    meeting: { id: row.id, title: row.title, campaignId: row.campaignId },
    settings: row.settings as CampaignSettings,
    organizerPath: row.organizerPath,
    organizerName: row.organizerName,
  };
}

/** The round with its meeting context; `lock` serializes state changes of one round. */
export async function getRound(db: DbOrTx, roundId: number, opts: { lock?: boolean; viewer?: AuthUser } = {}) {
  const q = db.select().from(ballotRounds).where(eq(ballotRounds.id, roundId));
  const [round] = opts.lock ? await q.for('no key update') : await q;
  if (!round) throw notFound('测评轮次');
  const ctx = await getMeetingContext(db, round.meetingId);
  hideOffBranch(opts.viewer, ctx.organizerPath, '测评轮次');
  return { round, ctx };
}

/** The round the console follows: the newest one not purged. */
export async function currentRound(db: DbOrTx, meetingId: number): Promise<RoundRow | null> {
  const [row] = await db
    .select()
    .from(ballotRounds)
    .where(and(eq(ballotRounds.meetingId, meetingId), ne(ballotRounds.state, 'purged')))
    .orderBy(desc(ballotRounds.id))
    .limit(1);
  return row ?? null;
}

export interface MeetingReporter {
  reporterId: number;
  orgName: string;
  role: string;
  position: number;
  secretaryName: string | null;
}

/** Reporters on the meeting's agenda, in speaking order; removed reporters are not rated. */
export async function meetingReporters(db: DbOrTx, meetingId: number): Promise<MeetingReporter[]> {
  return db
    .select({
      reporterId: reporterRows.id,
      orgName: orgUnits.name,
      role: reporterRows.role,
      position: agendaItemRows.position,
      secretaryName: secretaryRows.name,
    })
    .from(agendaItemRows)
    .innerJoin(reporterRows, eq(reporterRows.id, agendaItemRows.reporterId))
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .leftJoin(secretaryRows, eq(secretaryRows.id, reporterRows.secretaryId))
    .where(and(eq(agendaItemRows.meetingId, meetingId), sql`${reporterRows.removedAt} is null`))
    .orderBy(asc(agendaItemRows.position), asc(agendaItemRows.id));
}

/** Phone ballots stored per reporter, in the inbox or mixed (the live count; never the distribution). */
export async function receivedCounts(db: DbOrTx, roundId: number) {
  const rows = await queryRows<{ reporter_id: number; n: string | number }>(
    db,
    sql`
    select reporter_id, count(*) as n from ${await roundBallots(db, roundId)} b group by reporter_id`,
  );
  return new Map(rows.map((r) => [Number(r.reporter_id), Number(r.n)]));
}

/** Codes issued (live batches) and used (codes that rated at least one reporter), per category. */
export async function codeCounts(db: DbOrTx, roundId: number) {
  const rows = await queryRows<{ category: string; issued: string | number; used: string | number }>(
    db,
    sql`
    select c.category, count(*) as issued,
           count(*) filter (where exists (select 1 from ballot_code_uses u where u.code_id = c.id)) as used
    from ballot_codes c join ballot_code_batches b on b.id = c.batch_id
    where c.round_id = ${roundId} and b.voided_at is null
    group by c.category`,
  );
  return rows.map((r) => ({ category: r.category, issued: Number(r.issued), used: Number(r.used) }));
}

/** Code uses per reporter and category, for the reconciliation of each reporter. */
export async function usesByReporter(db: DbOrTx, roundId: number) {
  const rows = await queryRows<{ reporter_id: number; category: string; n: string | number }>(
    db,
    sql`
    select u.reporter_id, c.category, count(*) as n
    from ballot_code_uses u join ballot_codes c on c.id = u.code_id
    where c.round_id = ${roundId} group by u.reporter_id, c.category`,
  );
  return rows.map((r) => ({ reporterId: Number(r.reporter_id), category: r.category, used: Number(r.n) }));
}
