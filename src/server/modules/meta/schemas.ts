/**
 * Response shapes of /api/meta and /api/health. The web infers its types from here (`import type`, decision 025); this
 * file imports only zod, src/domain and other schemas.ts files, so the web's program stays free of server code.
 */
import { z } from 'zod';

export const OptionOut = z.object({ code: z.string(), label: z.string() });
/**
 * The vote page's address for the console's QR code: PUBLIC_URL (printed on every slip anyway) or null, and what is
 * known to be wrong with it. This machine's other addresses are not listed here (the route is public); main.ts prints
 * them to the operator at start.
 */
export const VoteOut = z.object({ publicUrl: z.string().nullable(), warning: z.string().nullable() });
export const MetaOut = z.object({
  kinds: z.array(OptionOut),
  sectors: z.array(OptionOut),
  levels: z.array(OptionOut),
  roles: z.array(OptionOut),
  vote: VoteOut,
});

/** /api/health: degraded while the synchronous standby is away (decision 027). */
export const HealthOut = z.object({
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['pglite', 'postgres']),
  /** Present when a synchronous standby is configured or expected (decision 027). */
  standby: z
    .object({
      state: z.enum(['ok', 'absent', 'off']),
      streaming: z.number(),
      switchedOffAt: z.string().nullable(),
      message: z.string().nullable(),
    })
    .optional(),
});
