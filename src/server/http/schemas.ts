import { z } from 'zod';

/**
 * A row id in a path or body: a positive integer that fits PostgreSQL's `integer`, so an id past 2^31-1 answers a
 * Chinese 400 instead of the driver's out-of-range error. Coerced because path params arrive as strings.
 */
export const Id = z.coerce.number<number | string>().int().positive().max(2_147_483_647);
export const IdParams = z.object({ id: Id });
