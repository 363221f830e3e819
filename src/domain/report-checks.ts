/**
 * Checks on a 述职报告 before it is submitted: length (R-REP-1), the share of achievements and the
 * required sections (R-REP-2), answers to last year's open rectification items (R-REP-3, R-PREP-1)
 * and to the year's key content items (R-REP-3, R-CAMP-1), a secretary new in office (R-REP-5), and
 * near copies. The campaign decides which failures block submission; the phrase and claim checks are
 * heuristics, so they only ever advise.
 */
import { invalid } from './errors';
import { isValidShare, shareLabel, shareToFraction, type Share } from './quotas';
import { exactJaccard, findNearCopies, shingleSet, type NearCopy, type SimilarityCandidate } from './similarity';
import { splitSentences, type Span } from './text-diff';
import { countChars, offsetAfterChars } from './word-count';
import { formatDateProse } from './calendar';

export type CheckId =
  | 'length'
  | 'achievements_share'
  | 'required_sections'
  | 'key_content_items'
  | 'rectification_items'
  | 'empty_phrases'
  | 'unsupported_claims'
  | 'short_tenure'
  | 'near_copy';
export type CheckLevel = 'pass' | 'advice' | 'blocker';

/** Where in the report a finding is: `offset`/`length` are UTF-16 positions in that section's text. */
export interface Place {
  sectionKey: string;
  offset: number;
  length: number;
  excerpt: string;
}

export interface CheckResult {
  id: CheckId;
  level: CheckLevel;
  /** Shown to the reporter and the reviewer, with the numbers that decided it. */
  message: string;
  places?: Place[];
  details?: Record<string, unknown>;
}

export interface ReportSection {
  key: string;
  /** The heading as written, e.g. "二、存在问题及原因分析"; it counts towards the length. */
  title: string;
  /** Plain text, one line per paragraph / list item / table row: what every check and the 字数 read. */
  text: string;
  /** The sanitized editor HTML the text was derived from (decision 009); absent for plain-text sections. */
  html?: string;
  /** Other section keys a combined heading also covers ("存在问题及原因分析" covers causes too). */
  alsoCovers?: string[];
}

export interface SectionSpec {
  key: string;
  title: string;
  /** Other headings meaning this section; the title is always one. */
  aliases?: string[];
}

export interface KeyContentItem {
  id: string;
  title: string;
  /** When given, the item counts as answered if at least half of them appear. */
  keywords?: string[];
}

export interface RectificationItem {
  id: string;
  /** A code the report may cite, e.g. "ZG-2023-03". */
  ref?: string;
  description: string;
}

export interface ReportCheckSettings {
  /** 字数 limit for the reporter's tier; null for none. */
  charLimit: number | null;
  achievementsMaxShare: Share | null;
  requiredSections: { key: string; title: string; minChars: number }[];
  keyContentItems: KeyContentItem[];
  /** Last year's items still open (R-PREP-1), in the order the reporter sees them numbered. */
  rectificationItems: RectificationItem[];
  blockingChecks: readonly CheckId[];
  /** Jaccard index from which two reports count as near copies; default 0.5. */
  similarityThreshold?: number;
  /** Share of an item's wording that must appear together for it to count as answered; default 0.5. */
  coverageThreshold?: number;
  emptyPhrases?: readonly string[];
}

export interface CheckReportInput {
  sections: ReportSection[];
  settings: ReportCheckSettings;
  /** The same organization's report of last year. */
  previousReportText?: string;
  /** This round's other reports, by their stored signatures. */
  otherReports?: readonly SimilarityCandidate[];
  /** The secretary's first day in office and the day of the check, YYYY-MM-DD (R-REP-5). */
  tenure?: { start: string; asOf: string };
}

export const ACHIEVEMENTS = 'achievements';

