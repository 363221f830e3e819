// The failover proof's cluster with Patroni + etcd doing the failover (issue 19, decision 027 "Patroni"): a
// three-member etcd cluster (temp data dirs, free ports; one member may die and the DCS keeps its quorum) and two
// Patroni 3 nodes managing PostgreSQL 15 (Debian packages: /usr/bin/patroni, /usr/bin/etcd). Production settings:
// TCP connections need passwords (scram-sha-256; superuser, a replication role and a pg_rewind role, each its own),
// Patroni's REST API needs basic auth for its unsafe endpoints, the watchdog is asked for ('automatic': used when the
// machine has /dev/watchdog, reported when it has not). Patroni bootstraps the first node (initdb), clones the second (pg_basebackup), keeps
// synchronous_standby_names itself (synchronous_mode + synchronous_mode_strict: with no synchronous standby commits
// wait, as STANDBY_MODE=wait expects), promotes the synchronous standby when the leader key expires (ttl) and rewinds
// a former primary that comes back (use_pg_rewind; a new base backup when rewinding fails). The script only kills
// and restarts. Each node's connect_address (what the other node's primary_conninfo and pg_rewind use) is a
// CuttableProxy of its own, so the partition round can cut replication. Same public surface as PgCluster.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CuttableProxy, type FailoverCluster, type Node, asPg } from './pg-cluster';
import { freePort, PG_BIN } from './pg-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Short timings so a failover takes seconds (production: ttl 30, loop_wait 10, retry_timeout 10). */
const TTL = 10;
const LOOP_WAIT = 1;
const RETRY_TIMEOUT = 3;

/** The PostgreSQL settings PgCluster uses (BASE_CONF); Patroni keeps them in etcd for both nodes. */
const PARAMETERS = {
  fsync: 'on',
  synchronous_commit: 'on',
  wal_level: 'replica',
  max_wal_senders: 10,
  max_replication_slots: 10,
  hot_standby: 'on',
  wal_log_hints: 'on',
  wal_recycle: 'off',
  max_connections: 300,
  wal_keep_size: '128MB',
  wal_sender_timeout: '5s',
  wal_receiver_timeout: '5s',
  wal_retrieve_retry_interval: '500ms',
};

interface PatroniNode extends Node {
  rest: number;
  proxy: CuttableProxy;
  config: string;
  patroniLog: string;
  proc?: ChildProcess;
}
interface EtcdMember {
  name: string;
  client: number;
  peer: number;
  proc?: ChildProcess;
}
interface ClusterJson {
  members: Array<{ name: string; role: string; state: string; timeline?: number }>;
}

/** Both proxies at once: a partition between the servers (etcd and the REST APIs stay reachable). */
class ProxyPair {
  constructor(private c: PatroniCluster) {}
  get port() {
    return this.c.nodes[this.c.primary].proxy.port;
  }
  get cut() {
    return this.c.nodes[0].proxy.cut;
  }
  set cut(v: boolean) {
    for (const n of this.c.nodes) n.proxy.cut = v;
  }
  reset() {
    for (const n of this.c.nodes) n.proxy.reset();
  }
}

export class PatroniCluster implements FailoverCluster {
  readonly manager = 'patroni';
  readonly dir: string;
  nodes!: [PatroniNode, PatroniNode];
  primary: 0 | 1 = 0;
  readonly proxy = new ProxyPair(this);
  sync = true;
  lastRewindError = '';
  /** How the last promotion happened and what it waited for (printed by the proof). */
  lastPromote = '';
  readonly etcd: EtcdMember[] = [];
  /** Passwords of this run: the app's superuser, replication, pg_rewind, Patroni's REST API. */
  private readonly secret = {
    superuser: randomBytes(12).toString('hex'),
    replication: randomBytes(12).toString('hex'),
    rewind: randomBytes(12).toString('hex'),
    rest: randomBytes(12).toString('hex'),
  };

