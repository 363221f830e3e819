import { sql } from 'drizzle-orm';
import { codeShape, fillForm, MAX_ROOM_FAILURES, normalizeCode } from '../../../domain/ballot-codes';
import type { BallotForm } from '../../../domain/campaign-settings';
import { AppError } from '../../../domain/errors';
import type { ErrorCode } from '../../../domain/error-codes';
import type { Grade } from '../../../domain/grades';
import { type Db, definePrepared, preparedRows } from '../../db/connect';
import type { BallotMixer, Outcome } from './mixer';
import { type Anonymity, getMeetingContext, meetingReporters } from './repo';
import { hashCode } from './secret';

/**
 * Casting (R-VOTE-2, R-VOTE-3). Nothing here writes an audit row or logs: a ballot must leave no trace that
 * links it to a code, a device, a time or a person. The lookup below only checks the code and chooses the
 * message; the ballot is then handed to the mixer (mixer.ts), which stores it in a batch of at least the
 * round's minimum group, and a phone is told "counted" only once that batch committed (decision 017).
 */
export const LIVE_CHANNEL = 'ballot_counts';

/**
 * The code, its round, the meeting's agenda and the reporters this code has rated, in one statement prepared once
 * per connection (planning it cost more than running it). $1 the code hash.
 */
const LOOKUP = definePrepared(
  'vote_lookup',
  `
  select c.id as code_id, c.category, c.room_failures, b.voided_at is not null as voided,
         r.id as round_id, r.meeting_id, r.state, r.mode, r.room_code, r.anonymity,
         (select array_agg(a.reporter_id) from meetings_v_agenda_items a
           join campaigns_v_reporters cr on cr.id = a.reporter_id and cr.removed_at is null
           where a.meeting_id = r.meeting_id) as agenda,
         (select array_agg(u.reporter_id) from ballot_code_uses u where u.code_id = c.id) as used
  from ballot_codes c
  join ballot_code_batches b on b.id = c.batch_id
  join ballot_rounds r on r.id = c.round_id
  where c.code_hash = $1::text`,
  ['text'],
);

/** Live counts may lag a burst by this much; a meeting is notified at most once per window per process. */
const NOTIFY_WINDOW_MS = 200;
const notifyWindows = new WeakMap<object, Map<number, { pending: boolean }>>();

/**
 * Wakes the live-count listeners of every app process on this database (LISTEN ballot_counts), after the
 * ballot committed: the first cast of a quiet meeting notifies at once, a burst then yields one more
 * notification at the end of each window. The payload is the meeting id only.
 */
