/**
 * What every output document (R-GRADE-6) reads: the campaign, its organizer and the LOCKED evaluation's result
 * rows with names. Documents are generated from the committee's locked decision only, so nothing printed,
 * stamped or filed can differ from what was locked (the lock trigger keeps those rows immutable).
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { COMPONENTS, type Component } from '../../../domain/composite';
import { isGrade, type Grade } from '../../../domain/grades';
import { pathWithin } from '../../../domain/roles';
import type { DbOrTx } from '../../db/connect';
import { evaluationResults, evaluations } from '../../db/schema';
import { campaignRows, reporterRows } from '../campaigns/row-sources';
import { orgUnits, secretaryRowsAs } from '../organizations/row-sources';
import type { AuthUser } from '../../http/context';
import { hideOffBranch } from '../../http/scope';

export interface OutputCampaign {
  id: number;
  year: number;
  title: string;
  settings: CampaignSettings;
  organizerName: string;
  organizerPath: string;
  lockedAt: Date;
  decisionNote: string | null;
}

export interface OutputRow {
  reporterId: number;
  orgId: number;
  orgName: string;
  orgCode: string;
  sector: string;
  role: string;
  secretaryName: string | null;
  secretaryPosition: string | null;
  components: Partial<Record<Component, number | null>>;
  composite: number | null;
  rank: number | null;
  sectorRank: number | null;
  suggestedGrade: Grade | null;
  suggestionReasons: string[];
  /** The committee's grade; the suggestion stands where the committee did not change it. */
  finalGrade: Grade | null;
  finalReason: string | null;
  opinionAchievements: string | null;
  opinionProblems: string | null;
  opinionDirection: string | null;
}

/** The organizer's organization department (admins of a subtree holding the organizer) issues the documents. */
export const canManageOutputs = (user: AuthUser, organizerPath: string) =>
  user.role === 'org_admin' && pathWithin(organizerPath, user.scopePath);

const forbidden = () => new AppError('FORBIDDEN', '无权生成该述职评议考核的结果文书');

/** A campaign off the viewer's branch is not found, like a missing id (issue 15). */
async function campaignRow(db: DbOrTx, campaignId: number, viewer: AuthUser) {
  const [row] = await db
    .select({
      id: campaignRows.id,
      year: campaignRows.year,
      title: campaignRows.title,
      settings: campaignRows.settings,
      organizerName: orgUnits.name,
      organizerPath: orgUnits.path,
    })
    .from(campaignRows)
    .innerJoin(orgUnits, eq(orgUnits.id, campaignRows.organizerOrgId))
    .where(eq(campaignRows.id, campaignId));
  if (!row) throw notFound('述职评议考核');
  hideOffBranch(viewer, row.organizerPath, '述职评议考核');
  return row;
}

async function evaluationOf(db: DbOrTx, campaignId: number) {
  const [row] = await db
    .select({ state: evaluations.state, lockedAt: evaluations.lockedAt, decisionNote: evaluations.decisionNote })
    .from(evaluations)
    .where(eq(evaluations.campaignId, campaignId));
  return row ?? null;
}

/** Where the caller stands for the outputs panel: no grade or name is returned here. */
export async function outputsStatus(db: DbOrTx, user: AuthUser, campaignId: number) {
  const c = await campaignRow(db, campaignId, user);
  const manage = canManageOutputs(user, c.organizerPath);
  let ownReporterId: number | null = null;
  if (!manage && user.role === 'secretary' && user.orgId !== null) {
    const [own] = await db
      .select({ id: reporterRows.id })
      .from(reporterRows)
      .innerJoin(evaluationResults, eq(evaluationResults.reporterId, reporterRows.id))
      .where(
        and(
          eq(reporterRows.campaignId, campaignId),
          eq(reporterRows.orgId, user.orgId),
          eq(reporterRows.role, 'reporter'),
        ),
      );
    ownReporterId = own?.id ?? null;
  }
  if (!manage && ownReporterId === null) throw forbidden();
  const ev = await evaluationOf(db, campaignId);
  const locked = ev?.state === 'locked';
  return { locked, lockedAt: locked ? ev!.lockedAt : null, canManage: manage, ownReporterId };
}

const notLocked = (what: string) =>
  new AppError('EVALUATION_NOT_LOCKED', `综合评价尚未经党委研究确定并锁定，不能生成${what}`);

/**
 * The campaign and its locked evaluation after the access check: an admin of the organizer's subtree, or — for
 * `reporterId` only — the secretary of that reporter's own organization. The access check comes first so a
 * caller outside learns nothing about the evaluation's state.
 */
