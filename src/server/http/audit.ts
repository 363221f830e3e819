import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { AuditAction } from '../../domain/audit-actions';
import { canonicalAuditRow, type ChainRow, GENESIS_PREV } from '../../domain/audit-chain';
import { type DbOrTx, queryRows, type Tx } from '../db/connect';
import { auditLog } from '../db/schema';
import { chainMac, chainWriteAlg } from './audit-key';

export interface AuditEntry {
  /** From the registry (src/domain/audit-actions.ts): an action without a Chinese label does not compile. */
  action: AuditAction;
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

interface Tail {
  seq: number;
  hash: string | null;
}

async function lockedTail(tx: Tx): Promise<{ tail: Tail | null; id: number }> {
  // Its own statement: under READ COMMITTED the next statement's snapshot is taken after the lock is granted,
  // so it sees the tail the previous holder committed.
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const [row] = await queryRows<{ id: string | number; seq: string | number | null; hash: string | null }>(
    tx,
    sql`
    select nextval(pg_get_serial_sequence('audit_log', 'id')) as id, t.seq, t.hash
    from (select 1) one left join lateral (select seq, hash from audit_log order by seq desc limit 1) t on true`,
  );
  return { id: Number(row!.id), tail: row!.seq == null ? null : { seq: Number(row!.seq), hash: row!.hash } };
}

/**
 * Writes the audit row, sealed: its hash is computed here, inside the writing transaction, and nowhere else — no
 * row is ever sealed later (decision 016). Call it inside the transaction of the change it records, preferably as
 * its last statement: from here to commit the transaction holds the chain lock. Given the database itself (no
 * transaction), it opens one of its own.
 */
export async function writeAudit(db: DbOrTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  if (!(db instanceof PgTransaction)) {
    await db.transaction((tx) => writeAudit(tx, actor, entry));
    return;
  }
  const tx = db as Tx;
  const { tail, id } = await lockedTail(tx);
  // A tail without a hash was not written by the app (inserted, or blanked by someone with the database): it stays
  // unsealed and the verifier reports it. Sealing it now would vouch for whatever it says (decision 016).
  const prevHash = !tail ? GENESIS_PREV : (tail.hash ?? '');
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
