/** Deadlines are calendar dates in Asia/Shanghai; the clock runs in UTC. */
const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
export const shanghaiDate = (d: Date): string => fmt.format(d);
