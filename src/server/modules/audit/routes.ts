import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../http/session';
import { searchAudit } from './search-audit';

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
}
