import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app';
import { prepareDatabase } from './db/boot';
import { openDatabase } from './db/connect';
import { parseEnv } from './env';
import { initAuditKey } from './http/audit-key';
import { lanAddresses, publicUrlWarning } from './http/public-url';
import { anchorKeyFile } from './modules/audit/anchors';
import { initCodeSecret } from './modules/ballots/secret';
import { FileStore } from './uploads/file-store';
import { missingAttachmentFiles, moveLegacyAttachments } from './uploads/legacy-attachments';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main() {
  const env = parseEnv();
  const secret = initCodeSecret(env);
  if (secret === 'generated')
    console.log(
      `已生成投票码密钥：${path.join(path.resolve(env.DATA_DIR), 'ballot-code.key')}（请妥善备份，丢失后已印制的投票条全部失效）`,
    );
  if (secret !== 'env' && env.DATABASE_URL) {
    console.warn(
      '提示：使用 PostgreSQL 时请为所有应用进程设置相同的 BALLOT_CODE_SECRET，否则各进程印制的投票条互不通用',
    );
  }
  const auditKey = initAuditKey(env);
  if (auditKey === 'generated')
    console.log(
      `已生成审计链密钥：${path.join(path.resolve(env.DATA_DIR), 'audit-chain.key')}（请妥善备份，校验审计日志需要它）`,
    );
  if (auditKey !== 'env' && env.DATABASE_URL) {
    console.warn('提示：使用 PostgreSQL 时请为所有应用进程设置相同的 AUDIT_CHAIN_KEY，否则审计链无法校验');
  }
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    readUrl: env.DATABASE_READ_URL,
    dataDir: path.resolve(env.DATA_DIR),
    poolSize: env.DB_POOL_SIZE,
  });
  // Several processes may start at once on one PostgreSQL: migrations and the demo seed run under a lock (boot.ts).
  const { seeded, demoYear } = await prepareDatabase(database, {
    databaseUrl: env.DATABASE_URL,
    seedDemo: env.SEED_DEMO,
  });
  const files = new FileStore(path.resolve(env.FILES_DIR));
  const moved = await moveLegacyAttachments(database.db, files);
  if (moved) console.log(`已将 ${moved} 个附件从数据库移至文件目录 ${files.dir}`);
  const missing = await missingAttachmentFiles(database.db, files);
  if (missing)
    console.warn(`警告：有 ${missing} 个附件文件在附件目录 ${files.dir} 中找不到，请检查 FILES_DIR 设置，或从备份恢复`);
  if (seeded !== null) {
    console.log(
      `已载入演示数据：${seeded} 个党组织，清河县${demoYear! - 1}年度（已结束）和${demoYear}年度（进行中）述职评议考核；演示账号和各环节在哪里看见 README.md`,
    );
  }
  const app = await buildApp({
    database,
    logger: { level: env.LOG_LEVEL },
    config: {
      lockoutAttempts: env.LOCKOUT_ATTEMPTS,
      lockoutMinutes: env.LOCKOUT_MINUTES,
      lockoutGlobalAttempts: env.LOCKOUT_GLOBAL_ATTEMPTS,
      passwordMaxAgeDays: env.PASSWORD_MAX_AGE_DAYS,
      passwordWarnDays: env.PASSWORD_WARN_DAYS,
      idleTimeoutMinutes: env.IDLE_TIMEOUT_MINUTES,
      voteWaitMs: env.VOTE_WAIT_MS,
      loginRatePerMinute: env.LOGIN_RATE_PER_MINUTE,
      cookieSecure: env.COOKIE_SECURE === 'auto' ? 'auto' : env.COOKIE_SECURE === 'true',
      trustProxy: env.TRUST_PROXY,
      publicUrl: env.PUBLIC_URL,
      listen: { host: env.HOST, port: env.PORT },
      webDir: path.join(root, 'dist/web'),
      auditAnchors: {
        dataDir: path.resolve(env.DATA_DIR),
        keyFile: env.AUDIT_ANCHOR_KEY_FILE,
        logFile: env.AUDIT_ANCHOR_LOG,
        intervalMs: env.AUDIT_ANCHOR_MINUTES * 60_000,
      },
      filesDir: path.resolve(env.FILES_DIR),
      ...(env.STANDBY_MODE
        ? {
            standby: {
              mode: env.STANDBY_MODE,
              names: env.SYNC_STANDBY_NAMES,
              graceMs: env.STANDBY_GRACE_MS,
              switchedBy: env.STANDBY_SWITCH,
            },
          }
        : {}),
    },
  });
  const signer = app.deps.auditAnchors?.signer;
  if (signer?.source === 'generated') {
    console.log(
      `已生成审计锚点签名密钥：${anchorKeyFile({ dataDir: env.DATA_DIR, keyFile: env.AUDIT_ANCHOR_KEY_FILE })}（公钥指纹 ${signer.keyId}；请把 audit-anchor.pub 交审计员另存）`,
    );
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  // Prepended so the header is set before Fastify handles the request; also on hijacked (event-stream) replies.
  if (env.SERVED_BY) app.server.prependListener('request', (_req, res) => res.setHeader('x-served-by', env.SERVED_BY!));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: env.PORT, host: env.HOST });
  console.log(
    `述评考已启动：http://localhost:${env.PORT}（数据库：${database.kind === 'pglite' ? `内置 PGlite，目录 ${env.DATA_DIR}` : 'PostgreSQL'}）`,
  );
  // Phones vote at the address on the slips and the console's QR code (README, "会场设置").
  const lan = lanAddresses().map((a) => `http://${a}:${env.PORT}`);
  if (env.PUBLIC_URL) console.log(`手机测评地址（PUBLIC_URL）：${env.PUBLIC_URL}/vote/`);
  else
    console.log(
      `未设置 PUBLIC_URL：二维码和投票条使用浏览器所用的地址${lan.length ? `；本机局域网地址 ${lan.join('、')}，会场使用时请设置 PUBLIC_URL` : ''}`,
    );
  const warning = publicUrlWarning({ publicUrl: env.PUBLIC_URL, listen: { host: env.HOST, port: env.PORT } });
  if (warning) console.warn(`注意：${warning}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
