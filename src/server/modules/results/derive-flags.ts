import { assertPhaseOpen } from '../campaigns/phase-gate';
import { sql } from 'drizzle-orm';
import type { Grade } from '../../../domain/grades';
import { resultFlags, type YearGrade } from '../../../domain/result-flags';
import { type DbOrTx, queryRows } from '../../db/connect';
import { resultFlags as flagsTable, resultFollowUps } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManageResults } from './policy';
import { addDays, assertLocked, getCampaignRef, gradedReporters } from './repo';

export interface DeriveOptions {
  /** 约谈提醒 within this many days of the decision. */
  talkDueDays: number;
  /** 限期整改 deadline, days after the decision. */
  rectifyDueDays: number;
  /** Strengthening plan for 三年较好 organizations, days after the decision. */
  strengthenDueDays: number;
}

const FOLLOW_UP_OF: Partial<Record<string, { kind: string; due: keyof DeriveOptions }>> = {
  talk: { kind: 'talk', due: 'talkDueDays' },
  rectify: { kind: 'rectify', due: 'rectifyDueDays' },
  three_years_fair: { kind: 'strengthen', due: 'strengthenDueDays' },
};

/**
 * Turns the locked grades into flags (R-USE-1…3) and follow-up tasks for the level each reporter reports to.
 * Earlier years come from locked evaluations of any campaign the organization reported in. Re-running adds only
 * what is missing, so it is safe after a late lock of last year's round; nothing already recorded is touched.
 */
export async function deriveResultFlags(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  opts: DeriveOptions,
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageResults(user, campaign);
  const { lockedAt } = await assertLocked(db, campaignId);
  await assertPhaseOpen(db, campaignId, 'results.derive', actor.at);
  const reporters = (await gradedReporters(db, campaignId)).filter((r) => r.grade);
  const orgIds = reporters.map((r) => r.orgId);
  const history = orgIds.length
    ? await queryRows<{ orgId: number; year: number; grade: Grade }>(
        db,
        sql`
        select distinct on (r.org_id, c.year) r.org_id as "orgId", c.year, er.final_grade as grade
        from evaluation_v_results er
        join evaluation_v_state e on e.campaign_id = er.campaign_id and e.state = 'locked'
        join campaigns_v_reporters r on r.id = er.reporter_id and r.role = 'reporter'
        join campaigns_v_campaigns c on c.id = er.campaign_id
        where r.org_id in (${sql.join(
          orgIds.map((id) => sql`${id}`),
          sql`, `,
        )})
          and c.year between ${campaign.year - 2} and ${campaign.year - 1} and er.final_grade is not null
        order by r.org_id, c.year, e.locked_at desc`,
      )
    : [];
  const byOrg = new Map<number, YearGrade[]>();
  for (const h of history) byOrg.set(h.orgId, [...(byOrg.get(h.orgId) ?? []), { year: h.year, grade: h.grade }]);

  return db.transaction(async (tx) => {
    let flags = 0;
    let followUps = 0;
    for (const r of reporters) {
      for (const f of resultFlags({ year: campaign.year, grade: r.grade! }, byOrg.get(r.orgId) ?? [])) {
        const inserted = await tx
          .insert(flagsTable)
          .values({ campaignId, reporterId: r.reporterId, orgId: r.orgId, code: f.code, detail: f.message })
          .onConflictDoNothing()
          .returning({ id: flagsTable.id });
        flags += inserted.length;
        const follow = FOLLOW_UP_OF[f.code];
        if (!follow) continue;
        const [exists] = await queryRows<{ id: number }>(
          tx,
          sql`
          select id from result_follow_ups where reporter_id = ${r.reporterId} and kind = ${follow.kind} limit 1`,
        );
        if (exists) continue;
        await tx.insert(resultFollowUps).values({
          campaignId,
          reporterId: r.reporterId,
          orgId: r.orgId,
          assigneeOrgId: r.reportToOrgId,
          kind: follow.kind,
          dueDate: addDays(lockedAt, opts[follow.due]),
          createdBy: user.id,
        });
        followUps += 1;
      }
    }
    await writeAudit(tx, actor, {
      action: 'results.derive',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: { flags, followUps, ...opts },
    });
    return { flags, followUps };
  });
}
