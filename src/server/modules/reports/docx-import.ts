/**
 * Reads a secretary's Word file (R-REP-6) into sections. mammoth turns the .docx into simple HTML;
 * headings (Word heading styles) and paragraphs become lines, table rows become one line each with
 * cells separated by a full-width space, and splitIntoSections maps the lines to the campaign's
 * sections by their headings. Headings that name no section are returned so the page can flag them.
 */
import mammoth from 'mammoth';
import { AppError } from '../../../domain/errors';
import { splitIntoSections, type ReportSection, type SectionSpec } from '../../../domain/report-checks';

export const MAX_DOCX_BYTES = 10 * 1024 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
const stripTags = (s: string) => decode(s.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '')).trim();

interface Line {
  text: string;
  /** Word heading level (1–6), 0 for body text. */
  level: number;
}

/** mammoth's HTML is flat and regular: h1–h6, p, ul/ol>li, table>tr>td>p. */
function htmlToLines(html: string): Line[] {
  const lines: Line[] = [];
  const block = /<(h[1-6]|p|li|table)\b[^>]*>([\s\S]*?)<\/\1>/gi;
  for (const m of html.matchAll(block)) {
    const tag = m[1].toLowerCase();
    if (tag === 'table') {
      for (const row of m[2].matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)) {
        const cells = [...row[1].matchAll(/<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/gi)].map((c) => stripTags(c[1]).replace(/\n+/g, ' '));
        const text = cells.filter(Boolean).join('　');
        if (text) lines.push({ text, level: 0 });
      }
      continue;
    }
    const text = stripTags(m[2]);
    if (text) lines.push({ text, level: tag.startsWith('h') ? Number(tag[1]) : 0 });
  }
  return lines;
}

export interface ParsedDocx {
  sections: ReportSection[];
  unknownHeadings: string[];
  title: string | null;
}

const TOP_NUMBERED = /^[一二三四五六七八九十]+\s*[、.．]/;
const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const bad = (message: string) => new AppError('INVALID_FILE', message, 400, { field: 'file' });

export async function parseReportDocx(file: Buffer, fileName: string, specs: SectionSpec[]): Promise<ParsedDocx> {
  if (file.length > MAX_DOCX_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `Word文件不能超过${MAX_DOCX_BYTES / 1024 / 1024}MB`, 413, { field: 'file' });
  }
  if (/\.doc$/i.test(fileName)) throw bad('不支持旧版 .doc 格式，请在Word中“另存为” .docx 后上传');
  if (!/\.docx$/i.test(fileName) || !isZip(file)) throw bad('请上传 Word 文档（.docx 格式）');
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: file })).value;
  } catch {
    throw bad('Word文件已损坏或无法读取，请检查后重新上传');
  }
  const lines = htmlToLines(html);
  if (!lines.length) throw bad('Word文件中没有文字内容');
  // A first short line naming the report is its title, not a section heading.
  let title: string | null = null;
  if (/述职报告|述职材料/.test(lines[0].text) && [...lines[0].text].length <= 60) title = lines.shift()!.text;
  const sections = splitIntoSections(lines.map((l) => l.text).join('\n'), specs);
  const titles = new Set(sections.map((s) => s.title));
  // Top-level headings only: the highest Word heading level used, or body lines numbered "一、".
  const top = Math.min(7, ...lines.filter((l) => l.level > 0).map((l) => l.level));
  const unknownHeadings = lines
    .filter((l) => (l.level > 0 ? l.level === top : TOP_NUMBERED.test(l.text) && [...l.text].length <= 40 && !/[。；;]$/.test(l.text)))
    .map((l) => l.text.trim())
    .filter((t) => !titles.has(t));
  if (!sections.some((s) => s.text.trim())) throw bad('Word文件中没有正文内容');
  return { sections, unknownHeadings, title };
}