  /**
   * strict (STANDBY_MODE=wait): with the synchronous standby gone commits wait. Not strict (STANDBY_MODE=continue):
   * Patroni empties synchronous_standby_names and commits go on with one copy, until the standby is back.
   */
  private constructor(readonly strict: boolean) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'shuping-patroni-'));
    chmodSync(this.dir, 0o777);
  }

  static async create(strict = true) {
    const c = new PatroniCluster(strict);
    try {
      await c.startEtcd();
      const nodes: PatroniNode[] = [];
      for (const name of ['a', 'b']) {
        const port = await freePort();
        nodes.push({
          name,
          port,
          rest: await freePort(),
          proxy: new CuttableProxy(await freePort(), port),
          dataDir: path.join(c.dir, name),
          logFile: path.join(c.dir, `${name}-pglog`, 'postgresql.log'),
          config: path.join(c.dir, `${name}.yml`),
          patroniLog: path.join(c.dir, `${name}-patroni.log`),
        });
      }
      c.nodes = nodes as [PatroniNode, PatroniNode];
      for (const n of c.nodes) c.writeConfig(n);
      // The first node bootstraps (initdb) and takes the leader key; the second then clones it.
      c.startPatroni(0);
      await c.waitRest(0, '/primary', 180_000);
      c.startPatroni(1);
      await c.waitRest(1, '/replica', 300_000);
      await c.waitStreaming(300_000);
      return c;
    } catch (e) {
      await c.dispose(true);
      throw e;
    }
  }

  get standby(): 0 | 1 {
    return this.primary === 0 ? 1 : 0;
  }
  url(i: 0 | 1) {
    return `postgres://postgres:${this.secret.superuser}@127.0.0.1:${this.nodes[i].port}/postgres`;
  }
  get multiUrl() {
    return `postgres://postgres:${this.secret.superuser}@127.0.0.1:${this.nodes[0].port},127.0.0.1:${this.nodes[1].port}/postgres?target_session_attrs=read-write`;
  }

  private async startEtcd() {
    for (const name of ['e1', 'e2', 'e3']) this.etcd.push({ name, client: await freePort(), peer: await freePort() });
    for (let k = 0; k < this.etcd.length; k++) this.startEtcdMember(k);
    await this.waitEtcd(60_000);
  }

  /** One etcd member (again): with its data directory in place etcd rejoins and ignores the initial-cluster flags. */
  startEtcdMember(k: number) {
    const m = this.etcd[k]!;
    const log = openSync(path.join(this.dir, `etcd-${m.name}.log`), 'a');
    const initial = this.etcd.map((e) => `${e.name}=http://127.0.0.1:${e.peer}`).join(',');
    m.proc = spawn(
      '/usr/bin/etcd',
      [
        '--name',
        m.name,
        '--data-dir',
        path.join(this.dir, `etcd-${m.name}`),
        '--listen-client-urls',
        `http://127.0.0.1:${m.client}`,
        '--advertise-client-urls',
        `http://127.0.0.1:${m.client}`,
        '--listen-peer-urls',
        `http://127.0.0.1:${m.peer}`,
        '--initial-advertise-peer-urls',
        `http://127.0.0.1:${m.peer}`,
        '--initial-cluster',
        initial,
        '--initial-cluster-token',
        path.basename(this.dir),
        '--initial-cluster-state',
        'new',
        '--log-level',
        'warn',
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
  }

  /** A dead DCS machine: SIGKILL to one etcd member. */
  killEtcdMember(k: number) {
    const m = this.etcd[k]!;
    m.proc?.kill('SIGKILL');
    m.proc = undefined;
  }

  /** Every running member answers /health true (it needs the quorum). */
  async waitEtcd(timeoutMs: number) {
    const t0 = Date.now();
    for (;;) {
      const up = this.etcd.filter((m) => m.proc);
      const ok = await Promise.all(
        up.map(async (m) => {
          try {
            const r = await fetch(`http://127.0.0.1:${m.client}/health`, { signal: AbortSignal.timeout(2000) });
            return r.ok && ((await r.json()) as { health?: string }).health === 'true';
          } catch {
            return false;
          }
        }),
      );
      if (ok.every(Boolean)) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs) {
        const tails = this.etcd
          .map((m) => {
            try {
              return `${m.name}: ${readFileSync(path.join(this.dir, `etcd-${m.name}.log`), 'utf8').slice(-400)}`;
            } catch {
              return '';
            }
          })
          .join('\n');
        throw new Error(`etcd not healthy after ${timeoutMs} ms:\n${tails}`);
      }
      await sleep(200);
    }
  }

  /** What Patroni said about the watchdog (production asks for it; this machine has no /dev/watchdog). */
  watchdogState() {
    const log = this.logTail(this.primary, 1 << 20);
    if (/watchdog activated/i.test(log)) return 'active';
    const m = log.match(/[^\n]*watchdog[^\n]*/i);
    return m ? `not active: ${m[0].replace(/^.*?(INFO|WARNING|ERROR):\s*/, '').slice(0, 140)}` : 'not mentioned';
  }

  private writeConfig(n: PatroniNode) {
    const config = {
      scope: 'shuping',
      namespace: '/service/',
      name: n.name,
      restapi: {
        listen: `127.0.0.1:${n.rest}`,
        connect_address: `127.0.0.1:${n.rest}`,
        authentication: { username: 'patroni', password: this.secret.rest },
      },
      etcd3: { hosts: this.etcd.map((m) => `127.0.0.1:${m.client}`) },
      bootstrap: {
        dcs: {
          ttl: TTL,
          loop_wait: LOOP_WAIT,
          retry_timeout: RETRY_TIMEOUT,
          // strict: with the synchronous standby gone, synchronous_standby_names stays '*' and commits wait
          // (nothing is acknowledged with one copy), instead of Patroni's default of switching it off.
          synchronous_mode: true,
          synchronous_mode_strict: this.strict,
          // The synchronous standby has every acknowledged commit; WAL it has not received yet was never
          // acknowledged. Patroni's 1 MB default could refuse the failover under load for no gain here.
          maximum_lag_on_failover: 1 << 30,
          postgresql: { use_pg_rewind: true, use_slots: true, parameters: PARAMETERS },
        },
        initdb: [{ encoding: 'UTF8' }, { locale: 'C.UTF-8' }],
      },
      postgresql: {
        listen: `127.0.0.1:${n.port}`,
        connect_address: `127.0.0.1:${n.proxy.port}`,
        data_dir: n.dataDir,
        bin_dir: PG_BIN,
        pgpass: path.join(this.dir, `${n.name}.pgpass`),
        authentication: {
          superuser: { username: 'postgres', password: this.secret.superuser },
          replication: { username: 'replicator', password: this.secret.replication },
          rewind: { username: 'rewinder', password: this.secret.rewind },
        },
        parameters: {
          unix_socket_directories: this.dir,
          logging_collector: 'on',
          log_directory: path.dirname(n.logFile),
          log_filename: 'postgresql.log',
        },
        // Over TCP every role needs its password; the unix socket (a directory only this run uses) stays the
        // operator's way in on the machine itself, as peer authentication is in production.
        pg_hba: [
          'local all all trust',
          'host replication replicator 127.0.0.1/32 scram-sha-256',
          'host all all 127.0.0.1/32 scram-sha-256',
        ],
        basebackup: [{ checkpoint: 'fast' }],
        // As PgCluster: when pg_rewind cannot rewind, a fresh base backup.
        remove_data_directory_on_rewind_failure: true,
        remove_data_directory_on_diverged_timelines: true,
      },
      // Production: 'required' on machines with a watchdog device; 'automatic' here so the proof says what it found.
      watchdog: { mode: 'automatic', device: '/dev/watchdog', safety_margin: 5 },
      tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
    };
    // YAML is a superset of JSON.
    writeFileSync(n.config, JSON.stringify(config, null, 2));
    chmodSync(n.config, 0o644);
  }

  /** Patroni refuses to run as root: as the postgres user (uid/gid of `postgres`), its own pid for kill9. */
  private startPatroni(i: 0 | 1) {
    const n = this.nodes[i];
    const log = openSync(n.patroniLog, 'a');
    const asRoot = process.getuid?.() === 0;
    const ids = asRoot
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
          gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
        }
      : {};
    n.proc = spawn('/usr/bin/patroni', [n.config], {
      ...ids,
      stdio: ['ignore', log, log],
      env: { PATH: '/usr/bin:/bin', HOME: this.dir, LANG: 'C.UTF-8', PYTHONUNBUFFERED: '1' },
    });
    closeSync(log);
  }

  private async rest(i: 0 | 1, p: string, init?: RequestInit) {
    try {
      const r = await fetch(`http://127.0.0.1:${this.nodes[i].rest}${p}`, {
        ...init,
        headers: {
          ...(init?.headers as Record<string, string> | undefined),
          authorization: `Basic ${Buffer.from(`patroni:${this.secret.rest}`).toString('base64')}`,
        },
        signal: AbortSignal.timeout(5000),
      });
      return { status: r.status, text: await r.text() };
    } catch (e) {
      return { status: 0, text: String(e) };
    }
  }

  private async waitRest(i: 0 | 1, p: string, timeoutMs: number) {
    const t0 = Date.now();
    for (;;) {
      if ((await this.rest(i, p)).status === 200) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`patroni ${this.nodes[i].name}: ${p} not 200 after ${timeoutMs} ms; log:\n${this.logTail(i)}`);
      await sleep(200);
    }
  }

  logTail(i: 0 | 1, chars = 1500) {
    try {
      return readFileSync(this.nodes[i].patroniLog, 'utf8').slice(-chars);
    } catch {
      return '';
    }
  }

  private async clusterJson(i: 0 | 1): Promise<ClusterJson | null> {
    const r = await this.rest(i, '/cluster');
    try {
      return r.status === 200 ? (JSON.parse(r.text) as ClusterJson) : null;
    } catch {
      return null;
    }
  }

  private pgPid(i: 0 | 1) {
    try {
      return Number(readFileSync(path.join(this.nodes[i].dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return 0;
    }
  }

  /**
   * A dead machine: SIGKILL to the node's Patroni first (so nothing restarts or demotes anything), then to the
   * postmaster and every backend at once.
   */
  kill9(i: 0 | 1) {
    const n = this.nodes[i];
    const pat = n.proc?.pid;
    if (pat) {
      try {
        process.kill(pat, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    const p = this.pgPid(i);
    // Not Patroni's pid: our own child stays a zombie (signal 0 succeeds) until this event loop reaps it.
    const all = [p].filter(Boolean);
    if (p) {
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
      all.push(...children);
      for (const q of [p, ...children]) {
        try {
          process.kill(q, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    for (let k = 0; k < 100; k++) {
      if (
        !all.some((q) => {
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
    n.proc = undefined;
  }

  /**
   * Waits until Patroni has made the standby the leader (its REST GET /primary answers 200). Patroni promotes by
   * itself only a standby named in its /sync key. A standby that was cut off before the kill was dropped from /sync
   * (it stopped streaming, so it may lack commits) and Patroni then waits for the old leader forever — correctly: it
   * cannot know that strict mode acknowledged nothing meanwhile. That is the operator's manual failover, done here
   * as `patronictl failover --candidate <standby> --force` does it (POST /failover) once the leader key has expired.
   */
  async promote() {
    const s = this.standby;
    const t0 = Date.now();
    let manual = '';
    for (;;) {
      if ((await this.rest(s, '/primary')).status === 200) break;
      if (!manual) {
        const cl = await this.clusterJson(s);
        const me = cl?.members.find((m) => m.name === this.nodes[s].name);
        const leaderGone = cl && !cl.members.some((m) => m.role === 'leader');
        if (leaderGone && me && me.role !== 'sync_standby' && Date.now() - t0 > 2000) {
          const r = await this.rest(s, '/failover', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ candidate: this.nodes[s].name }),
          });
          manual = `manual failover (patronictl failover: ${this.nodes[s].name} was not in /sync, Patroni does not promote it by itself) → ${r.status} ${r.text.trim().slice(0, 80)}`;
        }
      }
      if (Date.now() - t0 > 180_000)
        throw new Error(`patroni did not promote ${this.nodes[s].name} within 180 s; log:\n${this.logTail(s)}`);
      await sleep(100);
    }
    this.primary = s;
    this.lastPromote =
      manual || `by Patroni after the leader key expired (ttl ${TTL} s), ${Date.now() - t0} ms after the kill returned`;
  }

  /**
   * The dead node's Patroni is started again; it finds a leader, runs crash recovery and pg_rewind itself (or removes
   * the data directory and takes a base backup) and starts as a replica. Returns what Patroni did, from its log.
   */
  async rebuild(): Promise<string> {
    const i = this.standby;
    const n = this.nodes[i];
    const from = existsSync(n.patroniLog) ? statSync(n.patroniLog).size : 0;
    this.lastRewindError = '';
    this.startPatroni(i);
    // Patroni starts a crashed former primary as a replica first and rewinds it only when it cannot follow the new
    // timeline: what it did is known once the node streams on the leader's timeline.
    await this.waitRest(i, '/replica', 300_000);
    await this.waitStreaming(300_000);
    const log = readFileSync(n.patroniLog, 'utf8').slice(from);
    const rewinds = [...log.matchAll(/pg_rewind exit code=(\d+)/g)].map((m) => Number(m[1]));
    const removed = /removing\.\.\.|reinitializing due to diverged timelines|Removing data directory/i.test(log);
    if (rewinds.some((c) => c !== 0))
      this.lastRewindError = (log.match(/stderr=([^\n]*(?:\n(?!\d{4}-)[^\n]*)*)/g) ?? []).join(' ').slice(-400);
    if (removed) return 'pg_basebackup';
    if (rewinds.includes(0)) return 'pg_rewind';
    return 'no rewind needed';
  }

  /** Streaming on the primary's timeline and, in synchronous mode, Patroni's sync_standby (so the next failover is automatic). */
  async waitStreaming(timeoutMs = 120_000) {
    const t0 = Date.now();
    for (;;) {
      const out = await this.psql(
        this.primary,
        `select coalesce(string_agg(state || '/' || sync_state, ','), '') || ' tli ' || (select timeline_id from pg_control_checkpoint()) from pg_stat_replication`,
      ).catch(() => 'down');
      const tli = await this.psql(
        this.standby,
        `select coalesce((select status || ' tli ' || received_tli from pg_stat_wal_receiver), 'none')`,
      ).catch(() => 'down');
      const role = (await this.clusterJson(this.primary))?.members.find(
        (m) => m.name === this.nodes[this.standby].name,
      )?.role;
      if (
        out.includes('streaming/') &&
        (!this.sync || (out.includes('/sync') && role === 'sync_standby')) &&
        tli === `streaming ${out.slice(out.lastIndexOf(' tli ') + 1)}`
      )
        return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs)
        throw new Error(
          `standby not streaming after ${timeoutMs} ms: primary ${out}, standby ${tli}, patroni role ${role}`,
        );
      await sleep(200);
    }
  }

  /** Patroni owns synchronous_standby_names: synchronous_mode through its dynamic configuration (PATCH /config). */
  async setSynchronous(on: boolean) {
    const r = await this.rest(this.primary, '/config', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ synchronous_mode: on, synchronous_mode_strict: on && this.strict }),
    });
    if (r.status !== 200) throw new Error(`PATCH /config: ${r.status} ${r.text}`);
    this.sync = on;
    for (let k = 0; k < 600; k++) {
      const names = await this.psql(this.primary, 'show synchronous_standby_names');
      if (on ? names !== '' : names === '') return;
      await sleep(100);
    }
    throw new Error(`synchronous_standby_names not ${on ? 'set' : 'cleared'} by Patroni within 60 s`);
  }

  async psql(i: 0 | 1, query: string) {
    return (await asPg(`${PG_BIN}/psql`, ['-d', this.url(i), '-At', '-c', query])).trim();
  }

  /** SIGTERM to each Patroni (it stops its PostgreSQL), SIGKILL after 30 s; then etcd; keepDir for a post-mortem. */
  async dispose(keepDir = process.env.FAILOVER_KEEP_DIR === '1') {
    for (const n of this.nodes ?? []) {
      n.proxy.close();
      if (n.proc?.pid) {
        try {
          process.kill(n.proc.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
    }
    for (
      let k = 0;
      k < 300 && (this.nodes ?? []).some((n) => n.proc && n.proc.exitCode === null && n.proc.signalCode === null);
      k++
    )
      await sleep(100);
    for (const [i, n] of (this.nodes ?? []).entries()) {
      const pg = this.pgPid(i as 0 | 1);
      let pgAlive = false;
      if (pg) {
        try {
          process.kill(pg, 0);
          pgAlive = true;
        } catch {
          /* gone */
        }
      }
      if ((n.proc && n.proc.exitCode === null && n.proc.signalCode === null) || pgAlive) this.kill9(i as 0 | 1);
    }
    // A second call (the bench's cleanup after its own dispose) must not signal pids that may have been reused.
    for (const n of this.nodes ?? []) n.proc = undefined;
    for (let k = 0; k < this.etcd.length; k++) this.killEtcdMember(k);
    if (keepDir) console.log(`  kept ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
