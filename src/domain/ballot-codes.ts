import { AppError } from './errors';
import { GRADES, type Grade } from './grades';
import { fillOrgName } from './org-names';

/**
 * Voting codes printed on slips (R-VOTE-2, R-VOTE-3). The alphabet leaves out 0/O, 1/I/L so a code can be
 * typed from the slip; the last character is a check character so a typo is told apart from an unknown code.
 * 10 random characters of 30 give about 49 bits: guessing one of 500 live codes takes ~10^12 attempts.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BODY_LENGTH = 10;
export const CODE_LENGTH = BODY_LENGTH + 1;

function checkChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (i + 1) * CODE_ALPHABET.indexOf(body[i]!);
  return CODE_ALPHABET[sum % CODE_ALPHABET.length]!;
}

/** A code from random bytes (crypto in the caller, so this stays pure and testable). */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < BODY_LENGTH) throw new Error('need 10 random bytes');
  // 256 = 8·31 + 8: rejection would be exact, but the 3% skew toward the first 8 characters costs < 0.1 bit.
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  return body + checkChar(body);
}

/** Upper-cases, drops spaces and dashes, maps look-alikes (O→0 is not in the alphabet, so O/0→… nothing). */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-_]/g, '');
}

export type CodeShape = 'ok' | 'malformed' | 'typo';

/** 'malformed': wrong length or characters; 'typo': right shape but the check character does not match. */
export function codeShape(normalized: string): CodeShape {
  if (normalized.length !== CODE_LENGTH) return 'malformed';
  for (const c of normalized) if (!CODE_ALPHABET.includes(c)) return 'malformed';
  return checkChar(normalized.slice(0, BODY_LENGTH)) === normalized[BODY_LENGTH] ? 'ok' : 'typo';
}

/** How the code is printed: groups of four, easy to read aloud. */
export const formatCode = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

/** Room code: six digits shown on the projector. */
export function roomCodeFromBytes(bytes: Uint8Array): string {
  let n = 0;
  for (let i = 0; i < 4; i++) n = n * 256 + bytes[i]!;
  return String(n % 1_000_000).padStart(6, '0');
}

/** After this many wrong room codes typed with one slip, the slip stops working (guessing the room code). */
export const MAX_ROOM_FAILURES = 10;

/**
 * The seed's form text says "XX" for the organization rated; the phone page and the paper forms show the name as the
 * seed's forms read it ("东湾村党组织书记", "无定河镇党委书记": org-names.ts), never the kind twice.
 */
export function fillForm<T extends Record<string, string>>(form: T, orgName: string): T {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, fillOrgName(v, orgName)])) as T;
}

export interface PaperCounts {
  good: number;
  fair: number;
  average: number;
  poor: number;
  invalid: number;
}

/** The counts of an entry, in the order the forms list them. */
export const PAPER_COUNT_KEYS: ReadonlyArray<keyof PaperCounts> = [...GRADES, 'invalid'];

export interface PaperEntry {
  counts: PaperCounts;
  problems: string[];
  suggestions: string[];
}

/**
 * The characters trimmed from both ends of an entered text: String.prototype.trim's set (ECMAScript WhiteSpace and
 * LineTerminator), written out as a bracket-expression body both JavaScript and PostgreSQL regular expressions read
 * alike, so the SQL recompute (evaluation/recompute.ts) matches entries by this very rule. PostgreSQL's own `\s`
 * would not do: it follows the database's locale and misses the full-width space (U+3000) in a C-locale database.
 */
export const PAPER_TEXT_TRIM_CLASS =
  '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** Leading or trailing runs of the characters above, as one pattern (flag g) for both languages. */
export const PAPER_TEXT_TRIM_PATTERN = `^[${PAPER_TEXT_TRIM_CLASS}]+|[${PAPER_TEXT_TRIM_CLASS}]+$`;
const TRIM = new RegExp(PAPER_TEXT_TRIM_PATTERN, 'g');

/**
 * How the free texts of two entries are compared (R-VOTE-4): trimmed, empties dropped, in any order (sorted: any fixed
 * order would do, since only equality is asked). The recompute's SQL states the same with PAPER_TEXT_TRIM_PATTERN.
 */
export const normalizePaperTexts = (list: string[]) =>
  list
    .map((t) => t.replace(TRIM, ''))
    .filter(Boolean)
    .sort();
const norm = normalizePaperTexts;

/** Differences between two staff members' entries of the same paper forms (R-VOTE-4); empty means matched. */
export function paperDifferences(a: PaperEntry, b: PaperEntry): string[] {
  const diffs: string[] = [];
  const labels: Record<keyof PaperCounts, string> = {
    good: '好',
    fair: '较好',
    average: '一般',
    poor: '差',
    invalid: '无效票',
  };
  for (const k of PAPER_COUNT_KEYS) {
    if (a.counts[k] !== b.counts[k]) diffs.push(`「${labels[k]}」票数不一致：${a.counts[k]} 与 ${b.counts[k]}`);
  }
  if (JSON.stringify(norm(a.problems)) !== JSON.stringify(norm(b.problems))) diffs.push('「问题和不足」录入内容不一致');
  if (JSON.stringify(norm(a.suggestions)) !== JSON.stringify(norm(b.suggestions)))
    diffs.push('「意见建议」录入内容不一致');
  return diffs;
}

export const paperTotal = (c: PaperCounts) => c.good + c.fair + c.average + c.poor + c.invalid;

/** Each form carries at most one text per field, so a tally lists no more texts than forms. */
export function checkPaperEntry(e: PaperEntry): void {
  const total = paperTotal(e.counts);
  if (norm(e.problems).length > total) {
    throw new AppError('VALIDATION', `录入的「问题和不足」条数（${norm(e.problems).length}）多于表数（${total}）`, {
      field: 'problems',
    });
  }
  if (norm(e.suggestions).length > total) {
    throw new AppError('VALIDATION', `录入的「意见建议」条数（${norm(e.suggestions).length}）多于表数（${total}）`, {
      field: 'suggestions',
    });
  }
}

export interface PaperBallot {
  reporterId: string;
  category: string;
  grade: Grade | null;
  problems?: string;
  suggestions?: string;
}

/** Expands a matched tally into one input per form for tallyBallots; text i rides on form i. */
export function paperBallots(reporterId: string, category: string, e: PaperEntry): PaperBallot[] {
  checkPaperEntry(e);
  const out: PaperBallot[] = [];
  for (const g of GRADES) for (let i = 0; i < e.counts[g]; i++) out.push({ reporterId, category, grade: g });
  for (let i = 0; i < e.counts.invalid; i++) out.push({ reporterId, category, grade: null });
  norm(e.problems).forEach((t, i) => {
    out[i]!.problems = t;
  });
  norm(e.suggestions).forEach((t, i) => {
    out[i]!.suggestions = t;
  });
  return out;
}
