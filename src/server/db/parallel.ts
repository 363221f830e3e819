import { PgTransaction } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './connect';

type Thunks = readonly (() => PromiseLike<unknown>)[];

/**
 * Runs independent reads at once on the pool, one after another inside a transaction: a transaction is one
 * connection, and node-postgres queues overlapping queries on one client (deprecated, removed in pg 9).
 */
export async function readTogether<T extends Thunks>(
  db: DbOrTx,
  fns: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (!(db instanceof PgTransaction)) return Promise.all(fns.map((f) => f())) as never;
  const out: unknown[] = [];
  for (const f of fns) out.push(await f());
  return out as never;
}
