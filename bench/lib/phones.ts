// The crash proof's phones, app process and checks (issue 8, 14), shared by bench/crash.bench.ts and
// bench/failover.bench.ts (issue 19): phones cast over HTTP and remember what they were told; the checks compare that
// with what the database holds.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../src/server/db/connect';
import { hashCode } from '../../src/server/modules/ballots/secret';

/** A phone gives up after this long; the request's outcome is then unknown to it. */
export const REQUEST_TIMEOUT_MS = 15_000;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export interface Sent {
  code: string;
  reporters: number[];
  /** The ballots as sent, by reporter (asking again sends the same ones). */
  ballots: Map<number, object>;
  roomCode: string;
  round: number;
  /** The first answer: refused (never reached a server) and rejected (4xx) mean nothing was stored. */
  first: 'acked' | 'pending' | 'refused' | 'rejected' | 'unknown' | 'unsent';
  /** Reporters whose ballot the phone was told is counted. */
  acked: Set<number>;
  /** Reporters told "pending", still to ask about. */
  waiting: number[];
  /** Reporters whose outcome the phone did not learn (a failed request). */
  unknown: Set<number>;
  detail: string;
}
// ---- the app as a child process -------------------------------------------------------------------------

export interface AppProc {
  child: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

export function spawnApp(env: Record<string, string>): AppProc {
  // node --import tsx: one process, so SIGKILL hits the server itself (npx/npm would put a wrapper in between).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const keep = (b: Buffer) => {
    for (const line of b.toString().split('\n')) if (line.trim()) log.push(line.slice(0, 400));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, log, exited };
}

export function request(
  port: number,
  method: string,
  urlPath: string,
  body?: string,
  headers: Record<string, string> = {},
  agent?: http.Agent,
) {
  return new Promise<{ status: number; text: string; error?: string }>((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method,
        agent: agent ?? false,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', (e) => resolve({ status: 0, text, error: (e as NodeJS.ErrnoException).code ?? e.message }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e) => resolve({ status: 0, text: '', error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}

export async function waitHealthy(port: number, app: AppProc, timeoutMs = 120_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`app exited while starting:\n${app.log.slice(-20).join('\n')}`);
    }
    const r = await request(port, 'GET', '/api/health');
    if (r.status === 200) return Date.now() - t0;
    await sleep(100);
  }
  throw new Error(`app not healthy after ${timeoutMs} ms:\n${app.log.slice(-20).join('\n')}`);
}

/** The session's CSRF token (GET /api/auth/me answers it), for the organizer's close. */
export async function csrfOf(port: number, cookie: string) {
  const r = await request(port, 'GET', '/api/auth/me', undefined, { cookie: `sp_sid=${cookie}` });
  try {
    return String((JSON.parse(r.text) as { csrfToken?: string }).csrfToken ?? '');
  } catch {
    return '';
  }
}

/**
 * The console's live counts stay open during the meeting (server-sent events), which makes the app hold a LISTEN
 * connection: the connection a database restart breaks while no query runs on it. Reopened whenever it closes.
 */
export function liveConsole(port: number, meetingId: number, cookie: string) {
  let stopped = false;
  let current: http.ClientRequest | null = null;
  const open = () => {
    if (stopped) return;
    current = http.get(
      { host: '127.0.0.1', port, path: `/api/meetings/${meetingId}/live`, headers: { cookie: `sp_sid=${cookie}` } },
      (res) => {
        res.on('data', () => {});
        res.on('close', () => setTimeout(open, 300));
        res.on('error', () => {});
      },
    );
    current.on('error', () => setTimeout(open, 300));
  };
  open();
  return {
    stop() {
      stopped = true;
      current?.destroy();
    },
  };
}

// ---- the phones -----------------------------------------------------------------------------------------

export const bodyOf = (s: Sent, reporters: number[]) =>
  JSON.stringify({ code: s.code, roomCode: s.roomCode, ballots: reporters.map((id) => s.ballots.get(id)) });

