/**
 * A report as a .docx in 党政机关公文 layout through the shared writer (documents/gongwen.ts): the
 * title, 一、 headings per section, and each section's rich text — paragraphs with bold and the
 * other marks, Word-numbered lists, bordered tables (decision 009). Sections stored as plain text
 * are read as paragraphs. The 字数 closes the document as the editor and the checks count it.
 */
import type { ReportSection } from '../../../domain/report-checks';
import { parseRichHtml, sectionHtml, type RichBlock } from '../../../domain/rich-text';
import { gongwenBuffer, type GongwenBlock } from '../documents/gongwen';

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const NUMBERED =
  /^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)/;

function toGongwen(b: RichBlock): GongwenBlock {
  switch (b.type) {
    case 'paragraph':
      return { type: 'richParagraph', runs: b.runs };
    case 'heading':
      return { type: 'richParagraph', runs: b.runs.map((r) => ({ ...r, bold: true })) };
    case 'list':
      return { type: 'list', ordered: b.ordered, items: b.items };
    case 'table': {
      const width = b.rows.reduce((w, r) => Math.max(w, r.cells.length), 0);
      const pad = (cells: string[]) => [...cells, ...Array<string>(width - cells.length).fill('')];
      const headed = b.rows[0]?.header ?? false;
      return {
        type: 'table',
        header: headed ? pad(b.rows[0]!.cells) : [],
        rows: (headed ? b.rows.slice(1) : b.rows).map((r) => pad(r.cells)),
      };
    }
  }
}

export interface ReportDocxInput {
  title: string;
  subtitle?: string;
  sections: ReportSection[];
  signature: string;
  /** YYYY-MM-DD, printed as 2025年12月26日. */
  date: string;
  charCount: number;
}

export function reportBlocks(sections: readonly ReportSection[]): GongwenBlock[] {
  const blocks: GongwenBlock[] = [];
  let n = 0;
  for (const s of sections) {
    if (!s.text.trim() && !s.title.trim()) continue;
    const title = s.title.trim();
    if (title) {
      blocks.push({ type: 'heading1', text: NUMBERED.test(title) ? title : `${CN_NUM[n] ?? n + 1}、${title}` });
      n++;
    }
    // One by one: push(...all) passes every block as an argument, and a long report's ~150,000 blocks overflowed the
    // stack (a 500 on the .docx download, issue 15).
    for (const b of parseRichHtml(sectionHtml(s))) blocks.push(toGongwen(b));
  }
  return blocks;
}

export async function buildReportDocx(input: ReportDocxInput): Promise<Buffer> {
  return gongwenBuffer({
    title: input.title,
    subtitle: input.subtitle,
    blocks: reportBlocks(input.sections),
    signature: input.signature,
    date: input.date,
    // FORMATS.md: the 字数 is shown the same way in the editor, the checks and the .docx.
    closingNote: `（全文${input.charCount}字）`,
  });
}
