import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../domain/errors';
import { requireRole } from '../../http/session';
import { searchAudit } from './search-audit';
import { verifyAuditChain } from './verify-chain';

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/audit', {
    schema: {
      tags: ['audit'],
      querystring: z.object({
        q: z.string().trim().max(100).optional(),
        action: z.string().trim().max(64).optional(),
        actor: z.string().trim().max(64).optional(),
        result: z.enum(['success', 'failure']).optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: {
        200: z.object({
          items: z.array(z.object({
            id: z.number(), at: z.string(), actorName: z.string(), action: z.string(), targetType: z.string(),
            targetId: z.string().nullable(), result: z.string(), ip: z.string().nullable(), detail: z.unknown(),
          })),
          total: z.number(),
        }),
      },
    },
  }, async (req) => searchAudit(app.deps.db, requireRole(req, 'auditor'), req.query));

  // The whole chain (decision 013), as `npm run audit:verify` checks it; reveals counts and seq numbers, no row content.
  let running = false;
  r.get('/api/audit/verify', {
    schema: {
      tags: ['audit'],
      response: {
        200: z.object({
          ok: z.boolean(),
          checked: z.number(),
          head: z.number().nullable(),
          tail: z.object({ seq: z.number(), hash: z.string().nullable() }).nullable(),
          algs: z.record(z.string(), z.number()),
          breakCount: z.number(),
          breaks: z.array(z.object({ seq: z.number(), reason: z.string(), message: z.string() })),
        }),
      },
    },
  }, async (req) => {
    requireRole(req, 'auditor');
    // One check at a time per process: it reads the whole log.
    if (running) throw new AppError('AUDIT_VERIFY_RUNNING', '审计链校验正在进行，请稍后再试', 409);
    running = true;
    try {
      const { ok, checked, head, tail, algs, breakCount, breaks } = await verifyAuditChain(app.deps.db);
      return { ok, checked, head, tail, algs, breakCount, breaks };
    } finally {
      running = false;
    }
  });
}