export function notifyCounts(db: Db, meetingId: number) {
  let windows = notifyWindows.get(db);
  if (!windows) notifyWindows.set(db, (windows = new Map()));
  const open = windows.get(meetingId);
  if (open) {
    open.pending = true;
    return;
  }
  const send = () => {
    db.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${String(meetingId)})`).catch(() => {
      /* closed or shutting down */
    });
  };
  const state = { pending: false };
  windows.set(meetingId, state);
  send();
  const tick = () => {
    if (!state.pending) return void windows.delete(meetingId);
    state.pending = false;
    send();
    setTimeout(tick, NOTIFY_WINDOW_MS).unref();
  };
  setTimeout(tick, NOTIFY_WINDOW_MS).unref();
}

interface CodeRow {
  code_id: number;
  category: string;
  room_failures: number;
  voided: boolean;
  round_id: number;
  meeting_id: number;
  state: string;
  mode: string;
  room_code: string;
  anonymity: Anonymity | null;
  /** Reporter ids on the meeting's agenda (not removed from the campaign). */
  agenda: number[] | null;
  /** Reporter ids this code has rated. */
  used: number[] | null;
}

const err = (code: ErrorCode, message: string) => new AppError(code, message);

const codeUsed = (n: number) =>
  err(
    'CODE_USED',
    n === 1
      ? '您已对该述职对象投过票，每个投票码对每位述职对象只能投一次'
      : '您已对所选述职对象投过票，每个投票码对每位述职对象只能投一次',
  );

/**
 * Checks the code and room code and returns the code's row. `asking` are the reporters a vote is for: when voting
 * has ended and this code had rated all of them, the answer is "already voted", not "closed" — a phone that was
 * told "pending" asks again after the close stored its ballots, and must learn they were counted.
 */
async function resolveCode(db: Db, rawCode: string, roomCode: string, asking?: number[]): Promise<CodeRow> {
  const code = normalizeCode(rawCode);
  const shape = codeShape(code);
  if (shape !== 'ok') throw err('CODE_MISTYPED', '投票码有误，请核对投票条上的投票码后重新输入');
  const [row] = await preparedRows<CodeRow>(db, LOOKUP, [hashCode(code)]);
  if (!row) throw err('CODE_UNKNOWN', '投票码无效，请核对投票条上的投票码后重新输入');
  if (row.voided) throw err('CODE_VOIDED', '该投票码已作废（投票条已重新印制），请向工作人员领取新的投票条');
  if (row.state === 'draft') throw err('VOTING_NOT_OPEN', '测评尚未开始，请等待主持人宣布开始投票');
  if (row.state !== 'open') {
    const used = numbers(row.used);
    if (asking?.length && asking.every((id) => used.has(id))) throw codeUsed(asking.length);
    throw err('VOTING_CLOSED', '本轮测评已结束，不能再投票');
  }
  if (row.room_failures >= MAX_ROOM_FAILURES) {
    throw err('CODE_LOCKED', '会场码输错次数过多，该投票码已停用，请向工作人员求助');
  }
  if (!/^\d{6}$/.test(roomCode.trim()) || roomCode.trim() !== row.room_code) {
    await db.execute(sql`update ballot_codes set room_failures = room_failures + 1 where id = ${row.code_id}`);
    throw err('ROOM_CODE_WRONG', '会场码不正确，请输入会场大屏上显示的6位会场码');
  }
  return row;
}

const numbers = (a: Array<number | string> | null) => new Set((a ?? []).map(Number));

export interface VoteSheet {
  meetingTitle: string;
  categoryLabel: string;
  rehearsal: boolean;
  reporters: Array<{
    reporterId: number;
    name: string;
    secretaryName: string | null;
    downward: boolean;
    done: boolean;
    form: BallotForm;
  }>;
}

/** What the phone shows after the code and room code are accepted: every reporter with its form text. */
export async function openVoteSheet(db: Db, rawCode: string, roomCode: string): Promise<VoteSheet> {
  const row = await resolveCode(db, rawCode, roomCode);
  const ctx = await getMeetingContext(db, row.meeting_id);
  const used = numbers(row.used);
  const forms = ctx.settings.meeting.ballotForms;
  const list = await meetingReporters(db, row.meeting_id);
  return {
    meetingTitle: ctx.meeting.title,
    categoryLabel: row.anonymity?.categories.find((c) => c.key === row.category)?.label ?? row.category,
    rehearsal: row.mode === 'rehearsal',
    reporters: list.map((r) => {
      const downward = r.role === 'downward';
      // 附件2 names the organizing committee itself; 附件1 the reporting organization (R-CAMP-4).
      const form = downward && forms.downward ? forms.downward : forms.reporter;
      return {
        reporterId: r.reporterId,
        name: r.orgName,
        secretaryName: r.secretaryName,
        downward,
        done: used.has(r.reporterId),
        form: fillForm(form, r.orgName),
      };
    }),
  };
}

export interface BallotIn {
  reporterId: number;
  grade: Grade;
  problems?: string;
  suggestions?: string;
}

/** What a phone is told: stored now, stored before (this code had rated them), or still waiting for company. */
export interface CastAnswer {
  meetingId: number;
  accepted: number[];
  alreadyVoted: number[];
  pending: number[];
}

/**
 * Casts one or several ballots with one code. The code is checked here (the messages); the ballots go to the
 * mixer and this waits up to `waitMs` for their batch to commit. Ballots still waiting then are answered as
 * pending: the phone keeps them and asks again, and asking again is the same ballot, never a second one.
 */
export async function castBallots(
  db: Db,
  mixer: BallotMixer,
  rawCode: string,
  roomCode: string,
  items: BallotIn[],
  waitMs: number,
): Promise<CastAnswer> {
  const seen = new Set<number>();
  for (const b of items) {
    if (seen.has(b.reporterId)) throw err('DUPLICATE_REPORTER', '同一述职对象在一次提交中只能评价一次');
    seen.add(b.reporterId);
  }
  const row = await resolveCode(
    db,
    rawCode,
    roomCode,
    items.map((b) => b.reporterId),
  );
  const onAgenda = numbers(row.agenda);
  if (items.some((b) => !onAgenda.has(b.reporterId))) {
    throw err('UNKNOWN_REPORTER', '所评价的述职对象不在本次述职评议会名单中');
  }
  const used = numbers(row.used);
  const fresh = items.filter((b) => !used.has(b.reporterId));
  if (fresh.length === 0) throw codeUsed(items.length);
  const meetingId = Number(row.meeting_id);
  // A rehearsal is purged afterwards and says so on every phone: it is stored at once, so a room can try its phones.
  const k = row.mode === 'real' ? Math.max(1, Number(row.anonymity?.minGroupSize ?? 1)) : 1;
  const waits = mixer.submit(
    { id: Number(row.round_id), meetingId, k },
    fresh.map((b) => ({
      codeId: Number(row.code_id),
      category: row.category,
      reporterId: b.reporterId,
      grade: b.grade,
      problems: b.problems?.trim() || null,
      suggestions: b.suggestions?.trim() || null,
    })),
  );
  const outcomes = new Map<number, Outcome | 'waiting'>(waits.map((w) => [w.reporterId, 'waiting']));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((res) => {
    timer = setTimeout(res, waitMs);
  });
  try {
    await Promise.race([
      Promise.all(
        waits.map(async (w) => {
          outcomes.set(w.reporterId, await w.done);
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
  const pick = (o: Outcome | 'waiting') => [...outcomes].filter(([, v]) => v === o).map(([id]) => id);
  const answer: CastAnswer = {
    meetingId,
    accepted: pick('accepted'),
    alreadyVoted: [...items.filter((b) => used.has(b.reporterId)).map((b) => b.reporterId), ...pick('already')],
    pending: pick('waiting'),
  };
  if (pick('closed').length && !answer.accepted.length && !answer.pending.length) {
    // Voting ended (or the slip was reprinted) while the ballots waited: the lookup now names which.
    await resolveCode(
      db,
      rawCode,
      roomCode,
      items.map((b) => b.reporterId),
    );
    throw err('VOTING_CLOSED', '本轮测评已结束，不能再投票');
  }
  if (!answer.accepted.length && !answer.pending.length) throw codeUsed(items.length);
  return answer;
}
