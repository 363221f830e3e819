/**
 * The agenda of a 述职评议会 (R-MEET-1, 004 §三.4): reports one by one → questions → comments →
 * rating → guidance → summary. The speaker order and who reports in writing only (R-MEET-4) are
 * decided here, before anything touches the database.
 */
import { AppError } from './errors';
import type { ErrorCode } from './error-codes';

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
export const stepLabel = (key: string | null | undefined) =>
  MEETING_STEPS.find((s) => s.key === key)?.label ?? '会前准备';

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

const bad = (code: ErrorCode, message: string, field = 'items') => new AppError(code, message, { field });

/**
 * Default speaker order: the upward reporters in roster order, then the organizer's own 下评 report
 * (R-CAMP-4), which 003 holds after the lower-level secretaries have spoken. Written-only reporters
 * keep the campaign's decision.
 */
export function defaultAgenda(reporters: readonly AgendaReporter[]): AgendaEntry[] {
  const byRoster = [...reporters].sort((a, b) => a.sortKey.localeCompare(b.sortKey) || a.id - b.id);
  return [...byRoster.filter((r) => r.role !== 'downward'), ...byRoster.filter((r) => r.role === 'downward')].map(
    (r) => ({ reporterId: r.id, writtenOnly: r.writtenOnly }),
  );
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
  [out[index], out[target]] = [out[target]!, out[index]!];
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

/** 一述一评 (003) or 集中点评 (004): the order the console walks through (campaign-settings.ts COMMENT_MODES). */
export type CommentMode = 'one_by_one' | 'collective';

/** One stop of the console: an agenda step, and for 述职 and 点评 the agenda item it is about. */
export interface FlowPosition {
  step: MeetingStep;
  itemId: number | null;
}

const PER_ITEM: readonly MeetingStep[] = ['reports', 'comments'];

/**
 * Every stop of the meeting in order (R-MEET-1). 一述一评: each speaker's 述职 followed by its 点评, then rating,
 * guidance, summary. 集中点评: every 述职, the questions, then the 点评 one after another, then the same closing
 * steps. Written-only reporters do not speak and are not stopped at (R-MEET-4).
 */
export function agendaFlow<T extends { id: number; writtenOnly: boolean; position: number }>(
  mode: CommentMode,
  items: readonly T[],
): FlowPosition[] {
  const list = speakers(items);
  const closing: FlowPosition[] = (['rating', 'guidance', 'summary'] as const).map((step) => ({ step, itemId: null }));
  if (mode === 'one_by_one') {
    return [
      ...list.flatMap((i): FlowPosition[] => [
        { step: 'reports', itemId: i.id },
        { step: 'comments', itemId: i.id },
      ]),
      ...closing,
    ];
  }
  return [
    ...list.map((i): FlowPosition => ({ step: 'reports', itemId: i.id })),
    { step: 'questions', itemId: null },
    ...list.map((i): FlowPosition => ({ step: 'comments', itemId: i.id })),
    ...closing,
  ];
}

/**
 * The stop after `current` (null before the meeting opens → the first stop); null at the end. A position the flow
 * does not hold (a step chosen by hand, say 现场提问 during 一述一评) goes on to the next stop about the same speaker,
 * else the first stop of that step, else the first stop of a later step.
 */
export function nextInFlow<T extends { id: number; writtenOnly: boolean; position: number }>(
  mode: CommentMode,
  items: readonly T[],
  current: { step: string | null; itemId: number | null },
): FlowPosition | null {
  const flow = agendaFlow(mode, items);
  if (current.step == null) return flow[0] ?? null;
  const at = flow.findIndex(
    (p) => p.step === current.step && (!PER_ITEM.includes(p.step) || p.itemId === current.itemId),
  );
  if (at >= 0) return flow[at + 1] ?? null;
  const order = (step: string) => MEETING_STEP_KEYS.indexOf(step as MeetingStep);
  return (
    (current.itemId != null
      ? flow.find((p) => p.itemId === current.itemId && order(p.step) > order(current.step!))
      : undefined) ??
    flow.find((p) => p.step === current.step) ??
    flow.find((p) => order(p.step) > order(current.step!)) ??
    null
  );
}

/** What the projector and the 下一项 button say: "述职：东湾村党支部", "点评：东湾村党支部", "评议测评". */
export function flowLabel(
  p: { step: string | null; itemId: number | null },
  nameOf: (itemId: number) => string | undefined,
): string {
  if (p.step == null) return stepLabel(null);
  const name = p.itemId == null ? undefined : nameOf(p.itemId);
  if (p.step === 'reports' && name) return `述职：${name}`;
  if (p.step === 'comments' && name) return `点评：${name}`;
  return stepLabel(p.step);
}

/** The agenda lines of the 会议记录, in the meeting's order. */
export function agendaLines(mode: CommentMode): string[] {
  return mode === 'one_by_one'
    ? [
        '书记逐一述职，每位书记述职后由主持会议的党委书记当场点评（一述一评）',
        '评议测评',
        '上级组织部门讲话',
        '总结讲话',
      ]
    : MEETING_STEPS.map((s) => s.label);
}