/** The four parts 000 §5 asks for; the campaign's own titles are added as aliases. */
export const DEFAULT_SECTIONS: SectionSpec[] = [
  {
    key: ACHIEVEMENTS,
    title: '主要做法和成效',
    aliases: [
      '主要做法',
      '工作成效',
      '取得成效',
      '主要成绩',
      '成绩',
      '成效',
      '做法',
      '履职情况',
      '工作情况',
      '主要工作',
      '工作开展情况',
    ],
  },
  {
    key: 'problems',
    title: '存在问题',
    aliases: [
      '存在的问题',
      '存在的主要问题',
      '存在的突出问题',
      '突出问题',
      '主要问题',
      '问题和不足',
      '问题与不足',
      '问题不足',
      '差距和不足',
      '差距不足',
      '不足之处',
    ],
  },
  { key: 'causes', title: '原因剖析', aliases: ['原因分析', '问题根源', '根源剖析', '产生原因', '原因', '根源'] },
  {
    key: 'measures',
    title: '下步措施',
    aliases: [
      '下一步措施',
      '下步打算',
      '下一步打算',
      '下步工作',
      '下一步工作',
      '破解措施',
      '整改措施',
      '改进措施',
      '努力方向',
      '思路举措',
      '工作思路',
      '打算',
      '措施',
      '举措',
    ],
  },
];

/** 套话: common in reports, empty without a number or an example beside them. */
export const EMPTY_PHRASES: readonly string[] = [
  '高度重视',
  '认真贯彻',
  '认真落实',
  '切实加强',
  '全面加强',
  '进一步加强',
  '进一步提高',
  '进一步提升',
  '进一步完善',
  '不断提高',
  '不断加强',
  '不断完善',
  '不断提升',
  '扎实推进',
  '稳步推进',
  '有序推进',
  '大力推进',
  '深入推进',
  '持续推进',
  '深入开展',
  '积极探索',
  '狠抓落实',
  '常抓不懈',
  '落到实处',
  '齐抓共管',
  '形成合力',
  '取得了明显成效',
  '取得明显成效',
  '取得了显著成效',
  '取得显著成效',
  '成效明显',
  '成效显著',
  '迈上新台阶',
  '再上新台阶',
  '开创新局面',
  '有力推动',
  '有效提升',
];

// Claims of results; 002 and 004 ask for them to be backed by "具体事例和数据".
const CLAIM =
  /成效(?:明显|显著)|(?:明显|显著)的?成效|取得了?(?:较好|良好|明显|显著|积极|重大|长足)?的?(?:成效|成绩|效果|进展|突破)|(?:明显|显著|大幅|大大)(?:提升|提高|增强|改善|增加)|全面(?:完成|落实|提升)|圆满完成|全覆盖|走在前列|位居前列|广泛好评|一致好评/;
// A figure, a counted thing (三名, 两次), an example or a named document. Quoted slogans
// ("四个意识", "两个维护") are taken out first: their numbers are not data.
const CONCRETE =
  /[0-9０-９]|[零〇一二两三四五六七八九十百千万]+(?:个|名|次|项|件|户|人|家|所|场|期|篇|条|批|处|支|座|元|余|多|倍|成)|例如|比如|譬如|为例|如：|《/;
const QUOTED = /“[^”]*”/g;

const NUM = '([0-9０-９]+|[一二三四五六七八九十]+(?=[项条个：:、，,。；）)\\s]|$))';
const RECT_REF = new RegExp(`(?:整改(?:事项|问题|任务|清单)|问题清单)第?${NUM}|第${NUM}(?:项|条)整改`, 'g');
const KEY_REF = new RegExp(`重点(?:内容|任务|工作)第?${NUM}|第${NUM}(?:项|条)重点(?:内容|任务|工作)`, 'g');

// Bigrams every report is full of; they say nothing about which item a passage answers.
const STOP_BIGRAMS = new Set([
  '工作',
  '情况',
  '基层',
  '党建',
  '加强',
  '开展',
  '推进',
  '推动',
  '落实',
  '建设',
  '问题',
  '组织',
  '党组',
  '书记',
  '全面',
  '深入',
  '持续',
  '不断',
  '提高',
  '提升',
  '重点',
  '主要',
  '有关',
  '相关',
  '方面',
  '进一',
  '一步',
  '我们',
  '年度',
  '突出',
  '责任',
]);
const WINDOW = 3;

