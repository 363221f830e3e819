import path from 'node:path';
import { openDatabase } from '../db/connect';
import { parseAuditKeyEnv } from '../env';
import { initAuditKey } from '../http/audit-key';

/**
 * The database and audit key the app itself would use: DATABASE_URL (PostgreSQL), else PGlite under DATA_DIR,
 * which only one process can open at a time (stop the app first, or use the auditor's check in the UI).
 * Never migrates and never generates a key: these tools inspect, they do not set up.
 */
export async function openConfigured(env: NodeJS.ProcessEnv = process.env) {
  const keyEnv = parseAuditKeyEnv(env);
  initAuditKey(keyEnv, { create: false });
  const url = env.DATABASE_URL || undefined;
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL 必须以 postgres:// 开头');
  const dataDir = path.resolve(keyEnv.DATA_DIR);
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: 2 });
  return { database, where: url ? 'PostgreSQL' : `PGlite ${dataDir}` };
}
