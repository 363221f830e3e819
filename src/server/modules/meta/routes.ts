import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LEVELS, ORG_KINDS, SECTORS } from '../../../domain/org-taxonomy';
import { ROLES } from '../../../domain/roles';
import { publicUrlWarning } from '../../http/public-url';

const Option = z.object({ code: z.string(), label: z.string() });
/**
 * The vote page's address for the console's QR code: PUBLIC_URL (printed on every slip anyway) or null, and what is
 * known to be wrong with it. This machine's other addresses are not listed here (the route is public); main.ts prints
 * them to the operator at start.
 */
const Vote = z.object({ publicUrl: z.string().nullable(), warning: z.string().nullable() });

export async function metaRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/meta',
    {
      config: { public: true },
      schema: {
        summary: '界面用的枚举（组织类别、领域、层级、角色等）',
        tags: ['system'],
        response: {
          200: z.object({
            kinds: z.array(Option),
            sectors: z.array(Option),
            levels: z.array(Option),
            roles: z.array(Option),
            vote: Vote,
          }),
        },
      },
    },
    async () => ({
      vote: { publicUrl: app.deps.config.publicUrl ?? null, warning: publicUrlWarning(app.deps.config) },
      kinds: ORG_KINDS.map(({ code, label }) => ({ code, label })),
      sectors: SECTORS.map(({ code, label }) => ({ code, label })),
      levels: LEVELS.map(({ code, label }) => ({ code, label })),
      roles: Object.entries(ROLES).map(([code, label]) => ({ code, label })),
    }),
  );
}