/** Reads a vote answer into the phone's state; `asking` are the reporters this request was about. */
export function takeAnswer(
  s: Sent,
  asking: number[],
  r: { status: number; text: string; error?: string },
  again: boolean,
) {
  const json = () => {
    try {
      return JSON.parse(r.text) as { code?: string; accepted?: number[]; alreadyVoted?: number[]; pending?: number[] };
    } catch {
      return {};
    }
  };
  if (r.status === 200 || r.status === 202) {
    const b = json();
    for (const id of [...(b.accepted ?? []), ...(again ? (b.alreadyVoted ?? []) : [])]) {
      s.acked.add(id);
      s.unknown.delete(id);
    }
    s.waiting = b.pending ?? [];
    return r.status === 200 ? 'acked' : 'pending';
  }
  if (again && r.status === 409 && json().code === 'CODE_USED') {
    // Asked again after "pending": the page reads "already voted" as stored.
    for (const id of asking) {
      s.acked.add(id);
      s.unknown.delete(id);
    }
    s.waiting = [];
    return 'acked';
  }
  if (r.status === 0 && r.error === 'ECONNREFUSED') return 'refused';
  if (r.status >= 400 && r.status < 500) {
    s.detail = r.text.slice(0, 200);
    if (again) {
      for (const id of asking) s.unknown.add(id);
      s.waiting = [];
    }
    return 'rejected';
  }
  s.detail = r.error ?? `${r.status} ${r.text.slice(0, 120)}`;
  for (const id of asking) if (!s.acked.has(id)) s.unknown.add(id);
  return 'unknown';
}

/**
 * The phones that were told "pending": each asks again every 1.5 s with the same ballots until it hears a final
 * answer, across kills and restarts, until stopped.
 */
export function startAsking(port: () => number, sent: Sent[]) {
  let stopped = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const loop = (async () => {
    while (!stopped) {
      await sleep(1500);
      const waiting = sent.filter((s) => s.waiting.length);
      await Promise.all(
        waiting.map(async (s) => {
          const asking = [...s.waiting];
          const r = await request(port(), 'POST', '/api/vote/ballots', bodyOf(s, asking), {}, agent);
          // A refused or failed request leaves the ballots waiting on the phone: it asks again next time.
          if (r.status === 0 || r.status >= 500) return;
          takeAnswer(s, asking, r, true);
        }),
      );
    }
  })();
  return {
    waiting: () => sent.filter((s) => s.waiting.length).length,
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
    },
  };
}

/** CLIENTS phones on keep-alive connections, each taking the next unused code until stopped. */
export type AnswerHook = (s: Sent, r: { status: number; text: string; error?: string }, ms: number, at: number) => void;