const DEFAULT_SIMILARITY = 0.5;
const DEFAULT_COVERAGE = 0.5;
const SHORT_TENURE_MONTHS = 3;

/** The text a report is compared by; stored signatures must be made from this same text. */
export const reportText = (sections: readonly ReportSection[]) =>
  sections.map((s) => (s.title ? `${s.title}\n${s.text}` : s.text)).join('\n');

// ---------------------------------------------------------------------------------------------
// Splitting an uploaded text into sections

const NUMBERINGS: { style: string; re: RegExp }[] = [
  { style: 'cn', re: /^[一二三四五六七八九十]+\s*[、.．]\s*/ },
  { style: 'paren', re: /^[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*/ },
  { style: 'part', re: /^第[一二三四五六七八九十]+部分\s*[：:、.．]?\s*/ },
  { style: 'arabic', re: /^[0-9０-９]+\s*[、.．](?![0-9])\s*/ },
];

function withDefaults(extra: readonly SectionSpec[]): SectionSpec[] {
  const merged = DEFAULT_SECTIONS.map((d) => {
    const e = extra.find((x) => x.key === d.key);
    return e ? { key: d.key, title: e.title, aliases: [d.title, ...(d.aliases ?? []), ...(e.aliases ?? [])] } : d;
  });
  return [...merged, ...extra.filter((e) => !DEFAULT_SECTIONS.some((d) => d.key === e.key))];
}

/** The keys a line names if it can be a heading (first-named first), with its numbering style. */
function headingOf(line: string, specs: readonly SectionSpec[]): { style: string; keys: string[] } | null {
  const t = line.trim();
  const length = [...t].length;
  if (length === 0 || length > 40 || /[。；;，,]$/.test(t) || /述职报告|述职材料/.test(t)) return null;
  const numbering = NUMBERINGS.find((n) => n.re.test(t));
  if (!numbering && length > 20) return null;
  const body = numbering ? t.replace(numbering.re, '') : t;
  const hits = specs
    .map((s) => ({
      key: s.key,
      at: Math.min(...[s.title, ...(s.aliases ?? [])].map((a) => body.indexOf(a)).filter((i) => i >= 0)),
    }))
    .filter((h) => Number.isFinite(h.at))
    .sort((a, b) => a.at - b.at);
  return hits.length ? { style: numbering?.style ?? 'none', keys: hits.map((h) => h.key) } : null;
}

/**
 * For each line, the section keys it starts (first-named first) if it is a section heading under the
 * rule splitIntoSections applies (the first numbering style found decides), else null. Rich-text
 * uploads use it to split blocks the same way plain text is split.
 */
export function sectionHeadings(
  lines: readonly string[],
  sectionTitles: readonly SectionSpec[] = [],
): ({ keys: string[] } | null)[] {
  const specs = withDefaults(sectionTitles);
  const headings = lines.map((l) => headingOf(l, specs));
  const style = headings.find((h) => h && h.style !== 'none')?.style ?? 'none';
  return headings.map((h) => (h && h.style === style ? { keys: h.keys } : null));
}

/**
 * Maps a plain text (a .docx after mammoth, or a paste) onto sections by its headings. Headings are
 * short lines naming a section ("一、存在的问题", "三、下步打算"); once the first numbered one is found
 * only headings numbered the same way count, so "（一）抓整改措施落实" inside a part stays text.
 * Text before the first heading becomes a "preamble" section. A later heading for a key already
 * seen continues that key's section, heading line included. `sectionTitles` (the campaign's
 * sections) add their titles and aliases to DEFAULT_SECTIONS.
 */
export function splitIntoSections(plainText: string, sectionTitles: readonly SectionSpec[] = []): ReportSection[] {
  const lines = plainText.split(/\r\n|\r|\n/);
  const headings = sectionHeadings(lines, sectionTitles);
  const preamble = { key: 'preamble', title: '', lines: [] as string[], alsoCovers: [] as string[] };
  const parts = [preamble];
  let current = preamble;
  lines.forEach((line, i) => {
    const h = headings[i];
    if (!h) return void current.lines.push(line);
    const existing = parts.find((p) => p.key === h.keys[0]);
    if (existing) {
      existing.lines.push(line.trim());
      current = existing;
    } else {
      current = { key: h.keys[0]!, title: line.trim(), lines: [], alsoCovers: h.keys.slice(1) };
      parts.push(current);
    }
  });
  return parts
    .map((p) => ({ key: p.key, title: p.title, text: p.lines.join('\n').trim(), alsoCovers: p.alsoCovers }))
    .filter((p) => p.key !== 'preamble' || p.text)
    .map(({ alsoCovers, ...s }) => (alsoCovers.length ? { ...s, alsoCovers } : s));
}

// ---------------------------------------------------------------------------------------------
// Analysis shared by the checks

interface Sentence {
  section: number;
  span: Span;
  /** Index of the first sentence of the same section: coverage windows do not cross sections. */
  sectionStart: number;
}

interface Analysis {
  sections: readonly ReportSection[];
  titleChars: number[];
  textChars: number[];
  total: number;
  sentences: Sentence[];
  /** Han bigram → the sentences it occurs in, ascending. */
  bigrams: Map<string, number[]>;
}

const isHan = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);

