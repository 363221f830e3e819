import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { ReportSection } from '../../../domain/report-checks';
import type { DbOrTx } from '../../db/connect';
import { reportAttachments, reportReviewEvents, reportVersions } from '../../db/schema';
import type { AuthUser } from '../../http/context';
import { computeDueDate } from './due-date';
import { assertReadReport, canManageItems, isAuthor, isReviewer, isSupervisor } from './policy';
import { meetingOf, readScopeOf, rectificationItemsOf, secretaryOf, stateOf, type ReporterContext } from './repo';
import { loadForReading } from './compare-versions';
import { isEditable, isFinal, STATE_LABELS } from '../../../domain/report-review';
import { runChecks } from './run-checks';
import { countReport, sectionSlots } from './sections';
import { readTogether } from '../../db/parallel';

export async function reportDeadline(db: DbOrTx, ctx: ReporterContext, today: string, submitted: boolean) {
  const m = await meetingOf(db, ctx);
  const due = computeDueDate({
    meetingDate: m.meetingDate,
    meetingPhaseStart: m.phaseStart,
    dueDaysBeforeMeeting: ctx.settings.report.dueDaysBeforeMeeting,
    today,
    submitted,
  });
  // "After the meeting" (R-REP-7): the meeting is closed, or its day has passed.
  const meetingHeld = m.meetingState === 'closed' || (due.meetingDate !== null && due.meetingDate < today);
  return { ...due, meetingHeld };
}

/** Everything the report page shows: text, checks, deadline, history, versions, what the user may do. */
export async function getReport(db: DbOrTx, user: AuthUser, id: number, today: string) {
  const { row, ctx } = await loadForReading(db, user, id);
  const scope = await readScopeOf(db, ctx, user.role === 'secretary' ? user.orgId : null);
  const published = row.publishedAt !== null;
  assertReadReport(user, scope, {
    everSubmitted: row.submittedAt !== null,
    published,
    audience: ctx.settings.report.publicationAudience,
  });
  const author = isAuthor(user, scope);
  const reviewer = isReviewer(user, scope);
  const state = stateOf(row);
  const sections = row.sections as ReportSection[];
  const signOff = ctx.settings.report.supervisorSignOffRequired;
  const [checks, deadline, events, versions, attachments, secretary, items] = await readTogether(db, [
    () => (author || reviewer ? runChecks(db, ctx, row.id, sections, today) : Promise.resolve(null)),
    () => reportDeadline(db, ctx, today, row.submittedAt !== null),
    () =>
      db
        .select()
        .from(reportReviewEvents)
        .where(eq(reportReviewEvents.reportId, id))
        .orderBy(asc(reportReviewEvents.at), asc(reportReviewEvents.id)),
    () =>
      db
        .select({
          versionNo: reportVersions.versionNo,
          reason: reportVersions.reason,
          charCount: reportVersions.charCount,
          fileName: reportVersions.fileName,
          unknownHeadings: reportVersions.unknownHeadings,
          createdAt: reportVersions.createdAt,
        })
        .from(reportVersions)
        .where(eq(reportVersions.reportId, id))
        .orderBy(desc(reportVersions.versionNo)),
    () =>
      db
        .select({
          id: reportAttachments.id,
          fileName: reportAttachments.fileName,
          mimeType: reportAttachments.mimeType,
          size: reportAttachments.size,
          createdAt: reportAttachments.createdAt,
        })
        .from(reportAttachments)
        .where(and(eq(reportAttachments.reportId, id), isNull(reportAttachments.removedAt)))
        .orderBy(asc(reportAttachments.id)),
    () => secretaryOf(db, ctx),
    () => (author || reviewer ? rectificationItemsOf(db, ctx.campaignId, ctx.orgId) : Promise.resolve([])),
  ] as const);
  const onBehalf = checks?.onBehalf ?? row.onBehalf;
  const lateBlocked = state === 'draft' && deadline.overdue && !ctx.settings.report.lateSubmissionAllowed;
  const tier = ctx.settings.reporterTiers.find((t) => t.key === ctx.tierKey) ?? null;
  return {
    report: {
      id: row.id,
      reporterId: row.reporterId,
      state,
      stateLabel: STATE_LABELS[state],
      onBehalf,
      charCount: countReport(sections),
      versionNo: row.versionNo,
      submittedAt: row.submittedAt?.toISOString() ?? null,
      approvedAt: row.approvedAt?.toISOString() ?? null,
      signedAt: row.signedAt?.toISOString() ?? null,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      publicToken: reviewer || author ? row.publicToken : null,
      updatedAt: row.updatedAt.toISOString(),
      sections,
    },
    reporter: {
      campaignId: ctx.campaignId,
      campaignTitle: ctx.campaignTitle,
      year: ctx.campaignYear,
      orgId: ctx.orgId,
      orgName: ctx.orgName,
      reportToName: ctx.reportToName,
      secretaryName: secretary?.name ?? null,
      tenureStart: secretary?.tenureStart ?? null,
      tierLabel: tier?.label ?? null,
      charLimit: tier?.charLimit ?? null,
      speakingMinutes: tier?.speakingMinutes ?? null,
    },
    slots: sectionSlots(ctx.settings, onBehalf),
    rules: {
      achievementsMaxShare: ctx.settings.report.achievementsMaxShare,
      blockingChecks: ctx.settings.report.blockingChecks,
      lateSubmissionAllowed: ctx.settings.report.lateSubmissionAllowed,
      supervisorSignOffRequired: signOff,
      attachments: ctx.settings.report.attachments,
      publicationAudience: ctx.settings.report.publicationAudience,
      keyContentItems: ctx.settings.keyContentItems.map((k) => ({ id: k.id, title: k.title })),
      rectificationItems: items.map((i) => ({ id: i.id, reference: i.reference, text: i.text })),
    },
    deadline,
    checks: checks ? { results: checks.results, blocking: checks.blocking } : null,
    events: events.map((e) => ({
      id: e.id,
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      comment: e.comment,
      versionNo: e.versionNo,
      actorName: e.actorName,
      at: e.at.toISOString(),
    })),
    versions: versions.map((v) => ({
      ...v,
      unknownHeadings: v.unknownHeadings as string[],
      createdAt: v.createdAt.toISOString(),
    })),
    attachments: attachments.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
    can: {
      edit: author && isEditable(state) && ctx.campaignState === 'published',
      submit: author && isEditable(state) && ctx.campaignState === 'published' && !lateBlocked,
      review: reviewer && (state === 'submitted' || state === 'resubmitted'),
      sign: signOff && state === 'approved' && isSupervisor(user, scope),
      publish: false,
      final: isFinal(state, signOff),
      manageItems: canManageItems(user, scope) && !isFinal(state, signOff) && !published,
    },
  };
}
export type ReportView = Awaited<ReturnType<typeof getReport>>;
