import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { evaluations } from '../../db/schema';
import { reporterRows } from '../campaigns/row-sources';
import { orgUnits, secretaryRows } from '../organizations/row-sources';
import { getCampaign } from '../campaigns/repo';
import type { AuthUser } from '../../http/context';

export type EvaluationRow = typeof evaluations.$inferSelect;

export const LOCKED_MESSAGE = '综合评价已由党委锁定，不能再修改';
export const lockedError = () => new AppError('EVALUATION_LOCKED', LOCKED_MESSAGE);

/**
 * The lock triggers of migration 0011 raise SQLSTATE 55000; this turns that into the Chinese 409 the page shows,
 * for a write that raced with the lock past the state check.
 */
export async function mapLocked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const code = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
    if (code === '55000') throw lockedError();
    throw e;
  }
}

/** The campaign with its organizer path and the evaluation row (null before the first computation). */
export async function evaluationContext(
  db: DbOrTx,
  campaignId: number,
  opts: { lock?: boolean; viewer?: AuthUser } = {},
) {
  const { campaign, organizer } = await getCampaign(db, campaignId, opts);
  const q = db.select().from(evaluations).where(eq(evaluations.campaignId, campaignId));
  const [evaluation] = opts.lock ? await q.for('no key update') : await q;
  return { campaign, organizerPath: organizer.path, organizer, evaluation: evaluation ?? null };
}

export function assertOpen(evaluation: EvaluationRow | null) {
  if (evaluation?.state === 'locked') throw lockedError();
}

/** A rated reporter of this campaign (role 'reporter', not removed); anything else is refused before writing. */
export async function campaignReporter(db: DbOrTx, campaignId: number, reporterId: number) {
  const [row] = await db
    .select({
      id: reporterRows.id,
      orgId: reporterRows.orgId,
      orgName: orgUnits.name,
      secretaryName: secretaryRows.name,
    })
    .from(reporterRows)
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .leftJoin(secretaryRows, eq(secretaryRows.id, reporterRows.secretaryId))
    .where(
      and(
        eq(reporterRows.id, reporterId),
        eq(reporterRows.campaignId, campaignId),
        eq(reporterRows.role, 'reporter'),
        isNull(reporterRows.removedAt),
      ),
    );
  if (!row) {
    throw new AppError('REPORTER_NOT_IN_CAMPAIGN', `述职对象（编号${reporterId}）不在本次考核的述职对象名单中`, {
      field: 'reporterId',
    });
  }
  return row;
}
