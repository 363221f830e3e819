import { z } from 'zod';
import { parseTrustProxy } from './http/trust-proxy';

const emptyAsUnset = (v: unknown) => (v === '' ? undefined : v);
const HEX64 = /^[0-9a-f]{64}$/i;

/** A 64-hex key from the environment; an empty value counts as unset. */
const hexKey = (name: string) =>
  z.preprocess(
    emptyAsUnset,
    z.string().regex(HEX64, `${name} 应为64位十六进制字符（可用 openssl rand -hex 32 生成）`).optional(),
  );
/** In production a key must be given, the same on every app process (a key generated per machine differs between them). */
const requireInProduction =
  <K extends string>(name: K, why: string) =>
  (env: { NODE_ENV?: string } & { [k in K]?: string }, ctx: z.RefinementCtx) => {
    if (env.NODE_ENV === 'production' && !env[name]) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `生产环境（NODE_ENV=production）必须设置 ${name}：${why}`,
      });
    }
  };

/**
 * The key of the ballot code hashes (decision 006). In production it must be given, the same on every app process:
 * a key generated per machine would make slips printed by one process unknown to another, and losing it voids
 * every printed slip. Elsewhere a generated key under DATA_DIR is used (secret.ts).
 */
const ballotSecretFields = {
  NODE_ENV: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  BALLOT_CODE_SECRET: hexKey('BALLOT_CODE_SECRET'),
};
const requireSecretInProduction = requireInProduction(
  'BALLOT_CODE_SECRET',
  '64位十六进制字符，所有应用进程相同，可用 openssl rand -hex 32 生成',
);

/**
 * The key of the audit log chain (decision 013): every audit row carries HMAC(key, row + previous hash). Same rules as
 * the ballot key: required in production and shared by all app processes; elsewhere generated under DATA_DIR.
 */
const auditKeyFields = {
  NODE_ENV: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  AUDIT_CHAIN_KEY: hexKey('AUDIT_CHAIN_KEY'),
};
const requireAuditKeyInProduction = requireInProduction(
  'AUDIT_CHAIN_KEY',
  '64位十六进制字符，所有应用进程相同并妥善备份（审计链校验需要它），可用 openssl rand -hex 32 生成',
);

/**
 * The address phones open to vote (QR code, slips, survey links): the meeting laptop's address on the hall network,
 * e.g. http://192.168.1.10:3000, or the public name behind a proxy. Kept as its origin (no path, no trailing slash).
 */
