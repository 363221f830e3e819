import { describe, expect, it } from 'vitest';
import {
  formatClock,
  IDLE_TIMER,
  pauseTimer,
  resetTimer,
  selectSpeaker,
  startTimer,
  timerView,
  type TimerState,
} from './meeting-timer';

const t0 = new Date('2025-12-20T01:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

describe('R-REP-8 speech timer', () => {
  it('counts down from the tier minutes while running and turns to overrun past zero', () => {
    const s = startTimer(selectSpeaker(7), t0);
    expect(timerView(s, at(0), 8)).toEqual({ elapsedMs: 0, remainingMs: 480_000, overrun: false });
    expect(timerView(s, at(479), 8).overrun).toBe(false);
    expect(timerView(s, at(480), 8)).toEqual({ elapsedMs: 480_000, remainingMs: 0, overrun: false });
    expect(timerView(s, at(481), 5)).toEqual({ elapsedMs: 481_000, remainingMs: -181_000, overrun: true });
  });

  it('a pause freezes the time; resuming continues from where it stopped', () => {
    let s: TimerState = startTimer(selectSpeaker(1), t0);
    s = pauseTimer(s, at(60));
    expect(s).toMatchObject({ status: 'paused', elapsedMs: 60_000, startedAt: null });
    expect(timerView(s, at(600), 5).remainingMs).toBe(240_000);
    s = startTimer(s, at(600));
    expect(timerView(s, at(630), 5).remainingMs).toBe(210_000);
  });

  it('starting twice or pausing a stopped timer changes nothing', () => {
    const s = startTimer(selectSpeaker(1), t0);
    expect(startTimer(s, at(30))).toBe(s);
    const idle = selectSpeaker(1);
    expect(pauseTimer(idle, at(30))).toBe(idle);
  });

  it('cannot start without a speaker', () => {
    expect(() => startTimer(IDLE_TIMER, t0)).toThrow('请先选择发言人');
  });

  it('a new speaker or a reset starts from zero, not running', () => {
    const s = startTimer(selectSpeaker(1), t0);
    expect(selectSpeaker(2)).toEqual({ itemId: 2, status: 'idle', startedAt: null, elapsedMs: 0 });
    expect(resetTimer(pauseTimer(s, at(90)))).toEqual({ itemId: 1, status: 'idle', startedAt: null, elapsedMs: 0 });
  });

  it('no limit for a tier without speaking minutes', () => {
    expect(timerView(startTimer(selectSpeaker(1), t0), at(1000), null)).toEqual({
      elapsedMs: 1_000_000,
      remainingMs: null,
      overrun: false,
    });
  });

  it('a clock in the past (skewed screen) never shows negative elapsed time', () => {
    expect(timerView(startTimer(selectSpeaker(1), t0), at(-5), 5).elapsedMs).toBe(0);
  });

  it.each([
    [480_000, '8:00'],
    [479_001, '8:00'],
    [479_000, '7:59'],
    [1, '0:01'],
    [0, '0:00'],
    [-1, '-0:01'],
    [-61_000, '-1:01'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatClock(ms)).toBe(text);
  });
});
