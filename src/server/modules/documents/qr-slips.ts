/**
 * A printable A4 sheet of cut-out slips, 2 × 5 a page, each with a QR code of a one-time link, the code spelled
 * out for typing and how to use it: the ballot slips (投票条) and the survey cards (调查卡) are the same sheet
 * with different words, so their layout cannot drift apart.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatCode } from '../../../domain/ballot-codes';
import { AppError } from '../../../domain/errors';

const FONT_FILE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const FONT_NAME = 'NotoSansCJKsc-Regular';

/**
 * Everything but the codes is the same on every slip of a sheet. There is deliberately no per-slip field: a
 * slip carries only its code, so a sheet can never tie a code to a person (anonymity of votes and answers);
 * staff hand any slip to any voter or respondent.
 */
export interface QrSlipSheet {
  /** Plaintext codes, one slip each; they exist only in the returned PDF. */
  codes: readonly string[];
  /** The one-time link in the QR code (the code must ride in the URL fragment, never sent to a server). */
  link: (code: string) => string;
  /** The PDF's metadata title. */
  documentTitle: string;
  /** What a slip is called (投票条, 调查卡), for the error when the font is missing. */
  slipName: string;
  heading: string;
  /** Small lines under the heading: what the slip is for. */
  details: readonly string[];
  instructions: string;
}

export async function qrSlipsPdf(sheet: QrSlipSheet): Promise<Buffer> {
  // pdfkit's built-in fonts have no Chinese glyphs: say so rather than print empty slips.
  if (!existsSync(FONT_FILE))
    throw new AppError('FONT_MISSING', `服务器缺少中文字体（fonts-noto-cjk），无法生成${sheet.slipName}`);
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: sheet.documentTitle } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('cjk', FONT_FILE, FONT_NAME);
  doc.font('cjk');
  const mm = 72 / 25.4;
  const cols = 2,
    rows = 5,
    marginX = 10 * mm,
    marginY = 10 * mm;
  const w = (210 * mm - 2 * marginX) / cols,
    h = (297 * mm - 2 * marginY) / rows;
  sheet.codes.forEach((code, i) => {
    const k = i % (cols * rows);
    if (i > 0 && k === 0) doc.addPage();
    const x = marginX + (k % cols) * w,
      y = marginY + Math.floor(k / cols) * h;
    // Dashed cut lines.
    doc.save().dash(3, { space: 3 }).lineWidth(0.5).strokeColor('#999').rect(x, y, w, h).stroke().restore();
    // The QR modules drawn as vector squares (with the 4-module quiet zone) stay sharp on any printer.
    const link = sheet.link(code);
    const qr = QRCode.create(link, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size,
      side = 36 * mm,
      cell = side / (n + 8);
    const qx = x + 4 * mm,
      qy = y + (h - side) / 2;
    // The QR code is also a link: a clerk opening the PDF on the laptop can tap it to try the address phones will use.
    doc.link(qx, qy, side, side, link);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        if (qr.modules.data[r * n + c]) doc.rect(qx + (c + 4) * cell, qy + (r + 4) * cell, cell, cell);
      }
    doc.fillColor('#000').fill();
    const tx = qx + side + 3 * mm,
      tw = w - side - 11 * mm;
    doc.fontSize(11).text(sheet.heading, tx, y + 7 * mm, { width: tw });
    doc.fontSize(8).fillColor('#333');
    for (const line of sheet.details) doc.text(line, { width: tw });
    doc.moveDown(0.4).fontSize(14).fillColor('#000').text(formatCode(code), { width: tw, characterSpacing: 1 });
    doc.moveDown(0.3).fontSize(7.5).fillColor('#333').text(sheet.instructions, { width: tw });
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
