import { sql } from 'drizzle-orm';
import { codeShape, fillForm, MAX_ROOM_FAILURES, normalizeCode } from '../../../domain/ballot-codes';
import type { BallotForm } from '../../../domain/campaign-settings';
import { AppError } from '../../../domain/errors';
import type { Grade } from '../../../domain/grades';
import { type Db, definePrepared, preparedRows, queryRows } from '../../db/connect';
import { type Anonymity, getMeetingContext, meetingReporters } from './repo';
import { hashCode } from './secret';

/**
 * Casting (R-VOTE-2, R-VOTE-3). Nothing here writes an audit row or logs: a ballot must leave no trace that
 * links it to a code, a device or a person. The checks before the statement only choose the message; the
 * single INSERT statement is what decides, so two phones racing with one code yield exactly one ballot.
 */
export const LIVE_CHANNEL = 'ballot_counts';

/**
 * The cast: one statement, prepared once per connection (planning it cost more than running it). The code live,
 * not closed and not locked (FOR SHARE of the code row: closing updates every code of the round, so it waits for
 * votes in flight, and a vote that started before the close committed re-reads the row and finds it closed),
 * its round open with this room code, every
 * reporter on the agenda (else nothing is counted), each (code, reporter) use new — and only then the ballot is
 * inserted. $1 code hash, $2 room code, $3 the ballots as JSON.
 * No pg_notify here: NOTIFY takes a database-wide lock from before commit until after the commit's WAL flush,
 * which serialized every cast behind one fsync; live counts are notified after commit instead (notifyCounts).
 */
