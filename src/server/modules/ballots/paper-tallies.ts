import { and, asc, eq } from 'drizzle-orm';
import {
  checkPaperEntry,
  paperBallots,
  paperDifferences,
  type PaperBallot,
  type PaperCounts,
  type PaperEntry,
} from '../../../domain/ballot-codes';
import { AppError, notFound } from '../../../domain/errors';
import type { Db, DbOrTx } from '../../db/connect';
import { ballotPaperTallies } from '../../db/schema';
import { userRows } from '../auth/row-sources';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { getRound, meetingReporters } from './repo';

type TallyRow = typeof ballotPaperTallies.$inferSelect;
const entryOf = (r: TallyRow): PaperEntry => ({
  counts: r.counts as PaperCounts,
  problems: r.problems as string[],
  suggestions: r.suggestions as string[],
});

export interface PaperTallyIn extends PaperEntry {
  reporterId: number;
  category: string;
}

/**
 * Paper forms are entered as a tally per reporter and category by two different staff members (R-VOTE-4).
 * The first entry takes slot 1, the second slot 2; the same person cannot fill both.
 */
export async function enterPaperTally(db: Db, user: AuthUser, actor: AuditActor, roundId: number, input: PaperTallyIn) {
  checkPaperEntry(input);
  return db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
    assertManage(user, ctx.organizerPath);
    if (!['open', 'draft', 'closed'].includes(round.state))
      throw new AppError('ROUND_ENDED', '测评结果已发布或作废，不能再录入纸质表');
    if (!ctx.settings.ballots.categories.some((c) => c.key === input.category)) {
      throw new AppError('VALIDATION', `参评人员类别「${input.category}」不在本次考核的设置中`, { field: 'category' });
    }
    if (!(await meetingReporters(tx, round.meetingId)).some((r) => r.reporterId === input.reporterId)) {
      throw new AppError('UNKNOWN_REPORTER', '所录入的述职对象不在本次述职评议会名单中', { field: 'reporterId' });
    }
    const existing = await tx
      .select()
      .from(ballotPaperTallies)
      .where(
        and(
          eq(ballotPaperTallies.roundId, roundId),
          eq(ballotPaperTallies.reporterId, input.reporterId),
          eq(ballotPaperTallies.category, input.category),
        ),
      );
    if (existing.length >= 2) throw new AppError('BOTH_ENTERED');
    if (existing.some((e) => e.enteredBy === user.id)) {
      throw new AppError('SAME_CLERK');
    }
    const entryNo = existing[0]?.entryNo === 1 ? 2 : 1;
    const [row] = await tx
      .insert(ballotPaperTallies)
      .values({
        roundId,
        reporterId: input.reporterId,
        category: input.category,
        entryNo,
        counts: input.counts,
        problems: input.problems,
        suggestions: input.suggestions,
        enteredBy: user.id,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'ballot_paper.enter',
      targetType: 'ballot_round',
      targetId: roundId,
      scopePath: ctx.organizerPath,
      detail: { reporterId: input.reporterId, category: input.category, entryNo },
    });
    return row!;
  });
}

export async function deletePaperTally(db: Db, user: AuthUser, actor: AuditActor, roundId: number, tallyId: number) {
  return db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
    assertManage(user, ctx.organizerPath);
    if (!['open', 'draft', 'closed'].includes(round.state))
      throw new AppError('ROUND_ENDED', '测评结果已发布或作废，不能修改纸质表录入');
    const [row] = await tx
      .delete(ballotPaperTallies)
      .where(and(eq(ballotPaperTallies.id, tallyId), eq(ballotPaperTallies.roundId, roundId)))
      .returning();
    if (!row) throw notFound('纸质表录入记录');
    await writeAudit(tx, actor, {
      action: 'ballot_paper.delete',
      targetType: 'ballot_round',
      targetId: roundId,
      scopePath: ctx.organizerPath,
      detail: { reporterId: row.reporterId, category: row.category, entryNo: row.entryNo, counts: row.counts },
    });
  });
}

export interface PaperPair {
  reporterId: number;
  category: string;
  status: 'waiting_second' | 'matched' | 'mismatch';
  differences: string[];
  entries: Array<{
    id: number;
    entryNo: number;
    enteredBy: string;
    counts: PaperCounts;
    problems: string[];
    suggestions: string[];
  }>;
}

export async function listPaperTallies(db: DbOrTx, roundId: number): Promise<PaperPair[]> {
  const rows = await db
    .select({ t: ballotPaperTallies, by: userRows.displayName })
    .from(ballotPaperTallies)
    .innerJoin(userRows, eq(userRows.id, ballotPaperTallies.enteredBy))
    .where(eq(ballotPaperTallies.roundId, roundId))
    .orderBy(asc(ballotPaperTallies.reporterId), asc(ballotPaperTallies.category), asc(ballotPaperTallies.entryNo));
  const pairs = new Map<string, PaperPair>();
  for (const { t, by } of rows) {
    const key = `${t.reporterId}\u0000${t.category}`;
    const pair = pairs.get(key) ?? {
      reporterId: t.reporterId,
      category: t.category,
      status: 'waiting_second',
      differences: [],
      entries: [],
    };
    pair.entries.push({ id: t.id, entryNo: t.entryNo, enteredBy: by, ...entryOf(t) });
    pairs.set(key, pair);
  }
  for (const p of pairs.values()) {
    if (p.entries.length === 2) {
      p.differences = paperDifferences(p.entries[0]!, p.entries[1]!);
      p.status = p.differences.length ? 'mismatch' : 'matched';
    }
  }
  return [...pairs.values()];
}

/** Only pairs of matching entries count; everything else is reported as pending. */
export async function matchedPaper(
  db: DbOrTx,
  roundId: number,
): Promise<{ forms: PaperBallot[]; pending: PaperPair[] }> {
  const pairs = await listPaperTallies(db, roundId);
  const forms = pairs
    .filter((p) => p.status === 'matched')
    .flatMap((p) => paperBallots(String(p.reporterId), p.category, p.entries[0]!));
  return { forms, pending: pairs.filter((p) => p.status !== 'matched') };
}
