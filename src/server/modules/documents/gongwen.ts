/**
 * .docx in 党政机关公文 layout (GB/T 9704-2012, see ../shared/FORMATS.md) for 通报, 反馈意见, 总结报告
 * and 会议记录: A4, 37/28/35/26 mm margins, 3号仿宋 body with a 2-character first-line indent, 2号小标宋
 * title, heading levels 一、(黑体) （一）(楷体) 1.(仿宋 bold) （1）(仿宋), `— 1 —` page numbers outside
 * (odd pages right, even left), signature and date right-aligned. Fonts are named in the file; the
 * reader's Word supplies them, with the usual fallbacks named alongside.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LevelFormat,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { formatDateProse } from '../../../domain/calendar';

/** Font names as a 组织部 machine has them. */
export const GONGWEN_FONTS = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
  /** Latin text inside the body: Times New Roman is what GB/T 9704 samples use. */
  latin: 'Times New Roman',
} as const;

const PT = 2; // docx sizes are half-points
const SIZE = { title: 22 * PT, body: 16 * PT, pageNumber: 14 * PT, table: 14 * PT } as const;
const MM = 56.7; // twips per millimetre
/** 22 lines in the 225 mm text block: a fixed line pitch of about 28.9 pt. */
const LINE = Math.round((225 * MM) / 22);

/** A piece of body text with its emphasis (rich text, e.g. a 述职报告 written in the editor). */
export interface GongwenRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
}

export type GongwenBlock =
  | { type: 'heading1'; text: string }
  | { type: 'heading2'; text: string }
  | { type: 'heading3'; text: string }
  | { type: 'heading4'; text: string }
  | { type: 'paragraph'; text: string; indent?: boolean }
  /** A body paragraph made of runs with bold / italic / underline / strike. */
  | { type: 'richParagraph'; runs: GongwenRun[] }
  /** Word-numbered items (1. 2. … or bullets), so Word's 字数 does not count the numbers either. */
  | { type: 'list'; ordered: boolean; items: GongwenRun[][] }
  /** A simple bordered table, header row first (none when `header` is empty); 4号 text so it fits the 156 mm block. */
  | { type: 'table'; header: string[]; rows: (string | number)[][]; widths?: number[] }
  | { type: 'blank' };

export interface GongwenDoc {
  /** 版头 of a numbered document (通报): 发文机关标志 in red 小标宋, 发文字号 centred, then the red separator line. */
  masthead?: { issuer: string; docNumber?: string };
  title: string;
  /** Optional subtitle line under the title (e.g. the meeting date and place), 3号楷体 centred. */
  subtitle?: string;
  blocks: GongwenBlock[];
  /** 署名, e.g. 中共某某镇委员会 */
  signature?: string;
  /** 成文日期 as YYYY-MM-DD; printed 2025年12月26日. */
  date?: string;
  /** 主送机关 (or the person a 反馈意见 goes to), flush left under the title with a full-width colon. */
  addressee?: string;
  /** A small right-aligned line after the date, e.g. a report's （全文1480字）. */
  closingNote?: string;
}

const run = (text: string, font: string, size: number, o: { bold?: boolean } = {}) =>
  new TextRun({
    text,
    size,
    bold: o.bold,
    font: { ascii: GONGWEN_FONTS.latin, hAnsi: GONGWEN_FONTS.latin, eastAsia: font },
  });

const spacing = { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };

/** The date as 公文 writes it: Arabic numerals, no leading zeros. */
export const gongwenDate = (iso: string): string => formatDateProse(iso);

function para(
  text: string,
  font: string,
  o: { bold?: boolean; indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {},
) {
  return new Paragraph({
    spacing,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    indent: o.indent === false ? undefined : { firstLineChars: 200, firstLine: 2 * 16 * 20 },
    children: [run(text, font, SIZE.body, { bold: o.bold })],
  });
}

function cell(text: string, width: number, header: boolean) {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    children: [
      new Paragraph({
        alignment: header ? AlignmentType.CENTER : AlignmentType.LEFT,
        children: [run(text, header ? GONGWEN_FONTS.heading1 : GONGWEN_FONTS.body, SIZE.table)],
      }),
    ],
  });
}

