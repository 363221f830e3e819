/**
 * The rich text of a report section (decision 009): a small block model — paragraphs with bold /
 * italic / underline / strike runs, ordered and bulleted lists, simple tables — read from and
 * written to the HTML the editor (tiptap) produces. The server sanitizes HTML with a whitelist first
 * (src/server/modules/reports/rich-text.ts); parsing it here and writing it back out again means the
 * stored HTML only ever holds the tags below, with every text escaped.
 *
 * The plain text the checks and the 字数 read is derived from the same blocks, one line per
 * paragraph, list item and table row (cells joined by a full-width space, which counts 0), so the
 * browser and the server derive exactly the same text. List numbers and bullets are not text: Word
 * does not count automatic numbering in 字数 either, and the .docx writes them as Word numbering.
 */

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
}

export type RichBlock =
  | { type: 'paragraph'; runs: Run[] }
  /** Only from an uploaded .docx (Word heading styles); the editor writes headings as bold paragraphs. */
  | { type: 'heading'; level: number; runs: Run[] }
  | { type: 'list'; ordered: boolean; items: Run[][] }
  | { type: 'table'; rows: { header: boolean; cells: string[] }[] };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
export const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

type Mark = 'bold' | 'italic' | 'underline' | 'strike';
const MARK_OF: Record<string, Mark> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
  u: 'underline',
  s: 'strike',
  strike: 'strike',
  del: 'strike',
};

const runsText = (runs: readonly Run[]) => runs.map((r) => r.text).join('');

/** Joins neighbouring runs with the same marks and trims the ends, so equal texts serialize equally. */
function tidyRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (!r.text) continue;
    const last = out[out.length - 1];
    if (
      last &&
      !!last.bold === !!r.bold &&
      !!last.italic === !!r.italic &&
      !!last.underline === !!r.underline &&
      !!last.strike === !!r.strike
    ) {
      last.text += r.text;
    } else out.push({ ...r });
  }
  if (out.length) {
    out[0]!.text = out[0]!.text.replace(/^\s+/, '');
    out[out.length - 1]!.text = out[out.length - 1]!.text.replace(/\s+$/, '');
  }
  return out.filter((r) => r.text);
}

/**
 * Reads editor or mammoth HTML into blocks. Unknown tags are dropped and their text kept; nested
 * lists are flattened into their outer list; a <br> ends the paragraph. Script and style bodies are
 * skipped even if a caller forgot to sanitize.
 */
export function parseRichHtml(html: string): RichBlock[] {
  const blocks: RichBlock[] = [];
  const marks = new Map<Mark, number>();
  let para: { type: 'paragraph' | 'heading'; level: number; runs: Run[] } | null = null;
  let list: { type: 'list'; ordered: boolean; items: Run[][] } | null = null;
  let listDepth = 0;
  let item: Run[] | null = null;
  let itemHasPara = false;
  let table: { type: 'table'; rows: { header: boolean; cells: string[] }[] } | null = null;
  let tableDepth = 0;
  let cell: { parts: string[]; header: boolean } | null = null;
  let skip: string | null = null;

  const flushPara = () => {
    if (para) {
      const runs = tidyRuns(para.runs);
      if (runs.length)
        blocks.push(
          para.type === 'heading' ? { type: 'heading', level: para.level, runs } : { type: 'paragraph', runs },
        );
    }
    para = null;
  };
  const endItem = () => {
    if (list && item) {
      const runs = tidyRuns(item);
      if (runs.length) list.items.push(runs);
    }
    item = null;
    itemHasPara = false;
  };
  const addText = (raw: string) => {
    const text = decodeEntities(raw).replace(/[\r\n\t]+/g, ' ');
    if (!text) return;
    if (cell) {
      cell.parts.push(text);
      return;
    }
    if (table) return;
    const run: Run = { text };
    for (const [m, n] of marks) if (n > 0) run[m] = true;
    if (list) {
      if (!item) item = [];
      item.push(run);
      return;
    }
    if (!text.trim() && !para) return;
    if (!para) para = { type: 'paragraph', level: 0, runs: [] };
    para.runs.push(run);
  };

  for (const m of html.matchAll(/<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>|[^<]+|</g)) {
    const [tok, close, rawName] = m;
    if (tok.startsWith('<!--')) continue;
    if (!rawName) {
      if (!skip) addText(tok === '<' ? '<' : tok);
      continue;
    }
    const name = rawName.toLowerCase();
    if (skip) {
      if (close && name === skip) skip = null;
      continue;
    }
    if (!close && ['script', 'style', 'textarea', 'noscript', 'template', 'iframe', 'object'].includes(name)) {
      skip = name;
      continue;
    }
    if (MARK_OF[name]) {
      const k = MARK_OF[name];
      marks.set(k, Math.max(0, (marks.get(k) ?? 0) + (close ? -1 : 1)));
      continue;
    }
    if (name === 'table') {
      if (close) {
        if (--tableDepth === 0 && table) {
          const t: { type: 'table'; rows: { header: boolean; cells: string[] }[] } = table;
          t.rows = t.rows.filter((r) => r.cells.length);
          if (t.rows.some((r) => r.cells.some((c) => c))) blocks.push(t);
          table = null;
        }
      } else {
        if (tableDepth++ === 0) {
          flushPara();
          if (list) endItem();
          table = { type: 'table', rows: [] };
        }
      }
      continue;
    }
    if (table) {
      // Inside a table everything is cell text; a nested table's cells join the outer cell.
      if (name === 'tr' && !close && tableDepth === 1) table.rows.push({ header: false, cells: [] });
      else if ((name === 'td' || name === 'th') && tableDepth === 1) {
        if (!close) cell = { parts: [], header: name === 'th' };
        else if (cell) {
          if (!table.rows.length) table.rows.push({ header: false, cells: [] });
          const row = table.rows[table.rows.length - 1]!;
          if (!row.cells.length) row.header = cell.header;
          else row.header = row.header && cell.header;
          row.cells.push(cell.parts.join('').replace(/\s+/g, ' ').trim());
          cell = null;
        }
      } else if (
        (name === 'p' || name === 'br' || name === 'li' || /^h[1-6]$/.test(name)) &&
        cell &&
        cell.parts.length &&
        !close
      ) {
        cell.parts.push(' ');
      }
      continue;
    }
    if (name === 'ol' || name === 'ul') {
      if (!close) {
        if (listDepth++ === 0) {
          flushPara();
          list = { type: 'list', ordered: name === 'ol', items: [] };
        } else endItem();
      } else if (--listDepth <= 0) {
        listDepth = 0;
        endItem();
        if (list?.items.length) blocks.push(list);
        list = null;
      }
      continue;
    }
    if (list) {
      if (name === 'li') {
        endItem();
        if (!close) item = [];
      } else if (name === 'p' || /^h[1-6]$/.test(name)) {
        // A second paragraph in one list item becomes an item of its own.
        if (!close) {
          if (itemHasPara && item && runsText(item).trim()) {
            endItem();
            item = [];
          }
          itemHasPara = true;
        }
      } else if (name === 'br' && item && runsText(item).trim()) {
        endItem();
        item = [];
      }
      continue;
    }
    if (name === 'p' || name === 'div' || /^h[1-6]$/.test(name)) {
      flushPara();
      if (!close)
        para = /^h[1-6]$/.test(name)
          ? { type: 'heading', level: Number(name[1]), runs: [] }
          : { type: 'paragraph', level: 0, runs: [] };
      continue;
    }
    if (name === 'br') {
      const kind = para;
      flushPara();
      if (kind) para = { type: kind.type, level: kind.level, runs: [] };
    }
    // Any other tag (span, a, img, …): dropped, its text kept.
  }
  flushPara();
  if (list) {
    endItem();
    if (list.items.length) blocks.push(list);
  }
  return blocks;
}

