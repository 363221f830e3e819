/**
 * Runs one job on a worker thread with its own heap limit and a deadline, so parsing an uploaded document never
 * blocks the request loop and a hostile one can only exhaust its worker: on timeout the worker is terminated, on
 * heap exhaustion it dies alone, and either way the caller gets the AppError it supplied. One worker per job (they
 * are rare; a fresh thread frees all its memory when it ends).
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../domain/errors';
import type { ErrorCode } from '../../domain/error-codes';

export type WorkerReply<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

export interface WorkerLimits {
  timeoutMs: number;
  maxOldGenerationSizeMb: number;
  /** The answer when the job ran out of time or memory (a Chinese 4xx). */
  tooComplex: () => AppError;
  /** Jobs of this kind running at once (each may use its whole heap) and waiting. */
  slots: WorkerSlots;
}

/**
 * At most `size` jobs of one kind at once and `queue` more waiting; beyond that a Chinese 429. Each job may use its whole
 * heap, so this, not the number of requests, bounds the memory (bench/abuse.ts: one 30 MB-XML .docx takes the worker to
 * its heap limit and the process from ~470 to ~700 MB; three in parallel would pass 1 GB).
 */
export class WorkerSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    readonly size: number,
    readonly queue: number,
  ) {}

  async acquire() {
    if (this.running < this.size) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.queue) throw new AppError('BUSY');
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting job, if any. */
  release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

export async function runWorker<T>(entry: URL, input: unknown, limits: WorkerLimits): Promise<T> {
  await limits.slots.acquire();
  try {
    return await runOne<T>(entry, input, limits);
  } finally {
    limits.slots.release();
  }
}

function runOne<T>(entry: URL, input: unknown, limits: WorkerLimits): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(BOOT, {
      workerData: { entry: entry.href, input },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(limits.tooComplex())), limits.timeoutMs);
    worker.once('message', (m: WorkerReply<T>) =>
      settle(() => {
        if (m.ok) resolve(m.value);
        else reject(new AppError(m.error.code, m.error.message, m.error.details));
      }),
    );
    worker.once('error', (e: Error & { code?: string }) =>
      settle(() => {
        reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? limits.tooComplex() : e);
      }),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`worker exited with code ${code} before answering`))));
  });
}

/** The worker side: answers the job's result, or its AppError as data (anything else stays a 500 with its stack). */
export async function serveWorker<I, T>(job: (input: I) => Promise<T>) {
  const { parentPort, workerData } = await import('node:worker_threads');
  try {
    parentPort!.postMessage({ ok: true, value: await job(workerData.input as I) } satisfies WorkerReply<T>);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    parentPort!.postMessage({
      ok: false,
      error: { code: e.code, message: e.message, details: e.details },
    } satisfies WorkerReply<T>);
  }
}
