/**
 * Field-assessment checklists (考核细则, R-ASSESS-1/2): item validation, totals, which checklist a
 * reporter is scored against, score validation and the completion check. Pure: the server module
 * and the phone page both use these so the page can refuse what the server would refuse.
 */
import { AppError } from './errors';

/** R-ASSESS-2: what is seen on site comes first, paperwork last (000 §6). */
export const METHODS = [
  { code: 'site', label: '看现场' },
  { code: 'interview', label: '访群众' },
  { code: 'documents', label: '查资料' },
] as const;
export type Method = (typeof METHODS)[number]['code'];
export const METHOD_CODES = METHODS.map((m) => m.code) as [Method, ...Method[]];
export const methodLabel = (code: string) => METHODS.find((m) => m.code === code)?.label ?? code;

/** Largest points one item may carry; a checklist is usually out of 100. */
export const MAX_ITEM_POINTS = 100;

const fail = (field: string, message: string) => new AppError('VALIDATION', message, { field });

/** Points are kept to two decimals (numeric(7,2)); more would be silently rounded by the database. */
const twoDecimals = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;

export interface ItemInput {
  section: string;
  title: string;
  maxPoints: number;
  guidance?: string;
  method: string;
}

export function validateItem(item: ItemInput): void {
  if (!item.section?.trim()) throw fail('section', '请填写考核项目所属部分');
  if (!item.title?.trim()) throw fail('title', '请填写考核内容');
  if (!Number.isFinite(item.maxPoints) || item.maxPoints <= 0) throw fail('maxPoints', '分值必须大于0');
  if (item.maxPoints > MAX_ITEM_POINTS) throw fail('maxPoints', `分值不能超过${MAX_ITEM_POINTS}分`);
  if (!twoDecimals(item.maxPoints)) throw fail('maxPoints', '分值最多保留两位小数');
  if (!METHOD_CODES.includes(item.method as Method)) throw fail('method', '考核方式只能是看现场、查资料或访群众');
}

/** Sum in hundredths so 0.1 + 0.2 shows as 0.3. */
export function totalPoints(values: readonly number[]): number {
  return values.reduce((s, v) => s + Math.round(v * 100), 0) / 100;
}

export interface SectionTotal {
  section: string;
  items: number;
  points: number;
}

/** Sections in the order their first item appears, with their item count and points. */
export function sectionTotals(items: readonly { section: string; maxPoints: number }[]): SectionTotal[] {
  const out = new Map<string, number[]>();
  for (const it of items) out.set(it.section, [...(out.get(it.section) ?? []), it.maxPoints]);
  return [...out].map(([section, pts]) => ({ section, items: pts.length, points: totalPoints(pts) }));
}

/** `appliesTo` of a checklist: empty lists (or none) match every reporter. */
export interface AppliesTo {
  tierKeys?: string[];
  sectors?: string[];
}

export function appliesToReporter(
  appliesTo: AppliesTo | null | undefined,
  reporter: { tierKey: string; sector: string },
): boolean {
  const a = appliesTo ?? {};
  if (a.tierKeys?.length && !a.tierKeys.includes(reporter.tierKey)) return false;
  if (a.sectors?.length && !a.sectors.includes(reporter.sector)) return false;
  return true;
}

/** The first checklist (by position, then id) that applies; one reporter is scored against one checklist. */
export function applicableChecklist<C extends { id: number; position: number; appliesTo: AppliesTo | null }>(
  checklists: readonly C[],
  reporter: { tierKey: string; sector: string },
): C | null {
  const sorted = [...checklists].sort((a, b) => a.position - b.position || a.id - b.id);
  return sorted.find((c) => appliesToReporter(c.appliesTo, reporter)) ?? null;
}

export interface ScoreInput {
  score: number;
  failed: boolean;
  note?: string | null;
}

/** R-ASSESS-1: 0..max, and a failed item says why (the note feeds rectification). */
export function validateScore(input: ScoreInput, item: { title: string; maxPoints: number }): void {
  if (!Number.isFinite(input.score) || input.score < 0) throw fail('score', `「${item.title}」的得分不能小于0`);
  if (input.score > item.maxPoints) {
    throw new AppError('SCORE_ABOVE_MAX', `「${item.title}」的得分${input.score}超过该项分值${item.maxPoints}分`, {
      field: 'score',
      maxPoints: item.maxPoints,
    });
  }
  if (!twoDecimals(input.score)) throw fail('score', '得分最多保留两位小数');
  if (input.failed && !input.note?.trim()) {
    throw new AppError('NOTE_REQUIRED', `「${item.title}」判定为不合格，须填写问题说明`, { field: 'note' });
  }
}

/** Items of the checklist not yet scored, in checklist order. */
export function missingItems<I extends { id: number }>(items: readonly I[], scoredItemIds: Iterable<number>): I[] {
  const scored = new Set(scoredItemIds);
  return items.filter((i) => !scored.has(i.id));
}

/** The agreed field component: 100 × Σ score / Σ max over the scored items (null when nothing is scored). */
export function fieldPercent(scores: readonly { score: number; maxPoints: number }[]): number | null {
  const max = totalPoints(scores.map((s) => s.maxPoints));
  if (max <= 0) return null;
  return Math.round((10000 * totalPoints(scores.map((s) => s.score))) / max) / 100;
}