/** One line per paragraph, list item and table row; what the checks and the 字数 read. */
export function blocksToPlainText(blocks: readonly RichBlock[]): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.type === 'paragraph' || b.type === 'heading') lines.push(runsText(b.runs));
    else if (b.type === 'list') for (const item of b.items) lines.push(runsText(item));
    else for (const r of b.rows) lines.push(r.cells.filter(Boolean).join('　'));
  }
  return lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

function runsHtml(runs: readonly Run[]) {
  return runs
    .map((r) => {
      let h = escapeHtml(r.text);
      if (r.strike) h = `<s>${h}</s>`;
      if (r.underline) h = `<u>${h}</u>`;
      if (r.italic) h = `<em>${h}</em>`;
      if (r.bold) h = `<strong>${h}</strong>`;
      return h;
    })
    .join('');
}

/** The editor's HTML for blocks: headings become bold paragraphs, list items and cells hold a <p>. */
export function blocksToHtml(blocks: readonly RichBlock[]): string {
  return (
    blocks
      // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch names every block type (tsc checks it), each returns
      .map((b) => {
        switch (b.type) {
          case 'paragraph':
            return `<p>${runsHtml(b.runs)}</p>`;
          case 'heading':
            return `<p>${runsHtml(b.runs.map((r) => ({ ...r, bold: true })))}</p>`;
          case 'list': {
            const tag = b.ordered ? 'ol' : 'ul';
            return `<${tag}>${b.items.map((i) => `<li><p>${runsHtml(i)}</p></li>`).join('')}</${tag}>`;
          }
          case 'table': {
            const width = b.rows.reduce((w, r) => Math.max(w, r.cells.length), 0);
            const rows = b.rows.map((r) => {
              const tag = r.header ? 'th' : 'td';
              const cells = [...r.cells, ...Array<string>(width - r.cells.length).fill('')];
              return `<tr>${cells.map((c) => `<${tag}><p>${escapeHtml(c)}</p></${tag}>`).join('')}</tr>`;
            });
            return `<table><tbody>${rows.join('')}</tbody></table>`;
          }
        }
      })
      .join('')
  );
}

/** A section stored before rich text (or sent as plain text): each line a paragraph. */
export const plainTextToHtml = (text: string) =>
  text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('');

/** The plain text of editor HTML, as the server derives it after sanitizing. */
export const htmlToPlainText = (html: string) => blocksToPlainText(parseRichHtml(html));

/** HTML written back from the parsed blocks: only whitelisted tags, all text escaped. */
export const normalizeRichHtml = (html: string) => blocksToHtml(parseRichHtml(html));

/** The HTML to show for a stored section: its HTML, or its plain text as paragraphs. */
export const sectionHtml = (s: { text: string; html?: string | null }) => (s.html ? s.html : plainTextToHtml(s.text));
