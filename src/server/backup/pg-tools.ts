// Finding pg_dump / pg_restore that fit the server, and running them without putting the password on a command line
// (other local users can read argv through ps).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BackupError } from './archive';

export interface PgTool {
  path: string;
  major: number;
}

function candidates(name: string, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  if (env.PG_BIN_DIR) out.push(path.join(env.PG_BIN_DIR, name));
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) out.push(path.join(root, v, 'bin', name));
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir) out.push(path.join(dir, name));
  return [...new Set(out)].filter((p) => existsSync(p));
}

function majorOf(tool: string): number | null {
  try {
    const out = execFileSync(tool, ['--version'], { stdio: 'pipe' }).toString();
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(out);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * A pg_dump or pg_restore of at least `minMajor` (pg_dump refuses a newer server; pg_restore cannot read a newer
 * archive). Among those, the oldest wins: an archive written by the server's own major version is the one most
 * restore machines can read.
 */
export function findPgTool(
  name: 'pg_dump' | 'pg_restore',
  minMajor: number,
  env: NodeJS.ProcessEnv = process.env,
): PgTool {
  const found: PgTool[] = [];
  for (const c of candidates(name, env)) {
    const major = majorOf(c);
    if (major !== null) found.push({ path: c, major });
  }
  const fit = found.filter((t) => t.major >= minMajor).sort((a, b) => a.major - b.major);
  if (fit.length) return fit[0]!;
  const have = found.length
    ? `已找到的版本：${[...new Set(found.map((t) => t.major))].join('、')}，均低于 ${minMajor}。`
    : '未找到任何版本。';
  throw new BackupError(
    `缺少 ${name}：需要 PostgreSQL ${minMajor} 或更高版本的客户端工具。${have}` +
      `请安装（Debian/Ubuntu：apt-get install -y postgresql-client-${minMajor}），或设置 PG_BIN_DIR 指向其 bin 目录。`,
  );
}

/** libpq connection settings: the URL without its password, and the password through PGPASSWORD. */
export function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** Runs a tool to completion; a non-zero exit becomes an error carrying the tool's own stderr. */
export function runTool(tool: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...extraEnv } });
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('error', (e) => reject(new BackupError(`无法运行 ${tool}：${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new BackupError(
            `${path.basename(tool)} 失败（退出码 ${code}）：${err.trim().split('\n').slice(-5).join('\n')}`,
          ),
        );
    });
  });
}

/** Same as {@link runTool} and returns stdout (pg_restore -l). */
export function runToolOutput(tool: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(tool, args, {
      stdio: 'pipe',
      env: { ...process.env, ...extraEnv },
      maxBuffer: 256 * 1024 * 1024,
    }).toString();
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? (e as Error).message);
    throw new BackupError(`${path.basename(tool)} 失败：${stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
}
