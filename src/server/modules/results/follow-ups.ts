import { eq, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import { type DbOrTx, escapeLike, queryRows } from '../../db/connect';
import { resultFollowUps } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManageResults, assertViewResults } from './policy';
import { getCampaignRef, today } from './repo';

export const FOLLOW_UP_LABELS: Record<string, string> = {
  talk: '约谈提醒',
  rectify: '限期整改',
  strengthen: '针对性加强',
  accountability: '追责问责',
};

export interface FollowUpRow {
  id: number;
  campaignId: number;
  reporterId: number;
  orgId: number;
  orgName: string;
  assigneeOrgId: number;
  assigneeName: string;
  assigneePath: string;
  kind: string;
  dueDate: string | null;
  state: string;
  overdue: boolean;
  recordDate: string | null;
  recordBy: string | null;
  recordContent: string | null;
}

const SELECT = sql`
  select f.id, f.campaign_id as "campaignId", f.reporter_id as "reporterId", f.org_id as "orgId", o.name as "orgName",
         f.assignee_org_id as "assigneeOrgId", a.name as "assigneeName", a.path as "assigneePath", f.kind,
         to_char(f.due_date, 'YYYY-MM-DD') as "dueDate", f.state,
         to_char(f.record_date, 'YYYY-MM-DD') as "recordDate", f.record_by as "recordBy", f.record_content as "recordContent"
  from result_follow_ups f join organizations_v_units o on o.id = f.org_id join organizations_v_units a on a.id = f.assignee_org_id`;

export async function listFollowUps(
  db: DbOrTx,
  user: AuthUser,
  now: Date,
  campaignId: number,
  filter: { kind?: string; state?: string; q?: string; overdue?: boolean },
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewResults(user, campaign);
  const day = today(now);
  const rows = await queryRows<Omit<FollowUpRow, 'overdue'>>(
    db,
    sql`${SELECT}
    where f.campaign_id = ${campaignId}
      ${filter.kind ? sql`and f.kind = ${filter.kind}` : sql``}
      ${filter.state ? sql`and f.state = ${filter.state}` : sql``}
      ${filter.q ? sql`and o.name like ${`%${escapeLike(filter.q)}%`}` : sql``}
      ${filter.overdue ? sql`and f.state = 'open' and f.due_date < ${day}` : sql``}
    order by f.due_date nulls last, o.code`,
  );
  return rows.map((r) => ({ ...r, overdue: r.state === 'open' && !!r.dueDate && r.dueDate < day }));
}

async function loadForUpdate(db: DbOrTx, id: number) {
  const [row] = await queryRows<Omit<FollowUpRow, 'overdue'>>(db, sql`${SELECT} where f.id = ${id} for update of f`);
  if (!row) throw notFound('结果运用事项');
  return row;
}

/**
 * The organization department of the level the reporter reports to records the talk (date, who, content) or the
 * accountability note and closes the task; the organizer's department may do it too.
 */
function assertAct(user: AuthUser, row: { assigneePath: string }, organizerPath: string) {
  if (
    user.role !== 'org_admin' ||
    !(pathWithin(row.assigneePath, user.scopePath) || pathWithin(organizerPath, user.scopePath))
  ) {
    throw new AppError('FORBIDDEN', '无权办理该结果运用事项');
  }
}

export interface FollowUpRecord {
  recordDate: string;
  recordBy: string;
  recordContent: string;
  done: boolean;
}

export async function recordFollowUp(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, input: FollowUpRecord) {
  return db.transaction(async (tx) => {
    const row = await loadForUpdate(tx, id);
    const campaign = await getCampaignRef(tx, row.campaignId, user, '结果运用事项');
    assertAct(user, row, campaign.organizerPath);
    if (row.state === 'done') throw new AppError('FOLLOW_UP_DONE');
    if (input.recordDate > today(actor.at))
      throw new AppError('VALIDATION', '办理日期不能晚于今天', { field: 'recordDate' });
    await tx
      .update(resultFollowUps)
      .set({
        recordDate: input.recordDate,
        recordBy: input.recordBy,
        recordContent: input.recordContent,
        ...(input.done ? { state: 'done', doneAt: actor.at, doneBy: user.id } : {}),
      })
      .where(eq(resultFollowUps.id, id));
    await writeAudit(tx, actor, {
      ...(input.done ? { action: 'results.follow_up.done' } : { action: 'results.follow_up.record' }),
      targetType: 'result_follow_up',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { kind: row.kind, orgName: row.orgName, ...input },
    });
    return { id, state: input.done ? 'done' : row.state };
  });
}

/** 问责 is decided case by case (R-USE-2 "serious cases"), so it is added by hand with its note. */
export async function addAccountability(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: { reporterId: number; note: string; dueDate: string | null },
) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertManageResults(user, campaign);
    const [r] = await queryRows<{ orgId: number; reportToOrgId: number }>(
      tx,
      sql`
      select org_id as "orgId", report_to_org_id as "reportToOrgId" from campaigns_v_reporters
      where id = ${input.reporterId} and campaign_id = ${campaignId} and removed_at is null`,
    );
    if (!r) throw new AppError('REPORTER_NOT_IN_CAMPAIGN', '该述职对象不属于本次述职评议考核', { field: 'reporterId' });
    const row = (
      await tx
        .insert(resultFollowUps)
        .values({
          campaignId,
          reporterId: input.reporterId,
          orgId: r.orgId,
          assigneeOrgId: r.reportToOrgId,
          kind: 'accountability',
          dueDate: input.dueDate,
          recordContent: input.note,
          createdBy: user.id,
        })
        .returning({ id: resultFollowUps.id })
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'results.follow_up.accountability',
      targetType: 'result_follow_up',
      targetId: row.id,
      scopePath: campaign.organizerPath,
      detail: input,
    });
    return row;
  });
}
