// Two PostgreSQL 15 servers on this machine as a primary and a synchronous standby (issue 19, decision 027): initdb,
// pg_basebackup -R for the standby, synchronous_commit=on with synchronous_standby_names='*', wal_log_hints=on so
// the old primary can be rewound after a failover. The standby reaches the primary through a TCP proxy in this
// process that can be cut (a network partition without iptables). Failover: pg_ctl promote; rebuild: pg_rewind
// from the new primary (a fresh pg_basebackup when rewinding fails), started as the new standby.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, PG_BIN } from './pg-server';

const run = promisify(execFile);
/**
 * Asynchronous on purpose: the proxy lives in this process's event loop, and a synchronous child (pg_basebackup,
 * pg_ctl -w) would stall the replication it carries.
 */
export const asPg = async (cmd: string, args: string[]) =>
  (process.getuid?.() === 0
    ? await run('runuser', ['-u', 'postgres', '--', cmd, ...args], { maxBuffer: 1 << 24 })
    : await run(cmd, args, { maxBuffer: 1 << 24 })
  ).stdout.toString();

/** A TCP proxy whose target can change and whose traffic can be cut (existing connections hang, new ones too). */
export class CuttableProxy {
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  cut = false;
  constructor(
    public port: number,
    public target: number,
  ) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      const pair = [client, upstream];
      for (const s of pair) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      // Piped by hand so that a cut can hold bytes back (a partition drops packets; it does not reset connections).
      client.on('data', (b) => {
        if (!this.cut) upstream.write(b);
      });
      upstream.on('data', (b) => {
        if (!this.cut) client.write(b);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server.listen(port, '127.0.0.1');
  }
  /** Ends every connection through the proxy (after a failover, so the standby reconnects to the new target). */
  reset() {
    for (const s of this.sockets) s.destroy();
  }
  close() {
    this.reset();
    this.server.close();
  }
}

export interface Node {
  name: string;
  port: number;
  dataDir: string;
  logFile: string;
}

/** What the failover proof needs of a cluster: the script's (PgCluster) or Patroni's (patroni-cluster.ts). */
export interface FailoverCluster {
  readonly manager: 'script' | 'patroni';
  readonly dir: string;
  readonly nodes: readonly [Node, Node];
  primary: 0 | 1;
  readonly standby: 0 | 1;
  /** Cutting it stops replication between the servers (a network partition). */
  readonly proxy: { cut: boolean; readonly port: number };
  lastRewindError: string;
  /** How the last promotion was done (empty when there is nothing to add). */
  lastPromote: string;
  url(i: 0 | 1): string;
  readonly multiUrl: string;
  psql(i: 0 | 1, query: string): Promise<string>;
  kill9(i: 0 | 1): void;
  promote(): Promise<void>;
  rebuild(): Promise<string>;
  waitStreaming(timeoutMs?: number): Promise<number>;
  /** The synchronous standby off (the throughput baseline: same cluster, standby asynchronous) and on again. */
  setSynchronous(on: boolean): Promise<void>;
  dispose(): Promise<void>;
}

const BASE_CONF = [
  "listen_addresses = '127.0.0.1'",
  'fsync = on',
  'synchronous_commit = on',
  'wal_level = replica',
  'max_wal_senders = 10',
  'hot_standby = on',
  'wal_log_hints = on',
  'wal_recycle = off',
  'max_connections = 300',
  // A standby that was rebuilt (pg_rewind) replays from the last common checkpoint: keep some WAL for it.
  'wal_keep_size = 128MB',
  'wal_sender_timeout = 5s',
  'wal_receiver_timeout = 5s',
  'wal_retrieve_retry_interval = 500ms',
];

export class PgCluster implements FailoverCluster {
  readonly manager = 'script';
  lastPromote = '';
  readonly dir: string;
  readonly nodes: [Node, Node];
  primary: 0 | 1 = 0;
  proxy!: CuttableProxy;
  /** Whether the standby is synchronous (synchronous_standby_names = '*') or merely streaming (the baseline). */
  constructor(
    public readonly sync: boolean,
    ports: [number, number],
  ) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'shuping-failover-'));
    chmodSync(this.dir, 0o777);
    this.nodes = [0, 1].map((i) => ({
      name: i === 0 ? 'a' : 'b',
      port: ports[i]!,
      dataDir: path.join(this.dir, i === 0 ? 'a' : 'b'),
      logFile: path.join(this.dir, `${i === 0 ? 'a' : 'b'}.log`),
    })) as [Node, Node];
  }

  static async create(sync: boolean) {
    const c = new PgCluster(sync, [await freePort(), await freePort()]);
    c.proxy = new CuttableProxy(await freePort(), c.nodes[0].port);
    const a = c.nodes[0];
    await asPg(`${PG_BIN}/initdb`, [
      '-D',
      a.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    appendFileSync(
      path.join(a.dataDir, 'postgresql.conf'),
      `\n${[...BASE_CONF, `synchronous_standby_names = '${sync ? '*' : ''}'`].join('\n')}\n`,
    );
    await c.start(0);
    await c.baseBackup(1);
    await c.start(1);
    await c.waitStreaming();
    return c;
  }

  get standby(): 0 | 1 {
    return this.primary === 0 ? 1 : 0;
  }
  url(i: 0 | 1) {
    return `postgres://postgres@127.0.0.1:${this.nodes[i].port}/postgres`;
  }
  /** The app's connection string: both servers, the primary found by target_session_attrs. */
  get multiUrl() {
    return `postgres://postgres@127.0.0.1:${this.nodes[0].port},127.0.0.1:${this.nodes[1].port}/postgres?target_session_attrs=read-write`;
  }

  async start(i: 0 | 1) {
    const n = this.nodes[i];
    await asPg(`${PG_BIN}/pg_ctl`, [
      '-D',
      n.dataDir,
      '-l',
      n.logFile,
      '-w',
      '-t',
      '120',
      '-o',
      `-p ${n.port} -k ${this.dir}`,
      'start',
    ]);
  }

  async stop(i: 0 | 1) {
    try {
      await asPg(`${PG_BIN}/pg_ctl`, ['-D', this.nodes[i].dataDir, '-m', 'fast', '-w', 'stop']);
    } catch {
      /* not running */
    }
  }

  pid(i: 0 | 1) {
    try {
      return Number(readFileSync(path.join(this.nodes[i].dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return 0;
    }
  }

  /** SIGKILL to the postmaster and every backend at once (as bench/lib/pg-server.ts does). */
  kill9(i: 0 | 1) {
    const p = this.pid(i);
    if (!p) return;
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
    for (let k = 0; k < 100; k++) {
      if (
        ![p, ...children].some((q) => {
          try {
            process.kill(q, 0);
            return true;
          } catch {
            return false;
          }
        })
      )
        break;
      execFileSync('sleep', ['0.1']);
    }
  }

  /** pg_ctl promote of the standby; the proxy then leads to it. */
  async promote() {
    const s = this.standby;
    await asPg(`${PG_BIN}/pg_ctl`, ['-D', this.nodes[s].dataDir, '-w', '-t', '60', 'promote']);
    this.primary = s;
    this.proxy.target = this.nodes[s].port;
    this.proxy.reset();
  }

  /** ALTER SYSTEM on the primary: off = synchronous_standby_names '' (the standby streams asynchronously). */
  async setSynchronous(on: boolean) {
    await this.psql(
      this.primary,
      on ? 'alter system reset synchronous_standby_names' : "alter system set synchronous_standby_names = ''",
    );
    await this.psql(this.primary, 'select pg_reload_conf()');
  }

  private conninfoViaProxy() {
    return `host=127.0.0.1 port=${this.proxy.port} user=postgres application_name=standby`;
  }

  private async baseBackup(i: 0 | 1) {
    const n = this.nodes[i];
    rmSync(n.dataDir, { recursive: true, force: true });
    await asPg(`${PG_BIN}/pg_basebackup`, [
      '-D',
      n.dataDir,
      '-d',
      this.conninfoViaProxy(),
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ]);
  }

  /**
   * The old primary (killed) becomes the new standby: pg_rewind from the new primary (it runs crash recovery on the
   * target first), standby.signal and primary_conninfo through the proxy; a fresh base backup if rewinding fails.
   * Returns how it was rebuilt.
   */
  async rebuild(): Promise<'pg_rewind' | 'pg_basebackup'> {
    const i = this.standby;
    const n = this.nodes[i];
    let how: 'pg_rewind' | 'pg_basebackup' = 'pg_rewind';
    // The promoted server's control file names its new timeline only after a checkpoint; before it pg_rewind sees
    // one timeline and answers "no rewind required", and the old primary then cannot follow (forked timeline).
    await this.psql(this.primary, 'checkpoint');
    this.lastRewindError = '';
    try {
      await asPg(`${PG_BIN}/pg_rewind`, [
        '--target-pgdata',
        n.dataDir,
        '--source-server',
        this.conninfoViaProxy(),
        '--write-recovery-conf',
      ]);
    } catch (e) {
      how = 'pg_basebackup';
      this.lastRewindError = String((e as { stderr?: string }).stderr ?? e).slice(-400);
      await this.baseBackup(i);
    }
    if (!existsSync(path.join(n.dataDir, 'standby.signal'))) writeFileSync(path.join(n.dataDir, 'standby.signal'), '');
    await this.start(i);
    return how;
  }
  lastRewindError = '';

  /** Waits until the standby streams from the primary (and, when synchronous, is the sync standby). */
  async waitStreaming(timeoutMs = 120_000) {
    const t0 = Date.now();
    for (;;) {
      const out = await this.psql(
        this.primary,
        `select coalesce(string_agg(state || '/' || sync_state, ','), '') || ' tli ' || (select timeline_id from pg_control_checkpoint()) from pg_stat_replication`,
      );
      const tli = await this.psql(
        this.standby,
        `select coalesce((select status || ' tli ' || received_tli from pg_stat_wal_receiver), 'none')`,
      ).catch(() => 'down');
      // Streaming on the primary's own timeline: a standby left on the old timeline shows as streaming for a moment.
      if (
        out.includes('streaming/') &&
        (!this.sync || out.includes('/sync')) &&
        tli === `streaming ${out.slice(out.lastIndexOf(' tli ') + 1)}`
      )
        return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`standby not streaming after ${timeoutMs} ms: primary ${out}, standby ${tli}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async psql(i: 0 | 1, query: string) {
    return (
      await asPg(`${PG_BIN}/psql`, [
        '-h',
        '127.0.0.1',
        '-p',
        String(this.nodes[i].port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-At',
        '-c',
        query,
      ])
    ).trim();
  }

  async dispose() {
    this.proxy?.close();
    await this.stop(0);
    await this.stop(1);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
