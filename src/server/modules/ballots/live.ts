import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Database } from '../../db/connect';
import { SseHub } from '../../http/sse-hub';
import { LIVE_CHANNEL } from './cast-ballots';
import { codeCounts, currentRound, meetingReporters, receivedCounts } from './repo';
import type { LiveCountsOut, RoundMode, RoundState } from './schemas';

/**
 * Live counts for the console (R-VOTE-5): ballots received per reporter, never the grades. A stored batch notifies
 * through the database (pg_notify after its commit), so every app process on one PostgreSQL hears
 * it; the casting process also wakes its own listeners directly, which covers an engine whose LISTEN misses
 * its own notifications. Bursts are coalesced: one recount per meeting per 150 ms.
 */
export class LiveCounts {
  private hub: SseHub;

  /** Ballots waiting in this process for their batch (mixer.ts), shown apart from those stored. */
  waiting: (roundId: number) => Map<number, number> = () => new Map();

  constructor(
    private database: Database,
    private log: FastifyInstance['log'],
  ) {
    this.hub = new SseHub(database, log, {
      channel: LIVE_CHANNEL,
      debounceMs: 150,
      listenFailed: 'LISTEN for live ballot counts failed; same-process updates only',
      push: (meetingId, clients) => this.push(meetingId, clients),
    });
  }

  /** What each `counts` event carries; its shape is `LiveCountsOut` (schemas.ts), which the console is typed by. */
  async snapshot(meetingId: number): Promise<z.infer<typeof LiveCountsOut>> {
    const db = this.database.db;
    const round = await currentRound(db, meetingId);
    if (!round) return { roundId: null, mode: null, state: null, codes: [], reporters: [] };
    const counts = await receivedCounts(db, round.id);
    const waiting = this.waiting(round.id);
    const reporters = await meetingReporters(db, meetingId);
    return {
      roundId: round.id,
      mode: round.mode as RoundMode,
      state: round.state as RoundState,
      codes: await codeCounts(db, round.id),
      reporters: reporters.map((r) => ({
        reporterId: r.reporterId,
        name: r.orgName,
        received: counts.get(r.reporterId) ?? 0,
        waiting: waiting.get(r.reporterId) ?? 0,
      })),
    };
  }

  async subscribe(meetingId: number, res: ServerResponse) {
    await this.hub.subscribe(meetingId, res);
    res.write(`event: counts\ndata: ${JSON.stringify(await this.snapshot(meetingId))}\n\n`);
  }

  poke(meetingId: number) {
    this.hub.poke(meetingId);
  }

  private async push(meetingId: number, clients: ReadonlySet<ServerResponse>) {
    try {
      const data = `event: counts\ndata: ${JSON.stringify(await this.snapshot(meetingId))}\n\n`;
      for (const res of clients) res.write(data);
    } catch (e) {
      this.log.warn({ err: e }, 'live ballot counts push failed');
    }
  }

  close() {
    return this.hub.close();
  }
}
