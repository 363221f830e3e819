import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { codeFromBytes } from '../../../domain/ballot-codes';
import { AppError } from '../../../domain/errors';
import { type Db, queryRows } from '../../db/connect';
import { ballotCodeBatches, ballotCodes } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { qrSlipsPdf } from '../documents/qr-slips';
import { assertManage } from './policy';
import { getRound } from './repo';
import { hashCode } from './secret';
import { stateLabel } from './manage-round';
import { shuffle } from './mixer';

/** The URL in the QR code. The code rides in the fragment, which browsers never send to a server or a log. */
export const voteUrl = (origin: string, code: string) => `${origin}/vote/#c=${code}`;

/**
 * A batch of single-use codes for one evaluator category (R-VOTE-2, R-VOTE-3). Only HMACs are stored; the
 * plaintext exists in the returned PDF and nowhere else. A new batch voids the category's previous batch,
 * unless codes of that batch have already been used.
 */
export async function issueCodes(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  roundId: number,
  category: string,
  count: number,
): Promise<{ batchId: number; codes: string[]; meetingTitle: string; categoryLabel: string; rehearsal: boolean }> {
  const result = await db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true, viewer: user });
    assertManage(user, ctx.organizerPath);
    if (!['draft', 'open'].includes(round.state))
      throw new AppError('ROUND_ENDED', `测评${stateLabel(round.state)}，不能再印制投票条`);
    const cat = ctx.settings.ballots.categories.find((c) => c.key === category);
    if (!cat)
      throw new AppError('VALIDATION', `参评人员类别「${category}」不在本次考核的设置中`, { field: 'category' });
    if (cat.weight === 0)
      throw new AppError('VALIDATION', `「${cat.label}」不参加测评，不能发放投票码`, { field: 'category' });
    const [used] = await queryRows<{ n: number }>(
      tx,
      sql`
      select count(*)::int as n from ballot_code_uses u join ballot_codes c on c.id = u.code_id
      join ballot_code_batches b on b.id = c.batch_id
      where b.round_id = ${roundId} and b.category = ${category} and b.voided_at is null`,
    );
    if (Number(used?.n) > 0) throw new AppError('CODES_IN_USE', `「${cat.label}」的投票码已有人使用，不能作废重印`);
    const voided = await tx
      .update(ballotCodeBatches)
      .set({ voidedAt: actor.at })
      .where(
        and(
          eq(ballotCodeBatches.roundId, roundId),
          eq(ballotCodeBatches.category, category),
          isNull(ballotCodeBatches.voidedAt),
        ),
      )
      .returning({ id: ballotCodeBatches.id });
    // A vote in flight with an old slip finishes first or finds its code closed (see CAST in cast-ballots.ts).
    if (voided.length)
      await tx
        .update(ballotCodes)
        .set({ closed: true })
        .where(
          inArray(
            ballotCodes.batchId,
            voided.map((v) => v.id),
          ),
        );
    const [batch] = await tx
      .insert(ballotCodeBatches)
      .values({ roundId, category, count, createdBy: user.id })
      .returning();
    const codes = new Set<string>();
    while (codes.size < count) codes.add(codeFromBytes(randomBytes(10)));
    const list = [...codes];
    // Rows in an order unrelated to the printed one: a code's id says nothing about its place in the PDF.
    const stored = shuffle(list);
    for (let i = 0; i < stored.length; i += 500) {
      await tx.insert(ballotCodes).values(
        stored.slice(i, i + 500).map((c) => ({
          batchId: batch!.id,
          roundId,
          category,
          codeHash: hashCode(c),
        })),
      );
    }
    await writeAudit(tx, actor, {
      action: 'ballot_codes.issue',
      targetType: 'ballot_round',
      targetId: roundId,
      scopePath: ctx.organizerPath,
      detail: { batchId: batch!.id, category, count, voidedBatches: voided.map((v) => v.id) },
    });
    return {
      batchId: batch!.id,
      codes: list,
      meetingTitle: ctx.meeting.title,
      categoryLabel: cat.label,
      rehearsal: round.mode === 'rehearsal',
    };
  });
  return result;
}

/** A4, 2 × 5 slips per page, each with the QR code, the code and how to vote. */
export async function slipsPdf(
  origin: string,
  batch: { codes: string[]; meetingTitle: string; categoryLabel: string; rehearsal: boolean },
): Promise<Buffer> {
  // Only batch-wide words go on the slips (no voter), so a printed code says nothing about who voted with it.
  return qrSlipsPdf({
    codes: batch.codes,
    link: (code) => voteUrl(origin, code),
    documentTitle: '测评投票条',
    slipName: '投票条',
    heading: batch.rehearsal ? '测评投票条（演练）' : '测评投票条',
    details: [batch.meetingTitle, `参评人员类别：${batch.categoryLabel}`],
    instructions: '用手机扫描二维码，输入会场大屏上显示的6位会场码后投票。本条一人一张，投票匿名，用后作废。',
  });
}
