import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Database, DbOrTx } from '../../db/connect';

/**
 * Live console state (decision 007): when a meeting's timer, step, agenda, comments or ballot round change, every
 * open console and organizer page hears it within a second. The change is announced through the database
 * (pg_notify), so a screen connected to another app process on the same PostgreSQL hears it too; each screen then
 * reads the meeting detail itself (its permissions differ per user, so the event carries no detail).
 */
export const MEETING_CHANNEL = 'meeting_state';

/** Announces a change of one meeting; inside a transaction PostgreSQL delivers it only on commit. */
export async function notifyMeeting(db: DbOrTx, meetingId: number) {
  await db.execute(sql`select pg_notify(${MEETING_CHANNEL}, ${String(meetingId)})`);
}

export class MeetingEvents {
  private clients = new Map<number, Set<ServerResponse>>();
  private timers = new Map<number, NodeJS.Timeout>();
  private unlisten: (() => Promise<void>) | null = null;
  private listening: Promise<void> | null = null;

  constructor(private database: Database, private log: FastifyInstance['log']) {}

  private ensureListening() {
    this.listening ??= this.database.listen(MEETING_CHANNEL, (payload) => this.poke(Number(payload)))
      .then((u) => { this.unlisten = u; })
      .catch((e) => { this.log.warn({ err: e }, 'LISTEN for meeting changes failed; consoles fall back to polling'); });
    return this.listening;
  }

  async subscribe(meetingId: number, res: ServerResponse) {
    await this.ensureListening();
    const set = this.clients.get(meetingId) ?? new Set();
    set.add(res);
    this.clients.set(meetingId, set);
    res.on('close', () => {
      set.delete(res);
      if (set.size === 0) this.clients.delete(meetingId);
    });
    // The first event tells the page the stream is up, so it can slow its fallback poll.
    res.write(`retry: 3000\nevent: ready\ndata: {"meetingId":${meetingId}}\n\n`);
  }

  /** Several changes within 100 ms (a click that moves timer and step) reach the screens as one event. */
  poke(meetingId: number) {
    if (!Number.isInteger(meetingId) || !this.clients.has(meetingId) || this.timers.has(meetingId)) return;
    this.timers.set(meetingId, setTimeout(() => {
      this.timers.delete(meetingId);
      const data = `event: changed\ndata: {"meetingId":${meetingId}}\n\n`;
      for (const res of this.clients.get(meetingId) ?? []) res.write(data);
    }, 100));
  }

  async close() {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const set of this.clients.values()) for (const res of set) res.end();
    this.clients.clear();
    await this.listening;
    await this.unlisten?.();
  }
}
