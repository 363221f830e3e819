import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Database } from '../../db/connect';
import { LIVE_CHANNEL } from './cast-ballots';
import { codeCounts, currentRound, meetingReporters, receivedCounts } from './repo';

/**
 * Live counts for the console (R-VOTE-5): ballots received per reporter, never the grades. A cast notifies
 * through the database (pg_notify in the casting statement), so every app process on one PostgreSQL hears
 * it; the casting process also wakes its own listeners directly, which covers an engine whose LISTEN misses
 * its own notifications. Bursts are coalesced: one recount per meeting per 150 ms.
 */
export class LiveCounts {
  private clients = new Map<number, Set<ServerResponse>>();
  private timers = new Map<number, NodeJS.Timeout>();
  private unlisten: (() => Promise<void>) | null = null;
  private listening: Promise<void> | null = null;

  constructor(private database: Database, private log: FastifyInstance['log']) {}

  private ensureListening() {
    this.listening ??= this.database.listen(LIVE_CHANNEL, (payload) => this.poke(Number(payload)))
      .then((u) => { this.unlisten = u; })
      .catch((e) => { this.log.warn({ err: e }, 'LISTEN for live ballot counts failed; same-process updates only'); });
    return this.listening;
  }

  async snapshot(meetingId: number) {
    const db = this.database.db;
    const round = await currentRound(db, meetingId);
    if (!round) return { roundId: null, mode: null, state: null, codes: [], reporters: [] };
    const counts = await receivedCounts(db, round.id);
    const reporters = await meetingReporters(db, meetingId);
    return {
      roundId: round.id, mode: round.mode, state: round.state,
      codes: await codeCounts(db, round.id),
      reporters: reporters.map((r) => ({ reporterId: r.reporterId, name: r.orgName, received: counts.get(r.reporterId) ?? 0 })),
    };
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
    res.write(`event: counts\ndata: ${JSON.stringify(await this.snapshot(meetingId))}\n\n`);
  }

  poke(meetingId: number) {
    if (!Number.isInteger(meetingId) || !this.clients.has(meetingId) || this.timers.has(meetingId)) return;
    this.timers.set(meetingId, setTimeout(() => {
      this.timers.delete(meetingId);
      void this.push(meetingId);
    }, 150));
  }

  private async push(meetingId: number) {
    const set = this.clients.get(meetingId);
    if (!set?.size) return;
    try {
      const data = `event: counts\ndata: ${JSON.stringify(await this.snapshot(meetingId))}\n\n`;
      for (const res of set) res.write(data);
    } catch (e) {
      this.log.warn({ err: e }, 'live ballot counts push failed');
    }
  }

  async close() {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const set of this.clients.values()) for (const res of set) res.end();
    this.clients.clear();
    await this.listening;
    await this.unlisten?.();
  }
}
