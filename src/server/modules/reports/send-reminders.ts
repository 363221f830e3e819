/**
 * 催报 (R-REP-4 "reminders and overdue flags on the task list"): a reviewer or the organizer reminds
 * reporters whose report is still with the secretary — not started, a draft, returned or ordered
 * rewritten — one at a time or all of a filtered list. Each reminder is a row the secretary sees on
 * their task list with time and sender, and an audit row, written in one transaction.
 */
import { onBranch } from '../../../domain/roles';
import { and, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { escapeLike, type DbOrTx } from '../../db/connect';
import { reportReminders, reports } from '../../db/schema';
import { campaignRows, reporterRows } from '../campaigns/row-sources';
import { orgUnits, orgUnitsAs } from '../organizations/row-sources';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { baseQuery, present } from './list-tasks';
import { formatDateProse } from '../../../domain/calendar';
import { MAX_REMINDERS } from './schemas';

/** States in which the report waits for the secretary, so a reminder makes sense. */
const AWAITING = new Set(['none', 'draft', 'returned', 'rewrite_ordered']);
/** A second reminder to the same reporter within this time is skipped (a double click, two reviewers). */
const QUIET_MS = 10 * 60 * 1000;

export interface RemindInput {
  reporterIds?: number[];
  /** Every reporter of the reviewer's queue matching this filter (the list as shown). */
  all?: { campaignId?: number; q?: string; overdue?: boolean; state?: string };
  message?: string;
}

const reportTo = orgUnitsAs('report_to');

export async function sendReminders(db: DbOrTx, user: AuthUser, actor: AuditActor, input: RemindInput, today: string) {
  if (!['leader', 'org_admin'].includes(user.role) || !user.scopePath) {
    throw new AppError('FORBIDDEN', '只有审核人或组织方可以催报');
  }
  if (!input.reporterIds?.length === !input.all) {
    throw new AppError('VALIDATION', '请选择要催报的述职对象，或选择“全部催报”', { field: 'reporterIds' });
  }
  const inScope = sql`${reportTo.path} like ${`${escapeLike(user.scopePath)}%`}`;
  let where: SQL | undefined;
  if (input.reporterIds?.length) {
    const ids = [...new Set(input.reporterIds)];
    // Every named reporter must exist and be within the sender's scope, or nothing is sent.
    const rows = await db
      .select({ id: reporterRows.id, ok: sql<boolean>`${inScope}`, path: reportTo.path })
      .from(reporterRows)
      .innerJoin(reportTo, eq(reportTo.id, reporterRows.reportToOrgId))
      .where(inArray(reporterRows.id, ids));
    // Another county's reporter is answered as a missing one (issue 15).
    const known = rows.filter((k) => onBranch(k.path, user.scopePath));
    if (known.length !== ids.length) throw new AppError('NOT_FOUND', '所选述职对象不存在');
    if (known.some((k) => !k.ok)) throw new AppError('FORBIDDEN', '只能向本级及下级听取述职的对象催报');
    where = and(inArray(reporterRows.id, ids), isNull(reporterRows.removedAt));
  } else {
    const f = input.all!;
    where = and(
      inScope,
      isNull(reporterRows.removedAt),
      f.campaignId ? eq(reporterRows.campaignId, f.campaignId) : undefined,
      f.q ? sql`${orgUnits.name} ilike ${`%${escapeLike(f.q)}%`}` : undefined,
      f.state === 'none' ? isNull(reports.id) : f.state ? eq(reports.state, f.state) : undefined,
    );
  }
  const rows = await baseQuery(db, and(where, eq(campaignRows.state, 'published')))
    .orderBy(orgUnits.name)
    .limit(MAX_REMINDERS + 1);
  if (rows.length > MAX_REMINDERS) throw new AppError('VALIDATION', `一次最多催报${MAX_REMINDERS}个述职对象，请先筛选`);
  const items = rows
    .map((r) => ({ row: r, task: present(r, today) }))
    .filter((x) => !input.all?.overdue || x.task.overdue);
  if (!items.length) throw new AppError('NOT_FOUND', '没有可催报的述职对象（述职评议考核须已发布且未结束）');

  return db.transaction(async (tx) => {
    const since = new Date(actor.at.getTime() - QUIET_MS);
    const recent = new Set(
      (
        await tx
          .select({ reporterId: reportReminders.reporterId })
          .from(reportReminders)
          .where(
            and(
              inArray(
                reportReminders.reporterId,
                items.map((x) => x.task.reporterId),
              ),
              gt(reportReminders.createdAt, since),
            ),
          )
      ).map((r) => r.reporterId),
    );
    const sent: string[] = [];
    const skipped: { orgName: string; reason: string }[] = [];
    for (const { row, task } of items) {
      if (!AWAITING.has(task.state)) {
        skipped.push({ orgName: task.orgName, reason: `述职报告为「${task.stateLabel}」，无需催报` });
        continue;
      }
      if (recent.has(task.reporterId)) {
        skipped.push({ orgName: task.orgName, reason: '10分钟内已催报过' });
        continue;
      }
      const message =
        input.message?.trim() ||
        (task.overdue
          ? `述职报告已超过报送截止日期（${formatDateProse(task.dueDate)}），请尽快提交。`
          : task.dueDate
            ? `请于${formatDateProse(task.dueDate)}前提交述职报告。`
            : '请抓紧撰写并提交述职报告。');
      await tx.insert(reportReminders).values({
        reporterId: task.reporterId,
        campaignId: task.campaignId,
        orgId: task.orgId,
        reportState: task.state,
        overdue: task.overdue,
        dueDate: task.dueDate,
        message,
        senderId: user.id,
        senderName: user.displayName,
        createdAt: actor.at,
      });
      await writeAudit(tx, actor, {
        action: 'report.remind',
        targetType: 'campaign_reporter',
        targetId: task.reporterId,
        scopePath: row.orgPath,
        detail: { orgName: task.orgName, state: task.state, overdue: task.overdue, dueDate: task.dueDate, message },
      });
      sent.push(task.orgName);
    }
    return { sent, skipped };
  });
}
