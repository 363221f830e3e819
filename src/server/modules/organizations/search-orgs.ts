import { and, asc, eq, ilike, inArray, like, sql, type SQL } from 'drizzle-orm';
import { type DbOrTx, escapeLike } from '../../db/connect';
import { organizations } from '../../db/schema';
import type { AuthUser } from '../../http/context';
import { assertTreeReader } from './policy';
import { orgNodeColumns } from './repo';

export interface SearchInput {
  q?: string;
  sector?: string;
  kind?: string;
  offset: number;
  limit: number;
}

/** Name search within the user's scope; each hit carries its path of names for display. */
export async function searchOrgs(db: DbOrTx, user: AuthUser, input: SearchInput) {
  assertTreeReader(user);
  const conds: SQL[] = [
    user.role === 'secretary'
      ? eq(organizations.path, user.scopePath!)
      : like(organizations.path, `${escapeLike(user.scopePath!)}%`),
  ];
  if (input.q) {
    // Both forms use the trigram index (organizations_name_trgm_idx). Chinese has no case, and when the
    // index cannot help (one- or two-character queries) a plain LIKE scan costs a fifth of an ILIKE one.
    const pattern = `%${escapeLike(input.q)}%`;
    conds.push(/[a-z]/i.test(input.q) ? ilike(organizations.name, pattern) : like(organizations.name, pattern));
  }
  if (input.sector) conds.push(eq(organizations.sector, input.sector));
  if (input.kind) conds.push(eq(organizations.kind, input.kind));
  const where = and(...conds);
  const items = await db
    .select(orgNodeColumns)
    .from(organizations)
    .where(where)
    .orderBy(asc(organizations.depth), asc(organizations.code))
    .offset(input.offset)
    .limit(input.limit);
  const { total } = (await db.select({ total: sql<number>`count(*)::int` }).from(organizations).where(where))[0]!;

  const ancestorIds = [...new Set(items.flatMap((i) => i.path.split('/').filter(Boolean).map(Number)))];
  const names = ancestorIds.length
    ? await db
        .select({ id: organizations.id, name: organizations.name })
        .from(organizations)
        .where(inArray(organizations.id, ancestorIds))
    : [];
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  return {
    total,
    items: items.map((i) => ({
      ...i,
      pathNames: i.path
        .split('/')
        .filter(Boolean)
        .map((id) => nameOf.get(Number(id)) ?? ''),
    })),
  };
}
