import { sql } from 'drizzle-orm';
import { methodLabel, sectionTotals, totalPoints } from '../../../domain/checklist';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertViewReporter, canViewAll } from './policy';
import { checklistFor, getReporterCtx, isTeamMember, listScores } from './repo';

/** One reporter's scoring sheet: its checklist by section with the scores given so far. */
export async function getSheet(db: DbOrTx, user: AuthUser, reporterId: number) {
  const ctx = await getReporterCtx(db, reporterId, user);
  const member = await isTeamMember(db, ctx.teamId, user.id);
  assertViewReporter(user, ctx.campaign, member);
  const list = await checklistFor(db, ctx);
  const scores = await listScores(db, reporterId);
  const items = (list?.items ?? []).map((i) => ({ ...i, methodLabel: methodLabel(i.method) }));
  const itemIds = new Set(items.map((i) => i.id));
  const own = scores.filter((s) => itemIds.has(s.itemId));
  const [completedBy] = ctx.completedAt
    ? await queryRows<{ name: string }>(
        db,
        sql`
    select u.display_name as name from assessment_assignments a join auth_v_users u on u.id = a.completed_by where a.reporter_id = ${reporterId}`,
      )
    : [];
  return {
    reporter: {
      id: ctx.reporterId,
      orgName: ctx.orgName,
      secretaryName: ctx.secretaryName,
      tierKey: ctx.tierKey,
      teamId: ctx.teamId,
      teamName: ctx.teamName,
      completedAt: ctx.completedAt,
      completedByName: completedBy?.name ?? null,
    },
    campaign: { id: ctx.campaign.id, title: ctx.campaign.title, year: ctx.campaign.year, state: ctx.campaign.state },
    checklist: list
      ? {
          id: list.id,
          title: list.title,
          total: totalPoints(items.map((i) => i.maxPoints)),
          sections: sectionTotals(items),
        }
      : null,
    items,
    scores: own,
    summary: {
      items: items.length,
      scored: own.length,
      failed: own.filter((s) => s.failed).length,
      score: totalPoints(own.map((s) => s.score)),
    },
    canScore: user.role === 'assessor' && member && !ctx.completedAt && ctx.campaign.state !== 'archived',
    canReopen: user.role === 'org_admin' && canViewAll(user, ctx.campaign) && !!ctx.completedAt,
  };
}
