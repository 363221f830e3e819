import dayjs from 'dayjs';
import { formatDateProse as proseOfDay, shanghaiDate, TIME_ZONE } from '../../domain/calendar';

/**
 * The web's one date formatter (issue 16): tables show 2026-01-05 (and 2026-01-05 14:03:05 for instants), prose
 * says 2026年1月5日 (and 2026年1月5日 14:03) — always the Beijing calendar, whatever the browser's time zone.
 */
export { TIME_ZONE };

const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** An ISO instant shown as Beijing time, e.g. 2025-01-20 14:03:05. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}:${parts.second}`;
}

const isInstant = (v: string) => v.length > 10;

/** A calendar date or an instant, for a table cell: 2026-01-05 (an instant's Beijing day). */
export function formatDate(v: string | null | undefined): string {
  if (!v) return '';
  if (!isInstant(v)) return v;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : shanghaiDate(d);
}

/** A calendar date or an instant, in a sentence: 2026年1月5日 (an instant's Beijing day). */
export function formatDateProse(v: string | null | undefined): string {
  return v ? proseOfDay(formatDate(v)) : '';
}

/** An instant in a sentence: 2026年1月5日 14:03 (Beijing time). */
export function formatDateTimeProse(iso: string | null | undefined): string {
  const full = formatDateTime(iso);
  return full.length > 10 ? `${proseOfDay(full.slice(0, 10))} ${full.slice(11, 16)}` : full;
}

/** Today's calendar date in Beijing (YYYY-MM-DD), whatever the browser's own time zone. */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDate(now);
}

/** R-REP-5: a secretary in office for less than 3 months (counted in calendar months). */
export function isShortTenure(tenureStart: string, today: string = todayInShanghai()): boolean {
  const start = dayjs(tenureStart, 'YYYY-MM-DD');
  if (!start.isValid()) return false;
  return start.add(3, 'month').format('YYYY-MM-DD') > today;
}

/** Start and end of Beijing calendar days as ISO instants with the +08:00 offset the API accepts. */
export const shanghaiDayStart = (date: string) => `${date}T00:00:00+08:00`;
export const shanghaiDayEnd = (date: string) => `${date}T23:59:59.999+08:00`;
