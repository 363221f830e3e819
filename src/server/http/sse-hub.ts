import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Database } from '../db/connect';

export interface SseHubOptions {
  /** The database channel whose payload is a meeting id (pg_notify from the writing statement). */
  channel: string;
  /** Changes of one meeting within this many milliseconds reach its screens as one push. */
  debounceMs: number;
  /** Logged (warn) when LISTEN fails: the hub then hears only pokes from its own process. */
  listenFailed: string;
  /** Sends one coalesced event to the meeting's open streams; called only while at least one is open. */
  push: (meetingId: number, clients: ReadonlySet<ServerResponse>) => void | Promise<void>;
}

/**
 * The mechanics shared by the server-sent event streams per meeting: who listens to which meeting, one LISTEN on
 * the database channel per process (started by the first subscriber, so an app that nobody watches holds no
 * listening connection), a per-meeting timer that coalesces bursts, and closing every stream on shutdown.
 * What an event says stays with the owner (push), since each stream decides what it may reveal.
 */
export class SseHub {
  private clients = new Map<number, Set<ServerResponse>>();
  private timers = new Map<number, NodeJS.Timeout>();
  private unlisten: (() => Promise<void>) | null = null;
  private listening: Promise<void> | null = null;

  constructor(
    private database: Database,
    private log: FastifyInstance['log'],
    private opts: SseHubOptions,
  ) {}

  private ensureListening() {
    this.listening ??= this.database
      .listen(this.opts.channel, (payload) => this.poke(Number(payload)))
      .then((u) => {
        this.unlisten = u;
      })
      .catch((e) => {
        this.log.warn({ err: e }, this.opts.listenFailed);
      });
    return this.listening;
  }

  /** Registers an open stream until it closes; the caller writes the first event afterwards. */
  async subscribe(meetingId: number, res: ServerResponse) {
    await this.ensureListening();
    const set = this.clients.get(meetingId) ?? new Set();
    set.add(res);
    this.clients.set(meetingId, set);
    res.on('close', () => {
      set.delete(res);
      if (set.size === 0) this.clients.delete(meetingId);
    });
  }

  poke(meetingId: number) {
    if (!Number.isInteger(meetingId) || !this.clients.has(meetingId) || this.timers.has(meetingId)) return;
    this.timers.set(
      meetingId,
      setTimeout(() => {
        this.timers.delete(meetingId);
        const set = this.clients.get(meetingId);
        if (set?.size) void this.opts.push(meetingId, set);
      }, this.opts.debounceMs),
    );
  }

  async close() {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const set of this.clients.values()) for (const res of set) res.end();
    this.clients.clear();
    await this.listening;
    await this.unlisten?.();
  }
}

/**
 * Takes the response over from Fastify as an event stream: no caching, no proxy buffering (nginx honours
 * x-accel-buffering), and a comment line every 25 s so idle proxies and phones on mobile networks keep it open.
 * The stream is bound to the caller's session and ends with it (session-streams.ts).
 */
export function openEventStream(reply: FastifyReply): ServerResponse {
  const sessionId = reply.request.sessionId;
  if (!sessionId) throw new Error('event streams are for signed-in users only');
  reply.hijack();
  const res = reply.raw;
  reply.server.sessionStreams.add(sessionId, res);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const beat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
  res.on('close', () => clearInterval(beat));
  return res;
}
