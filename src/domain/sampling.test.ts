import { describe, expect, it } from 'vitest';
import type { AppError } from './errors';
import { drawSample, hashSeed, mulberry32, seededRng, shuffle } from './sampling';

const people = Array.from({ length: 1000 }, (_, i) => ({ id: `p${i}`, kind: i % 10 < 3 ? 'deputy' : 'resident' }));

describe('sampling', () => {
  it('hashes seeds with 32-bit FNV-1a (published test vectors)', () => {
    expect(hashSeed('')).toBe(0x811c9dc5);
    expect(hashSeed('a')).toBe(0xe40c292c);
    expect(hashSeed('foobar')).toBe(0xbf9cf968);
  });

  it('matches the reference mulberry32 (bryc), so a published seed can be redrawn elsewhere', () => {
    const rng = mulberry32(1);
    expect([rng(), rng(), rng()].map((x) => x * 2 ** 32)).toEqual([2693262067, 11749833, 2265367787]);
    const long = mulberry32(0xdeadbeef);
    for (let i = 0; i < 100_000; i++) long();
    expect(long() * 2 ** 32).toBe(4055427811);
  });

  it('R-ASSESS-3: the same seed gives the same sample, another seed a different one', () => {
    const a = drawSample(people, 100, '2024-某县-满意度');
    const b = drawSample(people, 100, '2024-某县-满意度');
    const c = drawSample(people, 100, '2024-某县-满意度-2');
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(100);
    expect(new Set(a.map((p) => p.id)).size).toBe(100);
    // Returned in the order of the list, so it can be printed as is.
    expect(a.map((p) => Number(p.id.slice(1)))).toEqual([...a.map((p) => Number(p.id.slice(1)))].sort((x, y) => x - y));
  });

  it('R-ASSESS-3: stratified by category in proportion to the strata (30% deputies → 30 of 100)', () => {
    const s = drawSample(people, 100, 'seed', (p) => p.kind);
    expect(s.filter((p) => p.kind === 'deputy')).toHaveLength(30);
    expect(s.filter((p) => p.kind === 'resident')).toHaveLength(70);
    expect(drawSample(people, 100, 'seed', (p) => p.kind)).toEqual(s);
  });

  it('splits remainders by the largest-remainder method, ties to the larger stratum then by name', () => {
    const list = [...'aaaaaaabbbbbbbcccccc'].map((kind, i) => ({ i, kind }));
    const count = (s: typeof list, k: string) => s.filter((x) => x.kind === k).length;
    const s = drawSample(list, 10, 'x', (x) => x.kind);
    expect([count(s, 'a'), count(s, 'b'), count(s, 'c')]).toEqual([4, 3, 3]);
    const uneven = [...'aaaaaaaaabbbbbbbbbbbbcc'].map((kind, i) => ({ i, kind }));
    // 4 of 23: a 1.57, b 2.09, c 0.35 → floors 1+2+0, the spare goes to a (remainder 0.57 is largest).
    const u = drawSample(uneven, 4, 'x', (x) => x.kind);
    expect([count(u, 'a'), count(u, 'b'), count(u, 'c')]).toEqual([2, 2, 0]);
  });

  it('takes explicit counts per category', () => {
    const s = drawSample(people, { deputy: 10, resident: 5 }, 'seed', (p) => p.kind);
    expect(s.filter((p) => p.kind === 'deputy')).toHaveLength(10);
    expect(s.filter((p) => p.kind === 'resident')).toHaveLength(5);
  });

  it('refuses impossible sizes with Chinese messages naming the field', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected an error');
    };
    expect(err(() => drawSample(people, 1001, 's')).message).toBe('抽样人数（1001）超过候选人数（1000）');
    expect(err(() => drawSample(people, { deputy: 301 }, 's', (p) => p.kind)).message).toBe(
      '「deputy」抽样人数（301）超过候选人数（300）',
    );
    expect(err(() => drawSample(people, { cadre: 1 }, 's', (p) => p.kind)).message).toContain('「cadre」');
    expect(err(() => drawSample(people, -1, 's')).message).toBe('抽样人数应为非负整数');
    expect(err(() => drawSample(people, 2.5, 's', (p) => p.kind)).details).toEqual({ field: 'size' });
    expect(err(() => drawSample(people, { deputy: 1 }, 's')).message).toContain('分层依据');
    expect(err(() => drawSample(people, 1, '  ')).message).toBe('随机种子不能为空');
  });

  it('handles empty lists and zero sizes', () => {
    expect(drawSample([], 0, 's')).toEqual([]);
    expect(drawSample([], 0, 's', () => 'x')).toEqual([]);
    expect(drawSample(people, 0, 's')).toEqual([]);
    expect(drawSample(people, 1000, 's')).toEqual(people);
  });

  it('shuffles with Fisher–Yates: a permutation, input untouched, all orders about equally likely', () => {
    const input = [1, 2, 3];
    const rng = seededRng('uniformity');
    const seen = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const out = shuffle(input, rng);
      seen.set(out.join(), (seen.get(out.join()) ?? 0) + 1);
    }
    expect(input).toEqual([1, 2, 3]);
    expect(seen.size).toBe(6);
    for (const n of seen.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
    expect(shuffle([], rng)).toEqual([]);
    expect(shuffle(['x'], rng)).toEqual(['x']);
  });
});
