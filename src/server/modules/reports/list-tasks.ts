import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { validateSettings } from '../../../domain/campaign-settings';
import { AppError } from '../../../domain/errors';
import { escapeLike, type DbOrTx } from '../../db/connect';
import { reportReminders, reports } from '../../db/schema';
import { campaignRows, reporterRows } from '../campaigns/row-sources';
import { agendaItemRows, meetingRows } from '../meetings/row-sources';
import { orgUnits, orgUnitsAs } from '../organizations/row-sources';
import type { AuthUser } from '../../http/context';
import { computeDueDate } from './due-date';
import type { StepKey } from '../../../domain/phase-gates';
import { stepPhase } from '../campaigns/phase-gate';
import { STATE_LABELS, type ReportState } from '../../../domain/report-review';

const reportTo = orgUnitsAs('report_to');

interface Row {
  reporterId: number;
  campaignId: number;
  campaignTitle: string;
  campaignState: string;
  settings: unknown;
  phases: unknown;
  orgId: number;
  orgName: string;
  orgPath: string;
  reportToName: string;
  reportId: number | null;
  state: string | null;
  charCount: number | null;
  submittedAt: Date | null;
  updatedAt: Date | null;
  publishedAt: Date | null;
  meetingDate: string | null;
  lastRemindedAt: string | null;
}

// The latest meeting a reporter is on the agenda of (a correlated subquery keeps the row count 1:1).
const meetingDate = sql<string | null>`(
  select max(${meetingRows.meetingDate})::text from ${agendaItemRows}
  join ${meetingRows} on ${meetingRows.id} = ${agendaItemRows.meetingId}
  where ${agendaItemRows.reporterId} = ${reporterRows.id})`;

// The latest 催报 of a reporter, as an ISO instant (a correlated subquery keeps the row count 1:1).
const lastRemindedAt = sql<string | null>`(
  select to_char(max(${reportReminders.createdAt}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from ${reportReminders}
  where ${reportReminders.reporterId} = ${reporterRows.id})`;

export function baseQuery(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      reporterId: reporterRows.id,
      campaignId: campaignRows.id,
      campaignTitle: campaignRows.title,
      campaignState: campaignRows.state,
      settings: campaignRows.settings,
      phases: campaignRows.phases,
      orgId: orgUnits.id,
      orgName: orgUnits.name,
      orgPath: orgUnits.path,
      reportToName: reportTo.name,
      reportId: reports.id,
      state: reports.state,
      charCount: reports.charCount,
      submittedAt: reports.submittedAt,
      updatedAt: reports.updatedAt,
      publishedAt: reports.publishedAt,
      meetingDate,
      lastRemindedAt,
    })
    .from(reporterRows)
    .innerJoin(campaignRows, eq(campaignRows.id, reporterRows.campaignId))
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .innerJoin(reportTo, eq(reportTo.id, reporterRows.reportToOrgId))
    .leftJoin(reports, eq(reports.reporterId, reporterRows.id))
    .where(where);
}

export function present(r: Row, today: string) {
  const settings = validateSettings(r.settings);
  const phase = (r.phases as { key: string; start: string }[]).find((p) => p.key === 'meeting');
  const due = computeDueDate({
    meetingDate: r.meetingDate,
    meetingPhaseStart: phase?.start ?? null,
    dueDaysBeforeMeeting: settings.report.dueDaysBeforeMeeting,
    today,
    submitted: r.submittedAt !== null,
  });
  const state = (r.state ?? 'none') as ReportState | 'none';
  // The next step of this report and the phase it waits for (R-CAMP-8).
  const step: StepKey | null =
    state === 'none' || state === 'draft'
      ? settings.report.lateSubmissionAllowed
        ? 'report.revise'
        : 'report.submit'
      : state === 'returned' || state === 'rewrite_ordered'
        ? 'report.revise'
        : ['submitted', 'resubmitted'].includes(state)
          ? 'report.review'
          : state === 'approved' && settings.report.supervisorSignOffRequired
            ? 'report.sign'
            : null;
  return {
    task: '撰写述职报告',
    reporterId: r.reporterId,
    campaignId: r.campaignId,
    campaignTitle: r.campaignTitle,
    orgId: r.orgId,
    orgName: r.orgName,
    reportToName: r.reportToName,
    reportId: r.reportId,
    state,
    stateLabel: state === 'none' ? '未开始' : STATE_LABELS[state],
    charCount: r.charCount ?? 0,
    submittedAt: r.submittedAt?.toISOString() ?? null,
    updatedAt: r.updatedAt?.toISOString() ?? null,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    meetingDate: due.meetingDate,
    dueDate: due.dueDate,
    daysLeft: due.daysLeft,
    // A round that has ended owes nothing any more: its reports never handed in are history, not overdue work.
    overdue: due.overdue && r.campaignState === 'published',
    // Reminder shown on the task list in the last three days before the due date.
    dueSoon:
      !due.overdue &&
      r.campaignState === 'published' &&
      r.submittedAt === null &&
      due.daysLeft !== null &&
      due.daysLeft <= 3,
    lateSubmissionAllowed: settings.report.lateSubmissionAllowed,
    lastRemindedAt: r.lastRemindedAt,
    phase: step ? stepPhase(r.phases, step, today) : null,
  };
}
export type TaskItem = ReturnType<typeof present>;

