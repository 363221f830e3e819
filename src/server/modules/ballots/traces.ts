import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/connect';

/**
 * After a real round's ballots were mixed and its inbox dropped, the write-ahead log still holds the batches as
 * they were written during voting (each batch next to its codes' uses). A WAL switch and a checkpoint make every
 * older segment unneeded, and with wal_recycle off PostgreSQL deletes those files instead of renaming them for
 * reuse with their old contents (decision 017). What the server is set to keep anyway is reported, in Chinese, on
 * the round, so the organizer knows what this close could not remove.
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

export async function purgeTraces(database: Database): Promise<TraceReport> {
  const db = database.db;
  const warnings: string[] = [];
  let walPurged = false;
  try {
    // PGlite is one process: this session's setting is the checkpointer's. On a server it is postgresql.conf's.
    if (database.kind === 'pglite') await db.execute(sql`set wal_recycle = off`);
    await db.execute(sql`select pg_switch_wal()`);
    await db.execute(sql`checkpoint`);
    walPurged = true;
  } catch (e) {
    warnings.push(`结束测评时未能清理数据库预写日志（WAL）：${(e as Error).message}。在数据库下一次检查点之前，预写日志中的选票批次（每批不少于最小组人数）仍可读。请为应用的数据库账号授予 pg_checkpoint 角色和 pg_switch_wal() 的执行权限。`);
  }
  if (database.kind === 'postgres') {
    const [s] = await queryRows<ServerSettings>(db, sql`
      select current_setting('wal_recycle') as wal_recycle, current_setting('archive_mode') as archive_mode,
             current_setting('wal_keep_size') as wal_keep_size, current_setting('log_statement') as log_statement,
             (select count(*)::int from pg_replication_slots) as slots`);
    if (s) {
      if (s.wal_recycle === 'on') {
        warnings.push('数据库设置 wal_recycle = on：旧的预写日志文件会被改名重用而不是删除，在被覆盖之前其中的选票批次仍可读。请在 postgresql.conf 中设置 wal_recycle = off。');
      }
      if (s.archive_mode !== 'off') {
        warnings.push('数据库开启了预写日志归档（archive_mode）：归档中保留了投票期间写入的选票批次（每批不少于最小组人数）。请按运维手册处理投票期间的归档文件。');
      }
      if (s.wal_keep_size !== '0' && s.wal_keep_size !== '0MB') {
        warnings.push(`数据库设置 wal_keep_size = ${s.wal_keep_size}：检查点之后仍保留部分预写日志，其中可能有投票期间的选票批次。`);
      }
      if (Number(s.slots) > 0) {
        warnings.push('数据库存在复制槽：备库或订阅方取走之前，预写日志不会删除；备库自身的预写日志在其下一次重启点之前仍含选票批次。');
      }
      if (s.log_statement === 'all' || s.log_statement === 'mod') {
        warnings.push(`数据库设置 log_statement = ${s.log_statement}：服务器日志记录了写入选票的语句及其参数与时间，匿名性无法保证。请改为 none 或 ddl。`);
      }
    }
  }
  return { walPurged, warnings };
}
