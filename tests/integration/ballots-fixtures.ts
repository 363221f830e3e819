import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildFromTemplate } from '../../src/domain/campaign-templates';
import { startPhases } from '../../src/domain/campaign-phases';
import { type Db, queryRows } from '../../src/server/db/connect';
import { roundBallots } from '../../src/server/modules/ballots/inbox';
import { campaignReporters, campaigns, meetingAgendaItems, meetings } from '../../src/server/db/schema';
import { issueCodes } from '../../src/server/modules/ballots/issue-codes';
import { buildOrg, buildSecretary, buildTwoCounties, buildUser, openPhases, signIn, type Session } from '../factories';
import { shanghaiDate } from '../../src/domain/calendar';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

const actor = (id: number) => ({ actorId: id, actorName: 'test', ip: null, at: new Date() });

/**
 * A township campaign (seed 003 template: 附件1 + 附件2 下评) with two village reporters and the township's own
 * secretary as the 'downward' reporter, one meeting with all three on the agenda. Inserted directly: the
 * campaigns and meetings modules are built by others.
 */
export async function buildBallotWorld(db: Db, app: FastifyInstance) {
  const t = await buildTwoCounties(db);
  const villageA3 = await buildOrg(db, { parent: t.townA, name: '甲一镇北村党支部', code: 'A-T1-V3' });
  for (const o of [t.townA, t.villageA1, t.villageA2, villageA3])
    await buildSecretary(db, o.id, { name: `${o.name}书记` });
  const { settings, title } = buildFromTemplate('003', 2025);
  const [campaign] = await db
    .insert(campaigns)
    .values({
      organizerOrgId: t.townA.id,
      year: 2025,
      title,
      templateId: '003',
      state: 'published',
      settings,
      phases: startPhases(settings.phases),
    })
    .returning();
  const reporter = async (orgId: number, role: string) =>
    (
      await db
        .insert(campaignReporters)
        .values({
          campaignId: campaign!.id,
          orgId,
          reportToOrgId: t.townA.id,
          role,
          tierKey: settings.reporterTiers[0]!.key,
        })
        .returning()
    )[0]!;
  const r1 = await reporter(t.villageA1.id, 'reporter');
  const r2 = await reporter(t.villageA2.id, 'reporter');
  const down = await reporter(t.townA.id, 'downward');
  const offAgenda = await reporter(villageA3.id, 'reporter');
  // The meeting is held on the app clock's day, in its open meeting phase (R-CAMP-8: voting opens on the meeting's day).
  const now = app.deps.clock.now();
  await openPhases(db, campaign!.id, ['meeting'], now);
  const [meeting] = await db
    .insert(meetings)
    .values({
      campaignId: campaign!.id,
      title: '甲一镇2025年度党组织书记抓基层党建工作述职评议会',
      meetingDate: shanghaiDate(now),
      place: '镇会议室',
    })
    .returning();
  let pos = 0;
  for (const r of [r1, r2, down])
    await db.insert(meetingAgendaItems).values({ meetingId: meeting!.id, reporterId: r.id, position: ++pos });

  const admin = await buildUser(db, { role: 'org_admin', scopeOrgId: t.countyA.id });
  const admin2 = await buildUser(db, { role: 'org_admin', scopeOrgId: t.townA.id });
  const otherCounty = await buildUser(db, { role: 'org_admin', scopeOrgId: t.countyB.id });
  const secretary = await buildUser(db, { role: 'secretary', orgId: t.villageA1.id });
  const leader = await buildUser(db, { role: 'leader', scopeOrgId: t.countyA.id });
  const sessions = {
    admin: await signIn(app, admin.username),
    admin2: await signIn(app, admin2.username),
    otherCounty: await signIn(app, otherCounty.username),
    secretary: await signIn(app, secretary.username),
    leader: await signIn(app, leader.username),
  };
  return {
    ...t,
    campaign: campaign!,
    settings,
    meeting: meeting!,
    reporters: [r1, r2, down],
    r1,
    r2,
    down,
    offAgenda,
    users: { admin, admin2, otherCounty, secretary, leader },
    sessions,
  };
}
export type BallotWorld = Awaited<ReturnType<typeof buildBallotWorld>>;

/**
 * One more meeting of the world's campaign on the same day with the same agenda (r1, r2, the 下评): a meeting holds one
 * real round, so a test that needs a round of its own takes a meeting of its own.
 */
export async function buildBallotMeeting(db: Db, w: BallotWorld, title = '甲一镇述职评议会（另一场）') {
  const [meeting] = await db
    .insert(meetings)
    .values({
      campaignId: w.campaign.id,
      title,
      meetingDate: w.meeting.meetingDate,
      place: w.meeting.place,
    })
    .returning();
  let pos = 0;
  for (const r of w.reporters)
    await db.insert(meetingAgendaItems).values({ meetingId: meeting!.id, reporterId: r.id, position: ++pos });
  return meeting!;
}

/** Creates a round over HTTP and prints codes through the use case (the route answers only with the PDF). */
export async function roundWithCodes(
  db: Db,
  w: BallotWorld,
  opts: { mode?: 'rehearsal' | 'real'; codes?: Record<string, number>; open?: boolean } = {},
) {
  const res = await w.sessions.admin.post(`/api/meetings/${w.meeting.id}/ballot-rounds`, { mode: opts.mode ?? 'real' });
  if (res.statusCode !== 200) throw new Error(res.body);
  const round = res.json() as { id: number; roomCode: string };
  const codes: Record<string, string[]> = {};
  for (const [category, count] of Object.entries(opts.codes ?? { committee: 10 })) {
    codes[category] = (
      await issueCodes(
        db,
        { ...w.users.admin, scopePath: w.countyA.path, role: 'org_admin' } as any,
        actor(w.users.admin.id),
        round.id,
        category,
        count,
      )
    ).codes;
  }
  if (opts.open !== false) {
    const o = await w.sessions.admin.post(`/api/ballot-rounds/${round.id}/open`, {});
    if (o.statusCode !== 200) throw new Error(o.body);
  }
  return { round, codes };
}

export const vote = (app: FastifyInstance, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/vote/ballots', payload: body as object, headers });

/** Phone ballots stored anywhere: mixed into `ballots`, or in a round's inbox (voting, rehearsals). */
export const ballotCount = async (db: Db) => {
  const inboxes = await queryRows<{ name: string }>(
    db,
    sql`
    select tablename as name from pg_tables where schemaname = current_schema() and tablename like 'ballot\_inbox\_r%'`,
  );
  let n = Number((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ballots`))[0]!.n);
  for (const t of inboxes)
    n += Number(
      (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(t.name)}`))[0]!.n,
    );
  return n;
};

/** The phone ballots of one round, wherever they are stored now. */
export const roundBallotRows = async (db: Db, roundId: number) =>
  queryRows<{
    reporter_id: number;
    category: string;
    grade: string;
    problems: string | null;
    suggestions: string | null;
  }>(db, sql`select * from ${await roundBallots(db, roundId)} b`);

export { eq };
export type { Session };