function hanBigrams(text: string, from = 0, to = text.length): string[] {
  const out: string[] = [];
  for (let i = from; i + 1 < to; i++) {
    if (isHan(text.charCodeAt(i)) && isHan(text.charCodeAt(i + 1))) out.push(text.slice(i, i + 2));
  }
  return out;
}

function analyze(sections: readonly ReportSection[]): Analysis {
  const titleChars = sections.map((s) => countChars(s.title));
  const textChars = sections.map((s) => countChars(s.text));
  const sentences: Sentence[] = [];
  const bigrams = new Map<string, number[]>();
  sections.forEach((s, section) => {
    const sectionStart = sentences.length;
    for (const span of splitSentences(s.text)) {
      const id = sentences.push({ section, span, sectionStart }) - 1;
      for (const bg of hanBigrams(s.text, span.start, span.end)) {
        const list = bigrams.get(bg);
        if (!list) bigrams.set(bg, [id]);
        else if (list[list.length - 1] !== id) list.push(id);
      }
    }
  });
  const total = titleChars.reduce((a, b) => a + b, 0) + textChars.reduce((a, b) => a + b, 0);
  return { sections, titleChars, textChars, total, sentences, bigrams };
}

function place(a: Analysis, section: number, start: number, end: number): Place {
  const s = a.sections[section]!;
  const slice = s.text.slice(start, end);
  return {
    sectionKey: s.key,
    offset: start,
    length: end - start,
    excerpt: slice.length > 40 ? `${slice.slice(0, 40)}…` : slice,
  };
}
const sentencePlace = (a: Analysis, i: number) =>
  place(a, a.sentences[i]!.section, a.sentences[i]!.span.start, a.sentences[i]!.span.end);

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;
const quoteList = (items: string[], max = 30) =>
  items.map((t) => `「${[...t].length > max ? `${[...t].slice(0, max).join('')}…` : t}」`).join('、');
const covers = (s: ReportSection, key: string) => s.key === key || (s.alsoCovers?.includes(key) ?? false);

// ---------------------------------------------------------------------------------------------
// The checks

type Fail = (id: CheckId) => CheckLevel;

function lengthCheck(a: Analysis, limit: number | null, fail: Fail): CheckResult {
  const details = { count: a.total, limit };
  if (limit === null) return { id: 'length', level: 'pass', message: `全文${a.total}字（未设字数上限）`, details };
  if (a.total <= limit)
    return { id: 'length', level: 'pass', message: `全文${a.total}字，未超过限制${limit}字`, details };
  let before = 0;
  let places: Place[] = [];
  for (let i = 0; i < a.sections.length; i++) {
    const here = a.titleChars[i]! + a.textChars[i]!;
    if (before + here > limit) {
      const text = a.sections[i]!.text;
      const offset = offsetAfterChars(text, Math.max(0, limit - before - a.titleChars[i]!)) ?? 0;
      places = [place(a, i, offset, text.length)];
      break;
    }
    before += here;
  }
  return { id: 'length', level: fail('length'), message: `全文${a.total}字，超过限制${limit}字`, places, details };
}

