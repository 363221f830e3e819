import { randomBytes } from 'node:crypto';
import { and, asc, eq, ilike, isNotNull, isNull, sql } from 'drizzle-orm';
import { AUDIENCES, validateSettings } from '../../../domain/campaign-settings';
import { AppError, notFound } from '../../../domain/errors';
import type { ReportSection } from '../../../domain/report-checks';
import { escapeLike, type DbOrTx } from '../../db/connect';
import { reports } from '../../db/schema';
import { campaignRows, reporterRows } from '../campaigns/row-sources';
import { orgUnits, orgUnitsAs } from '../organizations/row-sources';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { reportDeadline } from './get-report';
import { assertPublish, canReadPublished } from './policy';
import { loadReporter, stateOf } from './repo';
import { isFinal, STATE_LABELS } from '../../../domain/report-review';
import { countReport, orderSections, sectionSlots } from './sections';
import { hideOffBranch } from '../../http/scope';
import { formatDateProse } from '../../../domain/calendar';

/**
 * R-REP-7: after the meeting, the approved (or, where required, signed) reports are published to the
 * campaign's audience. A report whose meeting has not been held yet, or that is not final, stays
 * unpublished and is listed with the reason. A public link is made only for a 'public' audience.
 */
export async function publishReports(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number, today: string) {
  return db.transaction(async (tx) => {
    const organizer = orgUnitsAs('organizer');
    const [c] = await tx
      .select({
        id: campaignRows.id,
        settings: campaignRows.settings,
        organizerPath: organizer.path,
        state: campaignRows.state,
      })
      .from(campaignRows)
      .innerJoin(organizer, eq(organizer.id, campaignRows.organizerOrgId))
      .where(eq(campaignRows.id, campaignId));
    if (!c) throw notFound('述职评议考核');
    hideOffBranch(user, c.organizerPath, '述职评议考核');
    assertPublish(user, c.organizerPath);
    const settings = validateSettings(c.settings);
    const rows = await tx
      .select({ report: reports, orgName: orgUnits.name })
      .from(reports)
      .innerJoin(reporterRows, eq(reporterRows.id, reports.reporterId))
      .innerJoin(orgUnits, eq(orgUnits.id, reports.orgId))
      .where(and(eq(reports.campaignId, campaignId), isNull(reports.publishedAt), isNull(reporterRows.removedAt)))
      .orderBy(asc(reports.id))
      .for('update', { of: reports });
    const published: string[] = [];
    const skipped: { orgName: string; reason: string }[] = [];
    for (const { report, orgName } of rows) {
      const state = stateOf(report);
      if (!isFinal(state, settings.report.supervisorSignOffRequired)) {
        skipped.push({
          orgName,
          reason: `述职报告为「${STATE_LABELS[state]}」，尚未${settings.report.supervisorSignOffRequired ? '经主管领导审阅签字' : '审核通过'}`,
        });
        continue;
      }
      const ctx = await loadReporter(tx, report.reporterId);
      const due = await reportDeadline(tx, ctx, today, true);
      if (!due.meetingHeld) {
        skipped.push({
          orgName,
          reason: due.meetingDate ? `述职评议会（${formatDateProse(due.meetingDate)}）尚未召开` : '尚未安排述职评议会',
        });
        continue;
      }
      const publicToken =
        settings.report.publicationAudience === 'public' ? randomBytes(18).toString('base64url') : null;
      await tx.update(reports).set({ publishedAt: actor.at, publicToken }).where(eq(reports.id, report.id));
      await writeAudit(tx, actor, {
        action: 'report.publish',
        targetType: 'report',
        targetId: report.id,
        scopePath: ctx.orgPath,
        detail: { audience: settings.report.publicationAudience, publicLink: publicToken !== null },
      });
      published.push(orgName);
    }
    const audience = AUDIENCES.find((a) => a.code === settings.report.publicationAudience)!.label;
    return { published, skipped, audience };
  });
}

