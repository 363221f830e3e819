import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperDifferences, type PaperEntry } from '../../src/domain/ballot-codes';
import { type Database, queryRows } from '../../src/server/db/connect';
import { paperEntriesMatch } from '../../src/server/modules/evaluation/recompute';
import { freshDatabase } from '../setup/db';

/**
 * Paper double entry is matched twice: by the ballots module in TypeScript (paperDifferences) and by the recompute in
 * SQL (paperEntriesMatch, set-based over a province). Both must say the same for every pair of entries, so the
 * composite never counts a tally the round's page shows as mismatched, nor drops one it shows as matched.
 */
let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => database.close());

const counts = (good: number, fair = 0, average = 0, poor = 0, invalid = 0) => ({ good, fair, average, poor, invalid });
const entry = (c = counts(3, 2, 1), problems: string[] = [], suggestions: string[] = []): PaperEntry => ({
  counts: c,
  problems,
  suggestions,
});

/** Hand-picked pairs: each rule of paperDifferences both ways, and the characters trimming is about. */
const HAND: Array<[PaperEntry, PaperEntry]> = [
  [entry(), entry()],
  [entry(counts(3, 2, 1)), entry(counts(3, 2, 2))],
  [entry(counts(0, 0, 0, 0, 1)), entry(counts(0, 0, 0, 0, 0))],
  [entry(undefined, ['学习不够深入', '联系群众不紧密']), entry(undefined, ['联系群众不紧密', '学习不够深入'])],
  [entry(undefined, ['学习不够深入']), entry(undefined, ['学习不够深入', '学习不够深入'])],
  [entry(undefined, [' 学习不够深入\t']), entry(undefined, ['学习不够深入'])],
  [entry(undefined, ['\u3000学习不够深入\u3000']), entry(undefined, ['学习不够深入'])],
  [entry(undefined, ['\u00a0学习\n']), entry(undefined, ['学习'])],
  [entry(undefined, ['\ufeff学习\u2028']), entry(undefined, ['学习'])],
  [entry(undefined, ['\u200b学习']), entry(undefined, ['学习'])],
  [entry(undefined, ['学 习']), entry(undefined, ['学习'])],
  [entry(undefined, ['', '  ', '\u3000']), entry(undefined, [])],
  [entry(undefined, [], ['加强学习']), entry(undefined, [], [' 加强学习 '])],
  [entry(undefined, [], ['加强学习']), entry(undefined, ['加强学习'], [])],
  [entry(undefined, ['Abc']), entry(undefined, ['abc'])],
  [entry(undefined, ['𠮷野家', '吉野家']), entry(undefined, ['吉野家', '𠮷野家'])],
];

/** Seeded random pairs: the second entry a copy of the first with some of the changes entry clerks make. */
function randomPairs(n: number, seed: number): Array<[PaperEntry, PaperEntry]> {
  let x = seed;
  const rnd = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const spaces = [' ', '\t', '\n', '\u3000', '\u00a0', '\u2002', '\u200b', '\ufeff', '\r\n', ''];
  const words = ['学习不够', '作风', '联系群众', '整改', 'a', 'B', '𠮷', '党建 工作', ''];
  const text = () => `${pick(spaces)}${pick(words)}${pick(spaces)}${pick(words)}${pick(spaces)}`;
  const texts = () => Array.from({ length: Math.floor(rnd() * 4) }, text);
  const out: Array<[PaperEntry, PaperEntry]> = [];
  for (let i = 0; i < n; i++) {
    const a = entry(
      counts(Math.floor(rnd() * 3), Math.floor(rnd() * 3), 0, 0, Math.floor(rnd() * 2)),
      texts(),
      texts(),
    );
    const b: PaperEntry = structuredClone(a);
    const change = Math.floor(rnd() * 6);
    if (change === 1) b.counts.good += 1;
    if (change === 2) b.problems = [...b.problems].reverse().map((t) => `${pick(spaces)}${t}${pick(spaces)}`);
    if (change === 3) b.suggestions = [...b.suggestions, pick(spaces)];
    if (change === 4) b.problems = b.problems.map((t) => t.replace(/\s/g, ''));
    if (change === 5) b.suggestions = texts();
    out.push([a, b]);
  }
  return out;
}

describe('paper double entry: the SQL of the recompute matches as the domain does (R-VOTE-4)', () => {
  it('says matched or not exactly as paperDifferences, over hand-picked and 400 seeded random pairs', async () => {
    const cases = [...HAND, ...randomPairs(400, 20251120)];
    const rows = await queryRows<{ i: number; matched: boolean }>(
      database.db,
      sql`
      select c.i, ${paperEntriesMatch('a', 'b')} as matched
      from jsonb_array_elements(${JSON.stringify(cases)}::jsonb) with ordinality as c(pair, i)
      cross join lateral (select c.pair->0->'counts' as counts, c.pair->0->'problems' as problems, c.pair->0->'suggestions' as suggestions) a
      cross join lateral (select c.pair->1->'counts' as counts, c.pair->1->'problems' as problems, c.pair->1->'suggestions' as suggestions) b
      order by c.i`,
    );
    const sqlSays = rows.map((r) => r.matched);
    const domainSays = cases.map(([a, b]) => paperDifferences(a, b).length === 0);
    expect(sqlSays).toHaveLength(cases.length);
    expect(sqlSays).toEqual(domainSays);
    // Both answers occur, so the comparison above could have failed either way.
    expect(domainSays.filter(Boolean).length).toBeGreaterThan(50);
    expect(domainSays.filter((m) => !m).length).toBeGreaterThan(50);
  });
});