function achievementsCheck(a: Analysis, max: Share | null, fail: Fail): CheckResult | null {
  if (max === null) return null;
  const chars = a.sections.reduce(
    (sum, s, i) => (s.key === ACHIEVEMENTS ? sum + a.titleChars[i]! + a.textChars[i]! : sum),
    0,
  );
  const share = a.total ? chars / a.total : 0;
  const details = { achievementsChars: chars, totalChars: a.total, share };
  const [num, den] = shareToFraction(max);
  const head = `成绩部分${chars}字，占全文${percent(share)}`;
  if (BigInt(chars) * den <= BigInt(a.total) * num) {
    return { id: 'achievements_share', level: 'pass', message: `${head}，未超过${shareLabel(max)}`, details };
  }
  const places = a.sections.flatMap((s, i) => (s.key === ACHIEVEMENTS ? [place(a, i, 0, s.text.length)] : []));
  return {
    id: 'achievements_share',
    level: fail('achievements_share'),
    message: `${head}，超过${shareLabel(max)}`,
    places,
    details,
  };
}

function requiredSectionsCheck(
  a: Analysis,
  required: ReportCheckSettings['requiredSections'],
  fail: Fail,
): CheckResult {
  const missing: string[] = [];
  const short: string[] = [];
  const places: Place[] = [];
  for (const r of required) {
    const idx = a.sections.map((s, i) => (covers(s, r.key) ? i : -1)).filter((i) => i >= 0);
    const chars = idx.reduce((sum, i) => sum + a.textChars[i]!, 0);
    if (idx.length === 0 || chars === 0) missing.push(r.title);
    else if (chars < r.minChars) {
      short.push(`「${r.title}」部分${chars}字，少于${r.minChars}字`);
      places.push(...idx.map((i) => place(a, i, 0, a.sections[i]!.text.length)));
    }
  }
  const details = { missing, short };
  if (!missing.length && !short.length) {
    return {
      id: 'required_sections',
      level: 'pass',
      message: `必备内容齐全：${required.map((r) => r.title).join('、')}`,
      details,
    };
  }
  const message = [missing.length ? `缺少必备内容：${missing.join('、')}` : '', ...short].filter(Boolean).join('；');
  return { id: 'required_sections', level: fail('required_sections'), message, places, details };
}

interface CoverageTarget {
  id: string;
  label: string;
  text: string;
  ref?: string;
  keywords?: string[];
}

interface Answer {
  id: string;
  by: 'reference' | 'keywords' | 'text';
  place: Place;
}

/** Which targets the report cites by number or code. */
function referencedTargets(a: Analysis, targets: CoverageTarget[], pattern: RegExp): Map<string, Place> {
  const found = new Map<string, Place>();
  const byRef = new Map(targets.filter((t) => t.ref).map((t) => [t.ref!.trim().toLowerCase(), t]));
  const cn = '一二三四五六七八九';
  const toNumber = (s: string) => {
    const n = s.normalize('NFKC');
    if (/^\d+$/.test(n)) return Number(n);
    const [tens, ones] = n.includes('十') ? n.split('十') : ['', n];
    return (n.includes('十') ? (tens ? cn.indexOf(tens) + 1 : 1) * 10 : 0) + (ones ? cn.indexOf(ones) + 1 : 0);
  };
  a.sections.forEach((s, i) => {
    for (const m of s.text.matchAll(pattern)) {
      const n = toNumber(m[1] ?? m[2]!);
      const t = byRef.get(String(n)) ?? targets[n - 1];
      if (t && !found.has(t.id)) found.set(t.id, place(a, i, m.index, m.index + m[0].length));
    }
    const lower = s.text.toLowerCase();
    for (const [ref, t] of byRef) {
      // A bare number as a code would match every count in the report; those are cited by pattern.
      if (!ref || /^\d+$/.test(ref) || found.has(t.id)) continue;
      const re = new RegExp(`(?<![a-z0-9])${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9])`);
      const m = re.exec(lower);
      if (m) found.set(t.id, place(a, i, m.index, m.index + ref.length));
    }
  });
  return found;
}

