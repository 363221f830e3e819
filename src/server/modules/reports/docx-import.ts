/**
 * R-REP-6: reads the secretary's Word file (R-REP-6) into sections. mammoth turns the .docx into simple HTML,
 * which is whitelisted and read into the editor's blocks (paragraphs, bold, lists, tables; decision
 * 009); paragraphs, headings and list items are matched against the campaign's section headings by
 * the same rule as plain text (sectionHeadings), and each section keeps its blocks as editor HTML
 * with the plain text derived from them. Headings that name no section are returned so the page
 * can flag them.
 *
 * Decision 016: `checkReportDocx` judges the zip on the request's thread before anything is unpacked (uploads/
 * zip-check.ts), then `parseReportDocx` runs on a worker thread with its own heap limit and a deadline
 * (docx-worker.ts), so a hostile file can neither block other requests nor grow the server's memory.
 */
import { Readable } from 'node:stream';
import { thousands } from '../../../domain/numbers';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import mammoth from 'mammoth';
import { AppError } from '../../../domain/errors';
import { sectionHeadings, type ReportSection, type SectionSpec } from '../../../domain/report-checks';
import { blocksToHtml, blocksToPlainText, decodeEntities, type RichBlock } from '../../../domain/rich-text';
import { countChars } from '../../../domain/word-count';
import { runWorker, WorkerSlots } from '../../uploads/worker';
import { checkZip, DOCX_ZIP, inspectZip } from '../../uploads/zip-check';
import { safeBlocks } from './rich-text';

/** One heading candidate of the upload: a paragraph, a heading, one list item, or a whole table. */
interface Unit {
  text: string;
  /** Word heading level (1–6), 0 for body text. */
  level: number;
  block: RichBlock;
}

/** Lists are split into their items, so a numbered Word heading (a list item in mammoth's HTML) can start a section. */
function unitsOf(blocks: RichBlock[]): Unit[] {
  const units: Unit[] = [];
  for (const b of blocks) {
    if (b.type === 'list') {
      for (const item of b.items)
        units.push({
          text: blocksToPlainText([{ type: 'paragraph', runs: item }]),
          level: 0,
          block: { type: 'list', ordered: b.ordered, items: [item] },
        });
    } else {
      const text = blocksToPlainText([b]);
      if (text) units.push({ text, level: b.type === 'heading' ? b.level : 0, block: b });
    }
  }
  return units;
}

/** Units back into blocks: neighbouring one-item lists of the same kind join again. */
function joinUnits(units: Unit[]): RichBlock[] {
  const out: RichBlock[] = [];
  for (const { block } of units) {
    const last = out[out.length - 1];
    if (block.type === 'list' && last?.type === 'list' && last.ordered === block.ordered)
      last.items.push(...block.items);
    else out.push(block.type === 'list' ? { ...block, items: [...block.items] } : block);
  }
  return out;
}

const CLOSING_COUNT = /^（全文\d+字）$/;
const CLOSING_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/;

/**
 * The closing lines our own .docx download ends with — the 字数 note, the date and the signature above it — are not
 * report text: a secretary who edits the downloaded file and uploads it again must not find them in the last section
 * (they would also count as 字数 twice). The signature is dropped only when a date follows it, as 公文 places it.
 */
function dropClosingLines(units: Unit[]) {
  const last = () => units[units.length - 1];
  const isText = (u: Unit | undefined) => !!u && u.block.type !== 'table' && u.level === 0;
  if (isText(last()) && CLOSING_COUNT.test(last()!.text.trim())) units.pop();
  if (isText(last()) && CLOSING_DATE.test(last()!.text.trim())) {
    units.pop();
    const sig = last();
    if (isText(sig) && [...sig!.text.trim()].length <= 40 && !/[。；;：:，,]/.test(sig!.text)) units.pop();
  }
}

export interface ParsedDocx {
  sections: ReportSection[];
  unknownHeadings: string[];
  title: string | null;
}

const TOP_NUMBERED = /^[一二三四五六七八九十]+\s*[、.．]/;
const isZipMagic = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const bad = (message: string) => new AppError('INVALID_FILE', message, { field: 'file' });

/** On the request's thread, before any unpacking: the file kind, then the zip's declared and actual sizes. */
export async function checkReportDocx(file: Buffer, fileName: string) {
  if (/\.doc$/i.test(fileName)) throw bad('不支持旧版 .doc 格式，请在Word中“另存为” .docx 后上传');
  if (!/\.docx$/i.test(fileName) || !isZipMagic(file)) throw bad('请上传 Word 文档（.docx 格式）');
  await checkZip(file, DOCX_ZIP);
}

/**
 * 字数 over this many times the tier's limit is no draft to trim in the editor (that is what the length check is for)
 * but the wrong file, or a hostile one: refused at import with the count (issue 15).
 */
export const FAR_OVER_LIMIT = 3;

export const reportTooLong = (message: string, details: Record<string, unknown>) =>
  new AppError('REPORT_TOO_LONG', `${message}，未导入。请删减后重新上传`, { field: 'file', ...details });
export const farOverLimit = (count: number, limit: number) =>
  reportTooLong(
    `导入的报告正文共${thousands(count)}字，超过本次述职报告字数上限${thousands(limit)}字的${FAR_OVER_LIMIT}倍`,
    { count, limit },
  );

/**
 * The 字数 of the main document's text runs (<w:t>), read from its XML as a stream: a text far over its limit is
 * refused with its count before mammoth builds anything from it (which would spend the worker's whole budget).
 * Null without a word/document.xml (mammoth then finds the main part by its relationships; the parse is still bounded).
 */
