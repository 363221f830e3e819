import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Database, DbOrTx } from '../../db/connect';
import { SseHub } from '../../http/sse-hub';

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
  private hub: SseHub;

  constructor(database: Database, log: FastifyInstance['log']) {
    this.hub = new SseHub(database, log, {
      channel: MEETING_CHANNEL,
      /** Several changes within 100 ms (a click that moves timer and step) reach the screens as one event. */
      debounceMs: 100,
      listenFailed: 'LISTEN for meeting changes failed; consoles fall back to polling',
      push: (meetingId, clients) => {
        const data = `event: changed\ndata: {"meetingId":${meetingId}}\n\n`;
        for (const res of clients) res.write(data);
      },
    });
  }

  async subscribe(meetingId: number, res: ServerResponse) {
    await this.hub.subscribe(meetingId, res);
    // The first event tells the page the stream is up, so it can slow its fallback poll.
    res.write(`retry: 3000\nevent: ready\ndata: {"meetingId":${meetingId}}\n\n`);
  }

  poke(meetingId: number) {
    this.hub.poke(meetingId);
  }

  close() {
    return this.hub.close();
  }
}
