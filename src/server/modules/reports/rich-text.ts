/**
 * Report HTML on the server (decision 009): sanitize-html keeps a whitelist of tags and drops every
 * attribute, then the domain parser writes the HTML back out from its blocks, so what is stored can
 * hold nothing the editor did not put there. The plain text the checks and the 字数 read is derived
 * from that stored HTML here, never taken from the client.
 */
import sanitizeHtml from 'sanitize-html';
import { AppError } from '../../../domain/errors';
import type { ReportSection } from '../../../domain/report-checks';
import { blocksToPlainText, normalizeRichHtml, parseRichHtml } from '../../../domain/rich-text';
import { MAX_SECTION_TEXT } from './schemas';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'ol',
    'ul',
    'li',
    'table',
    'thead',
    'tbody',
    'tr',
    'td',
    'th',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
  ],
  allowedAttributes: {},
  allowedSchemes: [],
  disallowedTagsMode: 'discard',
  // Text inside these is dropped with the tag, not kept as text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'object', 'title'],
};

export const sanitizeReportHtml = (html: string) => normalizeRichHtml(sanitizeHtml(html, OPTIONS));

/** Blocks of untrusted HTML (an upload's mammoth output), whitelisted first. */
export const safeBlocks = (html: string) => parseRichHtml(sanitizeHtml(html, OPTIONS));

/**
 * Sections as the client sent them, made safe: with HTML, the HTML is sanitized and the text derived
 * from it; without (an older client, a test), the text is kept as plain paragraphs.
 */
export function normalizeSections(sections: readonly ReportSection[]): ReportSection[] {
  return sections.map((s) => {
    const { html, ...rest } = s;
    if (html === undefined || html === null) return { ...rest };
    const clean = sanitizeReportHtml(html);
    const text = blocksToPlainText(parseRichHtml(clean));
    if (text.length > MAX_SECTION_TEXT) {
      throw new AppError('VALIDATION', `「${s.title || s.key}」部分不能超过10万字符`, { field: 'sections' });
    }
    return { ...rest, text, html: clean };
  });
}
