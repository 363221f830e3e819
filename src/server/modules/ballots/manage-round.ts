import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { roomCodeFromBytes } from '../../../domain/ballot-codes';
import { AppError } from '../../../domain/errors';
import { reconcile, type Mismatch } from '../../../domain/tally';
import type { Database, Db, DbOrTx } from '../../db/connect';
import {
  ballotCodeBatches,
  ballotCodes,
  ballotCodeUses,
  ballotPaperTallies,
  ballotRounds,
  ballots,
} from '../../db/schema';
import { attendanceRows } from '../meetings/row-sources';
import { assertVotingMayOpen } from '../meetings/queries';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import {
  type Anonymity,
  codeCounts,
  getMeetingContext,
  getRound,
  type MeetingContext,
  meetingReporters,
  receivedCounts,
  type RoundRow,
  usesByReporter,
} from './repo';
import { gatherWaiting } from './closing';
import { createInbox, dropInbox, mixIntoBallots } from './inbox';
import { type BallotMixer, type Outcome, VOTE_NOT_SAVED, writeBatch } from './mixer';
import { purgeTraces } from './traces';
import { matchedPaper } from './paper-tallies';
import { announce } from '../events';

export const newRoomCode = () => roomCodeFromBytes(randomBytes(4));

const STATE_LABELS: Record<string, string> = {
  draft: '未开始',
  open: '投票中',
  closing: '正在结束投票',
  closed: '已结束（待发布）',
  released: '已发布',
  void: '已作废',
  purged: '已清除',
};
export const stateLabel = (s: string) => STATE_LABELS[s] ?? s;

/** A rehearsal round (purged afterwards) or the one real round of a meeting. */
export async function createRound(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  meetingId: number,
  mode: 'rehearsal' | 'real',
) {
  const ctx = await getMeetingContext(db, meetingId, user);
  assertManage(user, ctx.organizerPath);
  if ((await meetingReporters(db, meetingId)).length === 0) {
    throw new AppError('NO_REPORTERS');
  }
  return db.transaction(async (tx) => {
    const live = await tx
      .select({ id: ballotRounds.id, mode: ballotRounds.mode, state: ballotRounds.state })
      .from(ballotRounds)
      .where(and(eq(ballotRounds.meetingId, meetingId), inArray(ballotRounds.state, ['draft', 'open', 'closing'])));
    if (live.length) throw new AppError('ROUND_IN_PROGRESS');
    const real = await tx
      .select({ id: ballotRounds.id })
      .from(ballotRounds)
      .where(and(eq(ballotRounds.meetingId, meetingId), eq(ballotRounds.mode, 'real')));
    if (real.length) throw new AppError('REAL_ROUND_EXISTS');
    const [round] = await tx
      .insert(ballotRounds)
      .values({ meetingId, mode, roomCode: newRoomCode(), createdBy: user.id })
      .returning();
    await writeAudit(tx, actor, {
      action: 'ballot_round.create',
      targetType: 'ballot_round',
      targetId: round!.id,
      scopePath: ctx.organizerPath,
      detail: { meetingId, mode },
    });
    return round!;
  });
}

/** Opens voting and freezes the anonymity settings from the campaign (never reverted). */
export async function openVoting(db: Db, user: AuthUser, actor: AuditActor, roundId: number) {
  return db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
    assertManage(user, ctx.organizerPath);
    if (round.state !== 'draft') throw new AppError('NOT_DRAFT', `测评${stateLabel(round.state)}，不能开始投票`);
    // A rehearsal may run any day; the real round only in the meeting phase, on the meeting's day (R-CAMP-8).
    if (round.mode === 'real') await assertVotingMayOpen(tx, round.meetingId, actor.at);
    const issued = await codeCounts(tx, roundId);
    if (issued.reduce((s, c) => s + c.issued, 0) === 0) throw new AppError('NO_CODES');
    const anonymity: Anonymity = {
      minGroupSize: ctx.settings.ballots.minGroupSize,
      categories: ctx.settings.ballots.categories.map((c) => ({ key: c.key, label: c.label })),
    };
    const [row] = await tx
      .update(ballotRounds)
      .set({ state: 'open', anonymity, openedAt: actor.at })
      .where(eq(ballotRounds.id, roundId))
      .returning();
    await createInbox(tx, roundId);
    await writeAudit(tx, actor, {
      action: 'ballot_round.open',
      targetType: 'ballot_round',
      targetId: roundId,
      scopePath: ctx.organizerPath,
      detail: { anonymity },
    });
    return row!;
  });
}

