import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LEVELS, ORG_KINDS, SECTORS } from '../../../domain/org-taxonomy';
import { ROLES } from '../../../domain/roles';
import { publicUrlWarning } from '../../http/public-url';
import { MetaOut } from './schemas';

export async function metaRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/meta',
    {
      config: { public: true },
      schema: {
        summary: '界面用的枚举（组织类别、领域、层级、角色等）',
        tags: ['system'],
        response: {
          200: MetaOut,
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
