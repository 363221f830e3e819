import { AppError } from '../../../domain/errors';
import { pathWithin } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';
import { isReportAuthor, readsUnpublished, type Actor } from '../../../domain/report-review';

/** What a check needs to know about a report's place in the tree. */
export interface ReportScope {
  orgId: number;
  orgPath: string;
  orgParentId: number | null;
  reportToPath: string;
  organizerPath: string;
  /** Other organizations reporting in the same campaign (for a 'campaign_scope' audience). */
  isCampaignReporterOrg?: (orgId: number) => boolean;
}

const REVIEWERS = new Set(['leader', 'org_admin']);
const SCOPED_READERS = new Set(['org_admin', 'leader', 'assessor', 'observer']);

/** The reports section of the web: every scoped reader and the secretaries (R-REP-7). */
export const canOpenReports = (user: Pick<AuthUser, 'role'>) =>
  SCOPED_READERS.has(user.role) || user.role === 'secretary';
/** Writes reports (its own organization's). */
export const writesReports = (user: Pick<AuthUser, 'role'>) => user.role === 'secretary';
/** Reviews reports routed into its subtree (isReviewer decides for one report). */
export const reviewsReports = (user: Pick<AuthUser, 'role'>) => REVIEWERS.has(user.role);
/** Publishes a campaign's reports (assertPublish decides for one campaign). */
export const publishesReports = (user: Pick<AuthUser, 'role'>) => user.role === 'org_admin';

/** The reporting organization's secretary writes the report; nobody else does. */
export const isAuthor = (user: AuthUser, s: ReportScope) => isReportAuthor(user, s.orgId);

/** A leader or admin whose subtree holds the body the report is routed to (R-ORG-2). */
export const isReviewer = (user: AuthUser, s: ReportScope) =>
  REVIEWERS.has(user.role) && pathWithin(s.reportToPath, user.scopePath);

/** 001: a supervising leader (分管领导) of the body heard signs the approved report. */
export const isSupervisor = (user: AuthUser, s: ReportScope) =>
  user.role === 'leader' && pathWithin(s.reportToPath, user.scopePath);

export function assertActor(user: AuthUser, s: ReportScope, actor: Actor) {
  const ok =
    actor === 'author' ? isAuthor(user, s) : actor === 'reviewer' ? isReviewer(user, s) : isSupervisor(user, s);
  if (ok) return;
  const message = {
    author: '只有本组织书记可以编写和提交述职报告',
    reviewer: '只有听取述职的党组织的审核人可以审核该述职报告',
    supervisor: '只有主管领导可以审阅签字',
  }[actor];
  throw new AppError('FORBIDDEN', message);
}

/**
 * Reading a report before publication: its author always; its reviewers once it has been handed in
 * (a draft never submitted stays the secretary's own).
 */
export function canReadUnpublished(user: AuthUser, s: ReportScope, everSubmitted: boolean) {
  return readsUnpublished({ author: isAuthor(user, s), readsSubmitted: isReviewer(user, s) }, everSubmitted);
}

/** R-REP-7: who reads a published report, by the campaign's publication audience. */
export function canReadPublished(user: AuthUser, s: ReportScope, audience: string) {
  if (isAuthor(user, s) || isReviewer(user, s)) return true;
  const scoped = SCOPED_READERS.has(user.role);
  switch (audience) {
    case 'committee':
      return scoped && pathWithin(s.reportToPath, user.scopePath);
    case 'own_organization':
      return (
        (scoped && pathWithin(s.reportToPath, user.scopePath)) ||
        (user.role === 'secretary' && (user.orgId === s.orgId || user.orgId === s.orgParentId))
      );
    case 'public':
      // 社会公开: the campaign chose to publish to everyone, so any signed-in user reads it (the link needs no sign-in).
      return true;
    case 'campaign_scope':
      return (
        (scoped && pathWithin(s.organizerPath, user.scopePath)) ||
        (user.role === 'secretary' && user.orgId !== null && (s.isCampaignReporterOrg?.(user.orgId) ?? false))
      );
    default:
      return false;
  }
}

export function assertReadReport(
  user: AuthUser,
  s: ReportScope,
  opts: { everSubmitted: boolean; published: boolean; audience: string },
) {
  if (canReadUnpublished(user, s, opts.everSubmitted)) return;
  if (opts.published && canReadPublished(user, s, opts.audience)) return;
  throw new AppError('FORBIDDEN', '无权查看该述职报告');
}

/** Rectification items to answer are set by the reviewing side until issue 7's module supplies them. */
export const canManageItems = (user: AuthUser, s: Pick<ReportScope, 'reportToPath'>) =>
  user.role === 'org_admin' && pathWithin(s.reportToPath, user.scopePath);
export const assertManageItems = (user: AuthUser, s: ReportScope) => {
  if (!canManageItems(user, s)) {
    throw new AppError('FORBIDDEN', '只有听取述职的党组织的管理员可以维护上年度整改事项');
  }
};

/** Publication is the organizer's act (R-REP-7). */
export const assertPublish = (user: AuthUser, organizerPath: string) => {
  if (!(user.role === 'org_admin' && pathWithin(organizerPath, user.scopePath))) {
    throw new AppError('FORBIDDEN', '只有组织方管理员可以公开述职报告');
  }
};
