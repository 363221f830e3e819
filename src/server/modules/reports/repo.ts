import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { validateSettings, type CampaignSettings } from '../../../domain/campaign-settings';
import { notFound } from '../../../domain/errors';
import type { ReportSection } from '../../../domain/report-checks';
import type { DbOrTx } from '../../db/connect';
import { priorRectificationItems, reports, reportVersions } from '../../db/schema';
import { campaignRows, reporterRows } from '../campaigns/row-sources';
import { agendaItemRows, meetingRows } from '../meetings/row-sources';
import { orgUnits, orgUnitsAs, secretaryRows } from '../organizations/row-sources';
import type { ReportScope } from './policy';
import type { ReportState } from '../../../domain/report-review';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

const reportTo = orgUnitsAs('report_to');
const organizer = orgUnitsAs('organizer');

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
export async function loadReporter(
  db: DbOrTx,
  reporterId: number,
  viewer?: AuthUser,
  what = '述职对象',
): Promise<ReporterContext> {
  const [r] = await db
    .select({
      reporterId: reporterRows.id,
      campaignId: campaignRows.id,
      campaignTitle: campaignRows.title,
      campaignYear: campaignRows.year,
      campaignState: campaignRows.state,
      settings: campaignRows.settings,
      phases: campaignRows.phases,
      tierKey: reporterRows.tierKey,
      orgId: orgUnits.id,
      orgName: orgUnits.name,
      orgPath: orgUnits.path,
      orgParentId: orgUnits.parentId,
      reportToOrgId: reportTo.id,
      reportToName: reportTo.name,
      reportToPath: reportTo.path,
      organizerPath: organizer.path,
      secretaryId: reporterRows.secretaryId,
      removedAt: reporterRows.removedAt,
    })
    .from(reporterRows)
    .innerJoin(campaignRows, eq(campaignRows.id, reporterRows.campaignId))
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .innerJoin(reportTo, eq(reportTo.id, reporterRows.reportToOrgId))
    .innerJoin(organizer, eq(organizer.id, campaignRows.organizerOrgId))
    .where(eq(reporterRows.id, reporterId));
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
    .select({ date: meetingRows.meetingDate, state: meetingRows.state })
    .from(agendaItemRows)
    .innerJoin(meetingRows, eq(meetingRows.id, agendaItemRows.meetingId))
    .where(eq(agendaItemRows.reporterId, c.reporterId))
    .orderBy(desc(meetingRows.meetingDate))
    .limit(1);
  const phase = c.phases.find((p) => p.key === 'meeting');
  return {
    meetingDate: m?.date ?? null,
    meetingState: m?.state ?? null,
    phaseStart: phase?.start ?? null,
    phaseEnd: phase?.end ?? null,
    phaseState: phase?.state ?? null,
  };
}

/** The tenure start of the secretary the reporter was frozen with, else the current one. */
export async function secretaryOf(db: DbOrTx, c: ReporterContext) {
  const where = c.secretaryId
    ? eq(secretaryRows.id, c.secretaryId)
    : and(eq(secretaryRows.orgId, c.orgId), isNull(secretaryRows.tenureEnd));
  const [s] = await db
    .select({ name: secretaryRows.name, tenureStart: secretaryRows.tenureStart })
    .from(secretaryRows)
    .where(where)
    .limit(1);
  return s ?? null;
}

export async function rectificationItemsOf(db: DbOrTx, campaignId: number, orgId: number) {
  return db
    .select({
      id: priorRectificationItems.id,
      reference: priorRectificationItems.reference,
      text: priorRectificationItems.text,
    })
    .from(priorRectificationItems)
    .where(
      and(
        eq(priorRectificationItems.campaignId, campaignId),
        eq(priorRectificationItems.orgId, orgId),
        isNull(priorRectificationItems.removedAt),
      ),
    )
    .orderBy(priorRectificationItems.id);
}

/** The same organization's report from last year's campaign: its last frozen version. */
export async function previousYearReport(db: DbOrTx, orgId: number, year: number) {
  const [row] = await db
    .select({ sections: reportVersions.sections, campaignTitle: campaignRows.title })
    .from(reports)
    .innerJoin(campaignRows, eq(campaignRows.id, reports.campaignId))
    .innerJoin(reportVersions, eq(reportVersions.reportId, reports.id))
    .where(and(eq(reports.orgId, orgId), eq(campaignRows.year, year - 1)))
    .orderBy(desc(reportVersions.versionNo))
    .limit(1);
  return row ? { sections: row.sections as ReportSection[], campaignTitle: row.campaignTitle } : null;
}

/** Stored MinHash signatures of the campaign's other reports once handed in (a neighbour's draft is nobody's business). */
export async function otherSignatures(db: DbOrTx, campaignId: number, exceptReportId: number) {
  return db
    .select({ id: reports.id, label: orgUnits.name, signature: reports.signature })
    .from(reports)
    .innerJoin(orgUnits, eq(orgUnits.id, reports.orgId))
    .where(
      and(
        eq(reports.campaignId, campaignId),
        sql`${reports.id} <> ${exceptReportId}`,
        sql`${reports.signature} is not null`,
        sql`${reports.submittedAt} is not null`,
      ),
    );
}

export const stateOf = (r: ReportRow) => r.state as ReportState;

/** The report's scope for reading, knowing whether a secretary's organization reports in the same campaign (R-REP-7). */
export async function readScopeOf(db: DbOrTx, ctx: ReporterContext, userOrgId: number | null): Promise<ReportScope> {
  let inCampaign = false;
  if (userOrgId !== null) {
    const [hit] = await db
      .select({ id: reporterRows.id })
      .from(reporterRows)
      .where(
        and(
          eq(reporterRows.campaignId, ctx.campaignId),
          eq(reporterRows.orgId, userOrgId),
          isNull(reporterRows.removedAt),
        ),
      )
      .limit(1);
    inCampaign = Boolean(hit);
  }
  return { ...scopeOf(ctx), isCampaignReporterOrg: (id) => inCampaign && id === userOrgId };
}
