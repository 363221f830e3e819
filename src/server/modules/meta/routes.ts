import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LEVELS, ORG_KINDS, SECTORS } from '../../../domain/org-taxonomy';
import { ROLES } from '../../../domain/roles';

const Option = z.object({ code: z.string(), label: z.string() });

export async function metaRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/meta', {
    config: { public: true },
    schema: {
      tags: ['system'],
      response: { 200: z.object({ kinds: z.array(Option), sectors: z.array(Option), levels: z.array(Option), roles: z.array(Option) }) },
    },
  }, async () => ({
    kinds: ORG_KINDS.map(({ code, label }) => ({ code, label })),
    sectors: SECTORS.map(({ code, label }) => ({ code, label })),
    levels: LEVELS.map(({ code, label }) => ({ code, label })),
    roles: Object.entries(ROLES).map(([code, label]) => ({ code, label })),
  }));
}
