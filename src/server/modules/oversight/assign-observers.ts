import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { ErrorCode } from '../../../domain/error-codes';
import { pathWithin } from '../../../domain/roles';
import { type DbOrTx, queryRows } from '../../db/connect';
import { observerAssignments } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManageObservers, OBSERVER_ROLES } from './policy';
import { descendantIds, getCampaignRef } from './repo';

export interface AssignInput {
  userIds: number[];
  subCampaignIds: number[];
  groupName?: string | null;
  leaderUserId?: number | null;
  note?: string | null;
}

const bad = (field: string, message: string, code: ErrorCode = 'VALIDATION') => new AppError(code, message, { field });

/**
 * Sends each person to each chosen sub-campaign (R-CAMP-6); with a group name this is one line of
 * the 分组名单 (002). All pairs are checked first so a bad one assigns nothing.
 */
export async function assignObservers(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: AssignInput,
) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertManageObservers(user, campaign);
    if (campaign.state === 'archived')
      throw new AppError('CAMPAIGN_ARCHIVED', '该述职评议考核已归档，不能再选派观察员');

    const userIds = [...new Set(input.userIds)];
    const subIds = [...new Set(input.subCampaignIds)];
    const groupName = input.groupName?.trim() || null;
    if (input.leaderUserId != null && !userIds.includes(input.leaderUserId)) {
      throw bad('leaderUserId', '组长须是本次选派的人员之一');
    }
    if (input.leaderUserId != null && !groupName) throw bad('groupName', '指定组长时须填写组别名称');

    const inTree = await descendantIds(tx, campaignId, subIds);
    const outside = subIds.filter((id) => !inTree.has(id));
    if (outside.length)
      throw bad('subCampaignIds', `所选方案不是本次述职评议考核的下级方案（编号 ${outside.join('、')}）`);

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
      from auth_v_users u left join organizations_v_units o on o.id = u.scope_org_id
      where u.id in (${sql.join(
        userIds.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    );
    const byId = new Map(people.map((p) => [p.id, p]));
    for (const id of userIds) {
      const p = byId.get(id);
      if (!p || !pathWithin(p.scope_path ?? '', user.scopePath))
        throw bad('userIds', `人员（编号 ${id}）不存在或不在本单位管理范围内`);
      if (p.disabled) throw bad('userIds', `「${p.display_name}」的账号已停用`);
      if (!OBSERVER_ROLES.includes(p.role as never)) throw bad('userIds', `「${p.display_name}」的角色不能担任观察员`);
    }

    const existing = await tx
      .select({ userId: observerAssignments.userId, subCampaignId: observerAssignments.subCampaignId })
      .from(observerAssignments)
      .where(
        and(
          isNull(observerAssignments.removedAt),
          inArray(observerAssignments.userId, userIds),
          inArray(observerAssignments.subCampaignId, subIds),
        ),
      );
    if (existing.length) {
      const names = [...new Set(existing.map((e) => byId.get(e.userId)!.display_name))].join('、');
      throw new AppError('ALREADY_ASSIGNED', `${names} 已被选派到所选方案，请勿重复选派`);
    }
    if (groupName && input.leaderUserId != null) {
      const [other] = await tx
        .select({ userId: observerAssignments.userId })
        .from(observerAssignments)
        .where(
          and(
            eq(observerAssignments.campaignId, campaignId),
            eq(observerAssignments.groupName, groupName),
            eq(observerAssignments.isLeader, true),
            isNull(observerAssignments.removedAt),
            ne(observerAssignments.userId, input.leaderUserId),
          ),
        )
        .limit(1);
      if (other) throw new AppError('GROUP_LEADER_EXISTS', `「${groupName}」已有组长，请先撤回原组长的选派`);
    }

    const rows = await tx
      .insert(observerAssignments)
      .values(
        userIds.flatMap((userId) =>
          subIds.map((subCampaignId) => ({
            campaignId,
            subCampaignId,
            userId,
            groupName,
            isLeader: userId === input.leaderUserId,
            note: input.note?.trim() || null,
            createdBy: user.id,
          })),
        ),
      )
      .returning({ id: observerAssignments.id });
    await writeAudit(tx, actor, {
      action: 'oversight.observer.assign',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: {
        assignmentIds: rows.map((r) => r.id),
        userIds,
        subCampaignIds: subIds,
        groupName,
        leaderUserId: input.leaderUserId ?? null,
      },
    });
    return { created: rows.length, ids: rows.map((r) => r.id) };
  });
}
