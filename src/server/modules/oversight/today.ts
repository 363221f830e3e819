/** Deadlines are calendar dates in Asia/Shanghai (the app clock in UTC would flip the day at 16:00). */
const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
export const shanghaiToday = (now: Date): string => fmt.format(now);
