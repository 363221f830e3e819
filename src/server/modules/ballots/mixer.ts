import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { type Db, type DbOrTx, definePrepared, preparedRows, queryRows } from '../../db/connect';
import { inboxName } from './inbox';

/**
 * The ballot mixer (decision 017). A phone's ballot is stored together with its "this code rated this reporter"
 * row — they must commit atomically, or a crash could burn a code without its ballot — and whatever commits
 * together shares a transaction id (xmin) and sits side by side in the write-ahead log. So a ballot is not written
 * when it arrives: it waits here, in this process's memory, until at least `k` ballots (the round's frozen minimum
 * group) for the same reporter from the same evaluator category are waiting, and those are written in one
 * transaction, the code uses in code-id order and the ballots in a random order. Anyone who reads the database,
 * its system columns or its WAL during voting can then narrow a ballot down to a group of k evaluators at best.
 * At the close the rest is written in the close's own transaction, and the close moves every ballot of the round
 * into `ballots` at random (inbox.ts), which leaves nothing to narrow down at all.
 *
 * A phone is told "counted" only once its batch has committed (nothing acknowledged is ever lost); until then its
 * request waits, then answers "pending" and the phone asks again. Waiting ballots die with the process — they
 * were never acknowledged, and the phone, which keeps them, sends them again.
 */

export interface QueuedBallot {
  codeId: number;
  category: string;
  reporterId: number;
  grade: string;
  problems: string | null;
  suggestions: string | null;
}

/** accepted: stored now; already: this code had rated the reporter; closed: voting ended or the slip was voided. */
export type Outcome = 'accepted' | 'already' | 'closed';

interface Waiting extends QueuedBallot {
  key: string;
  done: Promise<Outcome>;
  settle(o: Outcome): void;
  fail(e: unknown): void;
}

interface RoundQueue {
  roundId: number;
  meetingId: number;
  k: number;
  pending: Map<string, Waiting>;
  inflight: Map<string, Waiting>;
  flushing: Promise<void> | null;
  again: boolean;
  /** Set while this process closes the round: nothing new is taken. */
  draining: boolean;
  /** Set when the round is closing on another process: everything waiting is written at once. */
  flushAll: boolean;
}

const keyOf = (codeId: number, reporterId: number) => `${codeId}:${reporterId}`;
const groupOf = (b: QueuedBallot) => `${b.reporterId}\u0000${b.category}`;

