import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyServerOptions, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode, errorCodesFor, MODULE_TAGS, type ModuleTag } from '../domain/error-codes';
import type { Database } from './db/connect';
import { isDegraded, StandbyMonitor } from './db/standby';
import { type AppConfig, type Clock, systemClock } from './http/context';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './http/errors';
import { registerSessions } from './http/session';
import { SessionStreams } from './http/session-streams';
import { fastifyTrustProxy } from './http/trust-proxy';
import { DEFAULT_COST } from './modules/auth/password-hash';
import { authRoutes } from './modules/auth/routes';
import { organizationRoutes } from './modules/organizations/routes';
import { accountRoutes } from './modules/accounts/routes';
import { AuditAnchors } from './modules/audit/anchors';
import { auditRoutes } from './modules/audit/routes';
import { metaRoutes } from './modules/meta/routes';
import { HealthOut } from './modules/meta/schemas';
import { reportRoutes } from './modules/reports/routes';
import { campaignRoutes } from './modules/campaigns/routes';
import { oversightRoutes } from './modules/oversight/routes';
import { meetingRounds } from './modules/ballots/meeting-rounds';
import { ballotRoutes } from './modules/ballots/routes';
import { meetingRoutes } from './modules/meetings/routes';
import { resultRoutes } from './modules/results/routes';
import { surveyRoutes } from './modules/surveys/routes';
import { rectificationRoutes } from './modules/rectification/routes';
import { themeRoutes } from './modules/themes/routes';
import { assessmentRoutes } from './modules/assessment/routes';
import { evaluationOutputRoutes } from './modules/evaluation/outputs-routes';
import { evaluationRoutes } from './modules/evaluation/routes';
import { FileStore } from './uploads/file-store';

// Chinese validation messages from zod itself, so every 400 reads naturally to users.
z.config(z.locales.zhCN());

export const defaultConfig: AppConfig = {
  lockoutAttempts: 5,
  lockoutMinutes: 10,
  lockoutGlobalAttempts: 30,
  passwordMaxAgeDays: 90,
  passwordWarnDays: 7,
  streamCheckMs: 15_000,
  idleTimeoutMinutes: 30,
  loginRatePerMinute: 20,
  cookieSecure: 'auto',
  passwordCost: DEFAULT_COST,
};

/**
 * Response headers of every answer (issue 15, 等保 通信传输/应用安全): @fastify/helmet's set with our CSP. Scripts only
 * from our own files (Vite emits no inline script); styles may be inline because antd writes its CSS-in-JS into
 * <style> elements and React into style attributes — with images, fonts and connections held to our origin, an
 * injected style has nowhere to send anything. No framing (clickjacking), no Referer (the phone pages carry their
 * one-time token in the URL fragment; nothing of ours needs the header). No upgrade-insecure-requests: many county
 * installations run plain HTTP on the intranet, where it would break every request. HSTS is ignored by browsers over
 * HTTP and applies once the site is served over TLS; without includeSubDomains, so other hosts of the domain are not
 * forced onto TLS. The public report page (/p/reports/…) sets its own stricter CSP, which replaces this one.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};
const securityHeaders = {
  global: true,
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
  strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
};

const isModuleTag = (tag: unknown): tag is ModuleTag => (MODULE_TAGS as readonly unknown[]).includes(tag);

/**
 * The documented error answers of a route (decision 023): every code its module can answer, from the registry,
 * grouped by HTTP status, each status with the `{ code, message, details? }` body and its codes listed in the
 * description. Only the document: serialization never sees these (the error handler sends errors itself).
 */
export function errorResponses(tag: ModuleTag): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesFor(tag)) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) => [
        status,
        {
          description: codes.map((code) => `- \`${code}\`: ${ERROR_CODES[code].message}`).join('\n'),
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', enum: codes },
            message: { type: 'string', description: '中文说明，可直接展示给用户' },
            details: { description: '机器可读的补充信息，如出错的字段（field）或逐行的导入错误' },
          },
        },
      ]),
  );
}

const API_DESCRIPTION = [
  '述评考的接口。除登录、健康检查、手机投票与答卷等公开接口外，均须先 `POST /api/auth/login` 取得会话 Cookie；',
  '写操作另须在请求头 `x-csrf-token` 中带上登录或 `GET /api/auth/me` 返回的 csrfToken。',
  '出错时统一返回 `{ code, message, details? }`：code 见各接口列出的错误码（按 HTTP 状态分组），message 为中文说明。',
].join('');

