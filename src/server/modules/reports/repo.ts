import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { validateSettings, type CampaignSettings } from '../../../domain/campaign-settings';
import { notFound } from '../../../domain/errors';
import type { ReportSection } from '../../../domain/report-checks';
import type { DbOrTx } from '../../db/connect';
import {
  campaignReporters, campaigns, meetingAgendaItems, meetings, organizations, priorRectificationItems, reports,
  reportVersions, secretaries,
} from '../../db/schema';
import type { ReportScope } from './policy';
import type { ReportState } from '../../../domain/report-review';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

const reportTo = alias(organizations, 'report_to');
const organizer = alias(organizations, 'organizer');

export type ReportRow = typeof reports.$inferSelect;

/** Everything about a reporter the report rules read: campaign settings, tree paths, meeting, secretary. */
export interface ReporterContext {
  reporterId: number;
  campaignId: number;
  campaignTitle: string;
  campaignYear: number;
  campaignState: string;
  settings: CampaignSettings;
  phases: { key: string; start: string; end: string; state?: string }[];
  tierKey: string;
  orgId: number;
  orgName: string;
  orgPath: string;
  orgParentId: number | null;
  reportToOrgId: number;
  reportToName: string;
  reportToPath: string;
  organizerPath: string;
  secretaryId: number | null;
  removed: boolean;
}

/**
 * With a `viewer`, a reporter none of whose places (organization, the body it reports to, the organizer) lies on the
 * viewer's branch is not found, exactly as a missing id of `what` (the reporter, or the report the caller named) —
 * issue 15.
 */
export async function loadReporter(db: DbOrTx, reporterId: number, viewer?: AuthUser, what = '述职对象'): Promise<ReporterContext> {
  const [r] = await db
    .select({
      reporterId: campaignReporters.id,
      campaignId: campaigns.id,
      campaignTitle: campaigns.title,
      campaignYear: campaigns.year,
      campaignState: campaigns.state,
      settings: campaigns.settings,
      phases: campaigns.phases,
      tierKey: campaignReporters.tierKey,
      orgId: organizations.id,
      orgName: organizations.name,
      orgPath: organizations.path,
      orgParentId: organizations.parentId,
      reportToOrgId: reportTo.id,
      reportToName: reportTo.name,
      reportToPath: reportTo.path,
      organizerPath: organizer.path,
      secretaryId: campaignReporters.secretaryId,
      removedAt: campaignReporters.removedAt,
    })
    .from(campaignReporters)
    .innerJoin(campaigns, eq(campaigns.id, campaignReporters.campaignId))
    .innerJoin(organizations, eq(organizations.id, campaignReporters.orgId))
    .innerJoin(reportTo, eq(reportTo.id, campaignReporters.reportToOrgId))
    .innerJoin(organizer, eq(organizer.id, campaigns.organizerOrgId))
    .where(eq(campaignReporters.id, reporterId));
  if (!r) throw notFound('述职对象');
  hideOffBranch(viewer, [r.orgPath, r.reportToPath, r.organizerPath], what);
  const { removedAt, settings, phases, ...rest } = r;
  return {
    ...rest,
    settings: validateSettings(settings),
    phases: phases as ReporterContext['phases'],
    removed: removedAt !== null,
  };
}

export const scopeOf = (c: ReporterContext): ReportScope => ({
  orgId: c.orgId,
  orgPath: c.orgPath,
  orgParentId: c.orgParentId,
  reportToPath: c.reportToPath,
  organizerPath: c.organizerPath,
});

export async function findReportByReporter(db: DbOrTx, reporterId: number) {
  const [row] = await db.select().from(reports).where(eq(reports.reporterId, reporterId));
  return row ?? null;
}

export async function getReportRow(db: DbOrTx, id: number, forUpdate = false) {
  const q = db.select().from(reports).where(eq(reports.id, id));
  const [row] = forUpdate ? await q.for('no key update') : await q;
  if (!row) throw notFound('述职报告');
  return row;
}

