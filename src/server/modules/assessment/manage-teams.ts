import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import { type DbOrTx, queryRows } from '../../db/connect';
import { assessmentAssignments, assessmentTeamMembers, assessmentTeams } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertNotArchived, assertOrganize } from './policy';
import { type CampaignRef, getCampaignRef } from './repo';

export interface TeamInput {
  name: string;
  leaderName?: string | null;
  memberIds: number[];
  reporterIds: number[];
}

const bad = (field: string, message: string) => new AppError('VALIDATION', message, { field });
const ids = (xs: number[]) =>
  sql.join(
    xs.map((i) => sql`${i}`),
    sql`, `,
  );

/** Members are enabled assessor accounts inside the organizer's subtree. */
async function checkMembers(tx: DbOrTx, campaign: CampaignRef, memberIds: number[]) {
  if (!memberIds.length) return;
  const people = await queryRows<{
    id: number;
    display_name: string;
    role: string;
    disabled: boolean;
    scope_path: string | null;
  }>(
    tx,
    sql`
    select u.id, u.display_name, u.role, u.disabled, o.path as scope_path
    from auth_v_users u left join organizations_v_units o on o.id = u.scope_org_id where u.id in (${ids(memberIds)})`,
  );
  const byId = new Map(people.map((p) => [p.id, p]));
  for (const id of memberIds) {
    const p = byId.get(id);
    if (!p || !pathWithin(p.scope_path ?? '', campaign.organizerPath))
      throw bad('memberIds', `人员（编号 ${id}）不存在或不在本级管理范围内`);
    if (p.role !== 'assessor') throw bad('memberIds', `「${p.display_name}」不是考评组成员账号`);
    if (p.disabled) throw bad('memberIds', `「${p.display_name}」的账号已停用`);
  }
}

/** Reporters of this campaign, each in at most one team. */
async function checkReporters(tx: DbOrTx, campaignId: number, reporterIds: number[], teamId: number | null) {
  if (!reporterIds.length) return;
  const rows = await queryRows<{ id: number; org_name: string; team_id: number | null; team_name: string | null }>(
    tx,
    sql`
    select r.id, o.name as org_name, a.team_id, t.name as team_name
    from campaigns_v_reporters r join organizations_v_units o on o.id = r.org_id
    left join assessment_assignments a on a.reporter_id = r.id
    left join assessment_teams t on t.id = a.team_id
    where r.id in (${ids(reporterIds)}) and r.campaign_id = ${campaignId} and r.removed_at is null and r.role = 'reporter'`,
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = reporterIds.filter((id) => !found.has(id));
  if (missing.length) throw bad('reporterIds', `述职对象（编号 ${missing.join('、')}）不属于本次述职评议考核`);
  const taken = rows.filter((r) => r.team_id != null && r.team_id !== teamId);
  if (taken.length) {
    throw new AppError(
      'ALREADY_ASSIGNED',
      `${taken.map((r) => `${r.org_name}（${r.team_name}）`).join('、')} 已分配给其他考评组，每个述职对象只能由一个考评组考核`,
    );
  }
}

export async function createTeam(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number, input: TeamInput) {
  const memberIds = [...new Set(input.memberIds)];
  const reporterIds = [...new Set(input.reporterIds)];
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertOrganize(user, campaign);
    assertNotArchived(campaign);
    const name = input.name.trim();
    const [dup] = await queryRows<{ id: number }>(
      tx,
      sql`
      select id from assessment_teams where campaign_id = ${campaignId} and name = ${name} and removed_at is null`,
    );
    if (dup) throw new AppError('TEAM_EXISTS', `考评组「${name}」已存在`);
    await checkMembers(tx, campaign, memberIds);
    await checkReporters(tx, campaignId, reporterIds, null);
    const team = (
      await tx
        .insert(assessmentTeams)
        .values({
          campaignId,
          name,
          leaderName: input.leaderName?.trim() || null,
          createdBy: user.id,
          createdAt: actor.at,
        })
        .returning({ id: assessmentTeams.id })
    )[0]!;
    if (memberIds.length)
      await tx.insert(assessmentTeamMembers).values(memberIds.map((userId) => ({ teamId: team.id, userId })));
    if (reporterIds.length) {
      await tx
        .insert(assessmentAssignments)
        .values(reporterIds.map((reporterId) => ({ teamId: team.id, reporterId, createdAt: actor.at })));
    }
    await writeAudit(tx, actor, {
      action: 'assessment.team.create',
      targetType: 'assessment_team',
      targetId: team.id,
      scopePath: campaign.organizerPath,
      detail: { campaignId, name, leaderName: input.leaderName ?? null, memberIds, reporterIds },
    });
    return { id: team.id };
  });
}

