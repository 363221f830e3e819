// PGlite is one process's private engine: two processes on one data directory (the server and a backup, or two
// servers) would each cache and write the same pages and corrupt them. PGlite's own postmaster.pid carries no usable
// pid (-42), so the server, `npm run backup` and `npm run restore` take this lock file instead. A lock whose process is
// gone (kill -9, power cut) is stale and taken over; the process start time guards against a recycled pid.
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'shupingkao.lock';

export type LockRole = 'server' | 'backup' | 'restore';
const ROLE_LABEL: Record<LockRole, string> = { server: '述评考服务', backup: '备份', restore: '恢复' };

interface LockBody {
  pid: number;
  role: LockRole;
  /** Process start time in clock ticks since boot (Linux /proc); null elsewhere. */
  start: string | null;
  since: string;
}

/** Fields 3 (state) and 22 (start time in ticks since boot) of /proc/<pid>/stat; null where there is no /proc. */
function procStat(pid: number): { state: string; start: string } | null {
  try {
    // The command name (field 2) may contain spaces, so count from its closing ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '', start: rest[19] ?? '' };
  } catch {
    return null;
  }
}

function alive(body: LockBody): boolean {
  try {
    process.kill(body.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = procStat(body.pid);
  if (!now) return true;
  // A killed child its parent has not reaped yet is a zombie: gone for our purpose. A recycled pid has another start.
  if (now.state === 'Z' || now.state === 'X') return false;
  return body.start === null || now.start === body.start;
}

function readLock(file: string): LockBody | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockBody;
  } catch {
    return null;
  }
}

/** Who holds the directory now, or null when nobody (no lock, unreadable or stale lock). */
export function dataDirHolder(dir: string): { pid: number; role: LockRole; since: string } | null {
  const body = readLock(path.join(dir, LOCK_FILE));
  return body && body.pid !== process.pid && alive(body) ? body : null;
}

/**
 * Takes the directory for this process or throws a message naming the holder. Released on exit, also on a crash
 * of this process (the next claim sees the pid is gone).
 */
export function claimDataDir(dir: string, role: LockRole): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const body: LockBody = {
    pid: process.pid,
    role,
    start: procStat(process.pid)?.start ?? null,
    since: new Date().toISOString(),
  };
  // 'wx' makes the claim atomic: of two processes starting together only one creates the file.
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(body), { mode: 0o600, flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
    }
    // Already ours (the backup opens the database through openPglite, which claims too): the outer claim releases.
    if (readLock(file)?.pid === process.pid) return () => {};
    const holder = dataDirHolder(dir);
    if (holder) {
      throw new Error(
        `数据目录 ${dir} 正被${ROLE_LABEL[holder.role]}进程（pid ${holder.pid}，自 ${holder.since}）使用。` +
          `内置数据库只能由一个进程打开：${holder.role === 'server' ? '请先停止服务（备份需要几秒到几分钟），完成后再启动' : '请等待其完成后再试'}。`,
      );
    }
    // Stale (its process is gone) or our own: replace it.
    try {
      unlinkSync(file);
    } catch {
      /* removed meanwhile */
    }
  }
  const release = () => {
    const now = readLock(file);
    if (now?.pid === process.pid && existsSync(file)) {
      try {
        unlinkSync(file);
      } catch {
        /* gone already */
      }
    }
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}
