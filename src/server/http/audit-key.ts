import { createHmac, getHashes } from 'node:crypto';
import type { ChainAlg, Mac } from '../../domain/audit-chain';
import { type AuditKeyEnv, parseAuditKeyEnv } from '../env';
import { type KeySource, loadHexKey } from '../key-file';

/**
 * The key of the audit chain (decision 013): AUDIT_CHAIN_KEY (64 hex, required in production, the same on every
 * app process and on the machine that runs `npm run audit:verify`), else DATA_DIR/audit-chain.key generated once.
 * Losing it does not lose the log, but the chain can then no longer be verified.
 */
let cached: Buffer | null = null;

export function initAuditKey(env: AuditKeyEnv, opts: { create?: boolean } = {}): KeySource {
  const { key, source } = loadHexKey({
    envValue: env.AUDIT_CHAIN_KEY,
    dataDir: env.DATA_DIR,
    fileName: 'audit-chain.key',
    label: '审计链密钥',
    create: opts.create,
  });
  cached = key;
  return source;
}

function auditKey(): Buffer {
  if (!cached) initAuditKey(parseAuditKeyEnv());
  return cached!;
}

/** Tests only: forget the key so the next use reads the environment again. */
export function resetAuditKeyForTests() {
  cached = null;
}

/** SM3 (GB/T 32905) where Node's OpenSSL provides it; Node 20 with its bundled OpenSSL 3 does. */
export const SM3_AVAILABLE = getHashes().includes('sm3');
let writeAlg: ChainAlg = SM3_AVAILABLE ? 'hmac-sm3' : 'hmac-sha256';

/** The algorithm new rows are written with. Verification uses each row's own `alg`. */
export const chainWriteAlg = (): ChainAlg => writeAlg;

/** Tests only: write with the fallback algorithm, as a build without SM3 would. */
export function setChainWriteAlgForTests(alg: ChainAlg) {
  writeAlg = alg;
}

export const chainMac: Mac = (alg, text) => {
  if (alg === 'hmac-sm3' && !SM3_AVAILABLE)
    throw new Error('本机 Node.js 不支持 SM3，无法校验以 hmac-sm3 写入的审计记录');
  return createHmac(alg === 'hmac-sm3' ? 'sm3' : 'sha256', auditKey())
    .update(text, 'utf8')
    .digest('hex');
};
