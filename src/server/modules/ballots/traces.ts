import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/connect';

/**
 * After a real round's ballots were mixed and its inbox dropped, the write-ahead log still holds the batches as
 * they were written during voting (each batch next to its codes' uses). A WAL switch and a checkpoint make every
 * older segment unneeded, and with wal_recycle off PostgreSQL deletes those files instead of renaming them for
 * reuse with their old contents (decision 017).
 *
 * A server with a standby keeps more (issue 19): wal_keep_size holds that much WAL behind the newest, and each
 * replication slot holds what its standby has not yet confirmed. So on PostgreSQL the close first switches segments
 * until the voting-time WAL lies more than wal_keep_size behind (one commit record per switch, since a switch with
 * nothing written since the last one does nothing), waits briefly for the slots to pass the last switch, then
 * checkpoints; with a read replica configured (DATABASE_READ_URL) it lets the replica replay that checkpoint and runs
 * a restartpoint there, so the standby drops its copy too. What the server is set to keep anyway is reported, in
 * Chinese, on the round, so the organizer knows what this close could not remove.
 */
export interface TraceReport {
  walPurged: boolean;
  warnings: string[];
}

interface ServerSettings {
  wal_recycle: string;
  archive_mode: string;
  wal_keep_size: string;
  log_statement: string;
  slots: number;
}

/** More switches than this (wal_keep_size over 1 GB of 16 MB segments) would cost the close too much: warned instead. */
const MAX_SWITCHES = 64;
const SLOT_WAIT_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function purgeTraces(database: Database): Promise<TraceReport> {
  const db = database.db;
  const warnings: string[] = [];
  let walPurged = false;
  let keptBySize = false;
  let heldBySlots = 0;
  try {
    if (database.kind === 'pglite') {
      // PGlite is one process: this session's setting is the checkpointer's. It has no standby and keeps no WAL.
      await db.execute(sql`set wal_recycle = off`);
      await db.execute(sql`select pg_switch_wal()`);
    } else {
      const [w] = await queryRows<{ keep: string; seg: string }>(
        db,
        sql`
        select pg_size_bytes(current_setting('wal_keep_size'))::text as keep,
               pg_size_bytes(current_setting('wal_segment_size'))::text as seg`,
      );
      const need = Math.ceil(Number(w?.keep ?? 0) / Number(w?.seg ?? 16 * 1024 * 1024)) + 1;
      keptBySize = need > MAX_SWITCHES;
      for (let i = 0; i < Math.min(need, MAX_SWITCHES); i++) {
        // A transaction with an id writes a commit record, so the next switch has something to close.
        await db.execute(sql`select pg_current_xact_id()`);
        await db.execute(sql`select pg_switch_wal()`);
      }
      heldBySlots = await slotsBehind(database);
    }
    await db.execute(sql`checkpoint`);
    walPurged = true;
  } catch (e) {
    warnings.push(
      `结束测评时未能清理数据库预写日志（WAL）：${(e as Error).message}。在数据库下一次检查点之前，预写日志中的选票批次（每批不少于最小组人数）仍可读。请为应用的数据库账号授予 pg_checkpoint 角色和 pg_switch_wal() 的执行权限。`,
    );
  }
  if (database.kind === 'postgres') {
    if (walPurged && database.replica) {
      const done = await restartpointOnReplica(database).catch((e: Error) => e.message);
      if (done !== true) {
        warnings.push(
          `只读副本（备库）未能在结束测评时清理预写日志：${done}。备库在其下一次重启点（不晚于 checkpoint_timeout）之前仍保留投票期间的选票批次。可为应用的数据库账号授予 pg_checkpoint 角色。`,
        );
      }
    }
    const [s] = await queryRows<ServerSettings>(
      db,
      sql`
      select current_setting('wal_recycle') as wal_recycle, current_setting('archive_mode') as archive_mode,
             current_setting('wal_keep_size') as wal_keep_size, current_setting('log_statement') as log_statement,
             (select count(*)::int from pg_replication_slots) as slots`,
    );
    if (s) {
      if (s.wal_recycle === 'on') {
        warnings.push(
          '数据库设置 wal_recycle = on：旧的预写日志文件会被改名重用而不是删除，在被覆盖之前其中的选票批次仍可读。请在 postgresql.conf 中设置 wal_recycle = off。',
        );
      }
      if (s.archive_mode !== 'off') {
        warnings.push(
          '数据库开启了预写日志归档（archive_mode）：归档中保留了投票期间写入的选票批次（每批不少于最小组人数）。请按运维手册处理投票期间的归档文件。',
        );
      }
      if (keptBySize) {
        warnings.push(
          `数据库设置 wal_keep_size = ${s.wal_keep_size}：超过结束测评时可推进的范围（${MAX_SWITCHES} 个日志段），检查点之后仍保留部分预写日志，其中可能有投票期间的选票批次。请调小 wal_keep_size。`,
        );
      }
      if (heldBySlots > 0) {
        warnings.push(
          `数据库有 ${heldBySlots} 个复制槽尚未确认投票之后的预写日志（备库停机或落后）：在其取走之前，主库仍保留投票期间的选票批次。`,
        );
      }
      if (Number(s.slots) > 0 && !database.replica) {
        warnings.push(
          '数据库有备库（复制槽）：备库自身的预写日志在其下一次重启点（不晚于 checkpoint_timeout）之前仍含选票批次；配置只读副本连接（DATABASE_READ_URL）后结束测评时会一并清理。',
        );
      }
      if (s.log_statement === 'all' || s.log_statement === 'mod') {
        warnings.push(
          `数据库设置 log_statement = ${s.log_statement}：服务器日志记录了写入选票的语句及其参数与时间，匿名性无法保证。请改为 none 或 ddl。`,
        );
      }
    }
  }
  return { walPurged, warnings };
}

/** Waits (briefly) for every replication slot to confirm the WAL written up to now; answers how many still hold older WAL. */
async function slotsBehind(database: Database): Promise<number> {
  const [now] = await queryRows<{ lsn: string }>(database.db, sql`select pg_current_wal_lsn()::text as lsn`);
  const deadline = Date.now() + SLOT_WAIT_MS;
  for (;;) {
    const [r] = await queryRows<{ behind: number }>(
      database.db,
      sql`
      select count(*)::int as behind from pg_replication_slots
      where restart_lsn is null or restart_lsn < ${now?.lsn ?? '0/0'}::pg_lsn`,
    );
    const behind = Number(r?.behind ?? 0);
    if (behind === 0 || Date.now() > deadline) return behind;
    await sleep(100);
  }
}

/** Lets the replica replay the primary's checkpoint, then makes it a restartpoint there (CHECKPOINT on a standby). */
async function restartpointOnReplica(database: Database): Promise<true | string> {
  const replica = database.replica!;
  const [now] = await queryRows<{ lsn: string }>(database.db, sql`select pg_current_wal_lsn()::text as lsn`);
  const deadline = Date.now() + SLOT_WAIT_MS;
  for (;;) {
    const [r] = await queryRows<{ standby: boolean; replayed: boolean }>(
      replica.db,
      sql`
      select pg_is_in_recovery() as standby,
             coalesce(pg_last_wal_replay_lsn() >= ${now?.lsn ?? '0/0'}::pg_lsn, false) as replayed`,
    );
    // A read URL that reaches the primary itself: its checkpoint was the close's own.
    if (!r?.standby) return true;
    if (r.replayed) break;
    if (Date.now() > deadline) return '备库回放落后';
    await sleep(100);
  }
  await replica.db.execute(sql`checkpoint`);
  return true;
}
