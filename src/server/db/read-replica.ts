import type { FastifyReply } from 'fastify';
import type { Database, Db } from './connect';
import { isRetryableDbError } from './retryable';

/** Response header telling how stale a replica read was, in ms ('primary' when the primary answered). */
export const REPLICA_LAG_HEADER = 'x-replica-lag-ms';

/**
 * Runs a read-only use case (reports, exports, dashboards) on the replica when DATABASE_READ_URL is set (decision
 * 027), telling the reader how far behind it was; a replica that cannot answer hands the read to the primary, so a
 * standby being rebuilt never takes a dashboard down. The use case must not write: on a standby a write fails.
 */
export async function onReplica<T>(
  database: Database,
  primary: Db,
  reply: FastifyReply,
  read: (db: Db) => Promise<T>,
): Promise<T> {
  const replica = database.replica;
  if (!replica) return read(primary);
  try {
    const [lag, result] = await Promise.all([replica.lagMs(), read(replica.db)]);
    reply.header(REPLICA_LAG_HEADER, lag === null ? 'primary' : String(lag));
    return result;
  } catch (e) {
    if (!isRetryableDbError(e)) throw e;
    reply.header(REPLICA_LAG_HEADER, 'primary');
    return read(primary);
  }
}
