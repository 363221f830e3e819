import { describe, expect, it } from 'vitest';
import { parsePacked } from './recompute';

describe('parsePacked (the recompute reads 300,000 standings as one text)', () => {
  it('gives the same numbers as Number() on each field, NaN for an empty one', () => {
    let seed = 11;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const fields: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const r = next();
      fields.push(r < 0.05 ? '' : r < 0.5 ? String(Math.floor(next() * 1e7)) : (next() * 200 - 50).toFixed(Math.floor(next() * 5)));
    }
    const rows: string[] = [];
    for (let i = 0; i < fields.length; i += 4) rows.push(fields.slice(i, i + 4).join(','));
    const got = parsePacked(rows.join(';'), 4);
    expect(got).toHaveLength(fields.length);
    fields.forEach((f, i) => expect(got[i], `field ${i} "${f}"`).toBe(f === '' ? Number.NaN : Number(f)));
  });

  it('refuses what it cannot read rather than guessing', () => {
    expect(() => parsePacked('1,2;3', 2)).toThrow('3 values for 2 rows of 2');
    expect(() => parsePacked('1,2e5', 2)).toThrow('unexpected character');
  });
});
