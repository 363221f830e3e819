import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isDegraded, StandbyMonitor } from './standby';

/**
 * The monitor's decisions against a scripted server: what pg_stat_replication and synchronous_standby_names say, and
 * which statements the monitor sends back. The statements themselves run against two real servers in
 * `npm run proof:failover` (the partition round).
 */
function server(state: { names: string; sync: number; streaming: number }) {
  const sent: string[] = [];
  const pool = {
    query: async (text: string) => {
      sent.push(text);
      const m = /alter system set synchronous_standby_names = '(.*)'/.exec(text);
      if (m) state.names = m[1]!;
      return { rows: [{ names: state.names, commit: 'on', sync: state.sync, streaming: state.streaming }] };
    },
  } as unknown as pg.Pool;
  return { pool, sent, state };
}
const quiet = { warn: () => {}, error: () => {} };

describe('standby monitor (decision 027)', () => {
  it('says nothing without a configured standby, degraded when the configured one is away', async () => {
    const s = server({ names: '', sync: 0, streaming: 0 });
    const m = new StandbyMonitor(s.pool, null, quiet);
    const off = await m.check();
    expect(off.state).toBe('off');
    expect(isDegraded(off, null)).toBe(false);
    s.state.names = '*';
    const absent = await m.check();
    expect(absent).toMatchObject({ state: 'absent' });
    expect(isDegraded(absent, null)).toBe(true);
    expect(absent.message).toContain('同步备库不在线');
    s.state.sync = 1;
    s.state.streaming = 1;
    expect((await m.check()).state).toBe('ok');
    expect(s.sent.some((q) => q.startsWith('alter system'))).toBe(false);
  });

  it('wait mode never touches the setting; continue mode switches off after the grace and back when the standby streams', async () => {
    let now = 0;
    const w = server({ names: '*', sync: 0, streaming: 0 });
    const waiting = new StandbyMonitor(w.pool, { mode: 'wait', names: '*', graceMs: 0 }, quiet, () => now);
    await waiting.check();
    await waiting.check();
    expect(w.sent.filter((q) => q.startsWith('alter system'))).toEqual([]);

    const c = server({ names: '*', sync: 0, streaming: 0 });
    const warnings: string[] = [];
    const m = new StandbyMonitor(
      c.pool,
      { mode: 'continue', names: 'ANY 1 (s1)', graceMs: 5000 },
      { warn: (_o, msg) => warnings.push(msg), error: () => {} },
      () => now,
    );
    expect((await m.check()).state).toBe('absent');
    now = 4999;
    expect((await m.check()).state).toBe('absent');
    now = 5000;
    const off = await m.check();
    expect(off.state).toBe('off');
    expect(isDegraded(off, { mode: 'continue', names: '*', graceMs: 5000 })).toBe(true);
    expect(c.sent).toContain("alter system set synchronous_standby_names = ''");
    expect(c.sent).toContain('select pg_reload_conf()');
    c.state.streaming = 1;
    now = 9000;
    await m.check();
    expect(c.sent).toContain("alter system set synchronous_standby_names = 'ANY 1 (s1)'");
    expect(warnings).toHaveLength(2);
  });

  it('under Patroni (STANDBY_SWITCH=patroni) continue mode never alters the setting, it reports and logs what Patroni switched', async () => {
    let now = 0;
    const p = server({ names: '*', sync: 1, streaming: 1 });
    const warnings: string[] = [];
    const cfg = { mode: 'continue' as const, names: '*', graceMs: 0, switchedBy: 'patroni' as const };
    const m = new StandbyMonitor(p.pool, cfg, { warn: (_o, msg) => warnings.push(msg), error: () => {} }, () => now);
    expect((await m.check()).state).toBe('ok');
    // The standby goes; with synchronous_mode_strict off Patroni empties the setting.
    p.state.sync = 0;
    p.state.streaming = 0;
    now = 60_000;
    expect((await m.check()).state).toBe('absent');
    p.state.names = '';
    const off = await m.check();
    expect(off.state).toBe('off');
    expect(off.switchedOffAt).toBe(new Date(60_000).toISOString());
    expect(isDegraded(off, cfg)).toBe(true);
    expect(warnings).toEqual([expect.stringContaining('Patroni 已关闭同步复制')]);
    // Back: Patroni sets it again.
    p.state.names = '"b"';
    p.state.sync = 1;
    p.state.streaming = 1;
    expect((await m.check()).state).toBe('ok');
    expect(warnings).toHaveLength(2);
    expect(p.sent.filter((q) => q.startsWith('alter system') || q.includes('pg_reload_conf'))).toEqual([]);
  });
});