async function loadTeam(tx: DbOrTx, id: number) {
  const [team] = await queryRows<{ id: number; campaign_id: number; name: string; leader_name: string | null }>(
    tx,
    sql`
    select id, campaign_id, name, leader_name from assessment_teams where id = ${id} and removed_at is null`,
  );
  if (!team) throw notFound('考评组');
  return team;
}

/** Replaces the given lists; a reporter whose assessment is complete cannot leave the team (reopen first). */
export async function updateTeam(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, input: Partial<TeamInput>) {
  return db.transaction(async (tx) => {
    const team = await loadTeam(tx, id);
    const campaign = await getCampaignRef(tx, team.campaign_id, user, '考评组');
    assertOrganize(user, campaign);
    assertNotArchived(campaign);
    const patch: Partial<typeof assessmentTeams.$inferInsert> = {};
    if (input.name !== undefined) {
      const name = input.name.trim();
      const [dup] = await queryRows<{ id: number }>(
        tx,
        sql`
        select id from assessment_teams where campaign_id = ${team.campaign_id} and name = ${name} and removed_at is null and id <> ${id}`,
      );
      if (dup) throw new AppError('TEAM_EXISTS', `考评组「${name}」已存在`);
      patch.name = name;
    }
    if (input.leaderName !== undefined) patch.leaderName = input.leaderName?.trim() || null;
    const detail: Record<string, unknown> = { before: { name: team.name, leaderName: team.leader_name } };
    if (input.memberIds) {
      const memberIds = [...new Set(input.memberIds)];
      await checkMembers(tx, campaign, memberIds);
      await tx.delete(assessmentTeamMembers).where(eq(assessmentTeamMembers.teamId, id));
      if (memberIds.length)
        await tx.insert(assessmentTeamMembers).values(memberIds.map((userId) => ({ teamId: id, userId })));
      detail.memberIds = memberIds;
    }
    if (input.reporterIds) {
      const reporterIds = [...new Set(input.reporterIds)];
      await checkReporters(tx, team.campaign_id, reporterIds, id);
      const current = await queryRows<{ reporter_id: number; completed: boolean; org_name: string }>(
        tx,
        sql`
        select a.reporter_id, a.completed_at is not null as completed, o.name as org_name
        from assessment_assignments a join campaigns_v_reporters r on r.id = a.reporter_id join organizations_v_units o on o.id = r.org_id
        where a.team_id = ${id}`,
      );
      const leaving = current.filter((c) => !reporterIds.includes(c.reporter_id));
      const locked = leaving.filter((c) => c.completed);
      if (locked.length)
        throw new AppError(
          'ASSESSMENT_COMPLETED',
          `${locked.map((c) => c.org_name).join('、')} 已完成实地考核，不能调出考评组，请先退回`,
        );
      if (leaving.length) {
        await tx.delete(assessmentAssignments).where(
          and(
            eq(assessmentAssignments.teamId, id),
            inArray(
              assessmentAssignments.reporterId,
              leaving.map((c) => c.reporter_id),
            ),
          ),
        );
      }
      const have = new Set(current.map((c) => c.reporter_id));
      const joining = reporterIds.filter((r) => !have.has(r));
      if (joining.length)
        await tx
          .insert(assessmentAssignments)
          .values(joining.map((reporterId) => ({ teamId: id, reporterId, createdAt: actor.at })));
      detail.reporterIds = reporterIds;
    }
    if (Object.keys(patch).length) await tx.update(assessmentTeams).set(patch).where(eq(assessmentTeams.id, id));
    await writeAudit(tx, actor, {
      action: 'assessment.team.update',
      targetType: 'assessment_team',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { ...detail, after: patch },
    });
    return { id };
  });
}

/** Removing a team frees its reporters for another; refused while any of them is completed. */
export async function removeTeam(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number) {
  return db.transaction(async (tx) => {
    const team = await loadTeam(tx, id);
    const campaign = await getCampaignRef(tx, team.campaign_id, user, '考评组');
    assertOrganize(user, campaign);
    assertNotArchived(campaign);
    const { completed } = (
      await queryRows<{ completed: number }>(
        tx,
        sql`
      select count(*)::int as completed from assessment_assignments where team_id = ${id} and completed_at is not null`,
      )
    )[0]!;
    if (completed) throw new AppError('ASSESSMENT_COMPLETED', `该考评组已有${completed}个述职对象完成考核，不能删除`);
    await tx.delete(assessmentAssignments).where(eq(assessmentAssignments.teamId, id));
    await tx.delete(assessmentTeamMembers).where(eq(assessmentTeamMembers.teamId, id));
    await tx.update(assessmentTeams).set({ removedAt: actor.at }).where(eq(assessmentTeams.id, id));
    await writeAudit(tx, actor, {
      action: 'assessment.team.remove',
      targetType: 'assessment_team',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { campaignId: team.campaign_id, name: team.name },
    });
    return { ok: true as const };
  });
}
