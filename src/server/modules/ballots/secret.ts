import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BallotSecretEnv, parseBallotSecretEnv } from '../../env';

/**
 * The key of the code hashes. Only HMAC(key, code) is stored, so a copy of the database alone cannot be
 * used to test guesses or print codes. Several app processes on one PostgreSQL must share it. It is read
 * through src/server/env.ts: BALLOT_CODE_SECRET (64 hex) wins and is required in production; otherwise a
 * key is generated once into DATA_DIR/ballot-code.key (0600) and reused on every later start.
 */
let cached: Buffer | null = null;

export type SecretSource = 'env' | 'file' | 'generated';

/** Sets up the key at startup (main.ts), so a bad or missing key stops the process before it listens. */
export function initCodeSecret(env: BallotSecretEnv): SecretSource {
  if (env.BALLOT_CODE_SECRET) {
    cached = Buffer.from(env.BALLOT_CODE_SECRET, 'hex');
    return 'env';
  }
  const dir = path.resolve(env.DATA_DIR);
  const file = path.join(dir, 'ballot-code.key');
  let source: SecretSource = 'file';
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // 'wx' fails if another process created it meanwhile; then that one's key is read below.
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
      chmodSync(file, 0o600);
      source = 'generated';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`投票码密钥文件 ${file} 内容无效（应为64位十六进制字符）`);
  cached = Buffer.from(text, 'hex');
  return source;
}

export function codeSecret(): Buffer {
  if (!cached) initCodeSecret(parseBallotSecretEnv());
  return cached!;
}

/** Tests only: forget the key so the next use reads the environment again. */
export function resetCodeSecretForTests() {
  cached = null;
}

export const hashCode = (normalized: string) => createHmac('sha256', codeSecret()).update(normalized).digest('base64url');
