/** Counts in messages read 11,234,567 (the locale of the server must not decide it). */
const THOUSANDS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
export const thousands = (n: number) => THOUSANDS.format(n);
