import { createHmac } from 'node:crypto';
import { type BallotSecretEnv, parseBallotSecretEnv } from '../../env';
import { type KeySource, loadHexKey } from '../../key-file';

/**
 * The key of the code hashes. Only HMAC(key, code) is stored, so a copy of the database alone cannot be
 * used to test guesses or print codes. Several app processes on one PostgreSQL must share it. It is read
 * through src/server/env.ts: BALLOT_CODE_SECRET (64 hex) wins and is required in production; otherwise a
 * key is generated once into DATA_DIR/ballot-code.key (0600) and reused on every later start.
 */
let cached: Buffer | null = null;

export type SecretSource = KeySource;

/** Sets up the key at startup (main.ts), so a bad or missing key stops the process before it listens. */
export function initCodeSecret(env: BallotSecretEnv): SecretSource {
  const { key, source } = loadHexKey({
    envValue: env.BALLOT_CODE_SECRET,
    dataDir: env.DATA_DIR,
    fileName: 'ballot-code.key',
    label: '投票码密钥',
  });
  cached = key;
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

export const hashCode = (normalized: string) =>
  createHmac('sha256', codeSecret()).update(normalized).digest('base64url');
