import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type KeySource = 'env' | 'file' | 'generated';

/**
 * A 32-byte key: the 64-hex value from the environment wins (required in production, checked by env.ts);
 * otherwise it is generated once into DATA_DIR/<fileName> (0600) and reused on every later start. Used by the
 * ballot code key and the audit chain key, which must both survive restarts and be shared by all processes.
 */
export function loadHexKey(opts: {
  envValue?: string;
  dataDir: string;
  fileName: string;
  label: string;
  create?: boolean;
}): { key: Buffer; source: KeySource } {
  if (opts.envValue) return { key: Buffer.from(opts.envValue, 'hex'), source: 'env' };
  const dir = path.resolve(opts.dataDir);
  const file = path.join(dir, opts.fileName);
  let source: KeySource = 'file';
  if (!existsSync(file)) {
    // A checking tool must not invent a key: every row would then simply look forged.
    if (opts.create === false) throw new Error(`未找到${opts.label}：既没有设置环境变量，也没有文件 ${file}`);
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
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`${opts.label}文件 ${file} 内容无效（应为64位十六进制字符）`);
  return { key: Buffer.from(text, 'hex'), source };
}
