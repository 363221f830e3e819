import { NO_PROBLEM_FILLER, NO_PROBLEM_PATTERN, PARTY_TERMS, STOP_WORDS, TAG_RULES } from './lexicon';

/** A segmenter: the server passes jieba with the party-building dictionary; the fallback cuts into characters. */
export type Segment = (text: string) => string[];

const PUNCT = /[^\p{L}\p{N}]+/gu;

/** Width, case and spacing do not count: "三会一课 不规范！" and "三会一课不规范!" are one text. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The comment's letters and digits only: the key of exact copies. */
export function copyKey(text: string): string {
  return normalize(text).replace(PUNCT, '');
}

/** "无", "没有意见", "继续保持", "总体满意，继续保持" — a comment that names no specific problem. */
export function isNoProblem(text: string): boolean {
  const key = copyKey(text);
  if (key === '') return true;
  if (NO_PROBLEM_PATTERN.test(key)) return true;
  // "书记工作很认真，群众满意，希望继续保持" — only praise and filler left once these are dropped.
  const rest = key
    .replace(NO_PROBLEM_FILLER, '')
    .replace(
      /(?:工作|认真|扎实|负责|务实|尽职|尽责|踏实|肯干|热情|辛苦|到位|努力|团结|有力|有效|有方|突出|明显|成效|群众|大家|都|支持|拥护|赞成|同意|没意见|没有意见|无意见|意见|建议|问题|无|没有|没)/g,
      '',
    );
  return rest.length === 0 && key.length <= 40;
}

/** Words of a comment that can tell one theme from another: no stop words, no single characters, no punctuation. */
export function contentWords(text: string, segment: Segment): string[] {
  return segment(normalize(text)).filter(
    (w) => w.length >= 2 && !STOP_WORDS.has(w) && /[\p{L}\p{N}]/u.test(w) && !/^\d+$/.test(w),
  );
}

/** Keyword tags of one comment (multi-label), in the order of TAG_RULES. */
export function keywordTags(text: string): string[] {
  const s = normalize(text);
  return TAG_RULES.filter((r) => r.words.some((w) => s.includes(w))).map((r) => r.tag);
}

const pairs = (run: string, out: string[]) => {
  if (run.length <= 2) {
    if (run) out.push(run);
    return;
  }
  for (let i = 0; i + 2 <= run.length; i++) out.push(run.slice(i, i + 2));
};

const LEXICON = new Set([...PARTY_TERMS, ...TAG_RULES.flatMap((r) => r.words)].filter((w) => w.length >= 2));
const LONGEST = Math.max(...[...LEXICON].map((w) => w.length));

/**
 * Fallback segmentation without jieba (pure, for tests and for a platform without the native module): the longest
 * lexicon word at each position, and overlapping character pairs for the text in between.
 */
export const bigramSegment: Segment = (text) => {
  const out: string[] = [];
  for (const run of text.split(PUNCT)) {
    let gap = '';
    for (let i = 0; i < run.length; ) {
      let hit = '';
      for (let len = Math.min(LONGEST, run.length - i); len >= 2 && !hit; len--)
        if (LEXICON.has(run.slice(i, i + len))) hit = run.slice(i, i + len);
      if (hit) {
        pairs(gap, out);
        gap = '';
        out.push(hit);
        i += hit.length;
      } else gap += run[i++];
    }
    pairs(gap, out);
  }
  return out;
};