const richRuns = (runs: GongwenRun[]) =>
  runs.map(
    (r) =>
      new TextRun({
        text: r.text,
        size: SIZE.body,
        bold: r.bold,
        italics: r.italic,
        underline: r.underline ? {} : undefined,
        strike: r.strike,
        font: { ascii: GONGWEN_FONTS.latin, hAnsi: GONGWEN_FONTS.latin, eastAsia: GONGWEN_FONTS.body },
      }),
  );

const LIST_ORDERED = 'gongwen-ordered';
const LIST_BULLET = 'gongwen-bullet';
/** Each ordered list restarts at 1: one numbering instance per list in the document. */
let listInstance = 0;

function list(ordered: boolean, items: GongwenRun[][]) {
  const instance = ++listInstance;
  return items.map(
    (runs) =>
      new Paragraph({
        spacing,
        alignment: AlignmentType.JUSTIFIED,
        numbering: { reference: ordered ? LIST_ORDERED : LIST_BULLET, level: 0, instance },
        children: richRuns(runs),
      }),
  );
}

/** Numbering as the body text indents it: the number where a paragraph's first character would be. */
const LIST_LEVEL_STYLE = { paragraph: { indent: { left: 2 * 16 * 20 + 420, hanging: 420 } } };
const NUMBERING = {
  config: [
    {
      reference: LIST_ORDERED,
      levels: [
        { level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, style: LIST_LEVEL_STYLE },
      ],
    },
    {
      reference: LIST_BULLET,
      levels: [
        { level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.START, style: LIST_LEVEL_STYLE },
      ],
    },
  ],
};

function table(header: string[], rows: (string | number)[][], widths?: number[]) {
  const total = Math.round(156 * MM);
  const columns = header.length || rows.reduce((w, r) => Math.max(w, r.length), 1);
  const w = widths ?? Array.from({ length: columns }, () => Math.floor(total / columns));
  const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: total, type: WidthType.DXA },
    columnWidths: w,
    borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
    rows: [
      ...(header.length
        ? [new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, w[i]!, true)) })]
        : []),
      ...rows.map((r) => new TableRow({ children: r.map((v, i) => cell(String(v), w[i] ?? w[w.length - 1]!, false)) })),
    ],
  });
}

function block(b: GongwenBlock): (Paragraph | Table)[] {
  switch (b.type) {
    case 'heading1':
      return [para(b.text, GONGWEN_FONTS.heading1)];
    case 'heading2':
      return [para(b.text, GONGWEN_FONTS.heading2)];
    case 'heading3':
      return [para(b.text, GONGWEN_FONTS.body, { bold: true })];
    case 'heading4':
      return [para(b.text, GONGWEN_FONTS.body)];
    case 'paragraph':
      return [para(b.text, GONGWEN_FONTS.body, { indent: b.indent })];
    case 'richParagraph':
      return [
        new Paragraph({
          spacing,
          alignment: AlignmentType.JUSTIFIED,
          indent: { firstLineChars: 200, firstLine: 2 * 16 * 20 },
          children: richRuns(b.runs),
        }),
      ];
    case 'list':
      return list(b.ordered, b.items);
    case 'table':
      return [table(b.header, b.rows, b.widths), para('', GONGWEN_FONTS.body)];
    case 'blank':
      return [para('', GONGWEN_FONTS.body)];
  }
}

/** `— 1 —` in 4号宋体, kept one character in from the outer edge. */
function pageNumberFooter(align: 'right' | 'left') {
  const font = GONGWEN_FONTS.pageNumber;
  return new Footer({
    children: [
      new Paragraph({
        alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: align === 'right' ? { right: 14 * 20 } : { left: 14 * 20 },
        children: [
          new TextRun({ text: '— ', size: SIZE.pageNumber, font: { ascii: font, hAnsi: font, eastAsia: font } }),
          new TextRun({
            children: [PageNumber.CURRENT],
            size: SIZE.pageNumber,
            font: { ascii: font, hAnsi: font, eastAsia: font },
          }),
          new TextRun({ text: ' —', size: SIZE.pageNumber, font: { ascii: font, hAnsi: font, eastAsia: font } }),
        ],
      }),
    ],
  });
}

