import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '../db/connect';
import { auditLog } from '../db/schema';

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

/** Writes the audit row; call it inside the transaction of the change it records. */
export async function writeAudit(db: DbOrTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: actor.at,
    actorId: actor.actorId,
    actorName: actor.actorName,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId == null ? null : String(entry.targetId),
    result: entry.result ?? 'success',
    ip: actor.ip,
    scopePath: entry.scopePath ?? null,
    detail: entry.detail ?? null,
  });
}
