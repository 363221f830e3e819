import pg from 'pg';

/**
 * Multi-host connection strings for node-postgres (decision 027). libpq accepts
 * `postgres://user@h1:5432,h2:5432/db?target_session_attrs=read-write` and tries the hosts in order until one accepts
 * the session kind asked for; node-postgres 8 (pg-connection-string) does not: it reads one host and ignores the
 * attribute. So the list is parsed here, each new pooled connection goes to the host that last answered as the
 * right kind, and a host that refuses or turns out to be the wrong kind (a standby, a demoted primary) moves the
 * pool on to the next one. After a failover the pool and the LISTEN client reach the promoted server by themselves.
 */

export type SessionAttrs = 'any' | 'read-write' | 'primary' | 'read-only' | 'standby' | 'prefer-standby';
const ATTRS: SessionAttrs[] = ['any', 'read-write', 'primary', 'read-only', 'standby', 'prefer-standby'];

export interface HostList {
  /** The connection string with only the first host and without target_session_attrs, for node-postgres. */
  url: string;
  hosts: Array<{ host: string; port: number }>;
  attrs: SessionAttrs;
}

/** Splits a libpq-style URL; a single-host URL comes back unchanged with `any` unless it names an attribute. */
export function parseHostList(url: string): HostList {
  const m = /^(postgres(?:ql)?:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!m) throw new Error('DATABASE_URL 必须以 postgres:// 开头');
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostPart = at >= 0 ? authority.slice(at + 1) : authority;
  const hosts = hostPart
    .split(',')
    .filter(Boolean)
    .map((h) => {
      const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(h);
      if (v6) return { host: v6[1]!, port: Number(v6[2] ?? 5432) };
      const [host, port] = h.split(':');
      return { host: decodeURIComponent(host ?? ''), port: Number(port || 5432) };
    });
  if (hosts.some((h) => !h.host || !Number.isInteger(h.port) || h.port < 1 || h.port > 65535)) {
    throw new Error('DATABASE_URL 的主机列表格式不正确，应为 postgres://用户@主机1:端口1,主机2:端口2/库名');
  }
  // target_session_attrs is libpq's; node-postgres would pass an unknown parameter on as a server setting.
  const q = rest.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? rest.slice(q + 1) : '');
  const attrs = (params.get('target_session_attrs') ?? 'any') as SessionAttrs;
  if (!ATTRS.includes(attrs)) throw new Error(`target_session_attrs 只能是 ${ATTRS.join('、')} 之一`);
  params.delete('target_session_attrs');
  const query = params.toString();
  const first = hosts[0] ?? { host: 'localhost', port: 5432 };
  const hostText = first.host.includes(':') ? `[${first.host}]` : first.host;
  const path = q >= 0 ? rest.slice(0, q) : rest;
  return {
    url: `${scheme}${userinfo}${hostText}:${first.port}${path}${query ? `?${query}` : ''}`,
    hosts: hosts.length ? hosts : [first],
    attrs,
  };
}

/** SQLSTATE-like code of the error a pooled connection raises when its server is not the kind asked for. */
export const WRONG_SESSION_KIND = 'SPWRONGHOST';

/**
 * A pg.Client class for pg.Pool that connects to the host the pool currently believes right, and an onConnect
 * check of the session kind. Each failure moves the pool to the next host, so a dead or demoted primary costs the
 * requests that were using it (answered as retryable, errors.ts) and then no more.
 */
export function multiHostClient(list: HostList) {
  let current = 0;
  const next = (from: number) => {
    if (current === from) current = (from + 1) % list.hosts.length;
  };
  const wantStandby = list.attrs === 'read-only' || list.attrs === 'standby' || list.attrs === 'prefer-standby';
  /** prefer-standby: after a full turn over the list without a standby, any server will do. */
  let misses = 0;

  class MultiHostClient extends pg.Client {
    private hostIndex = current;

    constructor(config?: pg.ClientConfig) {
      super(config);
      const { host, port } = list.hosts[this.hostIndex]!;
      // The constructor read the first host from the URL; connect() uses these two fields.
      Object.assign(this, { host, port });
      Object.assign((this as unknown as { connectionParameters: object }).connectionParameters, { host, port });
    }

    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads (promise or callback) cannot be restated in a subclass
    override connect(callback?: any): any {
      if (!callback)
        return new Promise((resolve, reject) =>
          this.connect((err: Error | null) => (err ? reject(err) : resolve(this))),
        );
      super.connect((err: Error) => {
        if (err && list.hosts.length > 1) next(this.hostIndex);
        callback(err);
      });
    }

    /** Called by the pool's onConnect: refuses a session of the wrong kind and moves on. */
    async checkKind() {
      if (list.attrs === 'any') return;
      const { rows } = await this.query<{ recovery: boolean; ro: string }>(
        `select pg_is_in_recovery() as recovery, current_setting('transaction_read_only') as ro`,
      );
      const { recovery, ro } = rows[0]!;
      const ok =
        list.attrs === 'read-write'
          ? ro === 'off' && !recovery
          : list.attrs === 'primary'
            ? !recovery
            : list.attrs === 'prefer-standby'
              ? recovery || misses >= list.hosts.length
              : recovery;
      if (ok) {
        misses = 0;
        return;
      }
      misses++;
      next(this.hostIndex);
      const { host, port } = list.hosts[this.hostIndex]!;
      throw Object.assign(new Error(`${host}:${port} is ${recovery ? 'a standby' : 'read-write'}, not ${list.attrs}`), {
        code: WRONG_SESSION_KIND,
      });
    }
  }
  return { Client: MultiHostClient, wantStandby, hostNow: () => list.hosts[current]! };
}

/** pg.Pool options for a possibly multi-host URL; a plain one-host URL is passed on untouched. */
export function poolOptions(
  url: string,
  opts: { max: number; applicationName: string; connectionTimeoutMillis?: number },
): pg.PoolConfig {
  const list = parseHostList(url);
  const single = list.hosts.length === 1 && list.attrs === 'any' && !url.includes('target_session_attrs');
  const base: pg.PoolConfig = {
    connectionString: single ? url : list.url,
    max: opts.max,
    application_name: opts.applicationName,
    ...(opts.connectionTimeoutMillis ? { connectionTimeoutMillis: opts.connectionTimeoutMillis } : {}),
  };
  if (single) return base;
  const { Client } = multiHostClient(list);
  return {
    // A host that went away without a reset (power cut, partition) must not hang a connection attempt for ever; the
    // pool applies the same limit to a request queued for a connection, so it is generous.
    connectionTimeoutMillis: 10_000,
    ...base,
    Client,
    onConnect: (client: pg.PoolClient) => (client as unknown as InstanceType<typeof Client>).checkKind(),
  } as unknown as pg.PoolConfig;
}
