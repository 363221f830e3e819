import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashEntry, listTar, readEntry, TarWriter } from './archive';

const dir = mkdtempSync(path.join(tmpdir(), 'spk-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample(name: string) {
  const file = path.join(dir, name);
  const src = path.join(dir, `${name}.src`);
  writeFileSync(src, Buffer.alloc(1500, 7));
  const w = new TarWriter(file);
  w.addBuffer('a/一.txt', Buffer.from('密钥\n'));
  w.addFile('b.bin', src);
  w.close();
  return { file, written: w.written };
}

describe('backup archive (ustar)', () => {
  it('lists what was written, with sizes and hashes that match a re-read', () => {
    const { file, written } = sample('ok.tar');
    const entries = listTar(file);
    expect(entries.map((e) => [e.name, e.size])).toEqual([
      ['a/一.txt', 7],
      ['b.bin', 1500],
    ]);
    expect(readEntry(file, entries[0]!).toString()).toBe('密钥\n');
    expect(entries.map((e) => hashEntry(file, e))).toEqual(written.map((w) => w.sha256));
  });

  it('refuses a cut-off file and an altered header', () => {
    const { file } = sample('cut.tar');
    truncateSync(file, 512 + 512 + 512 + 100);
    expect(() => listTar(file)).toThrow(/不完整/);
    const { file: f2 } = sample('hdr.tar');
    const bytes = readFileSync(f2);
    bytes[512 + 512 + 3] ^= 1; // a letter of the second entry's name
    writeFileSync(f2, bytes);
    expect(() => listTar(f2)).toThrow(/tar 头校验失败/);
    writeFileSync(path.join(dir, 'not.tar'), 'hello');
    expect(() => listTar(path.join(dir, 'not.tar'))).toThrow(/不完整|不是本系统/);
  });
});