export async function rotateRoomCode(db: Db, user: AuthUser, actor: AuditActor, roundId: number) {
  return db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
    assertManage(user, ctx.organizerPath);
    if (!['draft', 'open'].includes(round.state)) throw new AppError('ROUND_ENDED');
    const [row] = await tx
      .update(ballotRounds)
      .set({ roomCode: newRoomCode() })
      .where(eq(ballotRounds.id, roundId))
      .returning();
    await writeAudit(tx, actor, {
      action: 'ballot_round.rotate_room_code',
      targetType: 'ballot_round',
      targetId: roundId,
      scopePath: ctx.organizerPath,
    });
    return row!;
  });
}

export interface ReporterReconciliation {
  reporterId: number;
  name: string;
  ballotsCounted: number;
  mismatches: Mismatch[];
  void: boolean;
}

/** R-VOTE-5 per reporter: codes issued/used by category, attendees, paper issued/collected, ballots counted. */
export async function reconcileRound(db: Db, roundId: number, attendees: number) {
  const { round } = await getRound(db, roundId);
  const codes = await codeCounts(db, roundId);
  const uses = await usesByReporter(db, roundId);
  const paper = round.paperCounts as Record<string, { issued: number; collected: number }>;
  const paperIssued = Object.values(paper).reduce((s, p) => s + p.issued, 0);
  const paperCollected = Object.values(paper).reduce((s, p) => s + p.collected, 0);
  const phoneBy = await receivedCounts(db, roundId);
  const { forms } = await matchedPaper(db, roundId);
  const reporters = await meetingReporters(db, round.meetingId);
  return reporters.map((r): ReporterReconciliation => {
    const paperForms = forms.filter((f) => f.reporterId === String(r.reporterId)).length;
    const ballotsCounted = (phoneBy.get(r.reporterId) ?? 0) + paperForms;
    const result = reconcile({
      codes: codes.map((c) => ({
        category: c.category,
        issued: c.issued,
        used: uses.find((u) => u.reporterId === r.reporterId && u.category === c.category)?.used ?? 0,
      })),
      attendees,
      paperIssued,
      paperCollected,
      ballotsCounted,
    });
    return { reporterId: r.reporterId, name: r.orgName, ballotsCounted, ...result };
  });
}

export interface CloseDeps {
  database: Database;
  mixer: BallotMixer;
}

/**
 * Closes phone voting (decision 017). Attendees signed in come from the meetings module's attendance (rating
 * categories), or are given here (which wins). On PostgreSQL the round is first marked 'closing' and the other app
 * processes write the ballots waiting with them; then, in one transaction, the ballots waiting here are written,
 * every code is closed, and a real round's inbox is moved into `ballots` in a random order and dropped. After the
 * commit the write-ahead log that still held the batches is switched out and checkpointed away, and what the
 * server keeps regardless is written on the round. Paper forms are usually entered after this; the
 * reconciliation runs when results are released.
 */
