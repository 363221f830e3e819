// The keys that make the data usable travel with it: without the ballot code key every printed slip and survey link
// is void, and without a chain key the audit chain cannot be verified. Every *.key file directly under DATA_DIR is
// carried (so a key another module adds the same way is included without a change here); a key given through the
// environment is not copied into the file, only its fingerprint, so the restore can check the target has the same one.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Comparison, SecretInfo } from './manifest';

/** Key files the app reads, with the variable that takes precedence over each. */
export const KNOWN_SECRETS: Array<{ file: string; env: string }> = [
  { file: 'ballot-code.key', env: 'BALLOT_CODE_SECRET' },
  { file: 'audit-chain.key', env: 'AUDIT_CHAIN_KEY' },
];

/** Hex keys compare case- and whitespace-insensitively (a key file ends with a newline, a variable does not). */
function normalized(data: Buffer | string): Buffer {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : data;
  const t = text.trim();
  if (/^[0-9a-f]+$/i.test(t)) return Buffer.from(t.toLowerCase(), 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
}

export const fingerprint = (data: Buffer | string) =>
  createHash('sha256').update('shupingkao-key\0').update(normalized(data)).digest('hex').slice(0, 16);

export interface CollectedSecret {
  info: SecretInfo;
  data?: Buffer;
}

const keyFiles = (dataDir: string) =>
  existsSync(dataDir)
    ? readdirSync(dataDir)
        .filter((n) => n.endsWith('.key') && statSync(path.join(dataDir, n)).isFile())
        .sort()
    : [];

export function collectSecrets(dataDir: string, env: NodeJS.ProcessEnv): CollectedSecret[] {
  const out: CollectedSecret[] = [];
  const files = new Set(keyFiles(dataDir));
  for (const k of KNOWN_SECRETS) {
    const fromEnv = env[k.env];
    if (fromEnv) {
      // The server ignores the file when the variable is set, so the variable's key is the one the data needs.
      out.push({ info: { name: k.file, source: 'env', env: k.env, fingerprint: fingerprint(fromEnv) } });
      files.delete(k.file);
    }
  }
  for (const name of files) {
    const data = readFileSync(path.join(dataDir, name));
    const known = KNOWN_SECRETS.find((k) => k.file === name);
    out.push({
      info: {
        name,
        entry: `secrets/${name}`,
        source: 'file',
        ...(known ? { env: known.env } : {}),
        fingerprint: fingerprint(data),
      },
      data,
    });
  }
  return out;
}

export type SecretPlan = { name: string; entry: string; action: 'write' | 'same' | 'replace' };

/** What restoring the key files would do to DATA_DIR: a different key already there counts as a non-empty target. */
export function planSecrets(secrets: SecretInfo[], dataDir: string): SecretPlan[] {
  return secrets
    .filter((s) => s.entry)
    .map((s) => {
      const target = path.join(dataDir, s.name);
      if (!existsSync(target)) return { name: s.name, entry: s.entry!, action: 'write' as const };
      return {
        name: s.name,
        entry: s.entry!,
        action: fingerprint(readFileSync(target)) === s.fingerprint ? ('same' as const) : ('replace' as const),
      };
    });
}

/**
 * A variable set on the target overrides the restored file; it must hold the same key or the restored codes and
 * chain are unusable. A key that came from a variable must be set again by the operator.
 */
export function checkEnvSecrets(
  secrets: SecretInfo[],
  env: NodeJS.ProcessEnv,
): { comparisons: Comparison[]; warnings: string[] } {
  const comparisons: Comparison[] = [];
  const warnings: string[] = [];
  for (const s of secrets) {
    const value = s.env ? env[s.env] : undefined;
    if (value) {
      const fp = fingerprint(value);
      comparisons.push({
        item: `密钥 ${s.name}（环境变量 ${s.env}）`,
        expected: `指纹 ${s.fingerprint}`,
        actual: `指纹 ${fp}`,
        ok: fp === s.fingerprint,
      });
    } else if (s.source === 'env') {
      warnings.push(
        `备份时密钥 ${s.name} 来自环境变量 ${s.env}，未写入备份文件：请在本机为所有应用进程设置同一个 ${s.env}（指纹应为 ${s.fingerprint}），否则已印制的投票条/链接失效。`,
      );
    }
  }
  return { comparisons, warnings };
}