export interface BuildAppOptions {
  database: Database;
  clock?: Clock;
  config?: Partial<AppConfig>;
  logger?: FastifyServerOptions['logger'];
  /** Sees every route as it is registered (the access-matrix test enumerates the whole API with it). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(opts: BuildAppOptions) {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Behind nginx the client address comes from X-Forwarded-For; rate limits and audit need it. Only from the
    // configured proxies (env TRUST_PROXY): believed from anyone, it would let a client pick its own address.
    trustProxy: fastifyTrustProxy(opts.config?.trustProxy),
    bodyLimit: 2 * 1024 * 1024,
    // Malformed or over-long URLs answer { code, message } like every other error (found by bench/fuzz.ts).
    frameworkErrors,
    clientErrorHandler,
  });
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const clock = opts.clock ?? systemClock;
  const anchorConfig = opts.config?.auditAnchors;
  const auditAnchors = anchorConfig ? new AuditAnchors(opts.database.db, anchorConfig, () => clock.now()) : null;
  const tempFiles = opts.config?.filesDir ? null : mkdtempSync(path.join(os.tmpdir(), 'shuping-files-'));
  if (tempFiles) app.addHook('onClose', async () => rmSync(tempFiles, { recursive: true, force: true }));
  app.decorate('deps', {
    database: opts.database,
    db: opts.database.db,
    clock,
    config: { ...defaultConfig, ...opts.config },
    auditAnchors,
    files: new FileStore(opts.config?.filesDir ?? tempFiles!),
    standby: opts.database.monitor
      ? new StandbyMonitor(opts.database.monitor, opts.config?.standby ?? null, app.log)
      : null,
  });
  if (app.deps.standby) {
    const standby = app.deps.standby;
    app.addHook('onReady', async () => standby.start());
    app.addHook('onClose', async () => standby.stop());
  }
  if (auditAnchors) {
    // Anchor the head at start, while it grows, and on shutdown (decision 016). A failed write is logged, not fatal:
    // the chain itself is intact, only the window since the last anchor grows.
    const logError = (err: unknown) => app.log.error({ err }, 'audit anchor not written');
    app.addHook('onReady', async () => {
      await auditAnchors.write('start').catch(logError);
      auditAnchors.start(logError);
    });
    app.addHook('onClose', async () => {
      await auditAnchors.stop().catch(logError);
    });
  }

  app.decorate('sessionStreams', new SessionStreams(app.deps, app.log));
  app.addHook('onClose', async () => app.sessionStreams.close());
  await app.register(cookie);
  await app.register(helmet, securityHeaders);
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 10, parts: 12 } });
  await app.register(swagger, {
    openapi: { info: { title: '述评考 API', version: '0.1.0', description: API_DESCRIPTION } },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const tag = (out.schema as { tags?: unknown[] } | undefined)?.tags?.[0];
      if (!out.schema || (out.schema as { hide?: boolean }).hide || !isModuleTag(tag)) return out;
      const schema = out.schema as { response?: Record<string, unknown> };
      // The registry's answers replace a route's own error schemas (the vote's Problem): same body, codes listed.
      schema.response = { ...schema.response, ...errorResponses(tag) };
      return out;
    },
  });
  registerErrorHandling(app);
  registerSessions(app);

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        summary: '健康检查（数据库可用；配置同步备库时报告其状态）',
        tags: ['system'],
        response: {
          200: HealthOut,
        },
      },
    },
    async () => {
      const { standby, config, database } = app.deps;
      if (!standby) {
        await app.deps.db.execute(sql`select 1`);
        return { status: 'ok' as const, db: database.kind };
      }
      // On the monitor's own connections: with the standby away, the main pool may be all taken by waiting commits.
      const s = await standby.status();
      const shown = s.state !== 'off' || config.standby;
      return {
        status: isDegraded(s, config.standby ?? null) ? ('degraded' as const) : ('ok' as const),
        db: database.kind,
        ...(shown
          ? { standby: { state: s.state, streaming: s.streaming, switchedOffAt: s.switchedOffAt, message: s.message } }
          : {}),
      };
    },
  );
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(authRoutes);
  await app.register(metaRoutes);
  await app.register(organizationRoutes);
  await app.register(accountRoutes);
  await app.register(auditRoutes);
  await app.register(campaignRoutes);
  await app.register(oversightRoutes);
  await app.register(ballotRoutes);
  await app.register(resultRoutes);
  // Meetings show the round through a port the ballots module fills (ballots depends on meetings, not back).
  await app.register(meetingRoutes, { rounds: meetingRounds });
  await app.register(assessmentRoutes);
  await app.register(reportRoutes);
  await app.register(surveyRoutes);
  await app.register(rectificationRoutes);
  await app.register(themeRoutes);
  await app.register(evaluationOutputRoutes);
  await app.register(evaluationRoutes);

  const webDir = app.deps.config.webDir;
  if (webDir && existsSync(path.join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: path.resolve(webDir), wildcard: false });
  }
  return app;
}