export async function closeVoting(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  roundId: number,
  given: number | undefined,
  deps: CloseDeps,
) {
  const attendeesOf = async (tx: DbOrTx, round: RoundRow, ctx: MeetingContext) => {
    // Signed-in counts kept by the meetings module, for the categories that rate (observers attend without voting).
    const rating = ctx.settings.ballots.categories.filter((c) => c.weight > 0).map((c) => c.key);
    const present = await tx
      .select({ key: attendanceRows.categoryKey, present: attendanceRows.present })
      .from(attendanceRows)
      .where(eq(attendanceRows.meetingId, round.meetingId));
    const attendees =
      given ??
      (present.length ? present.filter((p) => rating.includes(p.key)).reduce((s, p) => s + p.present, 0) : undefined);
    if (attendees === undefined) {
      throw new AppError('ATTENDEES_REQUIRED', '会议尚未登记签到人数，请在会议签到中登记或在此填写签到人数', {
        field: 'attendees',
      });
    }
    return attendees;
  };
  const canClose = (state: string) => {
    if (state !== 'open' && state !== 'closing')
      throw new AppError('NOT_OPEN', `测评${stateLabel(state)}，不能结束投票`);
  };
  {
    const { round, ctx } = await getRound(db, roundId, { viewer: user });
    assertManage(user, ctx.organizerPath);
    canClose(round.state);
    await attendeesOf(db, round, ctx);
  }
  if (deps.database.kind === 'postgres') {
    await db
      .update(ballotRounds)
      .set({ state: 'closing' })
      .where(and(eq(ballotRounds.id, roundId), eq(ballotRounds.state, 'open')));
    await gatherWaiting(deps.database, roundId);
  }
  const drained = await deps.mixer.drain(roundId);
  let outcome: Map<string, Outcome> = new Map();
  let row: RoundRow;
  let mixed = 0;
  let mixMs = 0;
  try {
    row = await db.transaction(async (tx) => {
      const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
      assertManage(user, ctx.organizerPath);
      canClose(round.state);
      const attendees = await attendeesOf(tx, round, ctx);
      // What waited here joins the round in this transaction: it shares its xmin with every ballot of the round.
      outcome = await writeBatch(tx, roundId, drained.items, 1);
      await tx.update(ballotCodes).set({ closed: true }).where(eq(ballotCodes.roundId, roundId));
      const t0 = performance.now();
      if (round.mode === 'real') mixed = await mixIntoBallots(tx, roundId);
      mixMs = Math.round(performance.now() - t0);
      const [updated] = await tx
        .update(ballotRounds)
        .set({ state: 'closed', attendees, closedAt: actor.at })
        .where(eq(ballotRounds.id, roundId))
        .returning();
      await writeAudit(tx, actor, {
        action: 'ballot_round.close',
        targetType: 'ballot_round',
        targetId: roundId,
        scopePath: ctx.organizerPath,
        detail: { attendees },
      });
      return updated!;
    });
  } catch (e) {
    if (e instanceof AppError) drained.restore();
    else drained.fail(VOTE_NOT_SAVED());
    throw e;
  }
  drained.settle(outcome);
  if (row.mode !== 'real') return row;
  const t1 = performance.now();
  const traces = await purgeTraces(deps.database);
  const secrecy = { mixed, ...traces, at: actor.at.toISOString(), mixMs, walMs: Math.round(performance.now() - t1) };
  const [withReport] = await db.update(ballotRounds).set({ secrecy }).where(eq(ballotRounds.id, roundId)).returning();
  return withReport ?? row;
}

/**
 * Releases the results after the count reconciliation (R-VOTE-5). More ballots than codes issued plus paper
 * collected voids the round for good; any other mismatch needs a written explanation; paper entries that do
 * not match (or were entered once) must be resolved first.
 */
export async function releaseResults(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  roundId: number,
  explanation: string | undefined,
) {
  return db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
    assertManage(user, ctx.organizerPath);
    if (round.state === 'void') throw new AppError('ROUND_VOID');
    if (round.state !== 'closed') throw new AppError('NOT_CLOSED', `测评${stateLabel(round.state)}，不能发布结果`);
    const { pending } = await matchedPaper(tx, roundId);
    if (pending.length) {
      throw new AppError('PAPER_PENDING', `有${pending.length}组纸质表录入尚未经两人一致确认，请先处理`, { pending });
    }
    const rows = await reconcileRound(tx as unknown as Db, roundId, round.attendees ?? 0);
    const mismatches = rows
      .filter((r) => r.mismatches.length)
      .map((r) => ({ reporterId: r.reporterId, name: r.name, mismatches: r.mismatches }));
    if (rows.some((r) => r.void)) {
      const [row] = await tx
        .update(ballotRounds)
        .set({ state: 'void', mismatches })
        .where(eq(ballotRounds.id, roundId))
        .returning();
      await writeAudit(tx, actor, {
        action: 'ballot_round.void',
        targetType: 'ballot_round',
        targetId: roundId,
        scopePath: ctx.organizerPath,
        detail: { mismatches },
      });
      return row!;
    }
    const text = explanation?.trim() ?? '';
    if (mismatches.length && text.length < 10) {
      throw new AppError('EXPLANATION_REQUIRED', '票数核对存在不一致，发布结果前须书面说明原因（不少于10字）', {
        field: 'explanation',
        mismatches,
      });
    }
    const [row] = await tx
      .update(ballotRounds)
      .set({ state: 'released', mismatches, explanation: text || null, releasedAt: actor.at })
      .where(eq(ballotRounds.id, roundId))
      .returning();
    // Released is final: evaluation counts the ballots per reporter × category once, for the composite evaluation.
    await announce(tx, 'ballots.round_released', { campaignId: ctx.meeting.campaignId, roundId });
    await writeAudit(tx, actor, {
      action: 'ballot_round.release',
      targetType: 'ballot_round',
      targetId: roundId,
      scopePath: ctx.organizerPath,
      detail: { explanation: text || null, mismatches: mismatches.length },
    });
    return row!;
  });
}