export async function precountDocx(file: Buffer): Promise<number | null> {
  const entry = inspectZip(file, DOCX_ZIP).find((e) => e.name === 'word/document.xml');
  if (!entry) return null;
  const packed = Readable.from([file.subarray(entry.dataOffset, entry.dataOffset + entry.packed)]);
  const xml = entry.method === 0 ? packed : packed.pipe(createInflateRaw());
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let paragraph = '';
  let inText = false;
  let count = 0;
  const scan = (s: string) => {
    for (const [tok, close, name, selfClosing] of s.matchAll(/<(\/?)([\w:]+)[^>]*?(\/?)>|[^<]+/g)) {
      if (!tok.startsWith('<')) {
        if (inText) paragraph += decodeEntities(tok);
      } else if (name === 'w:t') inText = !close && !selfClosing;
      else if (name === 'w:p' && (close || selfClosing)) {
        count += countChars(paragraph);
        paragraph = '';
      }
    }
  };
  for await (const chunk of xml) {
    const s = rest + decoder.write(chunk as Buffer);
    const cut = s.lastIndexOf('>') + 1;
    scan(s.slice(0, cut));
    rest = s.slice(cut);
  }
  scan(rest + decoder.end());
  return count + countChars(paragraph);
}

const WORKER = new URL('./docx-worker.ts', import.meta.url);
/** One parse at a time, eight waiting (a parse may take its whole heap; uploads of Word files are occasional). */
const SLOTS = new WorkerSlots(1, 8);

/**
 * Checks the file here, then reads it on a worker thread (30 s and a 128 MB heap at most): first its 字数 against
 * FAR_OVER_LIMIT × `charLimit` (the reporter's tier; null: none), then the parse.
 */
export async function parseReportDocxOffThread(
  file: Buffer,
  fileName: string,
  specs: SectionSpec[],
  charLimit: number | null,
): Promise<ParsedDocx> {
  await checkReportDocx(file, fileName);
  return runWorker<ParsedDocx>(
    WORKER,
    { file, specs, charLimit },
    {
      timeoutMs: 30_000,
      maxOldGenerationSizeMb: 128,
      slots: SLOTS,
      tooComplex: () =>
        new AppError(
          'DOCX_TOO_COMPLEX',
          'Word文件内容过多或结构过于复杂，无法在规定时间内读取，未导入。请删减后重新上传',
          { field: 'file' },
        ),
    },
  );
}

/** The parse itself (on the worker thread; checkReportDocx has judged the file). */
export async function parseReportDocx(file: Buffer, specs: SectionSpec[]): Promise<ParsedDocx> {
  let html: string;
  try {
    // Pictures are not report text: their bytes are never read (mammoth would inline them as base64).
    html = (
      await mammoth.convertToHtml(
        { buffer: file },
        { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
      )
    ).value;
  } catch {
    throw bad('Word文件已损坏或无法读取，请检查后重新上传');
  }
  const units = unitsOf(safeBlocks(html));
  if (!units.length) throw bad('Word文件中没有文字内容');
  // A first short line naming the report is its title, not a section heading.
  let title: string | null = null;
  if (units[0]!.block.type !== 'table' && /述职报告|述职材料/.test(units[0]!.text) && [...units[0]!.text].length <= 60)
    title = units.shift()!.text;
  dropClosingLines(units);
  // Tables never start a section; everything else is split by the same rule as plain text.
  const headings = sectionHeadings(
    units.map((u) => (u.block.type === 'table' ? '' : u.text)),
    specs,
  );
  const preamble = { key: 'preamble', title: '', units: [] as Unit[], alsoCovers: [] as string[] };
  const parts = [preamble];
  let current = preamble;
  units.forEach((u, i) => {
    const h = headings[i];
    if (!h) return void current.units.push(u);
    const existing = parts.find((p) => p.key === h.keys[0]);
    if (existing) {
      // A later heading for a part already seen continues it, the heading kept as a bold line.
      existing.units.push({ ...u, block: { type: 'heading', level: 1, runs: [{ text: u.text }] } });
      current = existing;
    } else {
      current = { key: h.keys[0]!, title: u.text.trim(), units: [], alsoCovers: h.keys.slice(1) };
      parts.push(current);
    }
  });
  const sections: ReportSection[] = parts
    .map((p) => {
      const blocks = joinUnits(p.units);
      const s: ReportSection = {
        key: p.key,
        title: p.title,
        text: blocksToPlainText(blocks),
        html: blocksToHtml(blocks),
      };
      return p.alsoCovers.length ? { ...s, alsoCovers: p.alsoCovers } : s;
    })
    .filter((p) => p.key !== 'preamble' || p.text);
  const titles = new Set(sections.map((s) => s.title));
  // Top-level headings only: the highest Word heading level used, or body lines numbered "一、".
  // A loop, not Math.min(...levels): a spread of a long document's units overflows the stack.
  let top = 7;
  for (const u of units) if (u.level > 0 && u.level < top) top = u.level;
  const unknownHeadings = units
    .filter((l) => l.block.type !== 'table')
    .filter((l) =>
      l.level > 0 ? l.level === top : TOP_NUMBERED.test(l.text) && [...l.text].length <= 40 && !/[。；;]$/.test(l.text),
    )
    .map((l) => l.text.trim())
    .filter((t) => !titles.has(t));
  if (!sections.some((s) => s.text.trim())) throw bad('Word文件中没有正文内容');
  return { sections, unknownHeadings, title };
}