export async function loadLocked(
  db: DbOrTx,
  user: AuthUser,
  campaignId: number,
  what: string,
  opts: { reporterId?: number } = {},
): Promise<{ campaign: OutputCampaign; rows: OutputRow[] }> {
  const c = await campaignRow(db, campaignId, user);
  if (!canManageOutputs(user, c.organizerPath)) {
    if (opts.reporterId === undefined || user.role !== 'secretary' || user.orgId === null) throw forbidden();
    const [r] = await db
      .select({ orgId: reporterRows.orgId })
      .from(reporterRows)
      .where(and(eq(reporterRows.id, opts.reporterId), eq(reporterRows.campaignId, campaignId)));
    if (!r || r.orgId !== user.orgId) throw new AppError('FORBIDDEN', '只能下载本人的反馈意见');
  }
  const ev = await evaluationOf(db, campaignId);
  if (ev?.state !== 'locked' || !ev.lockedAt) throw notLocked(what);
  const rows = await resultRows(db, campaignId, opts.reporterId);
  if (opts.reporterId !== undefined && rows.length === 0) throw notFound('述职对象的综合评价结果');
  return {
    campaign: {
      id: c.id,
      year: c.year,
      title: c.title,
      settings: c.settings as CampaignSettings,
      organizerName: c.organizerName,
      organizerPath: c.organizerPath,
      lockedAt: ev.lockedAt,
      decisionNote: ev.decisionNote,
    },
    rows,
  };
}

const num = (v: unknown): number | null =>
  v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v);

/** Reasons are stored as the evaluation module writes them: strings, or objects carrying a message. */
function reasonText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['message', 'label', 'text', 'reason']) if (typeof o[k] === 'string') return o[k] as string;
  }
  return JSON.stringify(v);
}

async function resultRows(db: DbOrTx, campaignId: number, reporterId?: number): Promise<OutputRow[]> {
  // The secretary at publication when the campaign froze one, else the organization's current secretary.
  const frozen = secretaryRowsAs('frozen_secretary');
  const current = secretaryRowsAs('current_secretary');
  const rows = await db
    .select({
      reporterId: evaluationResults.reporterId,
      orgId: reporterRows.orgId,
      orgName: orgUnits.name,
      orgCode: orgUnits.code,
      sector: orgUnits.sector,
      role: reporterRows.role,
      frozenName: frozen.name,
      frozenPosition: frozen.position,
      currentName: current.name,
      currentPosition: current.position,
      components: evaluationResults.components,
      composite: evaluationResults.composite,
      rank: evaluationResults.rank,
      sectorRank: evaluationResults.sectorRank,
      suggestedGrade: evaluationResults.suggestedGrade,
      suggestionReasons: evaluationResults.suggestionReasons,
      finalGrade: evaluationResults.finalGrade,
      finalReason: evaluationResults.finalReason,
      opinionAchievements: evaluationResults.opinionAchievements,
      opinionProblems: evaluationResults.opinionProblems,
      opinionDirection: evaluationResults.opinionDirection,
    })
    .from(evaluationResults)
    .innerJoin(reporterRows, eq(reporterRows.id, evaluationResults.reporterId))
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .leftJoin(frozen, eq(frozen.id, reporterRows.secretaryId))
    .leftJoin(current, and(eq(current.orgId, reporterRows.orgId), isNull(current.tenureEnd)))
    .where(
      and(
        eq(evaluationResults.campaignId, campaignId),
        reporterId === undefined ? undefined : eq(evaluationResults.reporterId, reporterId),
      ),
    )
    .orderBy(sql`${evaluationResults.rank} asc nulls last`, asc(orgUnits.code));
  return rows.map((r) => {
    const comps = (r.components ?? {}) as Record<string, unknown>;
    const components: Partial<Record<Component, number | null>> = {};
    for (const c of COMPONENTS) if (c in comps) components[c] = num(comps[c]);
    const suggested = isGrade(r.suggestedGrade) ? r.suggestedGrade : null;
    return {
      reporterId: r.reporterId,
      orgId: r.orgId,
      orgName: r.orgName,
      orgCode: r.orgCode,
      sector: r.sector,
      role: r.role,
      secretaryName: r.frozenName ?? r.currentName,
      secretaryPosition: r.frozenPosition ?? r.currentPosition,
      components,
      composite: num(r.composite),
      rank: r.rank,
      sectorRank: r.sectorRank,
      suggestedGrade: suggested,
      suggestionReasons: Array.isArray(r.suggestionReasons) ? r.suggestionReasons.map(reasonText) : [],
      finalGrade: isGrade(r.finalGrade) ? r.finalGrade : suggested,
      finalReason: r.finalReason,
      opinionAchievements: r.opinionAchievements,
      opinionProblems: r.opinionProblems,
      opinionDirection: r.opinionDirection,
    };
  });
}

/** The committee's decision day as people write it: the Asia/Shanghai calendar date of the lock. */
export { shanghaiDate } from '../../../domain/calendar';

/** Components the campaign weighs (weight > 0), in the composite's order: the columns people expect. */
export const weightedComponents = (settings: CampaignSettings): Component[] =>
  COMPONENTS.filter((c) => (settings.grading?.compositeWeights?.[c] ?? 0) > 0);

/** How many reporters the locked evaluation ranks (the "N个党组织中排名第M位" of a letter). */
export async function resultCount(db: DbOrTx, campaignId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(evaluationResults)
    .where(eq(evaluationResults.campaignId, campaignId));
  return Number(row?.n ?? 0);
}