/** A secretary's "撰写述职报告" tasks: their organization in every published campaign. */
export async function listMyTasks(db: DbOrTx, user: AuthUser, today: string) {
  if (user.role !== 'secretary' || !user.orgId) return { items: [] as (TaskItem & { reminders: Reminder[] })[] };
  const rows = await baseQuery(
    db,
    and(eq(reporterRows.orgId, user.orgId), isNull(reporterRows.removedAt), eq(campaignRows.state, 'published')),
  ).orderBy(asc(campaignRows.year), asc(reporterRows.id));
  const reminders = await remindersOf(
    db,
    rows.map((r) => r.reporterId),
  );
  return { items: rows.map((r) => ({ ...present(r, today), reminders: reminders.get(r.reporterId) ?? [] })) };
}

export interface Reminder {
  id: number;
  at: string;
  senderName: string;
  message: string;
  overdue: boolean;
}

/** The latest reminders per reporter, for a secretary's task list. */
export async function remindersOf(db: DbOrTx, reporterIds: number[], perReporter = 5) {
  if (!reporterIds.length) return new Map<number, Reminder[]>();
  // The newest few per reporter, ranked in SQL so one much-reminded reporter does not crowd out the rest.
  const ranked = db
    .select({
      id: reportReminders.id,
      reporterId: reportReminders.reporterId,
      at: reportReminders.createdAt,
      senderName: reportReminders.senderName,
      message: reportReminders.message,
      overdue: reportReminders.overdue,
      rn: sql<number>`row_number() over (partition by ${reportReminders.reporterId} order by ${reportReminders.createdAt} desc, ${reportReminders.id} desc)`.as(
        'rn',
      ),
    })
    .from(reportReminders)
    .where(inArray(reportReminders.reporterId, reporterIds))
    .as('ranked');
  const rows = await db
    .select()
    .from(ranked)
    .where(sql`${ranked.rn} <= ${perReporter}`)
    .orderBy(desc(ranked.at), desc(ranked.id));
  const out = new Map<number, Reminder[]>();
  for (const r of rows) {
    const list = out.get(r.reporterId) ?? [];
    list.push({
      id: r.id,
      at: new Date(r.at).toISOString(),
      senderName: r.senderName,
      message: r.message,
      overdue: r.overdue,
    });
    out.set(r.reporterId, list);
  }
  return out;
}

export interface QueueQuery {
  campaignId?: number;
  state?: string;
  q?: string;
  overdue?: boolean;
  offset: number;
  limit: number;
}

/**
 * The reviewer's queue: reporters routed to a body within the reviewer's scope (R-ORG-2), with their
 * report's state; reports waiting for review first. The due date depends on each reporter's meeting,
 * so the overdue filter narrows in SQL to reports not yet handed in and decides the date in code.
 */
export async function listReviewQueue(db: DbOrTx, user: AuthUser, q: QueueQuery, today: string) {
  if (!['leader', 'org_admin'].includes(user.role) || !user.scopePath) {
    throw new AppError('FORBIDDEN', '当前角色无权审核述职报告');
  }
  const conds: (SQL | undefined)[] = [
    sql`${reportTo.path} like ${`${escapeLike(user.scopePath)}%`}`,
    isNull(reporterRows.removedAt),
    or(eq(campaignRows.state, 'published'), eq(campaignRows.state, 'closed')),
    q.campaignId ? eq(campaignRows.id, q.campaignId) : undefined,
    q.q ? ilike(orgUnits.name, `%${escapeLike(q.q)}%`) : undefined,
  ];
  if (q.state === 'none') conds.push(isNull(reports.id));
  else if (q.state === 'pending') conds.push(or(eq(reports.state, 'submitted'), eq(reports.state, 'resubmitted')));
  else if (q.state) conds.push(eq(reports.state, q.state));
  if (q.overdue) conds.push(isNull(reports.submittedAt));
  const where = and(...conds);
  const pendingFirst = sql`case when ${reports.state} in ('submitted','resubmitted') then 0 else 1 end`;
  const rows = await baseQuery(db, where)
    .orderBy(pendingFirst, asc(orgUnits.name), asc(reporterRows.id))
    .limit(q.overdue ? 100_000 : q.limit)
    .offset(q.overdue ? 0 : q.offset);
  let items = rows.map((r) => present(r, today));
  let total: number;
  if (q.overdue) {
    items = items.filter((i) => i.overdue);
    total = items.length;
    items = items.slice(q.offset, q.offset + q.limit);
  } else {
    const { n } = (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(reporterRows)
        .innerJoin(campaignRows, eq(campaignRows.id, reporterRows.campaignId))
        .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
        .innerJoin(reportTo, eq(reportTo.id, reporterRows.reportToOrgId))
        .leftJoin(reports, eq(reports.reporterId, reporterRows.id))
        .where(where)
    )[0]!;
    total = Number(n);
  }
  return { items, total };
}
