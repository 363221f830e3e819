import { WRONG_SESSION_KIND } from './hosts';

/**
 * Errors that mean "the database was not reachable as a primary just now" rather than "this request is wrong": the
 * server restarting or killed, a failover in progress (the pool reaching a standby or a demoted primary), a
 * connection timeout. The request may be sent again as it was (decision 027). Drizzle wraps the driver's error,
 * so the cause chain is searched.
 */
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const PG_CODES = new Set([
  '57P01', // admin_shutdown (fast shutdown, pg_terminate_backend at a switchover)
  '57P02', // crash_shutdown (another backend crashed)
  '57P03', // cannot_connect_now (starting up, in recovery)
  '25006', // read_only_sql_transaction (a pooled connection to a server that became a standby)
  '40001', // serialization_failure: the statement may be run again as it was
  '40P01', // deadlock_detected: idem
  WRONG_SESSION_KIND,
]);
const MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|terminating connection/i;

export function isRetryableDbError(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NODE_CODES.has(code) || PG_CODES.has(code) || code.startsWith('08'))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
  }
  return false;
}