/** Deletes every ballot, code and paper entry of a rehearsal, and the WAL that held them; a real round's ballots are never deleted. */
export async function purgeRehearsal(db: Db, user: AuthUser, actor: AuditActor, roundId: number, deps?: CloseDeps) {
  const out = await db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
    assertManage(user, ctx.organizerPath);
    if (round.mode !== 'rehearsal') throw new AppError('REAL_ROUND');
    if (round.state === 'purged') throw new AppError('ALREADY_PURGED');
    const codeIds = tx.select({ id: ballotCodes.id }).from(ballotCodes).where(eq(ballotCodes.roundId, roundId));
    const inInbox = [...(await receivedCounts(tx, roundId)).values()].reduce((a, n) => a + n, 0);
    // Dropping the inbox removes its file; rows deleted from `ballots` (rounds from before the inbox) would stay
    // readable in free space until the table is rewritten.
    await dropInbox(tx, roundId);
    await tx.delete(ballots).where(eq(ballots.roundId, roundId));
    await tx.delete(ballotCodeUses).where(inArray(ballotCodeUses.codeId, codeIds));
    await tx.delete(ballotCodes).where(eq(ballotCodes.roundId, roundId));
    await tx.delete(ballotCodeBatches).where(eq(ballotCodeBatches.roundId, roundId));
    await tx.delete(ballotPaperTallies).where(eq(ballotPaperTallies.roundId, roundId));
    await tx.update(ballotRounds).set({ state: 'purged' }).where(eq(ballotRounds.id, roundId));
    deps?.mixer.forget(roundId);
    await writeAudit(tx, actor, {
      action: 'ballot_round.purge',
      targetType: 'ballot_round',
      targetId: roundId,
      scopePath: ctx.organizerPath,
      detail: { ballots: inInbox },
    });
    return { ballots: inInbox };
  });
  // Rehearsal texts may be real opinions too: the WAL that held them goes the way a real round's does.
  if (deps) await purgeTraces(deps.database);
  return out;
}

/** Paper forms issued and collected per category (R-VOTE-4), before closing. */
export async function setPaperCounts(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  roundId: number,
  counts: Record<string, { issued: number; collected: number }>,
) {
  return db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
    assertManage(user, ctx.organizerPath);
    if (!['draft', 'open', 'closed'].includes(round.state))
      throw new AppError('ROUND_ENDED', '测评结果已发布或作废，不能修改纸质表数量');
    const keys = new Set(ctx.settings.ballots.categories.map((c) => c.key));
    for (const k of Object.keys(counts)) {
      if (!keys.has(k))
        throw new AppError('VALIDATION', `参评人员类别「${k}」不在本次考核的设置中`, { field: 'counts' });
    }
    const [row] = await tx
      .update(ballotRounds)
      .set({ paperCounts: counts })
      .where(eq(ballotRounds.id, roundId))
      .returning();
    await writeAudit(tx, actor, {
      action: 'ballot_round.paper_counts',
      targetType: 'ballot_round',
      targetId: roundId,
      scopePath: ctx.organizerPath,
      detail: { counts },
    });
    return row!;
  });
}
