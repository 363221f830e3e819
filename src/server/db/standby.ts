import type pg from 'pg';

/**
 * The synchronous standby, seen from the app (decision 027). With `synchronous_commit = on` and
 * `synchronous_standby_names` set, PostgreSQL acknowledges a commit only once the standby has flushed it: a ballot
 * the phone was told is counted survives the loss of the primary. When the standby is gone PostgreSQL simply waits —
 * every commit hangs, voting stops, and nothing says why. This module makes that visible (/api/health, the meeting
 * console) and, when the setting asks for it (`STANDBY_MODE=continue`), turns synchronous replication off while the
 * standby is away (ALTER SYSTEM + pg_reload_conf, PostgreSQL's own switch; waiting commits are released) and back on
 * once it streams again, with a warning in the log each time.
 *
 * Under Patroni (`STANDBY_SWITCH=patroni`) Patroni owns synchronous_standby_names: an ALTER SYSTEM from the app
 * would override Patroni's postgresql.conf and outlive its decisions. There the choice between waiting and going on
 * is Patroni's `synchronous_mode_strict` (on: wait, off: Patroni drops the absent standby from the setting); the app
 * only watches the setting, reports it, and logs the same warnings when it sees Patroni switch (decision 027).
 */

export type StandbyMode = 'wait' | 'continue';

export interface StandbyConfig {
  /** wait: PostgreSQL's behaviour (commits wait for the standby); continue: go on without it, logged. */
  mode: StandbyMode;
  /** The synchronous_standby_names to restore when the standby is back (continue mode). */
  names: string;
  /** How long the standby may be absent before continue mode turns synchronous replication off. */
  graceMs: number;
  /** Who switches synchronous replication off and on in continue mode: the app (default) or Patroni. */
  switchedBy?: 'app' | 'patroni';
}

export interface StandbyStatus {
  /** ok: a synchronous standby confirms commits; absent: configured but none connected (commits wait); off: none configured. */
  state: 'ok' | 'absent' | 'off';
  /** Standbys streaming (sync or not). */
  streaming: number;
  /** synchronous_standby_names as the server has it now. */
  names: string;
  /** continue mode switched synchronous replication off at this time (ISO), until the standby is back. */
  switchedOffAt: string | null;
  /** Chinese, for the console. */
  message: string | null;
}

const STATUS_SQL = `select current_setting('synchronous_standby_names') as names,
  current_setting('synchronous_commit') as commit,
  (select count(*)::int from pg_stat_replication where sync_state in ('sync', 'quorum')) as sync,
  (select count(*)::int from pg_stat_replication where state = 'streaming') as streaming`;

interface Logger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class StandbyMonitor {
  private last: { at: number; status: StandbyStatus } | null = null;
  private absentSince: number | null = null;
  private switchedOffAt: Date | null = null;
  /** Whether synchronous_standby_names was set at the last check (Patroni mode: a change is Patroni's switch). */
  private wasConfigured: boolean | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<StandbyStatus> | null = null;

  constructor(
    private pool: pg.Pool,
    private config: StandbyConfig | null,
    private log: Logger,
    private now = () => Date.now(),
  ) {}

  /** Checks every `everyMs` (continue mode needs a clock of its own: nobody may be asking /api/health). */
  start(everyMs = 2000) {
    if (!this.config || this.timer) return;
    this.timer = setInterval(() => {
      this.check().catch(() => {});
    }, everyMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The last status if fresher than `maxAgeMs`, else a new check. */
  async status(maxAgeMs = 1000): Promise<StandbyStatus> {
    if (this.last && this.now() - this.last.at < maxAgeMs) return this.last.status;
    return this.check();
  }

  check(): Promise<StandbyStatus> {
    // One check at a time: health requests and the timer share it.
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<StandbyStatus> {
    const { rows } = await this.pool.query<{ names: string; commit: string; sync: number; streaming: number }>(
      STATUS_SQL,
    );
    let { names, sync, streaming } = rows[0]!;
    const configured = names.trim() !== '';
    const cfg = this.config;
    if (configured && sync === 0) this.absentSince ??= this.now();
    else this.absentSince = null;

    if (cfg?.mode === 'continue' && cfg.switchedBy === 'patroni') {
      if (this.wasConfigured === true && !configured) {
        this.switchedOffAt = new Date(this.now());
        this.log.warn(
          { standby: 'absent', by: 'patroni' },
          '同步备库不在线，Patroni 已关闭同步复制继续提交（synchronous_mode_strict 关闭）；此时确认的选票只在主库上，主库故障会丢失',
        );
      } else if (this.wasConfigured === false && configured) {
        this.log.warn({ standby: 'back', by: 'patroni', names }, '备库已重新连接，Patroni 已恢复同步复制');
        this.switchedOffAt = null;
      }
      this.wasConfigured = configured;
    } else if (cfg?.mode === 'continue') {
      if (configured && sync === 0 && this.now() - this.absentSince! >= cfg.graceMs) {
        await this.setNames('');
        this.switchedOffAt = new Date(this.now());
        this.log.warn(
          { standby: 'absent', names },
          '同步备库不在线，已关闭同步复制继续提交（STANDBY_MODE=continue）；此时确认的选票只在主库上，主库故障会丢失',
        );
        names = '';
      } else if (!configured && streaming > 0) {
        await this.setNames(cfg.names);
        this.log.warn({ standby: 'back', names: cfg.names }, '备库已重新连接并追上主库，已恢复同步复制');
        this.switchedOffAt = null;
        names = cfg.names;
      }
    }
    const nowConfigured = names.trim() !== '';
    const state: StandbyStatus['state'] = nowConfigured ? (sync > 0 ? 'ok' : 'absent') : 'off';
    const message =
      state === 'absent'
        ? '同步备库不在线：数据库提交正在等待备库，投票和保存会暂停，请检查备库'
        : state === 'off' && cfg
          ? `同步备库不在线，已改为仅主库提交（${this.switchedOffAt ? `自 ${this.switchedOffAt.toISOString()} 起，` : ''}主库故障可能丢失此后数据）`
          : null;
    const status = { state, streaming, names, switchedOffAt: this.switchedOffAt?.toISOString() ?? null, message };
    this.last = { at: this.now(), status };
    return status;
  }

  /** ALTER SYSTEM cannot take a parameter; the value is quoted as a literal (it is ours or the operator's). */
  private async setNames(value: string) {
    const literal = `'${value.replace(/'/g, "''")}'`;
    try {
      await this.pool.query(`alter system set synchronous_standby_names = ${literal}`);
      await this.pool.query('select pg_reload_conf()');
    } catch (err) {
      this.log.error(
        { err },
        '无法修改 synchronous_standby_names（需要超级用户，或 GRANT ALTER SYSTEM ON PARAMETER synchronous_standby_names 和 pg_reload_conf 的执行权限）',
      );
      throw err;
    }
  }
}

/** Whether the health answer is "degraded": expected redundancy is missing. */
export function isDegraded(s: StandbyStatus, config: StandbyConfig | null) {
  return s.state === 'absent' || (s.state === 'off' && config !== null);
}
