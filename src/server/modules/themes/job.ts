import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import { type Db, type DbOrTx, queryRows } from '../../db/connect';
import { commentThemeJobs } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { runWorker, WorkerSlots } from '../../uploads/worker';
import { campaignOf } from '../rectification/repo';
import type { ThemeResult } from './compute';
import { assertOrganizer } from './policy';
import { loadTexts } from './sources';

const WORKER = new URL('./themes-worker.ts', import.meta.url);
/** One grouping at a time per process: each may take a 30,000-text county's worth of memory (bench: ~250 MB). */
const SLOTS = new WorkerSlots(1, 8);

export interface StoredResult extends ThemeResult {
  sources: { ballot: number; comment: number; field: number };
  /** campaignId: the reporter's own round — a lower level's for a county-wide job (absent in jobs stored before it). */
  reporterNames: Record<string, { orgId: number; orgName: string; campaignId?: number }>;
}

/** Rounds of the campaign whose texts can be grouped: real and released. */
async function assertRound(db: DbOrTx, campaignId: number, roundId: number) {
  const [round] = await queryRows<{ state: string; mode: string }>(
    db,
    sql`
    select br.state, br.mode from ballots_v_rounds br join meetings_v_meetings m on m.id = br.meeting_id
    where br.id = ${roundId} and m.campaign_id = ${campaignId}`,
  );
  if (!round) throw notFound('测评轮次');
  if (round.mode !== 'real' || round.state !== 'released') {
    throw new AppError('NOT_RELEASED', '该测评轮次尚未公布结果，不能归纳意见', { field: 'roundId' });
  }
}

/** Starts a grouping in the background and answers at once; the page polls the job's progress. */
export async function startJob(db: Db, user: AuthUser, actor: AuditActor, campaignId: number, roundId: number | null) {
  const campaign = await campaignOf(db, campaignId, user);
  assertOrganizer(user, campaign.organizerPath);
  if (roundId !== null) await assertRound(db, campaignId, roundId);
  const running = await db
    .select({ id: commentThemeJobs.id })
    .from(commentThemeJobs)
    .where(
      and(
        eq(commentThemeJobs.campaignId, campaignId),
        eq(commentThemeJobs.state, 'running'),
        roundId === null ? isNull(commentThemeJobs.roundId) : eq(commentThemeJobs.roundId, roundId),
      ),
    );
  if (running.length) return { id: running[0]!.id, state: 'running' as const };
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(commentThemeJobs)
      .values({ campaignId, roundId, requestedBy: user.id, createdAt: actor.at })
      .returning({ id: commentThemeJobs.id });
    await writeAudit(tx, actor, {
      action: 'themes.job.start',
      targetType: 'comment_theme_job',
      targetId: row!.id,
      scopePath: campaign.organizerPath,
      detail: { campaignId, roundId },
    });
    return row!.id;
  });
  void runJob(db, id, campaignId, roundId);
  return { id, state: 'running' as const };
}

const setProgress = (db: Db, id: number, progress: number) =>
  db.update(commentThemeJobs).set({ progress }).where(eq(commentThemeJobs.id, id));

/** Exported for tests, which await it instead of polling. */
export async function runJob(db: Db, id: number, campaignId: number, roundId: number | null) {
  try {
    await setProgress(db, id, 5);
    const { reporters, comments, sources } = await loadTexts(db, campaignId, roundId);
    await setProgress(db, id, 30);
    const computed = await runWorker<ThemeResult>(
      WORKER,
      { comments },
      {
        timeoutMs: 120_000,
        maxOldGenerationSizeMb: 768,
        slots: SLOTS,
        tooComplex: () => new AppError('THEMES_TOO_LARGE'),
      },
    );
    const reporterNames = Object.fromEntries(
      reporters.map((r) => [String(r.id), { orgId: r.orgId, orgName: r.orgName, campaignId: r.campaignId }]),
    );
    const result: StoredResult = { ...computed, sources, reporterNames };
    await db
      .update(commentThemeJobs)
      .set({ state: 'done', progress: 100, result, finishedAt: new Date() })
      .where(eq(commentThemeJobs.id, id));
  } catch (e) {
    const message = e instanceof AppError ? e.message : '意见归纳失败，请稍后重试';
    await db
      .update(commentThemeJobs)
      .set({ state: 'failed', error: message, finishedAt: new Date() })
      .where(eq(commentThemeJobs.id, id))
      .catch(() => {});
  }
}

export interface JobRow {
  id: number;
  campaignId: number;
  roundId: number | null;
  state: string;
  progress: number;
  error: string | null;
  result: StoredResult | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The newest job of the campaign (or round); the newest finished one is what views read. */
export async function latestJob(
  db: DbOrTx,
  campaignId: number,
  roundId: number | null,
  finished = false,
): Promise<JobRow | null> {
  const rows = await db
    .select()
    .from(commentThemeJobs)
    .where(
      and(
        eq(commentThemeJobs.campaignId, campaignId),
        roundId === null ? isNull(commentThemeJobs.roundId) : eq(commentThemeJobs.roundId, roundId),
        finished ? eq(commentThemeJobs.state, 'done') : undefined,
      ),
    )
    .orderBy(desc(commentThemeJobs.id))
    .limit(1);
  return (rows[0] as JobRow | undefined) ?? null;
}
