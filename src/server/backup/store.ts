// Where the data lives, read from the same variables as the server (src/server/env.ts): DATABASE_URL set → PostgreSQL,
// unset → PGlite under DATA_DIR. Key files are under DATA_DIR in both cases, uploaded files under FILES_DIR.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { migrationsFolder } from '../db/connect';
import { BackupError } from './archive';

/** `filesDir`: uploaded files (FILES_DIR, decision 021), beside the database in both cases. */
export type Store =
  | { kind: 'pglite'; dataDir: string; filesDir: string }
  | { kind: 'postgres'; url: string; dataDir: string; filesDir: string };

export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): Store {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const filesDir = path.resolve(env.FILES_DIR || './files');
  const url = env.DATABASE_URL || undefined;
  if (!url) return { kind: 'pglite', dataDir, filesDir };
  if (!/^postgres(ql)?:\/\//.test(url)) throw new BackupError('环境变量配置错误：DATABASE_URL 必须以 postgres:// 开头');
  return { kind: 'postgres', url, dataDir, filesDir };
}

export const describeStore = (s: Store) =>
  s.kind === 'pglite'
    ? `内置 PGlite，数据目录 ${s.dataDir}，附件目录 ${s.filesDir}`
    : `PostgreSQL ${redactUrl(s.url)}（密钥文件目录 ${s.dataDir}，附件目录 ${s.filesDir}）`;

export function redactUrl(url: string) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(无效地址)';
  }
}

const root = path.resolve(migrationsFolder, '../../../..');

export function appVersion(): { version: string; commit: string | null } {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  let commit: string | null = null;
  try {
    commit =
      execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, stdio: 'pipe' }).toString().trim() || null;
  } catch {
    /* not a git checkout (release tarball) */
  }
  return { version: pkg.version, commit };
}

/** The installed PGlite package version (a data-dir dump only loads into the same PostgreSQL major inside it). */
export function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === '@electric-sql/pglite') return pkg.version;
    } catch {
      /* keep walking up */
    }
  }
  return 'unknown';
}
