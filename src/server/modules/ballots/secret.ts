import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The key of the code hashes. Only HMAC(key, code) is stored, so a copy of the database alone cannot be
 * used to test guesses or print codes. Several app processes on one PostgreSQL must share it:
 * BALLOT_CODE_SECRET (64 hex) wins; otherwise it is generated once into DATA_DIR/ballot-code.key (0600).
 */
let cached: Buffer | null = null;

export function codeSecret(): Buffer {
  if (cached) return cached;
  const fromEnv = process.env.BALLOT_CODE_SECRET;
  if (fromEnv) {
    if (!/^[0-9a-f]{64}$/i.test(fromEnv)) throw new Error('BALLOT_CODE_SECRET 应为64位十六进制字符');
    cached = Buffer.from(fromEnv, 'hex');
    return cached;
  }
  const dir = path.resolve(process.env.DATA_DIR ?? './data');
  const file = path.join(dir, 'ballot-code.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // 'wx' fails if another process created it meanwhile; then that one's key is read below.
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
      chmodSync(file, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  cached = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  return cached;
}

export const hashCode = (normalized: string) => createHmac('sha256', codeSecret()).update(normalized).digest('base64url');
