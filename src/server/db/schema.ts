import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * The party-organization tree (R-ORG-1). `path` is the materialized chain of ids ("/1/7/42/") so a
 * subtree is one indexed prefix scan; it is plain text rather than ltree so that PostgreSQL-compatible
 * domestic databases without contrib extensions can run the same schema.
 */
export const organizations = pgTable(
  'organizations',
  {
    id: serial('id').primaryKey(),
    parentId: integer('parent_id').references((): AnyPgColumn => organizations.id),
    name: text('name').notNull(),
    code: text('code').notNull(),
    kind: text('kind').notNull(),
    sector: text('sector').notNull(),
    level: text('level').notNull(),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organizations_code_uq').on(t.code),
    index('organizations_parent_idx').on(t.parentId, t.code),
    index('organizations_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('organizations_name_idx').on(t.name),
    // Substring search by name (R-ORG-1) over 100,000 organizations; pg_trgm handles CJK under a UTF-8 locale.
    index('organizations_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
  ],
);

/** Secretaries keep their history: appointing a new one closes the current tenure. */
export const secretaries = pgTable(
  'secretaries',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    position: text('position').notNull(),
    phone: text('phone'),
    tenureStart: date('tenure_start').notNull(),
    tenureEnd: date('tenure_end'),
    createdAt: createdAt(),
  },
  (t) => [
    index('secretaries_org_idx').on(t.orgId),
    uniqueIndex('secretaries_current_uq').on(t.orgId).where(sql`${t.tenureEnd} is null`),
  ],
);

export const committeeMembers = pgTable(
  'committee_members',
  {
    id: serial('id').primaryKey(),
    orgId: integer('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    position: text('position').notNull(),
    phone: text('phone'),
    createdAt: createdAt(),
  },
  (t) => [index('committee_members_org_idx').on(t.orgId)],
);

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    /** Subtree an admin/leader/observer/assessor/auditor may see. */
    scopeOrgId: integer('scope_org_id').references(() => organizations.id),
    /** A secretary's own organization. */
    orgId: integer('org_id').references(() => organizations.id),
    disabled: boolean('disabled').notNull().default(false),
    /** Set when an administrator chose the password (or forced a change): the user must change it before anything else. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    /** When the current password was set; it expires PASSWORD_MAX_AGE_DAYS later. */
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_username_uq').on(t.username)],
);

/**
 * Sign-in guard (issue 15): attempts per typed username — whether or not such an account exists, so the answers do not
 * tell — and client address (`ip`), plus one row per username with ip '*' for the slower global limit. An attempt is
 * counted here in one statement BEFORE its password is checked, so a burst can never get more checks than the limit.
 */
export const loginGuards = pgTable(
  'login_guards',
  {
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    /** Attempts since the last success or lock, counted when they start. */
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.username, t.ip] }), index('login_guards_updated_idx').on(t.updatedAt)],
);

/** Server-side sessions so that any app process can serve any request. `id` is a hash of the cookie. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Login attempts per client address, for the login rate limit shared by all app processes. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_attempts_ip_at_idx').on(t.ip, t.at)],
);

/**
 * One row per state change. The application only ever inserts here. `scopePath` is the tree path
 * the change concerns, so an auditor of one county reads only that county's rows.
 * Chain (decision 013): `seq` is the gapless chain position, `hash` = HMAC(key, row incl. seq and prevHash) with
 * `alg` ('hmac-sm3' or 'hmac-sha256'). The chain columns are null only on rows older than the chain until the
 * first start seals them.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash'),
    alg: text('alg'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    result: text('result').notNull(),
    ip: text('ip'),
    scopePath: text('scope_path'),
    detail: jsonb('detail'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_scope_idx').using('btree', sql`${t.scopePath} text_pattern_ops`),
    uniqueIndex('audit_log_seq_idx').on(t.seq),
  ],
);
export * from './schema-campaigns';
export * from './schema-meetings';
export * from './schema-oversight';
export * from './schema-reports';
export * from './schema-ballots';
export * from './schema-organizations';
export * from './schema-assessment';
export * from './schema-evaluation';
export * from './schema-rectification';
export * from './schema-themes';
