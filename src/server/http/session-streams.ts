import type { ServerResponse } from 'node:http';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { queryRows } from '../db/connect';
import type { AppDeps } from './context';

/**
 * Every open event stream with the session that opened it (issue 15): a stream must not outlive its session. The
 * session hook checks a session once, when the stream opens; afterwards this registry re-checks the sessions of all
 * open streams — every `streamCheckMs`, and at once after this process ended sessions (logout, an account disabled,
 * its role or password changed) — and ends the streams whose session is gone, idle past the timeout or whose account
 * is disabled. Another app process's logout is seen at the next periodic check.
 */
export class SessionStreams {
  private open = new Map<ServerResponse, string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private deps: AppDeps,
    private log: FastifyInstance['log'],
  ) {}

  add(sessionId: string, res: ServerResponse) {
    this.open.set(res, sessionId);
    res.on('close', () => {
      this.open.delete(res);
      if (this.open.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    });
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), this.deps.config.streamCheckMs);
      this.timer.unref();
    }
  }

  /** Re-checks now (coalesced: a check asked for while one runs runs once more after it). */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.sweep()
      .catch((e) => this.log.warn({ err: e }, 'checking the sessions of open event streams failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          void this.check();
        }
      });
    return this.running;
  }

  private async sweep() {
    if (this.open.size === 0) return;
    const ids = [...new Set(this.open.values())];
    const { db, clock, config } = this.deps;
    const idleSince = new Date(clock.now().getTime() - config.idleTimeoutMinutes * 60_000);
    const live = await queryRows<{ id: string }>(
      db,
      sql`
      select s.id from sessions s join users u on u.id = s.user_id
      where s.id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})
        and not u.disabled and s.last_seen_at >= ${idleSince.toISOString()}::timestamptz`,
    );
    const alive = new Set(live.map((r) => r.id));
    // Only the sessions asked about are judged: a stream opened while the query ran (its session not in `ids`) is
    // checked by the next sweep, not ended for being absent from an answer that never asked about it.
    const asked = new Set(ids);
    for (const [res, id] of this.open) if (asked.has(id) && !alive.has(id)) res.end();
  }

  close() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const res of this.open.keys()) res.end();
    this.open.clear();
  }
}
