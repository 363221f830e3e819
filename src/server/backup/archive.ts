// The backup file: a plain POSIX (ustar) tar, so `tar tf` lists it on any machine without this program. The entries are
// the database dump, the key files and, last, manifest.json with the SHA-256 of every other entry plus manifest.sha256
// over the manifest itself. Reading checks every header checksum, every size and every hash before anything is
// restored, so a truncated copy or a flipped byte is refused up front instead of half-restored.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const BLOCK = 512;
// ustar's 11 octal digits; the dumps this app makes are far below it, and a bigger one is refused rather than misread.
const MAX_ENTRY = 8 * 1024 ** 3 - 1;
export const MANIFEST = 'manifest.json';
export const MANIFEST_SUM = 'manifest.sha256';

function octal(buf: Buffer, offset: number, length: number, value: number) {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

function header(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 100) throw new BackupError(`备份条目名过长：${name}`);
  if (size > MAX_ENTRY) throw new BackupError(`备份条目 ${name} 超过 8 GB，无法写入 tar 格式`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, 0o600);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, Math.floor(mtime.getTime() / 1000));
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** Writes a tar entry by entry to an open file descriptor; every entry's SHA-256 is computed while it is written. */
export class TarWriter {
  private readonly fd: number;
  private readonly mtime = new Date();
  readonly written: Array<{ name: string; bytes: number; sha256: string }> = [];

  constructor(path: string) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  /** One entry from a buffer. */
  addBuffer(name: string, data: Buffer | Uint8Array) {
    writeSync(this.fd, header(name, data.length, this.mtime));
    writeSync(this.fd, data);
    this.pad(data.length);
    this.written.push({ name, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  }

  /** One entry copied from a file in 1 MB chunks, so a dump of any size never sits in memory. */
  addFile(name: string, sourcePath: string) {
    const src = openSync(sourcePath, 'r');
    try {
      const size = fstatSync(src).size;
      writeSync(this.fd, header(name, size, this.mtime));
      const hash = createHash('sha256');
      const chunk = Buffer.alloc(1024 * 1024);
      let done = 0;
      while (done < size) {
        const n = readSync(src, chunk, 0, Math.min(chunk.length, size - done), done);
        if (n === 0) throw new BackupError(`读取 ${sourcePath} 时文件意外变短`);
        hash.update(chunk.subarray(0, n));
        writeSync(this.fd, chunk, 0, n);
        done += n;
      }
      this.pad(size);
      this.written.push({ name, bytes: size, sha256: hash.digest('hex') });
    } finally {
      closeSync(src);
    }
  }

  /** The two zero blocks that end a tar; without them a reader knows the file was cut short. */
  close() {
    writeSync(this.fd, Buffer.alloc(BLOCK * 2));
    // On disk before the rename that makes it look finished.
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  abort() {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }

  private pad(size: number) {
    const rest = size % BLOCK;
    if (rest) writeSync(this.fd, Buffer.alloc(BLOCK - rest));
  }
}

export interface TarEntry {
  name: string;
  offset: number;
  size: number;
}

const TRUNCATED = '备份文件不完整（可能在复制或下载时被截断），已拒绝恢复，数据未作任何改动';

/** Lists a tar's entries, checking each header's checksum and that every entry lies wholly inside the file. */
export function listTar(path: string): TarEntry[] {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    for (;;) {
      if (pos + BLOCK > fileSize) throw new BackupError(TRUNCATED);
      readSync(fd, h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) {
        // End of archive: a second zero block must follow.
        if (pos + 2 * BLOCK > fileSize) throw new BackupError(TRUNCATED);
        return entries;
      }
      const stored = parseInt(h.toString('ascii', 148, 156).replace(/\0.*$/, '').trim(), 8);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (h.toString('ascii', 257, 262) !== 'ustar' || stored !== sum) {
        throw new BackupError(
          pos === 0
            ? '该文件不是本系统的备份文件（格式不符）'
            : '备份文件已损坏（tar 头校验失败），已拒绝恢复，数据未作任何改动',
        );
      }
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const size = parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/, '').trim(), 8);
      const offset = pos + BLOCK;
      if (offset + size > fileSize) throw new BackupError(TRUNCATED);
      entries.push({ name, offset, size });
      pos = offset + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    closeSync(fd);
  }
}

export function readEntry(path: string, e: TarEntry): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(e.size);
    let done = 0;
    while (done < e.size) done += readSync(fd, buf, done, e.size - done, e.offset + done);
    return buf;
  } finally {
    closeSync(fd);
  }
}

export function hashEntry(path: string, e: TarEntry): string {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1024 * 1024);
    let done = 0;
    while (done < e.size) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, e.size - done), e.offset + done);
      hash.update(chunk.subarray(0, n));
      done += n;
    }
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** Copies an entry to its own file (pg_restore reads a file, not a range of one). */
export function extractEntry(path: string, e: TarEntry, dest: string) {
  const fd = openSync(path, 'r');
  const out = openSync(dest, 'wx', 0o600);
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let done = 0;
    while (done < e.size) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, e.size - done), e.offset + done);
      writeSync(out, chunk, 0, n);
      done += n;
    }
  } finally {
    closeSync(fd);
    closeSync(out);
  }
}
