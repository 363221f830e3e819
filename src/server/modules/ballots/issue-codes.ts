import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { codeFromBytes, formatCode } from '../../../domain/ballot-codes';
import { AppError, conflict } from '../../../domain/errors';
import { type Db, queryRows } from '../../db/connect';
import { ballotCodeBatches, ballotCodes } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { getRound } from './repo';
import { hashCode } from './secret';
import { stateLabel } from './manage-round';

const FONT_FILE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const FONT_NAME = 'NotoSansCJKsc-Regular';

/** The URL in the QR code. The code rides in the fragment, which browsers never send to a server or a log. */
export const voteUrl = (origin: string, code: string) => `${origin}/vote/#c=${code}`;

/**
 * A batch of single-use codes for one evaluator category (R-VOTE-2, R-VOTE-3). Only HMACs are stored; the
 * plaintext exists in the returned PDF and nowhere else. A new batch voids the category's previous batch,
 * unless codes of that batch have already been used.
 */
export async function issueCodes(
  db: Db, user: AuthUser, actor: AuditActor, roundId: number, category: string, count: number,
): Promise<{ batchId: number; codes: string[]; meetingTitle: string; categoryLabel: string; rehearsal: boolean }> {
  const result = await db.transaction(async (tx) => {
    const { round, ctx } = await getRound(tx, roundId, { lock: true });
    assertManage(user, ctx.organizerPath);
    if (!['draft', 'open'].includes(round.state)) throw conflict('ROUND_ENDED', `测评${stateLabel(round.state)}，不能再印制投票条`);
    const cat = ctx.settings.ballots.categories.find((c) => c.key === category);
    if (!cat) throw new AppError('VALIDATION', `参评人员类别「${category}」不在本次考核的设置中`, 400, { field: 'category' });
    if (cat.weight === 0) throw new AppError('VALIDATION', `「${cat.label}」不参加测评，不能发放投票码`, 400, { field: 'category' });
    const [used] = await queryRows<{ n: number }>(tx, sql`
      select count(*)::int as n from ballot_code_uses u join ballot_codes c on c.id = u.code_id
      join ballot_code_batches b on b.id = c.batch_id
      where b.round_id = ${roundId} and b.category = ${category} and b.voided_at is null`);
    if (Number(used?.n) > 0) throw conflict('CODES_IN_USE', `「${cat.label}」的投票码已有人使用，不能作废重印`);
    const voided = await tx.update(ballotCodeBatches).set({ voidedAt: actor.at })
      .where(and(eq(ballotCodeBatches.roundId, roundId), eq(ballotCodeBatches.category, category), isNull(ballotCodeBatches.voidedAt)))
      .returning({ id: ballotCodeBatches.id });
    // A vote in flight with an old slip finishes first or finds its code closed (see CAST in cast-ballots.ts).
    if (voided.length) await tx.update(ballotCodes).set({ closed: true }).where(inArray(ballotCodes.batchId, voided.map((v) => v.id)));
    const [batch] = await tx.insert(ballotCodeBatches).values({ roundId, category, count, createdBy: user.id }).returning();
    const codes = new Set<string>();
    while (codes.size < count) codes.add(codeFromBytes(randomBytes(10)));
    const list = [...codes];
    for (let i = 0; i < list.length; i += 500) {
      await tx.insert(ballotCodes).values(list.slice(i, i + 500).map((c) => ({
        batchId: batch!.id, roundId, category, codeHash: hashCode(c),
      })));
    }
    await writeAudit(tx, actor, {
      action: 'ballot_codes.issue', targetType: 'ballot_round', targetId: roundId, scopePath: ctx.organizerPath,
      detail: { batchId: batch!.id, category, count, voidedBatches: voided.map((v) => v.id) },
    });
    return { batchId: batch!.id, codes: list, meetingTitle: ctx.meeting.title, categoryLabel: cat.label, rehearsal: round.mode === 'rehearsal' };
  });
  return result;
}

/** A4, 2 × 5 slips per page, each with the QR code, the code and how to vote. */
export async function slipsPdf(
  origin: string, batch: { codes: string[]; meetingTitle: string; categoryLabel: string; rehearsal: boolean },
): Promise<Buffer> {
  if (!existsSync(FONT_FILE)) throw new AppError('FONT_MISSING', '服务器缺少中文字体（fonts-noto-cjk），无法生成投票条', 503);
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: '测评投票条' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('cjk', FONT_FILE, FONT_NAME);
  doc.font('cjk');
  const mm = 72 / 25.4;
  const cols = 2, rows = 5, marginX = 10 * mm, marginY = 10 * mm;
  const w = (210 * mm - 2 * marginX) / cols, h = (297 * mm - 2 * marginY) / rows;
  batch.codes.forEach((code, i) => {
    const k = i % (cols * rows);
    if (i > 0 && k === 0) doc.addPage();
    const x = marginX + (k % cols) * w, y = marginY + Math.floor(k / cols) * h;
    doc.save().dash(3, { space: 3 }).lineWidth(0.5).strokeColor('#999').rect(x, y, w, h).stroke().restore();
    const qr = QRCode.create(voteUrl(origin, code), { errorCorrectionLevel: 'M' });
    const n = qr.modules.size, side = 36 * mm, cell = side / (n + 8);
    const qx = x + 4 * mm, qy = y + (h - side) / 2;
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      if (qr.modules.data[r * n + c]) doc.rect(qx + (c + 4) * cell, qy + (r + 4) * cell, cell, cell);
    }
    doc.fillColor('#000').fill();
    const tx = qx + side + 3 * mm, tw = w - side - 11 * mm;
    doc.fontSize(11).text(batch.rehearsal ? '测评投票条（演练）' : '测评投票条', tx, y + 7 * mm, { width: tw });
    doc.fontSize(8).fillColor('#333').text(batch.meetingTitle, { width: tw });
    doc.text(`参评人员类别：${batch.categoryLabel}`, { width: tw });
    doc.moveDown(0.4).fontSize(14).fillColor('#000').text(formatCode(code), { width: tw, characterSpacing: 1 });
    doc.moveDown(0.3).fontSize(7.5).fillColor('#333')
      .text('用手机扫描二维码，输入会场大屏上显示的6位会场码后投票。本条一人一张，投票匿名，用后作废。', { width: tw });
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