/** Fisher–Yates with a cryptographic source: the order ballots reach the disk must say nothing. */
export function shuffle<T>(items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export const VOTE_NOT_SAVED = () => new AppError('VOTE_NOT_SAVED');

class Undersized extends Error {
  /** Ballots answered already (their code had rated the reporter, or was closed); the rest are written later. */
  constructor(public readonly answered: Map<string, Outcome>) {
    super('a batch group fell below the minimum');
  }
}

type Status = 'inserted' | 'used' | 'closed';
const outcomeOf = (st: Status): Outcome => (st === 'inserted' ? 'accepted' : st === 'used' ? 'already' : 'closed');

/**
 * One batch as one statement, prepared once per connection and round (the inbox's name is in its text; planning
 * costs more than running it, and on PGlite nothing else runs meanwhile): the round locked FOR SHARE (a close holds
 * it FOR NO KEY UPDATE, so a batch and a close never interleave and never deadlock), the code uses inserted in
 * code-id order, each (reporter, category) group checked to be at least $3 (else ballot_batch_guard aborts the
 * statement, SQLSTATE SB001), and the ballots inserted in the order of `ord`, a random permutation.
 * $1 the ballots as JSON, $2 the round, $3 the minimum group.
 */
const batchStatement = (roundId: number) =>
  definePrepared(
    `ballot_batch_r${Math.trunc(roundId)}`,
    `
  with lock as (
    select id from ballot_rounds where id = $2::int and state in ('open', 'closing') for share
  ), input as (
    select * from jsonb_to_recordset($1::jsonb)
      as x(code_id int, reporter_id int, ord int, category text, grade text, problems text, suggestions text)
  ), live as (
    select bc.id from ballot_codes bc join ballot_code_batches bb on bb.id = bc.batch_id
    where bc.round_id in (select id from lock) and bc.id in (select code_id from input)
      and not bc.closed and bb.voided_at is null
  ), u as (
    insert into ballot_code_uses (code_id, reporter_id)
    select i.code_id, i.reporter_id from input i where i.code_id in (select id from live)
    order by i.code_id, i.reporter_id
    on conflict do nothing
    returning code_id, reporter_id
  ), stored as (
    select i.* from input i join u on u.code_id = i.code_id and u.reporter_id = i.reporter_id
  ), guard as (
    select ballot_batch_guard(coalesce(min(n), $3::int) >= $3::int) as ok
    from (select count(*) as n from stored group by reporter_id, category) g
  ), b as (
    insert into ${inboxName(roundId)} (reporter_id, category, grade, problems, suggestions)
    select s.reporter_id, s.category, s.grade, s.problems, s.suggestions from stored s cross join guard where guard.ok
    order by s.ord
    returning 1
  )
  select i.code_id, i.reporter_id,
         case when u.code_id is not null then 'inserted' when i.code_id in (select id from live) then 'used' else 'closed' end as status,
         (select count(*) from b)::int as written
  from input i left join u on u.code_id = i.code_id and u.reporter_id = i.reporter_id`,
    ['jsonb', 'int', 'int'],
  );

const UNDERSIZED = 'SB001';

/**
 * Writes one batch: on the database directly (prepared, one round trip), or inside the caller's transaction (the
 * close). With `k` > 1, a group that would end up smaller than k (a code raced in from another process) stores
 * nothing: the batch's outcomes are then read without writing, so those ballots can be answered and the rest wait.
 */
export async function writeBatch(
  db: DbOrTx,
  roundId: number,
  items: QueuedBallot[],
  k: number,
): Promise<Map<string, Outcome>> {
  const order = shuffle(items.map((_, i) => i));
  const input = JSON.stringify(
    items.map((b, i) => ({
      code_id: b.codeId,
      reporter_id: b.reporterId,
      ord: order[i],
      category: b.category,
      grade: b.grade,
      problems: b.problems,
      suggestions: b.suggestions,
    })),
  );
  try {
    const rows = await preparedRows<{ code_id: number; reporter_id: number; status: Status }>(
      db,
      batchStatement(roundId),
      [input, roundId, k],
    );
    return new Map(rows.map((r) => [keyOf(Number(r.code_id), Number(r.reporter_id)), outcomeOf(r.status)]));
  } catch (e) {
    // The round's inbox is gone: it was closed (and mixed) or purged meanwhile.
    if ((e as { code?: string }).code === '42P01')
      return new Map(items.map((b) => [keyOf(b.codeId, b.reporterId), 'closed' as Outcome]));
    if ((e as { code?: string }).code !== UNDERSIZED) throw e;
    const rows = await queryRows<{ code_id: number; reporter_id: number; status: Status }>(
      db,
      sql`
      with input as (select * from jsonb_to_recordset(${input}::jsonb) as x(code_id int, reporter_id int))
      select i.code_id, i.reporter_id,
             case when bc.id is null or bc.closed or bb.voided_at is not null or r.state not in ('open', 'closing') then 'closed'
                  when exists (select 1 from ballot_code_uses u where u.code_id = i.code_id and u.reporter_id = i.reporter_id) then 'used'
                  else 'inserted' end as status
      from input i
      left join ballot_codes bc on bc.id = i.code_id and bc.round_id = ${roundId}
      left join ballot_code_batches bb on bb.id = bc.batch_id
      left join ballot_rounds r on r.id = bc.round_id`,
    );
    throw new Undersized(
      new Map(
        rows
          .filter((r) => r.status !== 'inserted')
          .map((r) => [keyOf(Number(r.code_id), Number(r.reporter_id)), outcomeOf(r.status)]),
      ),
    );
  }
}

export class BallotMixer {
  private rounds = new Map<number, RoundQueue>();

  constructor(
    private db: () => Db,
    private hooks: { queued(meetingId: number): void; committed(meetingId: number): void; failed(err: unknown): void },
  ) {}

  /**
   * Queues the ballots of one code. A ballot already waiting for the same code and reporter (the phone asking
   * again, or a second phone with the same slip) is not queued twice.
   */
  submit(
    round: { id: number; meetingId: number; k: number },
    ballots: QueuedBallot[],
  ): Array<{ reporterId: number; done: Promise<Outcome> }> {
    let q = this.rounds.get(round.id);
    if (!q) {
      q = {
        roundId: round.id,
        meetingId: round.meetingId,
        k: Math.max(1, round.k),
        pending: new Map(),
        inflight: new Map(),
        flushing: null,
        again: false,
        draining: false,
        flushAll: false,
      };
      this.rounds.set(round.id, q);
    }
    if (q.draining) throw new AppError('VOTING_CLOSED');
    const out = ballots.map((b) => {
      const key = keyOf(b.codeId, b.reporterId);
      const same = q.pending.get(key) ?? q.inflight.get(key);
      // Only one of them is the ballot; the other learns it was "already" cast once that one is stored (the
      // phone that asked again after "pending" reads that as done: it knows it sent this ballot).
      if (same)
        return { reporterId: b.reporterId, done: same.done.then((o): Outcome => (o === 'accepted' ? 'already' : o)) };
      let settle!: (o: Outcome) => void;
      let fail!: (e: unknown) => void;
      const done = new Promise<Outcome>((res, rej) => {
        settle = res;
        fail = rej;
      });
      done.catch(() => {});
      q.pending.set(key, { ...b, key, done, settle, fail });
      return { reporterId: b.reporterId, done };
    });
    this.hooks.queued(q.meetingId);
    this.kick(q);
    return out;
  }

  /** Ballots waiting in this process per reporter (the console shows them as "待成批保存"). */
  waiting(roundId: number): Map<number, number> {
    const counts = new Map<number, number>();
    const q = this.rounds.get(roundId);
    for (const b of [...(q?.pending.values() ?? []), ...(q?.inflight.values() ?? [])])
      counts.set(b.reporterId, (counts.get(b.reporterId) ?? 0) + 1);
    return counts;
  }

  /** The round is closing on another process: write whatever waits here now, whatever the group sizes. */
  async flushNow(roundId: number) {
    const q = this.rounds.get(roundId);
    if (!q) return;
    q.flushAll = true;
    this.kick(q);
    while (q.flushing) await q.flushing;
  }

  hasWaiting(roundId: number) {
    const q = this.rounds.get(roundId);
    return Boolean(q && (q.pending.size || q.inflight.size));
  }

  /**
   * For this process's close: stops taking ballots for the round, lets a batch being written finish, and hands
   * over everything still waiting, to be written inside the close's own transaction. `settle` reports the
   * outcome of each after the close committed; `restore` puts them back if the close failed.
   */
  async drain(roundId: number) {
    const q = this.rounds.get(roundId);
    if (!q)
      return {
        items: [] as QueuedBallot[],
        settle: (_o: Map<string, Outcome>) => {},
        fail: (_e: unknown) => {},
        restore: () => {},
      };
    q.draining = true;
    while (q.flushing) await q.flushing;
    const taken = [...q.pending.values()];
    q.pending.clear();
    for (const b of taken) q.inflight.set(b.key, b);
    const finish = () => {
      for (const b of taken) q.inflight.delete(b.key);
    };
    return {
      items: taken as QueuedBallot[],
      settle: (outcome: Map<string, Outcome>) => {
        finish();
        for (const b of taken) b.settle(outcome.get(b.key) ?? 'closed');
        this.rounds.delete(roundId);
      },
      /** The close's outcome is unknown (the database went away mid-commit): the phones must ask again. */
      fail: (e: unknown) => {
        finish();
        for (const b of taken) b.fail(e);
        q.draining = false;
      },
      restore: () => {
        finish();
        for (const b of taken) q.pending.set(b.key, b);
        q.draining = false;
        this.kick(q);
      },
    };
  }

  /** Forgets a round (purged rehearsal): anything still waiting is refused. */
  forget(roundId: number) {
    const q = this.rounds.get(roundId);
    if (!q) return;
    for (const b of q.pending.values()) b.settle('closed');
    q.pending.clear();
    this.rounds.delete(roundId);
  }

  private kick(q: RoundQueue) {
    if (q.flushing) {
      q.again = true;
      return;
    }
    // One turn of the event loop first: votes whose code lookup finished meanwhile join this batch, so a busy
    // meeting writes few large batches rather than one per phone.
    q.flushing = new Promise<void>((res) => setImmediate(res))
      .then(() => this.run(q))
      .finally(() => {
        q.flushing = null;
      });
  }

  /** The ballots of every group that has reached k (all of them once the round is closing elsewhere). */
  private ready(q: RoundQueue): Waiting[] {
    if (q.draining) return [];
    const all = [...q.pending.values()];
    if (q.flushAll || q.k <= 1) return all;
    const groups = new Map<string, Waiting[]>();
    for (const b of all) {
      const g = groupOf(b);
      const list = groups.get(g);
      if (list) list.push(b);
      else groups.set(g, [b]);
    }
    return [...groups.values()].filter((g) => g.length >= q.k).flat();
  }

  private async run(q: RoundQueue) {
    for (;;) {
      q.again = false;
      const batch = this.ready(q);
      if (!batch.length) {
        if (q.again) continue;
        return;
      }
      for (const b of batch) {
        q.pending.delete(b.key);
        q.inflight.set(b.key, b);
      }
      try {
        const k = q.flushAll ? 1 : q.k;
        const outcome = await writeBatch(this.db(), q.roundId, batch, k);
        for (const b of batch) {
          q.inflight.delete(b.key);
          b.settle(outcome.get(b.key) ?? 'closed');
        }
        this.hooks.committed(q.meetingId);
      } catch (e) {
        for (const b of batch) q.inflight.delete(b.key);
        if (e instanceof Undersized) {
          // Ballots whose code had already rated the reporter are answered; the rest wait for more company.
          for (const b of batch) {
            const answered = e.answered.get(b.key);
            if (answered) b.settle(answered);
            else q.pending.set(b.key, b);
          }
          continue;
        }
        // The outcome of a failed commit is unknown to this process (the database may have stored it): the phones
        // are told to send again; a stored ballot then answers "already voted", a lost one is stored anew.
        this.hooks.failed(e);
        for (const b of batch) b.fail(VOTE_NOT_SAVED());
      }
    }
  }
}