const publicUrl = z.preprocess(emptyAsUnset, z.string().optional()).transform((v, ctx) => {
  if (v === undefined) return undefined;
  const bad = (why: string) => {
    ctx.addIssue({ code: 'custom', message: `PUBLIC_URL ${why}；应为手机能打开的地址，如 http://192.168.1.10:3000` });
    return z.NEVER;
  };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return bad('须以 http:// 或 https:// 开头');
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return bad(`「${v}」不是网址`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad('须以 http:// 或 https:// 开头');
  if (url.username || url.password) return bad('不能包含用户名或密码');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    return bad('只写协议、地址和端口，不带路径');
  return url.origin;
});

/** Environment parsed once at boot; bad config stops the process before it listens. */
const EnvSchema = z
  .object({
    ...ballotSecretFields,
    ...auditKeyFields,
    /** Uploaded files (report attachments), decision 021. Not inside DATA_DIR: PGlite's backup dumps that whole directory in memory. */
    FILES_DIR: z.string().default('./files'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    PUBLIC_URL: publicUrl,
    DATABASE_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL 必须以 postgres:// 开头')
        .optional(),
    ),
    /**
     * A read-only replica for reports, exports and dashboards (decision 027); may list several hosts like DATABASE_URL,
     * e.g. postgres://app@db1:5432,db2:5432/shuping?target_session_attrs=prefer-standby.
     */
    DATABASE_READ_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'DATABASE_READ_URL 必须以 postgres:// 开头')
        .optional(),
    ),
    /**
     * When the synchronous standby is away: wait (PostgreSQL's behaviour: commits wait for it, voting pauses, health
     * says degraded) or continue (after STANDBY_GRACE_MS synchronous replication is switched off, logged, and on again
     * when the standby streams). Unset: as wait, and nothing is reported unless synchronous_standby_names is set.
     */
    STANDBY_MODE: z.preprocess(
      emptyAsUnset,
      z.enum(['wait', 'continue'], { message: 'STANDBY_MODE 只能是 wait 或 continue' }).optional(),
    ),
    /**
     * Who switches synchronous replication in continue mode: app (ALTER SYSTEM) or patroni (Patroni's
     * synchronous_mode_strict decides; the app reports and logs what it sees).
     */
    STANDBY_SWITCH: z.preprocess(
      emptyAsUnset,
      z.enum(['app', 'patroni'], { message: 'STANDBY_SWITCH 只能是 app 或 patroni' }).default('app'),
    ),
    /** synchronous_standby_names restored by STANDBY_MODE=continue when the standby is back. */
    SYNC_STANDBY_NAMES: z.preprocess(emptyAsUnset, z.string().max(200).default('*')),
    STANDBY_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).default(5),
    LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(10),
    LOCKOUT_GLOBAL_ATTEMPTS: z.coerce.number().int().min(1).default(30),
    /** 等保: passwords are changed periodically; 0 turns expiry off. */
    PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
    PASSWORD_WARN_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    IDLE_TIMEOUT_MINUTES: z.coerce.number().int().min(1).default(30),
    /** How long a vote waits for its batch before answering "pending" (decision 017); keep it below the proxy's read timeout. */
    VOTE_WAIT_MS: z.coerce
      .number()
      .int()
      .min(100, 'VOTE_WAIT_MS 应在100到55000毫秒之间')
      .max(55_000, 'VOTE_WAIT_MS 应在100到55000毫秒之间')
      .default(20_000),
    LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
    /** auto: Secure when the request came over TLS (directly or, with TRUST_PROXY, X-Forwarded-Proto: https). */
    COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: z
      .string()
      .optional()
      .transform((v, ctx) => parseTrustProxy(v, ctx)),
    /** Audit chain anchors (decision 016): minutes between anchors while the log grows; key and log default under DATA_DIR. */
    AUDIT_ANCHOR_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
    AUDIT_ANCHOR_KEY_FILE: z.preprocess(emptyAsUnset, z.string().optional()),
    AUDIT_ANCHOR_LOG: z.preprocess(emptyAsUnset, z.string().optional()),
    /** Names this process in an X-Served-By response header (scale-out checks: which process answered). */
    SERVED_BY: z.preprocess(
      emptyAsUnset,
      z
        .string()
        .regex(/^[\w.-]{1,64}$/, 'SERVED_BY 只能包含字母、数字、点、下划线和连字符（最多64个）')
        .optional(),
    ),
  })
  .superRefine(requireSecretInProduction)
  .superRefine(requireAuditKeyInProduction);
export type Env = z.infer<typeof EnvSchema>;

function parseWith<T>(schema: z.ZodType<T>, source: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`环境变量配置错误:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseWith(EnvSchema, source);
}

const BallotSecretSchema = z.object(ballotSecretFields).superRefine(requireSecretInProduction);
export type BallotSecretEnv = z.infer<typeof BallotSecretSchema>;

/** Only the fields the ballot code key needs, for code paths that run without main.ts (tests, scripts, bench). */
export function parseBallotSecretEnv(source: NodeJS.ProcessEnv = process.env): BallotSecretEnv {
  return parseWith(BallotSecretSchema, source);
}

const AuditKeySchema = z.object(auditKeyFields).superRefine(requireAuditKeyInProduction);
export type AuditKeyEnv = z.infer<typeof AuditKeySchema>;

/** Only the fields the audit chain key needs, for code paths that run without main.ts (tests, the verify tool). */
export function parseAuditKeyEnv(source: NodeJS.ProcessEnv = process.env): AuditKeyEnv {
  return parseWith(AuditKeySchema, source);
}
