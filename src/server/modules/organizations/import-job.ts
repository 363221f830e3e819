import { and, eq, inArray, lt } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { orgImportJobs, orgImportStaging } from '../../db/schema';
import type { AuditActor } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertCanImport, importOrgs } from './import-orgs';

/** A job not touched for this long belongs to a process that stopped; it is reported as failed. */
const STALE_MS = 10 * 60 * 1000;
const RUNNING = ['reading', 'checking', 'writing'];

export type ImportJobRow = typeof orgImportJobs.$inferSelect;

/**
 * Starts an import in the background and answers at once with the job (R-ORG-4 unchanged: rows
 * are staged in short batches, then one short transaction moves everything or nothing). `log` receives
 * failures that are not the user's fault.
 */
export async function startImportJob(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  file: Buffer,
  fileName: string,
  today: string,
  log: (err: unknown) => void,
): Promise<ImportJobRow> {
  assertCanImport(user);
  // Staging rows of a job whose process stopped mid-import are cleared by the next start.
  await db.delete(orgImportStaging).where(
    inArray(
      orgImportStaging.jobId,
      db
        .select({ id: orgImportJobs.id })
        .from(orgImportJobs)
        .where(
          and(inArray(orgImportJobs.status, RUNNING), lt(orgImportJobs.updatedAt, new Date(Date.now() - STALE_MS))),
        ),
    ),
  );
  const job = (
    await db
      .insert(orgImportJobs)
      .values({
        userId: user.id,
        fileName: fileName.slice(0, 200),
        status: 'reading',
        processed: 0,
        total: file.length,
      })
      .returning()
  )[0]!;
  void runImportJob(db, user, actor, file, today, job.id, log);
  return job;
}

async function runImportJob(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  file: Buffer,
  today: string,
  id: number,
  log: (err: unknown) => void,
) {
  const set = (values: Partial<ImportJobRow>, onlyIf?: string) =>
    db
      .update(orgImportJobs)
      .set({ ...values, updatedAt: new Date() })
      .where(onlyIf ? and(eq(orgImportJobs.id, id), eq(orgImportJobs.status, onlyIf)) : eq(orgImportJobs.id, id));
  try {
    const result = await importOrgs(
      db,
      user,
      actor,
      file,
      today,
      (phase, done, total) =>
        // A late "reading" report must not overwrite a later phase.
        set({ status: phase, processed: done, total }, phase === 'reading' ? 'reading' : undefined).then(
          () => undefined,
        ),
      id,
    );
    await set({ status: 'done', processed: result.orgs, result });
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'INTERNAL') log(e);
    await set({
      status: 'failed',
      error: { code: err.code, message: err.message, details: err.details ?? null },
    }).catch(log);
  }
}

function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  // Drizzle wraps the driver error; a unique violation means another import took a code meanwhile.
  const code = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
  if (code === '23505') return new AppError('DUPLICATE', '导入期间有组织编码被占用，未导入任何数据，请重新上传');
  return new AppError('INTERNAL', '导入失败：服务器处理出错，未导入任何数据，请稍后重试');
}

/**
 * Only the admin who started a job sees it. Staleness is judged on wall-clock time (not the app
 * clock) because it is about whether a process is still alive.
 */
export async function getImportJob(db: DbOrTx, user: AuthUser, id: number) {
  const [job] = await db
    .select()
    .from(orgImportJobs)
    .where(and(eq(orgImportJobs.id, id), eq(orgImportJobs.userId, user.id)));
  if (!job) throw notFound('导入任务');
  if (RUNNING.includes(job.status) && Date.now() - job.updatedAt.getTime() > STALE_MS) {
    return {
      ...job,
      status: 'failed',
      error: {
        code: 'INTERRUPTED',
        message: '导入任务已中断（服务可能重启），未导入任何数据，请重新上传',
        details: null,
      },
    };
  }
  return job;
}