/** GB/T 9704 版头: red issuer mark, two blank lines, the number, a red line 4 mm below it, then two blank lines. */
function masthead(m: NonNullable<GongwenDoc['masthead']>): Paragraph[] {
  const red = 'C00000';
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: Math.round(LINE * 1.6), lineRule: LineRuleType.EXACT },
      children: [
        new TextRun({
          text: m.issuer,
          size: 30 * PT,
          color: red,
          font: { ascii: GONGWEN_FONTS.title, hAnsi: GONGWEN_FONTS.title, eastAsia: GONGWEN_FONTS.title },
        }),
      ],
    }),
    para('', GONGWEN_FONTS.body),
    para('', GONGWEN_FONTS.body),
    new Paragraph({
      spacing,
      alignment: AlignmentType.CENTER,
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: red, space: 11 } },
      children: [run(m.docNumber ?? '', GONGWEN_FONTS.body, SIZE.body)],
    }),
    para('', GONGWEN_FONTS.body),
    para('', GONGWEN_FONTS.body),
  ];
}

export function gongwenDocument(doc: GongwenDoc): Document {
  const children: (Paragraph | Table)[] = [
    ...(doc.masthead ? masthead(doc.masthead) : []),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: Math.round(LINE * 1.2), lineRule: LineRuleType.EXACT },
      children: [run(doc.title, GONGWEN_FONTS.title, SIZE.title)],
    }),
  ];
  if (doc.subtitle)
    children.push(para(doc.subtitle, GONGWEN_FONTS.heading2, { indent: false, align: AlignmentType.CENTER }));
  children.push(para('', GONGWEN_FONTS.body));
  if (doc.addressee)
    children.push(para(`${doc.addressee}：`, GONGWEN_FONTS.body, { indent: false, align: AlignmentType.LEFT }));
  // Not push(...block(b)): a list block of a long document spreads into too many arguments for the stack.
  for (const b of doc.blocks) for (const c of block(b)) children.push(c);
  if (doc.signature || doc.date) {
    children.push(para('', GONGWEN_FONTS.body), para('', GONGWEN_FONTS.body));
    // About four characters of space after the signature and the date (FORMATS.md).
    const right = { right: 4 * 16 * 20 };
    if (doc.signature)
      children.push(
        new Paragraph({
          spacing,
          alignment: AlignmentType.RIGHT,
          indent: right,
          children: [run(doc.signature, GONGWEN_FONTS.body, SIZE.body)],
        }),
      );
    if (doc.date)
      children.push(
        new Paragraph({
          spacing,
          alignment: AlignmentType.RIGHT,
          indent: right,
          children: [run(gongwenDate(doc.date), GONGWEN_FONTS.body, SIZE.body)],
        }),
      );
  }
  if (doc.closingNote) {
    children.push(
      new Paragraph({
        spacing,
        alignment: AlignmentType.RIGHT,
        indent: { right: 4 * 16 * 20 },
        children: [run(doc.closingNote, GONGWEN_FONTS.body, 12 * PT)],
      }),
    );
  }
  return new Document({
    evenAndOddHeaderAndFooters: true,
    numbering: NUMBERING,
    styles: {
      default: {
        document: {
          run: {
            size: SIZE.body,
            font: { ascii: GONGWEN_FONTS.latin, hAnsi: GONGWEN_FONTS.latin, eastAsia: GONGWEN_FONTS.body },
          },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: {
              top: Math.round(37 * MM),
              bottom: Math.round(35 * MM),
              left: Math.round(28 * MM),
              right: Math.round(26 * MM),
              footer: Math.round(28 * MM) - 14 * 20,
            },
          },
        },
        footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        children,
      },
    ],
  });
}

export async function gongwenBuffer(doc: GongwenDoc): Promise<Buffer> {
  return Packer.toBuffer(gongwenDocument(doc));
}
