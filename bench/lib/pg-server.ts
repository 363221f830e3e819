// A throwaway PostgreSQL 15 server for benchmarks and proof scripts: initdb in a temp dir (as the `postgres` user when
// run as root, since initdb refuses root), started on a free port with fsync and synchronous_commit on.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const asPg = (cmd: string, args: string[]) =>
  process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
    : execFileSync(cmd, args, { stdio: 'pipe' });

export interface PgServer {
  url: string;
  port: number;
  dataDir: string;
  /** The postmaster's pid (changes after restart). */
  pid(): number;
  /** pg_ctl start again on the same data directory and port (after stop or a kill -9); crash recovery runs here. */
  start(): void;
  /** Clean shutdown (fast mode). */
  stop(): void;
  /** SIGKILL to the postmaster, as a power cut would leave it (the children exit when they notice). */
  kill9(): void;
  /** The server's log (pg_ctl -l). */
  logFile: string;
  /** Stops the server and deletes its directory (a keepDir is kept). */
  dispose(): void;
}

/**
 * keepDir: a directory whose server is kept between runs (bench/evaluation.bench.ts BENCH_KEEP: generating a province
 * takes half an hour); initdb only when it has no data yet, and dispose() stops the server without deleting it.
 */
export async function startPostgres(extraOpts = '', keepDir?: string): Promise<PgServer> {
  if (!existsSync(`${PG_BIN}/initdb`))
    throw new Error(`PostgreSQL 15 not found in ${PG_BIN}; apt-get install -y postgresql`);
  const dir = keepDir ?? mkdtempSync(path.join(os.tmpdir(), 'shuping-bench-pg-'));
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  const port = await freePort();
  const dataDir = path.join(dir, 'data');
  if (!keepDir || !existsSync(dataDir)) {
    asPg(`${PG_BIN}/initdb`, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  }
  const start = () =>
    asPg(`${PG_BIN}/pg_ctl`, [
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=300 -c wal_recycle=off ${extraOpts}`,
      'start',
    ]);
  const stop = () => {
    try {
      asPg(`${PG_BIN}/pg_ctl`, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    } catch {
      /* not running */
    }
  };
  const pid = () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    pid,
    start,
    stop,
    kill9() {
      // A power cut takes the whole server at once: SIGKILL the postmaster and every backend, then wait until
      // they are gone (a surviving backend would hold the shared memory and block the restart).
      const p = pid();
      // Freeze the postmaster first: under load it forks a backend per new connection, and one forked between
      // listing the children and killing it would be orphaned, keep the shared memory and make start() fail.
      try {
        process.kill(p, 'SIGSTOP');
      } catch {
        /* gone */
      }
      let children: number[] = [];
      try {
        children = execFileSync('pgrep', ['-P', String(p)], { stdio: 'pipe' })
          .toString()
          .trim()
          .split('\n')
          .map(Number);
      } catch {
        /* none */
      }
      for (const q of [p, ...children]) {
        try {
          process.kill(q, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      for (let i = 0; i < 100; i++) {
        const alive = [p, ...children].filter((q) => {
          try {
            process.kill(q, 0);
            return true;
          } catch {
            return false;
          }
        });
        if (alive.length === 0) break;
        execFileSync('sleep', ['0.1']);
      }
    },
    logFile: path.join(dir, 'log'),
    dispose() {
      stop();
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs fn against a fresh server, then removes it; prints a skip line when PostgreSQL is not installed. */
export async function withPostgres(fn: (url: string, pg: PgServer) => Promise<void>, extraOpts = '', keepDir?: string) {
  if (!existsSync(`${PG_BIN}/initdb`)) return console.log('\n[postgres] skipped: PostgreSQL 15 not installed');
  const pg = await startPostgres(extraOpts, keepDir);
  try {
    await fn(pg.url, pg);
  } finally {
    pg.dispose();
  }
}