/** The best run of up to WINDOW sentences by the share of the target's distinctive bigrams it holds. */
function bestWindow(a: Analysis, text: string): { score: number; from: number } | null {
  const all = [...new Set(hanBigrams(text))];
  const distinctive = all.filter((b) => !STOP_BIGRAMS.has(b));
  const wanted = distinctive.length >= 2 ? distinctive : all;
  if (!wanted.length || !a.sentences.length) return null;
  const counts = new Uint16Array(a.sentences.length);
  const stamp = new Int32Array(a.sentences.length).fill(-1);
  wanted.forEach((bg, b) => {
    for (const s of a.bigrams.get(bg) ?? []) {
      for (let w = Math.max(s - WINDOW + 1, a.sentences[s]!.sectionStart); w <= s; w++) {
        if (stamp[w] !== b) {
          stamp[w] = b;
          counts[w]!++;
        }
      }
    }
  });
  let from = 0;
  for (let w = 1; w < counts.length; w++) if (counts[w]! > counts[from]!) from = w;
  return { score: counts[from]! / wanted.length, from };
}

function windowPlace(a: Analysis, from: number): Place {
  let to = from;
  while (
    to + 1 < a.sentences.length &&
    to + 1 < from + WINDOW &&
    a.sentences[to + 1]!.section === a.sentences[from]!.section
  )
    to++;
  const first = a.sentences[from]!;
  return place(a, first.section, first.span.start, a.sentences[to]!.span.end);
}

function findAnswers(a: Analysis, targets: CoverageTarget[], pattern: RegExp, threshold: number): Answer[] {
  const cited = referencedTargets(a, targets, pattern);
  return targets.flatMap((t): Answer[] => {
    const byRef = cited.get(t.id);
    if (byRef) return [{ id: t.id, by: 'reference', place: byRef }];
    if (t.keywords?.length) {
      const hits = t.keywords.flatMap((k) => {
        const i = a.sections.findIndex((s) => s.text.includes(k));
        return i < 0 ? [] : [place(a, i, a.sections[i]!.text.indexOf(k), a.sections[i]!.text.indexOf(k) + k.length)];
      });
      return hits.length >= Math.max(1, Math.ceil(t.keywords.length / 2))
        ? [{ id: t.id, by: 'keywords', place: hits[0]! }]
        : [];
    }
    const best = bestWindow(a, t.text);
    return best && best.score >= threshold ? [{ id: t.id, by: 'text', place: windowPlace(a, best.from) }] : [];
  });
}

function coverageCheck(
  id: 'key_content_items' | 'rectification_items',
  a: Analysis,
  targets: CoverageTarget[],
  threshold: number,
  fail: Fail,
): CheckResult {
  const noun = id === 'key_content_items' ? '年度重点内容' : '上年度整改事项';
  if (!targets.length) {
    const message = id === 'key_content_items' ? '本年度未设置重点内容' : '上年度没有未完成的整改事项';
    return { id, level: 'pass', message, details: { answered: [], unanswered: [] } };
  }
  const answered = findAnswers(a, targets, id === 'key_content_items' ? KEY_REF : RECT_REF, threshold);
  const done = new Set(answered.map((x) => x.id));
  const open = targets.filter((t) => !done.has(t.id));
  const details = { answered, unanswered: open.map((t) => ({ id: t.id, title: t.label })) };
  if (!open.length) return { id, level: 'pass', message: `已回应全部${targets.length}项${noun}`, details };
  const message = `${targets.length}项${noun}中有${open.length}项未在报告中回应：${quoteList(open.map((t) => t.label))}`;
  return { id, level: fail(id), message, details };
}

