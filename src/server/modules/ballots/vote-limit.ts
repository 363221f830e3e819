import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { type Db, queryRows } from '../../db/connect';
import { voteFailures } from '../../db/schema';
import type { Clock } from '../../http/context';

/** 30 unknown codes from one address within 10 minutes, then that address waits (R-VOTE-3). */
export const VOTE_FAILURE_LIMIT = 30;
export const VOTE_FAILURE_WINDOW_MS = 10 * 60_000;
/** How stale this process's view of the other processes' blocks may get. */
const REFRESH_MS = 2000;

/**
 * Only a well-formed code that does not exist counts: that is what guessing produces. A mistyped code is caught
 * by its check character before any lookup (one wrong or swapped character always is), so it cannot confirm a
 * guess and stays uncounted — otherwise a room of people behind one venue NAT, typing slowly on cheap phones,
 * would lock each other out. Wrong room codes are limited per slip already (MAX_ROOM_FAILURES). Successful votes
 * never write here.
 */
const COUNTED = new Set(['CODE_UNKNOWN']);
const VOTE_MESSAGE = '当前网络输入无效投票码的次数过多';

/**
 * Per-address limit on failed code attempts for /api/vote/*, shared by all app processes through `vote_failures`.
 * A vote costs no extra query: blocks are held in memory, set at once by this process's own failures and
 * re-read from the database at most every 2 s (so a block made on another process holds here within 2 s, and
 * expires everywhere when the window has passed).
 */
export class VoteLimiter {
  private blocked = new Map<string, number>();
  private refreshedAt = 0;
  private refreshing: Promise<void> | null = null;

  /**
   * The survey links reuse this limiter with their own unknown-token code (`counted`), on the same table: guessing
   * either kind of code from one address adds up.
   */
  constructor(
    private db: () => Db,
    private clock: Clock,
    private counted: ReadonlySet<string> = COUNTED,
    private what: string = VOTE_MESSAGE,
  ) {}

  /** Throws RATE_LIMITED (429) while the address is blocked. */
  async check(ip: string) {
    if (Date.now() - this.refreshedAt >= REFRESH_MS) await this.refresh();
    const until = this.blocked.get(ip);
    if (until === undefined) return;
    const left = until - this.clock.now().getTime();
    if (left <= 0) {
      this.blocked.delete(ip);
      return;
    }
    throw new AppError('RATE_LIMITED', `${this.what}，请${Math.ceil(left / 60_000)}分钟后再试，或向会场工作人员求助`);
  }

  /** Runs one vote request: refused while blocked; an unknown code is recorded against the address. */
  async guard<T>(ip: string, fn: () => Promise<T>): Promise<T> {
    await this.check(ip);
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AppError && this.counted.has(e.code)) await this.recordFailure(ip);
      throw e;
    }
  }

  async recordFailure(ip: string) {
    const now = this.clock.now();
    await this.db().insert(voteFailures).values({ ip, at: now });
    const until = (await this.blocks(now, ip)).get(ip);
    if (until !== undefined) this.blocked.set(ip, until);
  }

  /** Addresses at or over the limit, each with the moment its count in the window falls below the limit again. */
  private async blocks(now: Date, ip?: string): Promise<Map<string, number>> {
    const since = new Date(now.getTime() - VOTE_FAILURE_WINDOW_MS);
    const rows = await queryRows<{ ip: string; at: Date | string }>(
      this.db(),
      sql`
      select ip, at from (
        select ip, at, row_number() over (partition by ip order by at desc) as rn
        from vote_failures where at > ${since.toISOString()}::timestamptz ${ip === undefined ? sql`` : sql`and ip = ${ip}`}
      ) x where rn = ${VOTE_FAILURE_LIMIT}`,
    );
    return new Map(rows.map((r) => [r.ip, new Date(r.at).getTime() + VOTE_FAILURE_WINDOW_MS]));
  }

  private refresh() {
    this.refreshing ??= (async () => {
      try {
        const now = this.clock.now();
        await this.db().execute(
          sql`delete from vote_failures where at <= ${new Date(now.getTime() - VOTE_FAILURE_WINDOW_MS).toISOString()}::timestamptz`,
        );
        this.blocked = await this.blocks(now);
      } catch {
        // Keep the blocks known so far; the vote itself must not fail because the limit could not be re-read.
      } finally {
        // Even a failed refresh waits its turn: a database hiccup must not add a query to every vote.
        this.refreshedAt = Date.now();
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}
