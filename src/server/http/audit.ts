import type { FastifyRequest } from 'fastify';
import { asc, isNull, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { canonicalAuditRow, type ChainRow, GENESIS_PREV } from '../../domain/audit-chain';
import { type DbOrTx, queryRows, type Tx } from '../db/connect';
import { auditLog } from '../db/schema';
import { chainMac, chainWriteAlg } from './audit-key';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  result?: 'success' | 'failure';
  scopePath?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditActor {
  actorId: number | null;
  actorName: string;
  ip: string | null;
  at: Date;
}

export function actorOf(req: FastifyRequest): AuditActor {
  return {
    actorId: req.user?.id ?? null,
    actorName: req.user ? `${req.user.displayName}(${req.user.username})` : '匿名',
    ip: req.ip ?? null,
    at: req.server.deps.clock.now(),
  };
}

/**
 * Serializes appends to the chain across transactions and app processes (decision 013). A transaction-level
 * advisory lock: released at commit or rollback, so a rolled-back row leaves no gap. Any number that collides
 * with no other lock of the application (migrations use 727_001).
 */
export const AUDIT_CHAIN_LOCK_KEY = 727_002;

interface Tail { seq: number; hash: string | null }

async function lockedTail(tx: Tx): Promise<{ tail: Tail | null; id: number }> {
  // Its own statement: under READ COMMITTED the next statement's snapshot is taken after the lock is granted,
  // so it sees the tail the previous holder committed.
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const [row] = await queryRows<{ id: string | number; seq: string | number | null; hash: string | null }>(tx, sql`
    select nextval(pg_get_serial_sequence('audit_log', 'id')) as id, t.seq, t.hash
    from (select 1) one left join lateral (select seq, hash from audit_log order by seq desc limit 1) t on true`);
  return { id: Number(row!.id), tail: row!.seq == null ? null : { seq: Number(row!.seq), hash: row!.hash } };
}

/**
 * Seals rows that predate the chain (migration 0017 numbered them, only the key can hash them). They sit at the
 * head of the chain, so the tail is unsealed exactly when some are left. Runs under the chain lock.
 */
async function sealUnsealed(tx: Tx): Promise<string> {
  let prev = GENESIS_PREV;
  const [before] = await queryRows<{ seq: string | number; hash: string }>(tx, sql`
    select seq, hash from audit_log where hash is not null order by seq desc limit 1`);
  if (before) prev = before.hash;
  for (;;) {
    const rows = await tx.select().from(auditLog).where(isNull(auditLog.hash)).orderBy(asc(auditLog.seq)).limit(500);
    if (rows.length === 0) return prev;
    for (const r of rows) {
      const alg = chainWriteAlg();
      const hash = chainMac(alg, canonicalAuditRow({ ...r, prevHash: prev, alg }));
      await tx.update(auditLog).set({ prevHash: prev, alg, hash }).where(sql`${auditLog.id} = ${r.id}`);
      prev = hash;
    }
  }
}

/** Seals rows older than the chain, if any; main.ts runs it at start so a fresh upgrade verifies at once. */
export async function sealAuditChain(db: DbOrTx): Promise<void> {
  await db.transaction(async (tx) => {
    const { tail } = await lockedTail(tx);
    if (tail && tail.hash === null) await sealUnsealed(tx);
  });
}

/**
 * Writes the audit row; call it inside the transaction of the change it records, preferably as its last
 * statement: from here to commit the transaction holds the chain lock. Given the database itself (no
 * transaction), it opens one of its own.
 */
export async function writeAudit(db: DbOrTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  if (!(db instanceof PgTransaction)) {
    await db.transaction((tx) => writeAudit(tx, actor, entry));
    return;
  }
  const tx = db as Tx;
  const { tail, id } = await lockedTail(tx);
  const prevHash = !tail ? GENESIS_PREV : tail.hash ?? (await sealUnsealed(tx));
  // Hash what jsonb will hold: JSON.stringify drops undefined members and turns Dates into strings.
  const detail = entry.detail === undefined ? null : (JSON.parse(JSON.stringify(entry.detail)) as unknown);
  const alg = chainWriteAlg();
  const row: ChainRow = {
    id,
    seq: (tail?.seq ?? 0) + 1,
    prevHash,
    alg,
    at: actor.at,
    actorId: actor.actorId,
    actorName: actor.actorName,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId == null ? null : String(entry.targetId),
    result: entry.result ?? 'success',
    ip: actor.ip,
    scopePath: entry.scopePath ?? null,
    detail,
  };
  await tx.insert(auditLog).values({ ...row, hash: chainMac(alg, canonicalAuditRow(row)) });
}