export const CAST = definePrepared('cast_ballots', `
  with c as (
    select bc.id, bc.category, bc.round_id from ballot_codes bc
    join ballot_code_batches bb on bb.id = bc.batch_id
    where bc.code_hash = $1::text and not bc.closed and bb.voided_at is null and bc.room_failures < ${Number(MAX_ROOM_FAILURES)}
    for share of bc
  ), r as (
    select id, meeting_id from ballot_rounds
    where id in (select round_id from c) and state = 'open' and room_code = $2::text
  ), input as (
    select * from jsonb_to_recordset($3::jsonb) as x(reporter_id int, grade text, problems text, suggestions text)
  ), ok as (
    select c.id, c.category, r.id as round_id, r.meeting_id from c join r on r.id = c.round_id
    where not exists (
      select 1 from input i where i.reporter_id not in (
        select a.reporter_id from meeting_agenda_items a
        join campaign_reporters cr on cr.id = a.reporter_id and cr.removed_at is null
        where a.meeting_id = r.meeting_id))
  ), u as (
    insert into ballot_code_uses (code_id, reporter_id)
    select ok.id, input.reporter_id from ok cross join input
    on conflict do nothing
    returning reporter_id
  ), b as (
    insert into ballots (round_id, reporter_id, category, grade, problems, suggestions)
    select ok.round_id, input.reporter_id, ok.category, input.grade, input.problems, input.suggestions
    from u join input on input.reporter_id = u.reporter_id cross join ok
    returning reporter_id
  )
  select b.reporter_id, ok.meeting_id from b cross join ok`, ['text', 'text', 'jsonb']);

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
  const send = () => { db.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${String(meetingId)})`).catch(() => { /* closed or shutting down */ }); };
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
}

const err = (code: string, message: string, status: number) => new AppError(code, message, status);

async function resolveCode(db: Db, rawCode: string, roomCode: string): Promise<CodeRow> {
  const code = normalizeCode(rawCode);
  const shape = codeShape(code);
  if (shape !== 'ok') throw err('CODE_MISTYPED', '投票码有误，请核对投票条上的投票码后重新输入', 400);
  const [row] = await queryRows<CodeRow>(db, sql`
    select c.id as code_id, c.category, c.room_failures, b.voided_at is not null as voided,
           r.id as round_id, r.meeting_id, r.state, r.mode, r.room_code, r.anonymity,
           (select array_agg(a.reporter_id) from meeting_agenda_items a
             join campaign_reporters cr on cr.id = a.reporter_id and cr.removed_at is null
             where a.meeting_id = r.meeting_id) as agenda
    from ballot_codes c
    join ballot_code_batches b on b.id = c.batch_id
    join ballot_rounds r on r.id = c.round_id
    where c.code_hash = ${hashCode(code)}`);
  if (!row) throw err('CODE_UNKNOWN', '投票码无效，请核对投票条上的投票码后重新输入', 404);
  if (row.voided) throw err('CODE_VOIDED', '该投票码已作废（投票条已重新印制），请向工作人员领取新的投票条', 410);
  if (row.state === 'draft') throw err('VOTING_NOT_OPEN', '测评尚未开始，请等待主持人宣布开始投票', 409);
  if (row.state !== 'open') throw err('VOTING_CLOSED', '本轮测评已结束，不能再投票', 409);
  if (row.room_failures >= MAX_ROOM_FAILURES) {
    throw err('CODE_LOCKED', '会场码输错次数过多，该投票码已停用，请向工作人员求助', 423);
  }
  if (!/^\d{6}$/.test(roomCode.trim()) || roomCode.trim() !== row.room_code) {
    await db.execute(sql`update ballot_codes set room_failures = room_failures + 1 where id = ${row.code_id}`);
    throw err('ROOM_CODE_WRONG', '会场码不正确，请输入会场大屏上显示的6位会场码', 400);
  }
  return row;
}

async function usedReporters(db: Db, codeId: number): Promise<Set<number>> {
  const rows = await queryRows<{ reporter_id: number }>(db, sql`select reporter_id from ballot_code_uses where code_id = ${codeId}`);
  return new Set(rows.map((r) => Number(r.reporter_id)));
}

export interface VoteSheet {
  meetingTitle: string;
  categoryLabel: string;
  rehearsal: boolean;
  reporters: Array<{ reporterId: number; name: string; secretaryName: string | null; downward: boolean; done: boolean; form: BallotForm }>;
}

/** What the phone shows after the code and room code are accepted: every reporter with its form text. */
export async function openVoteSheet(db: Db, rawCode: string, roomCode: string): Promise<VoteSheet> {
  const row = await resolveCode(db, rawCode, roomCode);
  const ctx = await getMeetingContext(db, row.meeting_id);
  const used = await usedReporters(db, row.code_id);
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
        reporterId: r.reporterId, name: r.orgName, secretaryName: r.secretaryName, downward,
        done: used.has(r.reporterId), form: fillForm(form, r.orgName),
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

/**
 * Casts one or several ballots with one code; returns which reporters were counted now and which already were.
 * The happy path is a single statement; only when it counts nothing is the code looked up again, to say why.
 */
export async function castBallots(db: Db, rawCode: string, roomCode: string, items: BallotIn[]) {
  const seen = new Set<number>();
  for (const b of items) {
    if (seen.has(b.reporterId)) throw err('DUPLICATE_REPORTER', '同一述职对象在一次提交中只能评价一次', 400);
    seen.add(b.reporterId);
  }
  const code = normalizeCode(rawCode);
  if (codeShape(code) !== 'ok') throw err('CODE_MISTYPED', '投票码有误，请核对投票条上的投票码后重新输入', 400);
  const room = roomCode.trim();
  const input = JSON.stringify(items.map((b) => ({
    reporter_id: b.reporterId, grade: b.grade,
    problems: b.problems?.trim() || null, suggestions: b.suggestions?.trim() || null,
  })));
  const inserted = await preparedRows<{ reporter_id: number; meeting_id: number }>(db, CAST, [hashCode(code), room, input]);
  if (inserted.length === 0) {
    // Nothing counted: find out why, for a clear message (this may count a wrong room code against the slip).
    const row = await resolveCode(db, rawCode, roomCode);
    const onAgenda = new Set((row.agenda ?? []).map(Number));
    if (items.some((b) => !onAgenda.has(b.reporterId))) {
      throw err('UNKNOWN_REPORTER', '所评价的述职对象不在本次述职评议会名单中', 400);
    }
    throw err('CODE_USED', items.length === 1
      ? '您已对该述职对象投过票，每个投票码对每位述职对象只能投一次'
      : '您已对所选述职对象投过票，每个投票码对每位述职对象只能投一次', 409);
  }
  const meetingId = Number(inserted[0]!.meeting_id);
  notifyCounts(db, meetingId);
  const accepted = inserted.map((r) => Number(r.reporter_id));
  const acceptedSet = new Set(accepted);
  return {
    meetingId,
    accepted,
    alreadyVoted: items.map((b) => b.reporterId).filter((id) => !acceptedSet.has(id)),
  };
}
