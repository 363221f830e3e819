import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { and, eq, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { codeFromBytes, formatCode } from '../../../domain/ballot-codes';
import { AppError, conflict } from '../../../domain/errors';
import type { Db } from '../../db/connect';
import { surveyTokens } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { hashCode } from '../ballots/secret';
import { assertManage } from './policy';
import { assertState, emptyUnitCounts, getSurvey, getUnit, unitCounts } from './repo';

const FONT_FILE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const FONT_NAME = 'NotoSansCJKsc-Regular';

/**
 * Survey tokens are ballot-style codes (same alphabet and check character) hashed with the ballot code key under
 * a "survey:" prefix, so a survey token and a ballot code never share a hash even if the letters coincide.
 */
export const hashSurveyToken = (normalized: string) => hashCode(`survey:${normalized}`);

/** The token rides in the fragment, which browsers never send to a server or a log (as ballot codes). */
export const surveyUrl = (origin: string, token: string) => `${origin}/vote/survey.html#t=${token}`;

/**
 * Links for one unit's sampled respondents (R-ASSESS-3). Only keyed hashes are stored, with the unit and no
 * respondent; the plaintext exists only in the returned file, which lists tokens without names — staff hand
 * any slip to any sampled person. A new batch voids the unit's unused links. A unit never gets more links plus
 * paper forms than it has sampled respondents.
 */
export async function issueTokens(
  db: Db, user: AuthUser, actor: AuditActor, surveyId: number, reporterId: number, countIn?: number,
) {
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, surveyId, { lock: true });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['draft', 'open'], '发放调查链接');
    const unit = await getUnit(tx, survey.campaignId, reporterId);
    const c = (await unitCounts(tx, surveyId)).get(reporterId) ?? emptyUnitCounts(reporterId);
    if (c.sampled === 0) throw conflict('NOT_SAMPLED', `${unit.orgName}尚未抽取调查对象，不能发放链接`);
    const room = c.sampled - c.tokensUsed - c.paperResponses;
    const count = countIn ?? room;
    if (count < 1) throw conflict('SAMPLE_FULL', `${unit.orgName}的抽样对象已全部答卷或录入纸质问卷，不能再发放链接`);
    if (count > room) {
      throw new AppError('TOO_MANY_TOKENS', `${unit.orgName}最多还能发放${room}个链接（抽样${c.sampled}人，已答卷${c.tokensUsed}份，纸质问卷${c.paperResponses}份）`, 400, { field: 'count' });
    }
    const voided = await tx.update(surveyTokens).set({ voidedAt: actor.at })
      .where(and(eq(surveyTokens.surveyId, surveyId), eq(surveyTokens.reporterId, reporterId), isNull(surveyTokens.voidedAt), eq(surveyTokens.used, false)))
      .returning({ id: surveyTokens.id });
    const voidedCount = voided.length;
    const tokens = new Set<string>();
    while (tokens.size < count) tokens.add(codeFromBytes(randomBytes(10)));
    const list = [...tokens];
    for (let i = 0; i < list.length; i += 500) {
      await tx.insert(surveyTokens).values(list.slice(i, i + 500).map((t) => ({ surveyId, reporterId, tokenHash: hashSurveyToken(t) })));
    }
    await writeAudit(tx, actor, {
      action: 'survey.tokens_issue', targetType: 'survey', targetId: surveyId, scopePath: campaign.organizerPath,
      detail: { reporterId, count, voided: voidedCount },
    });
    return { tokens: list, surveyTitle: survey.title, unitName: unit.orgName };
  });
}

export interface TokenBatch {
  tokens: string[];
  surveyTitle: string;
  unitName: string;
}

/** .xlsx: one row per link (number, link, code) and no names. */
export async function tokensXlsx(origin: string, batch: TokenBatch): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('调查链接', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '序号', key: 'no', width: 8 }, { header: '调查链接', key: 'url', width: 70 }, { header: '调查码', key: 'code', width: 18 },
  ];
  ws.getRow(1).font = { bold: true };
  batch.tokens.forEach((t, i) => ws.addRow({ no: i + 1, url: surveyUrl(origin, t), code: formatCode(t) }));
  const note = wb.addWorksheet('说明');
  note.columns = [{ header: '说明', key: 'text', width: 100 }];
  note.getRow(1).font = { bold: true };
  for (const text of [
    `${batch.surveyTitle} — ${batch.unitName}`,
    '每个链接只能提交一次，请逐一发给抽中的调查对象（短信或微信），一人一个。',
    '本表不含调查对象姓名，系统也不记录链接发给了谁，答卷匿名。重新发放会使本单位未使用的链接作废。',
  ]) note.addRow({ text });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A4, 2 × 5 slips per page with the QR code and the code, as the ballot slips. */
export async function tokensPdf(origin: string, batch: TokenBatch): Promise<Buffer> {
  if (!existsSync(FONT_FILE)) throw new AppError('FONT_MISSING', '服务器缺少中文字体（fonts-noto-cjk），无法生成调查卡', 503);
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: '满意度调查卡' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('cjk', FONT_FILE, FONT_NAME);
  doc.font('cjk');
  const mm = 72 / 25.4;
  const cols = 2, rows = 5, marginX = 10 * mm, marginY = 10 * mm;
  const w = (210 * mm - 2 * marginX) / cols, h = (297 * mm - 2 * marginY) / rows;
  batch.tokens.forEach((token, i) => {
    const k = i % (cols * rows);
    if (i > 0 && k === 0) doc.addPage();
    const x = marginX + (k % cols) * w, y = marginY + Math.floor(k / cols) * h;
    doc.save().dash(3, { space: 3 }).lineWidth(0.5).strokeColor('#999').rect(x, y, w, h).stroke().restore();
    const qr = QRCode.create(surveyUrl(origin, token), { errorCorrectionLevel: 'M' });
    const n = qr.modules.size, side = 36 * mm, cell = side / (n + 8);
    const qx = x + 4 * mm, qy = y + (h - side) / 2;
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      if (qr.modules.data[r * n + c]) doc.rect(qx + (c + 4) * cell, qy + (r + 4) * cell, cell, cell);
    }
    doc.fillColor('#000').fill();
    const tx = qx + side + 3 * mm, tw = w - side - 11 * mm;
    doc.fontSize(11).text('满意度调查卡', tx, y + 7 * mm, { width: tw });
    doc.fontSize(8).fillColor('#333').text(batch.surveyTitle, { width: tw });
    doc.text(`调查单位：${batch.unitName}`, { width: tw });
    doc.moveDown(0.4).fontSize(14).fillColor('#000').text(formatCode(token), { width: tw, characterSpacing: 1 });
    doc.moveDown(0.3).fontSize(7.5).fillColor('#333')
      .text('用手机扫描二维码填写问卷。本卡一人一张，只能提交一次；问卷匿名，不记录您的身份。', { width: tw });
  });
  doc.end();
  await done;
  return Buffer.from(Buffer.concat(chunks));
}