export function startLoad(
  port: number,
  queue: Sent[],
  sent: Sent[],
  roundNo: number,
  clients: number,
  onAnswer?: AnswerHook,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  let stopping = false;
  let acked = () => {};
  /** Resolves at the round's first 200: the kill is placed after it, amid a stream of commits, not before the first. */
  const firstAck = new Promise<void>((resolve) => {
    acked = resolve;
  });
  const loops = Array.from({ length: clients }, async () => {
    while (!stopping) {
      const s = queue.shift();
      if (!s) return;
      s.round = roundNo;
      sent.push(s);
      const t0 = Date.now();
      const r = await request(port, 'POST', '/api/vote/ballots', bodyOf(s, s.reporters), {}, agent);
      s.first = takeAnswer(s, s.reporters, r, false);
      onAnswer?.(s, r, Date.now() - t0, Date.now());
      if (s.first === 'acked' || s.first === 'pending') acked();
    }
  });
  return {
    firstAck,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      agent.destroy();
    },
    async done() {
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

// ---- the checks -----------------------------------------------------------------------------------------

export interface Verdict {
  violations: string[];
  unknownPresent: number;
  unknownAbsent: number;
  presentByRound: Map<number, number>;
}

/** Compares what the phones were told with the code uses and ballots stored (read from `db`, which may be a transaction). */
export async function checkAgainstAcks(db: Db, roundId: number, sent: Sent[], unsent: Sent[]): Promise<Verdict> {
  const violations: string[] = [];
  const rows = await queryRows<{ code_hash: string; reporter_id: number; n: number }>(
    db,
    sql`
    select c.code_hash, u.reporter_id, count(*)::int as n
    from ballot_code_uses u join ballot_codes c on c.id = u.code_id
    where c.round_id = ${roundId} group by c.code_hash, u.reporter_id`,
  );
  const uses = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const m = uses.get(r.code_hash) ?? new Map<number, number>();
    m.set(Number(r.reporter_id), Number(r.n));
    uses.set(r.code_hash, m);
  }
  const v = (msg: string) => {
    if (violations.length < 50) violations.push(msg);
    else if (violations.length === 50) violations.push('…');
  };
  let unknownPresent = 0;
  let unknownAbsent = 0;
  const presentByRound = new Map<number, number>();
  const known = new Set<string>();
  const expected = new Map<number, number>();
  for (const s of sent) {
    const h = hashCode(s.code);
    known.add(h);
    const got = uses.get(h) ?? new Map<number, number>();
    for (const [rep, n] of got) {
      if (n !== 1) v(`code …${s.code.slice(-4)} reporter ${rep}: ${n} uses`);
      if (!s.reporters.includes(rep)) v(`code …${s.code.slice(-4)}: a use for reporter ${rep} it never rated`);
    }
    for (const rep of s.reporters) {
      const stored = got.get(rep) === 1;
      if (s.acked.has(rep)) {
        if (!stored) v(`acknowledged ballot missing: code …${s.code.slice(-4)} reporter ${rep} (round ${s.round})`);
      } else if (s.first === 'refused' || s.first === 'rejected') {
        if (stored) v(`code …${s.code.slice(-4)} was ${s.first} (${s.detail}) yet reporter ${rep} is stored`);
      } else if (stored) {
        unknownPresent++;
        presentByRound.set(s.round, (presentByRound.get(s.round) ?? 0) + 1);
      } else {
        unknownAbsent++;
      }
      if (stored && (s.acked.has(rep) || (s.first !== 'refused' && s.first !== 'rejected')))
        expected.set(rep, (expected.get(rep) ?? 0) + 1);
    }
  }
  for (const s of unsent) known.add(hashCode(s.code));
  for (const h of uses.keys()) if (!known.has(h)) v(`uses for a code this run never had (${h.slice(0, 8)}…)`);
  for (const s of unsent) if (uses.has(hashCode(s.code))) v(`code …${s.code.slice(-4)} never sent yet used`);

  // No ballot without its code use and no code use without its ballot, per reporter and category.
  const mismatch = await queryRows<{ reporter_id: number; category: string; ballots: number; uses: number }>(
    db,
    sql`
    with b as (select reporter_id, category, count(*)::int as n from ballots where round_id = ${roundId} group by 1, 2),
         u as (select u.reporter_id, c.category, count(*)::int as n from ballot_code_uses u
               join ballot_codes c on c.id = u.code_id where c.round_id = ${roundId} group by 1, 2)
    select coalesce(b.reporter_id, u.reporter_id) as reporter_id, coalesce(b.category, u.category) as category,
           coalesce(b.n, 0) as ballots, coalesce(u.n, 0) as uses
    from b full join u on u.reporter_id = b.reporter_id and u.category = b.category
    where coalesce(b.n, 0) <> coalesce(u.n, 0)`,
  );
  for (const m of mismatch)
    v(`reporter ${m.reporter_id} (${m.category}): ${m.ballots} ballots but ${m.uses} code uses`);
  // And the ballots per reporter are exactly the acknowledged plus the unknown-outcome ones that counted.
  const stored = await queryRows<{ reporter_id: number; n: number }>(
    db,
    sql`
    select reporter_id, count(*)::int as n from ballots where round_id = ${roundId} group by reporter_id`,
  );
  const storedBy = new Map(stored.map((r) => [Number(r.reporter_id), Number(r.n)]));
  for (const rep of new Set([...expected.keys(), ...storedBy.keys()])) {
    if ((expected.get(rep) ?? 0) !== (storedBy.get(rep) ?? 0))
      v(`reporter ${rep}: ${storedBy.get(rep) ?? 0} ballots stored, ${expected.get(rep) ?? 0} expected`);
  }
  return { violations, unknownPresent, unknownAbsent, presentByRound };
}
