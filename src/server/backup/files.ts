// Uploaded files (report attachments) live on disk under FILES_DIR, named by their SHA-256 (decision 021); the database
// rows name them. A backup carries every file a row of its snapshot names, copied in 1 MB chunks (never whole into
// memory) and checked against its name on the way; a restore writes them back and checks that every file a restored
// row names is there with the right content.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileStore } from '../uploads/file-store';
import { BackupError, extractEntry, type TarEntry, type TarWriter } from './archive';
import type { Comparison, SqlRunner } from './manifest';

const PREFIX = 'files/sha256/';
export const fileEntry = (sha256: string) => `${PREFIX}${sha256.slice(0, 2)}/${sha256}`;
const shaOfEntry = (name: string) => (name.startsWith(PREFIX) ? name.slice(name.lastIndexOf('/') + 1) : null);

export interface FilesInfo {
  /** Distinct files the backed-up rows name. */
  referenced: number;
  bytes: number;
  /** Named by a row but absent from FILES_DIR when the backup ran (their rows are backed up all the same). */
  missing: string[];
}

/** The files the database's rows name (none before migration 0020 added the column). */
export async function referencedFiles(run: SqlRunner): Promise<string[]> {
  const [col] = await run.query<{ n: string }>(
    `select count(*)::text as n from information_schema.columns where table_schema = 'public' and table_name = 'report_attachments' and column_name = 'sha256'`,
  );
  if (!Number(col?.n)) return [];
  const rows = await run.query<{ sha256: string }>(
    `select sha256 from report_attachments where sha256 is not null group by sha256 order by sha256 collate "C"`,
  );
  return rows.map((r) => r.sha256);
}

function sha256Of(file: string) {
  const fd = openSync(file, 'r');
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1024 * 1024);
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** Adds each referenced file to the backup; a file whose content no longer matches its name is refused. */
export function addFiles(tar: TarWriter, filesDir: string, referenced: string[]): FilesInfo {
  const store = new FileStore(filesDir);
  const info: FilesInfo = { referenced: referenced.length, bytes: 0, missing: [] };
  for (const sha256 of referenced) {
    const file = store.pathOf(sha256);
    if (!existsSync(file)) {
      info.missing.push(sha256);
      continue;
    }
    tar.addFile(fileEntry(sha256), file);
    const written = tar.written[tar.written.length - 1]!;
    if (written.sha256 !== sha256)
      throw new BackupError(
        `附件文件 ${file} 的内容与其名称（SHA-256）不符，文件已损坏；请从上一份备份找回该文件后再备份`,
      );
    info.bytes += written.bytes;
  }
  return info;
}

/**
 * Writes the backup's files into FILES_DIR (the archive was verified entry by entry before). A file already there
 * under the same name is kept when its content matches (names are hashes); a damaged one is replaced.
 */
export function restoreFiles(file: string, entries: Map<string, TarEntry>, filesDir: string) {
  const store = new FileStore(filesDir);
  let written = 0;
  for (const [name, e] of entries) {
    const sha256 = shaOfEntry(name);
    if (!sha256) continue;
    const target = store.pathOf(sha256);
    if (existsSync(target) && statSync(target).size === e.size && sha256Of(target) === sha256) continue;
    const tmp = path.join(store.incoming, `restore-${sha256}`);
    extractEntry(file, e, tmp);
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(tmp, target);
    written++;
  }
  return written;
}

/** Every file the restored rows name is in FILES_DIR with the content its name says. */
export function compareFiles(referenced: string[], filesDir: string, expected: FilesInfo | undefined): Comparison {
  const store = new FileStore(filesDir);
  const bad = referenced.filter((s) => !existsSync(store.pathOf(s)) || sha256Of(store.pathOf(s)) !== s);
  const want = expected ? expected.referenced - expected.missing.length : referenced.length;
  return {
    item: `附件文件（${referenced.length} 个）`,
    expected: expected
      ? `${want} 个完好${expected.missing.length ? `，备份时已缺 ${expected.missing.length} 个` : ''}`
      : `${referenced.length} 个`,
    actual: bad.length ? `缺失或损坏 ${bad.length} 个，如 ${bad[0]}` : `${referenced.length} 个完好`,
    ok:
      bad.length === (expected?.missing.length ?? 0) &&
      referenced.length === (expected?.referenced ?? referenced.length),
  };
}
