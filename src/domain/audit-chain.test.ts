import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalAuditRow, canonicalJson, type ChainRow, checkChainRow, GENESIS_PREV, type Mac } from './audit-chain';

const mac: Mac = (alg, text) =>
  createHmac(alg === 'hmac-sm3' ? 'sm3' : 'sha256', 'k')
    .update(text)
    .digest('hex');

const base = (over: Partial<ChainRow> = {}): ChainRow => ({
  id: 7,
  seq: 1,
  prevHash: GENESIS_PREV,
  alg: 'hmac-sha256',
  at: new Date('2025-11-20T02:00:00.123Z'),
  actorId: 3,
  actorName: '张三(zs)',
  action: 'org.create',
  targetType: 'organization',
  targetId: '42',
  result: 'success',
  ip: '127.0.0.1',
  scopePath: '/1/2/',
  detail: { name: '东村党支部', code: 'V1' },
  ...over,
});
const sealed = (r: ChainRow) => ({ ...r, hash: mac(r.alg as 'hmac-sha256', canonicalAuditRow(r)) });

describe('canonical serialisation of an audit row', () => {
  it('sorts object keys at every depth and keeps array order, so jsonb key order never matters', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"x":2,"y":1}]},"b":1}',
    );
    expect(canonicalJson({ z: 1, a: 2 })).toBe(canonicalJson({ a: 2, z: 1 }));
  });

  it('drops undefined members as JSON.stringify does when the row is written; text is kept exactly', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1], c: '引号"与\\n换行\u{1F600}' })).toBe(
      `{"b":[null,1],"c":${JSON.stringify('引号"与\\n换行\u{1F600}')}}`,
    );
    expect(canonicalJson(JSON.parse(JSON.stringify({ a: undefined, d: new Date('2025-01-01T00:00:00Z') })))).toBe(
      canonicalJson({ d: new Date('2025-01-01T00:00:00Z') }),
    );
  });

  it('writes the time as ISO 8601 UTC with milliseconds, whatever zone the Date was made in', () => {
    const text = canonicalAuditRow(base({ at: new Date('2025-11-20T10:00:00.123+08:00') }));
    expect(text).toContain('"2025-11-20T02:00:00.123Z"');
    expect(text).toBe(canonicalAuditRow(base()));
  });

  it('covers every field: changing any one changes the text', () => {
    const ref = canonicalAuditRow(base());
    const changes: Partial<ChainRow>[] = [
      { id: 8 },
      { seq: 2 },
      { prevHash: 'a'.repeat(64) },
      { alg: 'hmac-sm3' },
      { at: new Date('2025-11-20T02:00:00.124Z') },
      { actorId: null },
      { actorName: '李四' },
      { action: 'org.update' },
      { targetType: 'user' },
      { targetId: null },
      { result: 'failure' },
      { ip: null },
      { scopePath: '/1/' },
      { detail: { name: '东村党支部', code: 'V2' } },
      { detail: null },
    ];
    for (const c of changes) expect(canonicalAuditRow(base(c)), JSON.stringify(c)).not.toBe(ref);
    // null and an absent detail are the same stored value (SQL NULL).
    expect(canonicalAuditRow(base({ detail: undefined }))).toBe(canonicalAuditRow(base({ detail: null })));
  });
});

describe('checking one link', () => {
  const first = sealed(base());
  const second = sealed(base({ id: 8, seq: 2, prevHash: first.hash }));

  it('accepts a row that follows its predecessor', () => {
    const a = checkChainRow({ seq: 0, hash: GENESIS_PREV }, first, mac);
    expect(a.breaks).toEqual([]);
    expect(checkChainRow(a.next, second, mac).breaks).toEqual([]);
  });

  it('names an edited row, a missing seq, a wrong predecessor, an unsealed row and an unknown algorithm', () => {
    const cur = { seq: 1, hash: first.hash };
    expect(checkChainRow(cur, { ...second, actorName: '别人' }, mac).breaks.map((b) => [b.seq, b.reason])).toEqual([
      [2, 'hash_mismatch'],
    ]);
    expect(
      checkChainRow(cur, sealed(base({ seq: 4, prevHash: first.hash })), mac).breaks.map((b) => [b.seq, b.reason]),
    ).toEqual([[2, 'gap']]);
    expect(
      checkChainRow(cur, sealed(base({ seq: 2, prevHash: 'b'.repeat(64) })), mac).breaks.map((b) => b.reason),
    ).toEqual(['prev_mismatch']);
    expect(
      checkChainRow(cur, { ...base({ seq: 2, prevHash: null, alg: null }), hash: null }, mac).breaks.map(
        (b) => b.reason,
      ),
    ).toEqual(['unsealed']);
    expect(checkChainRow(cur, { ...second, alg: 'md5' }, mac).breaks.map((b) => b.reason)).toEqual(['unknown_alg']);
  });

  it('a hash made with another key does not pass', () => {
    const other: Mac = (_alg, text) => createHmac('sha256', 'other').update(text).digest('hex');
    expect(checkChainRow({ seq: 0, hash: GENESIS_PREV }, first, other).breaks.map((b) => b.reason)).toEqual([
      'hash_mismatch',
    ]);
  });
});