/**
 * Published reports the user may read, by the campaign's audience — in one query: the tree paths the
 * policy needs come joined, and whether the user's own organization reports in the same campaign
 * (the 'campaign_scope' audience) is a subquery, so nothing is read per report.
 */
export async function listPublished(
  db: DbOrTx,
  user: AuthUser,
  q: { campaignId?: number; q?: string; offset: number; limit: number },
) {
  const reportTo = orgUnitsAs('report_to');
  const organizer = orgUnitsAs('organizer');
  const userOrg = user.role === 'secretary' ? user.orgId : null;
  const inCampaign =
    userOrg === null
      ? sql<boolean>`false`
      : sql<boolean>`${reports.campaignId} in (select cr.campaign_id from campaigns_v_reporters cr where cr.org_id = ${userOrg} and cr.removed_at is null)`;
  const rows = await db
    .select({
      id: reports.id,
      reporterId: reports.reporterId,
      campaignId: reports.campaignId,
      orgName: orgUnits.name,
      campaignTitle: campaignRows.title,
      publishedAt: reports.publishedAt,
      charCount: reports.charCount,
      settings: campaignRows.settings,
      orgId: orgUnits.id,
      orgPath: orgUnits.path,
      orgParentId: orgUnits.parentId,
      reportToPath: reportTo.path,
      organizerPath: organizer.path,
      inCampaign,
    })
    .from(reports)
    .innerJoin(reporterRows, eq(reporterRows.id, reports.reporterId))
    .innerJoin(orgUnits, eq(orgUnits.id, reports.orgId))
    .innerJoin(reportTo, eq(reportTo.id, reporterRows.reportToOrgId))
    .innerJoin(campaignRows, eq(campaignRows.id, reports.campaignId))
    .innerJoin(organizer, eq(organizer.id, campaignRows.organizerOrgId))
    .where(
      and(
        isNotNull(reports.publishedAt),
        q.campaignId ? eq(reports.campaignId, q.campaignId) : undefined,
        q.q ? ilike(orgUnits.name, `%${escapeLike(q.q)}%`) : undefined,
      ),
    )
    .orderBy(asc(campaignRows.id), asc(orgUnits.name));
  const audiences = new Map<number, string>();
  const readable = [];
  for (const r of rows) {
    if (!audiences.has(r.campaignId))
      audiences.set(r.campaignId, validateSettings(r.settings).report.publicationAudience);
    const scope = {
      orgId: r.orgId,
      orgPath: r.orgPath,
      orgParentId: r.orgParentId,
      reportToPath: r.reportToPath,
      organizerPath: r.organizerPath,
      isCampaignReporterOrg: (id: number) => Boolean(r.inCampaign) && id === userOrg,
    };
    if (canReadPublished(user, scope, audiences.get(r.campaignId)!)) {
      readable.push({
        id: r.id,
        reporterId: r.reporterId,
        campaignId: r.campaignId,
        orgName: r.orgName,
        campaignTitle: r.campaignTitle,
        publishedAt: r.publishedAt!.toISOString(),
        charCount: r.charCount,
      });
    }
  }
  return { items: readable.slice(q.offset, q.offset + q.limit), total: readable.length };
}

/** The read-only text behind a public link (only made where the audience is 'public'). */
export async function readPublicReport(db: DbOrTx, token: string) {
  const [row] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.publicToken, token), isNotNull(reports.publishedAt)));
  if (!row) throw new AppError('NOT_FOUND', '链接无效或报告未公开');
  const ctx = await loadReporter(db, row.reporterId);
  if (ctx.settings.report.publicationAudience !== 'public') throw new AppError('NOT_FOUND', '链接无效或报告未公开');
  const sections = orderSections(row.sections as ReportSection[], sectionSlots(ctx.settings, true)).filter((s) =>
    s.text.trim(),
  );
  return {
    orgName: ctx.orgName,
    campaignTitle: ctx.campaignTitle,
    publishedAt: row.publishedAt!.toISOString(),
    charCount: countReport(sections),
    sections,
  };
}
