import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app';
import { openDatabase } from './db/connect';
import { isDatabaseEmpty, seedDemo, seedDemoCampaign } from './db/demo-seed';
import { parseEnv } from './env';
import { initCodeSecret } from './modules/ballots/secret';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main() {
  const env = parseEnv();
  const secret = initCodeSecret(env);
  if (secret === 'generated') console.log(`已生成投票码密钥：${path.join(path.resolve(env.DATA_DIR), 'ballot-code.key')}（请妥善备份，丢失后已印制的投票条全部失效）`);
  if (secret !== 'env' && env.DATABASE_URL) {
    console.warn('提示：使用 PostgreSQL 时请为所有应用进程设置相同的 BALLOT_CODE_SECRET，否则各进程印制的投票条互不通用');
  }
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: path.resolve(env.DATA_DIR), poolSize: env.DB_POOL_SIZE });
  await database.migrate();
  if (env.SEED_DEMO === 'auto' && (await isDatabaseEmpty(database.db))) {
    const now = new Date();
    const { organizations } = await seedDemo(database.db, { now });
    // The e2e specs create this round themselves in the browser, so only the product start seeds it.
    await seedDemoCampaign(database.db, { now });
    console.log(`已载入演示数据：${organizations} 个党组织及清河县2025年度述职评议考核；演示账号见 README.md`);
  }
  const app = await buildApp({
    database,
    logger: { level: env.LOG_LEVEL },
    config: {
      lockoutAttempts: env.LOCKOUT_ATTEMPTS,
      lockoutMinutes: env.LOCKOUT_MINUTES,
      idleTimeoutMinutes: env.IDLE_TIMEOUT_MINUTES,
      loginRatePerMinute: env.LOGIN_RATE_PER_MINUTE,
      cookieSecure: env.COOKIE_SECURE === 'true',
      webDir: path.join(root, 'dist/web'),
    },
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: env.PORT, host: env.HOST });
  console.log(`述评考已启动：http://localhost:${env.PORT}（数据库：${database.kind === 'pglite' ? `内置 PGlite，目录 ${env.DATA_DIR}` : 'PostgreSQL'}）`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