function phraseChecks(a: Analysis, phrases: readonly string[]): CheckResult[] {
  const sorted = [...phrases].sort((x, y) => y.length - x.length);
  const empty = sorted.length
    ? new RegExp(sorted.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'))
    : null;
  const claims: Place[] = [];
  const emptyPlaces: Place[] = [];
  const used = new Set<string>();
  a.sentences.forEach((s, i) => {
    const text = a.sections[s.section]!.text.slice(s.span.start, s.span.end);
    if (CONCRETE.test(text.replace(QUOTED, ''))) return;
    if (a.sections[s.section]!.key === ACHIEVEMENTS && CLAIM.test(text)) return void claims.push(sentencePlace(a, i));
    const m = empty?.exec(text);
    if (m) {
      used.add(m[0]);
      emptyPlaces.push(sentencePlace(a, i));
    }
  });
  const phraseList = [...used];
  return [
    claims.length
      ? {
          id: 'unsupported_claims',
          level: 'advice',
          message: `成绩部分有${claims.length}处成效表述缺少数据或事例支撑`,
          places: claims,
          details: { count: claims.length },
        }
      : {
          id: 'unsupported_claims',
          level: 'pass',
          message: '成绩部分的成效表述均有数据或事例支撑',
          details: { count: 0 },
        },
    emptyPlaces.length
      ? {
          id: 'empty_phrases',
          level: 'advice',
          message: `有${emptyPlaces.length}句使用${quoteList(phraseList.slice(0, 3))}等套话，缺少具体数据或事例`,
          places: emptyPlaces,
          details: { count: emptyPlaces.length, phrases: phraseList },
        }
      : { id: 'empty_phrases', level: 'pass', message: '未发现缺少具体内容的套话', details: { count: 0, phrases: [] } },
  ];
}

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y! * 12 + (m! - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d!, lastDay)).padStart(2, '0')}`;
}
const cnDate = formatDateProse;

// 003: 任职时间较短（不足3个月）的书记可代表党组织述职，同时报告调研了解的党建突出问题、
// 履职尽责抓党建的认识体会和思路举措.
const ON_BEHALF_CONTENT: { label: string; re: RegExp }[] = [
  { label: '调研了解的党建突出问题', re: /调研|走访|座谈|摸排|了解到/ },
  { label: '履职尽责抓党建的认识体会', re: /体会|认识到|感受到|深刻认识/ },
  { label: '思路举措', re: /思路|举措|打算|措施/ },
];

function tenureCheck(a: Analysis, tenure: { start: string; asOf: string }, fail: Fail): CheckResult {
  const fullOn = addMonths(tenure.start, SHORT_TENURE_MONTHS);
  const onBehalf = tenure.asOf < fullOn;
  const details = { onBehalf, tenureStart: tenure.start, fullOn };
  if (!onBehalf) {
    return {
      id: 'short_tenure',
      level: 'pass',
      message: `书记${cnDate(tenure.start)}任职，已满${SHORT_TENURE_MONTHS}个月，按本人履职情况述职`,
      details,
    };
  }
  const text = reportText(a.sections);
  const missing = ON_BEHALF_CONTENT.filter((c) => !c.re.test(text)).map((c) => c.label);
  const head = `书记${cnDate(tenure.start)}任职，不足${SHORT_TENURE_MONTHS}个月，可代表党组织述职`;
  if (!missing.length) {
    return {
      id: 'short_tenure',
      level: 'pass',
      message: `${head}；已报告调研了解的突出问题、认识体会和思路举措`,
      details: { ...details, missing },
    };
  }
  return {
    id: 'short_tenure',
    level: fail('short_tenure'),
    message: `${head}，同时应报告：${missing.join('、')}`,
    details: { ...details, missing },
  };
}

function nearCopyCheck(input: CheckReportInput, threshold: number, fail: Fail): CheckResult {
  const shingles = shingleSet(reportText(input.sections));
  const previous = input.previousReportText === undefined ? null : exactJaccard(shingles, input.previousReportText);
  const matches: NearCopy[] = input.otherReports?.length ? findNearCopies(shingles, input.otherReports, threshold) : [];
  const details = { previous, matches, threshold };
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const parts: string[] = [];
  if (previous !== null && previous >= threshold) parts.push(`与本组织上年度述职报告的相似度为${pct(previous)}`);
  for (const m of matches) {
    parts.push(
      `与「${m.label ?? m.id}」的述职报告相似度${m.jaccard === null ? `约${pct(m.estimate)}` : `为${pct(m.jaccard)}`}`,
    );
  }
  if (!parts.length) {
    const vsPrevious = previous === null ? '' : `（与上年度报告相似度${pct(previous)}）`;
    return { id: 'near_copy', level: 'pass', message: `未发现照搬照抄${vsPrevious}`, details };
  }
  return {
    id: 'near_copy',
    level: fail('near_copy'),
    message: `疑似照搬照抄：${parts.join('；')}（阈值${pct(threshold)}）`,
    details,
  };
}

// ---------------------------------------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (d: string) =>
  ISO_DATE.test(d) &&
  !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
  new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
const isThreshold = (x: number | undefined) => x === undefined || (x > 0 && x <= 1);

function validate(input: CheckReportInput) {
  const { sections, settings: s } = input;
  const seen = new Set<string>();
  sections.forEach((sec, i) => {
    if (!sec.key) throw invalid(`sections.${i}.key`, `述职报告第${i + 1}部分缺少编号`);
    if (seen.has(sec.key)) throw invalid(`sections.${i}.key`, `述职报告的「${sec.title || sec.key}」部分重复`);
    seen.add(sec.key);
  });
  if (s.charLimit !== null && !(Number.isInteger(s.charLimit) && s.charLimit > 0)) {
    throw invalid('charLimit', '字数上限应为正整数，或不设上限');
  }
  if (s.achievementsMaxShare !== null && !isValidShare(s.achievementsMaxShare)) {
    throw invalid('achievementsMaxShare', '成绩篇幅比例应在0到1之间');
  }
  s.requiredSections.forEach((r, i) => {
    if (!(Number.isInteger(r.minChars) && r.minChars >= 0)) {
      throw invalid(`requiredSections.${i}.minChars`, `必备内容「${r.title}」的最少字数应为非负整数`);
    }
  });
  s.rectificationItems.forEach((r, i) => {
    if (!r.description.trim() && !r.ref?.trim())
      throw invalid(`rectificationItems.${i}.description`, `第${i + 1}项整改事项缺少问题描述`);
  });
  if (!isThreshold(s.similarityThreshold)) throw invalid('similarityThreshold', '相似度阈值应大于0且不超过1');
  if (!isThreshold(s.coverageThreshold)) throw invalid('coverageThreshold', '回应匹配阈值应大于0且不超过1');
  if (input.tenure && !isDate(input.tenure.start)) throw invalid('tenure.start', '书记任职日期格式应为YYYY-MM-DD');
  if (input.tenure && !isDate(input.tenure.asOf)) throw invalid('tenure.asOf', '检查日期格式应为YYYY-MM-DD');
}

/** Runs every check on a report; throws AppError (naming the field in Chinese) on bad settings. */
export function checkReport(input: CheckReportInput): CheckResult[] {
  validate(input);
  const { settings } = input;
  const fail: Fail = (id) => (settings.blockingChecks.includes(id) ? 'blocker' : 'advice');
  const a = analyze(input.sections);
  const coverage = settings.coverageThreshold ?? DEFAULT_COVERAGE;
  const keyTargets = settings.keyContentItems.map((k) => ({
    id: k.id,
    label: k.title,
    text: k.title,
    keywords: k.keywords,
  }));
  const rectTargets = settings.rectificationItems.map((r) => ({
    id: r.id,
    label: r.ref ? `${r.ref} ${r.description}`.trim() : r.description,
    text: r.description,
    ref: r.ref,
  }));
  const results = [
    lengthCheck(a, settings.charLimit, fail),
    achievementsCheck(a, settings.achievementsMaxShare, fail),
    requiredSectionsCheck(a, settings.requiredSections, fail),
    coverageCheck('key_content_items', a, keyTargets, coverage, fail),
    coverageCheck('rectification_items', a, rectTargets, coverage, fail),
    ...phraseChecks(a, settings.emptyPhrases ?? EMPTY_PHRASES),
    input.tenure ? tenureCheck(a, input.tenure, fail) : null,
    input.previousReportText !== undefined || input.otherReports?.length
      ? nearCopyCheck(input, settings.similarityThreshold ?? DEFAULT_SIMILARITY, fail)
      : null,
  ];
  return results.filter((r): r is CheckResult => r !== null);
}
