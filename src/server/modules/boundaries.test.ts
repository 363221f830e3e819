import { describe, expect, it } from 'vitest';
import { compare, drizzleTables, readAllowList, scan, sqlRefs } from '../../../scripts/check-boundaries';
import { OWNER_OF, TABLE_OWNERS } from './ownership';

describe('module table ownership (decision 022)', () => {
  it('gives every table of the Drizzle schema exactly one owner, and names no table the schema lacks', () => {
    const schema = [...drizzleTables().values()].sort();
    const owned = Object.values(TABLE_OWNERS).flat().sort();
    expect(owned).toEqual(schema);
    expect(new Set(owned).size).toBe(owned.length);
  });

  it('finds table names in SQL text: reads after FROM/JOIN and comma lists, writes after INTO/UPDATE/DELETE FROM', () => {
    expect(sqlRefs('select 1 from ballot_rounds r join meetings m on m.id = r.meeting_id')).toEqual([
      { table: 'ballot_rounds', write: false },
      { table: 'meetings', write: false },
    ]);
    expect(sqlRefs('select * from campaigns c, organizations o where o.id = c.organizer_org_id')).toEqual([
      { table: 'campaigns', write: false },
      { table: 'organizations', write: false },
    ]);
    expect(sqlRefs('insert into evaluation_tallied (kind) values (1)')).toEqual([
      { table: 'evaluation_tallied', write: true },
    ]);
    expect(sqlRefs('UPDATE "users" SET x = 1')).toEqual([{ table: 'users', write: true }]);
    expect(sqlRefs('delete from survey_tokens where id = 1')).toEqual([{ table: 'survey_tokens', write: true }]);
  });

  it('fails a new reference and a fixed one still listed (the ratchet)', () => {
    const v = {
      file: 'results/a.ts',
      module: 'results',
      table: 'campaigns',
      owner: 'campaigns',
      kind: 'sql-read' as const,
      count: 2,
    };
    const key = 'results/a.ts sql-read campaigns (campaigns)';
    expect(compare([v], { [key]: 2 })).toEqual({ added: [], fixed: [] });
    expect(compare([v], { [key]: 1 }).added).toHaveLength(1);
    expect(compare([v], { [key]: 3 }).fixed).toHaveLength(1);
    expect(compare([], { [key]: 2 }).fixed).toHaveLength(1);
    expect(compare([v], {}).added).toHaveLength(1);
  });

  it("has no reference to another module's base table beyond scripts/boundary-allowlist.json, which lists no fixed one", () => {
    const { added, fixed } = compare(scan(), readAllowList());
    expect(
      added,
      "new references to another module's tables: read its queries.ts or a <owner>_v_* view instead",
    ).toEqual([]);
    expect(fixed, 'fixed references still listed: run `npx tsx scripts/check-boundaries.ts --write`').toEqual([]);
  });

  it("knows each table's owner by name", () => {
    expect(OWNER_OF.get('evaluation_ballot_tallies')).toBe('evaluation');
    expect(OWNER_OF.get('prior_rectification_items')).toBe('reports');
  });
});
