/**
 * The speech timer on the projector (R-REP-8). Its state is stored with the meeting so a reload or a
 * second screen shows the same time: the accumulated milliseconds of earlier running spans plus,
 * while running, the span since `startedAt`. Screens compute the rest from the server's clock.
 */
import { AppError } from './errors';

export type TimerStatus = 'idle' | 'running' | 'paused';

export interface TimerState {
  /** The agenda item speaking now (null before the first speaker). */
  itemId: number | null;
  status: TimerStatus;
  startedAt: Date | null;
  elapsedMs: number;
}

export const IDLE_TIMER: TimerState = { itemId: null, status: 'idle', startedAt: null, elapsedMs: 0 };

export interface TimerView {
  elapsedMs: number;
  /** Negative once the speaker runs over; null where the tier sets no limit. */
  remainingMs: number | null;
  overrun: boolean;
}

export function elapsed(state: TimerState, now: Date): number {
  const running =
    state.status === 'running' && state.startedAt ? Math.max(0, now.getTime() - state.startedAt.getTime()) : 0;
  return state.elapsedMs + running;
}

export function timerView(state: TimerState, now: Date, minutes: number | null): TimerView {
  const e = elapsed(state, now);
  if (minutes == null) return { elapsedMs: e, remainingMs: null, overrun: false };
  const remainingMs = minutes * 60_000 - e;
  return { elapsedMs: e, remainingMs, overrun: remainingMs < 0 };
}

const noSpeaker = () => new AppError('NO_SPEAKER');

export function startTimer(state: TimerState, now: Date): TimerState {
  if (state.itemId == null) throw noSpeaker();
  if (state.status === 'running') return state;
  return { ...state, status: 'running', startedAt: now };
}

export function pauseTimer(state: TimerState, now: Date): TimerState {
  if (state.status !== 'running') return state;
  return { ...state, status: 'paused', startedAt: null, elapsedMs: elapsed(state, now) };
}

export function resetTimer(state: TimerState): TimerState {
  return { ...state, status: 'idle', startedAt: null, elapsedMs: 0 };
}

/** A new speaker starts from zero, not yet running: the chair starts the clock when they begin. */
export function selectSpeaker(itemId: number | null): TimerState {
  return { itemId, status: 'idle', startedAt: null, elapsedMs: 0 };
}

/**
 * "m:ss", rounded up (a countdown reads 8:00 at the start and 0:01 until time is up), with a leading
 * minus once over time; what the projector shows.
 */
export function formatClock(ms: number): string {
  const s = Math.ceil(Math.abs(ms) / 1000);
  return `${ms < 0 && s > 0 ? '-' : ''}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
