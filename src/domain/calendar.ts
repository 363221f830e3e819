/**
 * Calendar dates as people in the rounds read them: every "today", deadline and phase date is a day in Beijing
 * (Asia/Shanghai), while the app clock and stored instants are UTC. Taking the UTC date instead would stamp work done
 * between 00:00 and 08:00 Beijing time on the day before. One helper for the server and the web.
 */
export const TIME_ZONE = 'Asia/Shanghai';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Beijing calendar date (YYYY-MM-DD) of an instant; "today" is shanghaiDate(clock.now()). */
export function shanghaiDate(at: Date): string {
  return dayFormat.format(at);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Calendar arithmetic on YYYY-MM-DD dates; done in UTC so no local offset can shift the day. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The one written form of a date in Chinese prose and documents: 2026年1月5日. Anything else comes back as given. */
export function formatDateProse(date: string | null | undefined): string {
  if (!date) return '';
  const m = ISO_DATE.exec(date.slice(0, 10));
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : date;
}
