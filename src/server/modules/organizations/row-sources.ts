import { QueryBuilder } from 'drizzle-orm/pg-core';
import { organizations, secretaries } from '../../db/schema';

/**
 * Row sources the organizations module publishes for other modules' Drizzle queries (decision 022): typed
 * projections of its tables that a caller joins like a table, so a join stays one statement (no N+1) while the
 * column names stay the owner's — a rename changes the mapping here, not the callers. PostgreSQL inlines such a
 * plain subquery, so the plans read the same base tables and indexes as before. The SQL counterparts are the views
 * `organizations_v_*`. Pass a name to join the same source twice in one query (e.g. a unit and its organizer).
 */
const qb = new QueryBuilder();

/** The tree's units as every module names them (the columns of the view organizations_v_units). */
export const orgUnitsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: organizations.id,
      parentId: organizations.parentId,
      name: organizations.name,
      code: organizations.code,
      kind: organizations.kind,
      sector: organizations.sector,
      level: organizations.level,
      path: organizations.path,
      depth: organizations.depth,
    })
    .from(organizations)
    .as(name);
export const orgUnits = orgUnitsAs('org_units');

/** Secretaries with their tenure (a current one has no end); no phone. */
export const secretaryRowsAs = <A extends string>(name: A) =>
  qb
    .select({
      id: secretaries.id,
      orgId: secretaries.orgId,
      name: secretaries.name,
      position: secretaries.position,
      tenureStart: secretaries.tenureStart,
      tenureEnd: secretaries.tenureEnd,
    })
    .from(secretaries)
    .as(name);
export const secretaryRows = secretaryRowsAs('secretary_rows');
