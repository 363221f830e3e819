import { describe, expect, it } from 'vitest';
import { hash53, hashNumbers, idIndex, parsePacked } from './recompute';

describe('parsePacked (the recompute reads 300,000 standings as one text)', () => {
  it('gives the same numbers as Number() on each field, NaN for an empty one', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const fields: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const r = next();
      fields.push(
        r < 0.05
          ? ''
          : r < 0.5
            ? String(Math.floor(next() * 1e7))
            : (next() * 200 - 50).toFixed(Math.floor(next() * 5)),
      );
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

describe('idIndex (the recompute finds 300,000 reporters by id)', () => {
  it('finds every id and nothing else, with consecutive ids (array) and spread ones (Map)', () => {
    for (const ids of [
      [7, 5, 6, 9, 8],
      [1, 1_000_000, 42, 3],
      [5_000_000, 5_000_001],
    ]) {
      const at = idIndex(Float64Array.from(ids));
      ids.forEach((id, i) => expect(at(id)).toBe(i));
      for (const other of [0, 4, 10, 2, 999_999, 4_999_999, 5_000_002, Number.NaN])
        if (!ids.includes(other)) expect(at(other)).toBeUndefined();
    }
    expect(idIndex(new Float64Array(0))(1)).toBeUndefined();
  });
});

describe('hash53 and hashNumbers (the fingerprint of a result row)', () => {
  it('is the published cyrb53 on strings and tells rows apart by any one value, null (NaN) from 0 included', () => {
    // The values published with cyrb53 (github.com/bryc/code, jshash/experimental/cyrb53.js).
    expect(['a', 'b', 'revenge', 'revenue'].map((x) => hash53(x))).toEqual([
      7929297801672961, 8684336938537663, 4051478007546757, 8309097637345594,
    ]);
    const row = (values: number[]) => hashNumbers(values);
    const base = [92.35, 88, Number.NaN, 60, 0, 85.12, 3, 1, 20, 8, 2, 0, 0, 0.0667, 123456789];
    const h = row(base);
    expect(Number.isSafeInteger(h)).toBe(true);
    expect(row(base)).toBe(h);
    for (let i = 0; i < base.length; i++) {
      const changed = [...base];
      changed[i] = Number.isNaN(base[i]!) ? 0 : base[i] === 0 ? Number.NaN : base[i]! + 0.01;
      expect(row(changed), `value ${i}`).not.toBe(h);
    }
    expect(row(base.slice(0, 14))).not.toBe(h);
    expect(() => hashNumbers(new Float64Array(17))).toThrow('at most 16');
  });
});
