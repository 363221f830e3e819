import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anchorMessage, formatAnchor, parseAnchors } from './audit-anchor';

const fields = {
  key: '0123456789abcdef',
  seq: 42,
  head: 1,
  rows: 42,
  hash: 'ab'.repeat(32),
  at: new Date('2026-01-02T03:04:05.678Z'),
  reason: 'interval' as const,
};

describe('audit anchor lines (decision 016)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const sig = sign(null, Buffer.from(anchorMessage(fields)), privateKey).toString('base64');
  const line = formatAnchor(fields, sig);

  it('round-trips, and the signature covers every field but itself', () => {
    const [a] = parseAnchors(`# comment\n${line}\n`, 'log').anchors;
    expect(a).toMatchObject({ ...fields, sig, line, lineNo: 2, source: 'log' });
    expect(verify(null, Buffer.from(anchorMessage(a!)), publicKey, Buffer.from(a!.sig, 'base64'))).toBe(true);
    const edited = parseAnchors(line.replace('seq=42', 'seq=41'), 'log').anchors[0]!;
    expect(verify(null, Buffer.from(anchorMessage(edited)), publicKey, Buffer.from(edited.sig, 'base64'))).toBe(false);
  });

  it('is found inside other text (a spreadsheet cell, an e-mail) and ignores lines without the tag', () => {
    const parsed = parseAnchors(`时间,锚点\r\n2026-01-02,${line}\r\n无关的一行`, 'csv');
    expect(parsed.anchors).toHaveLength(1);
    expect(parsed.malformed).toEqual([]);
  });

  it('reports a line with the tag that does not parse (cut, edited, unknown reason) instead of skipping it', () => {
    const parsed = parseAnchors(
      [
        line.slice(0, -10),
        line.replace('reason=interval', 'reason=later'),
        line.replace('at=2026-01-02', 'at=2026-13-02'),
      ].join('\n'),
      'log',
    );
    expect(parsed.anchors).toEqual([]);
    expect(parsed.malformed.map((m) => m.lineNo)).toEqual([1, 2, 3]);
  });
});
