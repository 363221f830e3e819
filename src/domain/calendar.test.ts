import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, formatDateProse, shanghaiDate } from './calendar';

describe('shanghaiDate: "today" is the Beijing calendar day', () => {
  it('at 17:00Z it is already the next day in Beijing (01:00)', () => {
    expect(shanghaiDate(new Date('2025-12-01T17:00:00Z'))).toBe('2025-12-02');
  });
  it('at 23:30Z it is 07:30 of the next day in Beijing, the last half hour the UTC date is a day behind', () => {
    expect(shanghaiDate(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
  });
  it('at 15:59Z it is still the same day in Beijing (23:59)', () => {
    expect(shanghaiDate(new Date('2025-12-01T15:59:59Z'))).toBe('2025-12-01');
  });
  it('does not depend on the process time zone', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(shanghaiDate(new Date('2026-02-28T17:00:00Z'))).toBe('2026-03-01');
    } finally {
      process.env.TZ = tz;
    }
  });
});

describe('calendar arithmetic', () => {
  it('adds days across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2025-12-30', '2026-01-02')).toBe(3);
    expect(daysBetween('2026-01-02', '2025-12-30')).toBe(-3);
  });
});

describe('formatDateProse: one written form', () => {
  it('writes 2026年1月5日 without leading zeros', () => {
    expect(formatDateProse('2026-01-05')).toBe('2026年1月5日');
    expect(formatDateProse('2025-12-25T00:00:00.000Z')).toBe('2025年12月25日');
    expect(formatDateProse(null)).toBe('');
  });
});
