/**
 * 字数 as a Chinese word processor counts it (FORMATS.md): each CJK character and each full-width
 * punctuation mark counts 1; each run of other non-space characters (Latin letters, digits and the
 * half-width punctuation touching them: `2019`, `COVID-19`, `e.g.`, `3.5`) counts 1; spaces and
 * line breaks count 0. The editor, the checks and the .docx must agree, so everything counts here.
 *
 * Where FORMATS.md is silent we follow what Word shows in 字数:
 * - A half-width mark standing alone (` - `, or `,` typed between Chinese characters) is a run: 1.
 * - Full-width letters and digits (`２０１９`) are East Asian characters: 1 each.
 * - An emoji is a non-East-Asian symbol, so it forms or joins a run: `好👍` = 2, `ok👍` = 1.
 * - Combining marks, variation selectors and joiners count 0 and never split a run (`👨‍👩‍👧` = 1).
 * - Chinese quotes, dashes, the ellipsis and the middle dot (“”‘’——…·) count 1 each, except between
 *   two Latin letters or digits, where they belong to the run (`don’t` = 1, `马克思·恩格斯` = 7).
 */

const SPACE = 0;
const WIDE = 1;
const NARROW = 2;
const ATTACH = 3;
const AMBIGUOUS = 4;
type CharClass = typeof SPACE | typeof WIDE | typeof NARROW | typeof ATTACH | typeof AMBIGUOUS;

const EAST_ASIAN = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Bopomofo}\p{sc=Hangul}\p{sc=Yi}]/u;
const ZERO_WIDTH = /[\p{M}\p{Default_Ignorable_Code_Point}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** CJK symbols, full-width forms and the symbols GB 2312 sets as full-width (①, Ⅰ, □, ℃, №, ※). */
const WIDE_RANGES: readonly [number, number][] = [
  [0x2e80, 0x2fff],
  [0x3001, 0x303f],
  [0x3190, 0x33ff],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe6f],
  [0xff01, 0xff60],
  [0xffe0, 0xffe6],
  [0x2160, 0x217f],
  [0x2460, 0x24ff],
  [0x25a0, 0x25ff],
  [0x2103, 0x2103],
  [0x2116, 0x2116],
  [0x203b, 0x203b],
];
const AMBIGUOUS_MARKS = new Set([0x00b7, 0x2014, 0x2015, 0x2018, 0x2019, 0x201c, 0x201d, 0x2025, 0x2026]);

function classify(cp: number): CharClass {
  if (cp < 0x80) return cp <= 0x20 || cp === 0x7f ? SPACE : NARROW;
  if (cp <= 0x9f) return SPACE;
  const ch = String.fromCodePoint(cp);
  if (/\s/.test(ch)) return SPACE;
  if (AMBIGUOUS_MARKS.has(cp)) return AMBIGUOUS;
  if (ZERO_WIDTH.test(ch)) return ATTACH;
  if (EAST_ASIAN.test(ch) || WIDE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi)) return WIDE;
  return NARROW;
}

// Regex tests are too slow to repeat per character of every report, so each code point is classified once.
const UNKNOWN = 255;
const bmpClasses = new Uint8Array(0x10000).fill(UNKNOWN);
const astralClasses = new Map<number, CharClass>();
function classOf(cp: number): CharClass {
  if (cp < 0x10000) {
    let c = bmpClasses[cp];
    if (c === UNKNOWN) bmpClasses[cp] = c = classify(cp);
    return c as CharClass;
  }
  let c = astralClasses.get(cp);
  if (c === undefined) astralClasses.set(cp, (c = classify(cp)));
  return c;
}

const isRunLetter = (cp: number | undefined) =>
  cp !== undefined && classOf(cp) === NARROW && LETTER_OR_DIGIT.test(String.fromCodePoint(cp));

/**
 * Walks the text and calls `onUnit` with the UTF-16 offset where each counted unit starts;
 * stops early when `onUnit` returns true. Returns the number of units seen.
 */
function scan(text: string, onUnit?: (offset: number, index: number) => boolean): number {
  let count = 0;
  let inRun = false;
  let prev: number | undefined;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    let c = classOf(cp);
    if (c === AMBIGUOUS) c = inRun && isRunLetter(prev) && isRunLetter(text.codePointAt(i + size)) ? NARROW : WIDE;
    if (c === SPACE) inRun = false;
    else if (c === WIDE || (c === NARROW && !inRun)) {
      inRun = c === NARROW;
      if (onUnit?.(i, count)) return count + 1;
      count++;
    }
    if (c !== ATTACH) prev = cp;
    i += size;
  }
  return count;
}

/** 字数 of a text, counted as FORMATS.md and Word count it. */
export function countChars(text: string): number {
  return scan(text);
}

/**
 * The UTF-16 offset where the first unit beyond `limit` starts (where a text over its 字数 limit
 * goes over), or null when the text is within the limit.
 */
export function offsetAfterChars(text: string, limit: number): number | null {
  let at: number | null = null;
  scan(text, (offset, index) => {
    if (index < limit) return false;
    at = offset;
    return true;
  });
  return at;
}
