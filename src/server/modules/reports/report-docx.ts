/**
 * A report as a .docx in 党政机关公文-like layout (FORMATS.md, GB/T 9704-2012): A4, margins 37/28/35/26
 * mm, 3号仿宋 body with a two-character first-line indent, 2号小标宋 title, 一、 headings in 黑体, page
 * numbers "— 1 —" in 4号宋体 outside (odd right, even left), signature and date right-aligned.
 * Written here because the shared 公文 writer (src/server/modules/documents/gongwen.ts) did not exist
 * yet; it should replace this once it does.
 */
import {
  AlignmentType, convertMillimetersToTwip, Document, Footer, Packer, PageNumber, Paragraph, TextRun,
} from 'docx';
import type { ReportSection } from '../../../domain/report-checks';

const PT = 2; // docx sizes are half-points
const BODY = { font: '仿宋_GB2312', size: 16 * PT };
const HEI = { font: '黑体', size: 16 * PT };
const TITLE = { font: '方正小标宋简体', size: 22 * PT };
const PAGE_NO = { font: '宋体', size: 14 * PT };
// 28 characters per line at 16pt and 22 lines per page: fixed 28.95pt line pitch, as 公文 templates set it.
const LINE = { line: Math.round(28.95 * 20), lineRule: 'exact' as const };
const INDENT = { firstLine: 2 * 16 * 20 };

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const NUMBERED = /^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)/;

const run = (text: string, font: { font: string; size: number }, bold = false) =>
  new TextRun({ text, bold, size: font.size, font: { ascii: font.font, eastAsia: font.font, hAnsi: font.font } });

function bodyParagraphs(text: string): Paragraph[] {
  return text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => new Paragraph({ children: [run(l, BODY)], indent: INDENT, spacing: LINE }));
}

const pageFooter = (align: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
  new Footer({
    children: [
      new Paragraph({
        alignment: align,
        children: [
          new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: PAGE_NO.size, font: { ascii: PAGE_NO.font, eastAsia: PAGE_NO.font, hAnsi: PAGE_NO.font } }),
        ],
      }),
    ],
  });

export interface ReportDocxInput {
  title: string;
  subtitle?: string;
  sections: ReportSection[];
  signature: string;
  /** YYYY-MM-DD, printed as 2025年12月26日. */
  date: string;
  charCount: number;
}

export async function buildReportDocx(input: ReportDocxInput): Promise<Buffer> {
  const children: Paragraph[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: LINE, children: [run(input.title, TITLE, true)] }),
  ];
  if (input.subtitle) children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: LINE, children: [run(input.subtitle, { font: '楷体_GB2312', size: 16 * PT })] }));
  children.push(new Paragraph({ spacing: LINE, children: [] }));
  let n = 0;
  for (const s of input.sections) {
    if (!s.text.trim() && !s.title.trim()) continue;
    if (s.title.trim()) {
      const heading = NUMBERED.test(s.title.trim()) ? s.title.trim() : `${CN_NUM[n] ?? n + 1}、${s.title.trim()}`;
      n++;
      children.push(new Paragraph({ indent: INDENT, spacing: LINE, children: [run(heading, HEI)] }));
    }
    children.push(...bodyParagraphs(s.text));
  }
  const [y, m, d] = input.date.split('-').map(Number);
  children.push(new Paragraph({ spacing: LINE, children: [] }));
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: 4 * 16 * 20 }, spacing: LINE, children: [run(input.signature, BODY)] }));
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: 4 * 16 * 20 }, spacing: LINE, children: [run(`${y}年${m}月${d}日`, BODY)] }));
  // FORMATS.md: the 字数 is shown the same way in the editor, the checks and the .docx.
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: 4 * 16 * 20 }, spacing: LINE, children: [run(`（全文${input.charCount}字）`, { font: BODY.font, size: 12 * PT })] }));

  const doc = new Document({
    evenAndOddHeaderAndFooters: true,
    description: `全文${input.charCount}字`,
    title: input.title,
    styles: { default: { document: { run: { font: { ascii: BODY.font, eastAsia: BODY.font, hAnsi: BODY.font }, size: BODY.size } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(37),
              left: convertMillimetersToTwip(28),
              right: convertMillimetersToTwip(26),
              bottom: convertMillimetersToTwip(35),
              footer: convertMillimetersToTwip(28),
            },
          },
        },
        footers: { default: pageFooter(AlignmentType.RIGHT), even: pageFooter(AlignmentType.LEFT) },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
