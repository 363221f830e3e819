/**
 * The agenda of a 述职评议会 (R-MEET-1, 004 §三.4): reports one by one → questions → comments →
 * rating → guidance → summary. The speaker order and who reports in writing only (R-MEET-4) are
 * decided here, before anything touches the database.
 */
import { AppError } from './errors';

export const MEETING_STEPS = [
  { key: 'reports', label: '书记逐一述职' },
  { key: 'questions', label: '现场提问' },
  { key: 'comments', label: '逐一点评' },
  { key: 'rating', label: '评议测评' },
  { key: 'guidance', label: '上级组织部门讲话' },
  { key: 'summary', label: '总结讲话' },
] as const;
export type MeetingStep = (typeof MEETING_STEPS)[number]['key'];
export const MEETING_STEP_KEYS = MEETING_STEPS.map((s) => s.key) as [MeetingStep, ...MeetingStep[]];
export const stepLabel = (key: string | null | undefined) => MEETING_STEPS.find((s) => s.key === key)?.label ?? '会前准备';

export const MEETING_STATES = [
  { key: 'preparing', label: '筹备中' },
  { key: 'in_progress', label: '进行中' },
  { key: 'closed', label: '已结束' },
] as const;
export type MeetingState = (typeof MEETING_STATES)[number]['key'];
export const meetingStateLabel = (key: string) => MEETING_STATES.find((s) => s.key === key)?.label ?? key;

export const COMMENT_KINDS = [
  { key: 'comment', label: '点评' },
  { key: 'question', label: '提问' },
  { key: 'answer', label: '回答' },
] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number]['key'];
export const COMMENT_KIND_KEYS = COMMENT_KINDS.map((k) => k.key) as [CommentKind, ...CommentKind[]];
export const commentKindLabel = (key: string) => COMMENT_KINDS.find((k) => k.key === key)?.label ?? key;

/** What the agenda needs to know of a campaign reporter. */
export interface AgendaReporter {
  id: number;
  role: string;
  tierKey: string;
  /** The campaign's own decision (campaign_reporters.written_only). */
  writtenOnly: boolean;
  /** Tree order of the reporter's organization (code), so the default order is the roster's. */
  sortKey: string;
}

export interface AgendaTier {
  key: string;
  speakingMinutes: number | null;
  writtenOnlyAllowed: boolean;
}

export interface AgendaEntry {
  reporterId: number;
  writtenOnly: boolean;
}

export interface PlannedItem {
  reporterId: number;
  position: number;
  writtenOnly: boolean;
  /** null for written-only reporters: they do not speak (R-MEET-4). */
  speakingMinutes: number | null;
}

const bad = (code: string, message: string, field = 'items') => new AppError(code, message, 400, { field });

/**
 * Default speaker order: the upward reporters in roster order, then the organizer's own 下评 report
 * (R-CAMP-4), which 003 holds after the lower-level secretaries have spoken. Written-only reporters
 * keep the campaign's decision.
 */
export function defaultAgenda(reporters: readonly AgendaReporter[]): AgendaEntry[] {
  const byRoster = [...reporters].sort((a, b) => a.sortKey.localeCompare(b.sortKey) || a.id - b.id);
  return [
    ...byRoster.filter((r) => r.role !== 'downward'),
    ...byRoster.filter((r) => r.role === 'downward'),
  ].map((r) => ({ reporterId: r.id, writtenOnly: r.writtenOnly }));
}

/**
 * Checks a requested speaker order and fixes each item's speaking minutes from its tier (R-REP-8).
 * Every reporter appears at most once, belongs to the campaign, and reports in writing only where
 * its tier allows it (R-MEET-4).
 */
export function planAgenda(
  entries: readonly AgendaEntry[],
  reporters: readonly (AgendaReporter & { label: string })[],
  tiers: readonly AgendaTier[],
): PlannedItem[] {
  const byId = new Map(reporters.map((r) => [r.id, r]));
  const seen = new Set<number>();
  return entries.map((e, i) => {
    const r = byId.get(e.reporterId);
    if (!r) throw bad('AGENDA_UNKNOWN_REPORTER', `第${i + 1}项不是本次述职评议考核的述职对象`);
    if (seen.has(e.reporterId)) throw bad('AGENDA_DUPLICATE', `「${r.label}」在议程中重复出现`);
    seen.add(e.reporterId);
    const tier = tiers.find((t) => t.key === r.tierKey);
    if (!tier) throw bad('AGENDA_NO_TIER', `「${r.label}」的述职对象类别不存在，无法确定发言时间`);
    if (e.writtenOnly && !tier.writtenOnlyAllowed) {
      throw bad('WRITTEN_ONLY_NOT_ALLOWED', `「${r.label}」所属类别须现场述职，不能书面述职`);
    }
    return {
      reporterId: e.reporterId,
      position: i + 1,
      writtenOnly: e.writtenOnly,
      speakingMinutes: e.writtenOnly ? null : tier.speakingMinutes,
    };
  });
}

/** Moves one item up or down by one place; the ends stay where they are. */
export function moveItem<T>(items: readonly T[], index: number, direction: -1 | 1): T[] {
  const target = index + direction;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const out = [...items];
  [out[index], out[target]] = [out[target], out[index]];
  return out;
}

/** The speakers in order: written-only reporters are skipped on the projector (R-MEET-4). */
export function speakers<T extends { writtenOnly: boolean; position: number }>(items: readonly T[]): T[] {
  return [...items].filter((i) => !i.writtenOnly).sort((a, b) => a.position - b.position);
}

/** The speaker after `currentId`, or the first speaker when nobody has spoken yet; null at the end. */
export function nextSpeaker<T extends { id: number; writtenOnly: boolean; position: number }>(
  items: readonly T[],
  currentId: number | null,
): T | null {
  const list = speakers(items);
  if (currentId == null) return list[0] ?? null;
  const at = list.findIndex((i) => i.id === currentId);
  return at < 0 ? (list[0] ?? null) : (list[at + 1] ?? null);
}