/** The meeting date of the reporter (from an agenda) and the campaign's meeting phase start. */
export async function meetingOf(db: DbOrTx, c: ReporterContext) {
  const [m] = await db
    .select({ date: meetings.meetingDate, state: meetings.state })
    .from(meetingAgendaItems)
    .innerJoin(meetings, eq(meetings.id, meetingAgendaItems.meetingId))
    .where(eq(meetingAgendaItems.reporterId, c.reporterId))
    .orderBy(desc(meetings.meetingDate))
    .limit(1);
  const phase = c.phases.find((p) => p.key === 'meeting');
  return { meetingDate: m?.date ?? null, meetingState: m?.state ?? null, phaseStart: phase?.start ?? null, phaseEnd: phase?.end ?? null, phaseState: phase?.state ?? null };
}

/** The tenure start of the secretary the reporter was frozen with, else the current one. */
export async function secretaryOf(db: DbOrTx, c: ReporterContext) {
  const where = c.secretaryId
    ? eq(secretaries.id, c.secretaryId)
    : and(eq(secretaries.orgId, c.orgId), isNull(secretaries.tenureEnd));
  const [s] = await db.select({ name: secretaries.name, tenureStart: secretaries.tenureStart }).from(secretaries).where(where).limit(1);
  return s ?? null;
}

export async function rectificationItemsOf(db: DbOrTx, campaignId: number, orgId: number) {
  return db
    .select({ id: priorRectificationItems.id, reference: priorRectificationItems.reference, text: priorRectificationItems.text })
    .from(priorRectificationItems)
    .where(and(eq(priorRectificationItems.campaignId, campaignId), eq(priorRectificationItems.orgId, orgId), isNull(priorRectificationItems.removedAt)))
    .orderBy(priorRectificationItems.id);
}

/** The same organization's report from last year's campaign: its last frozen version. */
export async function previousYearReport(db: DbOrTx, orgId: number, year: number) {
  const [row] = await db
    .select({ sections: reportVersions.sections, campaignTitle: campaigns.title })
    .from(reports)
    .innerJoin(campaigns, eq(campaigns.id, reports.campaignId))
    .innerJoin(reportVersions, eq(reportVersions.reportId, reports.id))
    .where(and(eq(reports.orgId, orgId), eq(campaigns.year, year - 1)))
    .orderBy(desc(reportVersions.versionNo))
    .limit(1);
  return row ? { sections: row.sections as ReportSection[], campaignTitle: row.campaignTitle } : null;
}

/** Stored MinHash signatures of the campaign's other reports once handed in (a neighbour's draft is nobody's business). */
export async function otherSignatures(db: DbOrTx, campaignId: number, exceptReportId: number) {
  return db
    .select({ id: reports.id, label: organizations.name, signature: reports.signature })
    .from(reports)
    .innerJoin(organizations, eq(organizations.id, reports.orgId))
    .where(and(eq(reports.campaignId, campaignId), sql`${reports.id} <> ${exceptReportId}`, sql`${reports.signature} is not null`, sql`${reports.submittedAt} is not null`));
}

export const stateOf = (r: ReportRow) => r.state as ReportState;

/** The report's scope for reading, knowing whether a secretary's organization reports in the same campaign (R-REP-7). */
export async function readScopeOf(db: DbOrTx, ctx: ReporterContext, userOrgId: number | null): Promise<ReportScope> {
  let inCampaign = false;
  if (userOrgId !== null) {
    const [hit] = await db
      .select({ id: campaignReporters.id })
      .from(campaignReporters)
      .where(and(eq(campaignReporters.campaignId, ctx.campaignId), eq(campaignReporters.orgId, userOrgId), isNull(campaignReporters.removedAt)))
      .limit(1);
    inCampaign = Boolean(hit);
  }
  return { ...scopeOf(ctx), isCampaignReporterOrg: (id) => inCampaign && id === userOrgId };
}
