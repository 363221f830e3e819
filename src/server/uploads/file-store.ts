/**
 * Uploaded files kept on disk under FILES_DIR (decision 021), named by their SHA-256: `sha256/ab/abcdef…`. A file is
 * written once and never changed, so a name is proof of its content (the backup and the restore check it), two equal
 * uploads share one file, and nothing needs a lock. Uploads arrive in `incoming/` (same file system, so moving one in
 * is an atomic rename): a crash leaves at most a stray file there, never half a stored file.
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

const SHA256 = /^[0-9a-f]{64}$/;

export class FileStore {
  readonly dir: string;
  readonly incoming: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    this.incoming = path.join(this.dir, 'incoming');
    mkdirSync(this.incoming, { recursive: true });
    // Left by a process killed mid-upload. Only old ones: other app processes may share the directory.
    const before = Date.now() - 24 * 3600_000;
    for (const name of readdirSync(this.incoming)) {
      const p = path.join(this.incoming, name);
      try {
        if (statSync(p).mtimeMs < before) rmSync(p, { force: true });
      } catch {
        /* gone already */
      }
    }
  }

  pathOf(sha256: string) {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(this.dir, 'sha256', sha256.slice(0, 2), sha256);
  }

  has(sha256: string) {
    return existsSync(this.pathOf(sha256));
  }

  /** Moves a received file (under `incoming/`) into place; an equal file already stored is kept and the new one dropped. */
  async put(tempPath: string, sha256: string) {
    const target = this.pathOf(sha256);
    if (existsSync(target)) {
      await rm(tempPath, { force: true });
      return target;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    await rename(tempPath, target);
    return target;
  }

  /** The stored bytes as a stream (1 MB reads): a download never holds the whole file in memory. */
  open(sha256: string) {
    return createReadStream(this.pathOf(sha256), { highWaterMark: 1024 * 1024 });
  }

  /** The first `bytes` of a stored file, enough to tell its type from its magic numbers (http/download.ts). */
  async head(sha256: string, bytes = 64 * 1024): Promise<Buffer> {
    const fh = await open(this.pathOf(sha256), 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  /** Every stored file, for the backup: its name (the hash), path and size. */
  list(): Array<{ sha256: string; path: string; bytes: number }> {
    const root = path.join(this.dir, 'sha256');
    if (!existsSync(root)) return [];
    const out: Array<{ sha256: string; path: string; bytes: number }> = [];
    for (const d of readdirSync(root).sort()) {
      for (const name of readdirSync(path.join(root, d)).sort()) {
        if (!SHA256.test(name) || name.slice(0, 2) !== d) continue;
        const p = path.join(root, d, name);
        out.push({ sha256: name, path: p, bytes: statSync(p).size });
      }
    }
    return out;
  }
}
