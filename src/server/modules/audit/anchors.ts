import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import {
  type Anchor,
  type AnchorFields,
  type AnchorReason,
  anchorMessage,
  formatAnchor,
  parseAnchors,
} from '../../../domain/audit-anchor';
import { type DbOrTx, queryRows } from '../../db/connect';

/**
 * Anchors of the audit chain outside the database (decision 016). The signing key is an Ed25519 key pair that is not
 * the chain key: whoever holds only the database (a DBA, a stolen dump) can neither re-seal rows (no chain key) nor
 * re-sign anchors, and an auditor checks anchors with the public key alone. Whoever holds the app machine holds both
 * keys; against them only copies of anchors kept elsewhere (the printed export) help — see the decision.
 */

/** The sheet of the auditor's export that holds anchors (export-audit.ts). */
export const ANCHOR_SHEET = '审计链锚点';

export interface AnchorPaths {
  dataDir: string;
  /** Private key (PKCS#8 PEM); default DATA_DIR/audit-anchor.key (a *.key file, so backups carry it). */
  keyFile?: string;
  /** Append-only anchor log; default DATA_DIR/audit-anchors.log. */
  logFile?: string;
}

export const anchorKeyFile = (p: AnchorPaths) => path.resolve(p.keyFile ?? path.join(p.dataDir, 'audit-anchor.key'));
export const anchorPublicKeyFile = (p: AnchorPaths) => path.join(path.resolve(p.dataDir), 'audit-anchor.pub');
export const anchorLogFile = (p: AnchorPaths) => path.resolve(p.logFile ?? path.join(p.dataDir, 'audit-anchors.log'));

/** Fingerprint of a public key: SHA-256 of its SubjectPublicKeyInfo, 16 hex. Printed in exports to pin the key. */
export const anchorKeyId = (publicKey: KeyObject) =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

export interface AnchorSigner {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  source: 'file' | 'generated';
}

function ed25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`审计锚点密钥 ${file} 不是 Ed25519 密钥`);
  return key;
}

/**
 * The signing key: read, or generated once (file created with 'wx', mode 0600, so processes starting together agree).
 * The public key is written beside it as audit-anchor.pub for auditors to copy.
 */
export function loadAnchorSigner(p: AnchorPaths): AnchorSigner {
  const file = anchorKeyFile(p);
  let source: AnchorSigner['source'] = 'file';
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
      chmodSync(file, 0o600);
      source = 'generated';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = ed25519(createPrivateKey(readFileSync(file)), file);
  } catch (e) {
    throw new Error(`审计锚点签名密钥 ${file} 无法读取：${e instanceof Error ? e.message : e}`);
  }
  const publicKey = createPublicKey(privateKey);
  const pub = anchorPublicKeyFile(p);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  if (!existsSync(pub) || readFileSync(pub, 'utf8') !== pem) {
    mkdirSync(path.dirname(pub), { recursive: true });
    writeFileSync(pub, pem, { mode: 0o644 });
  }
  return { privateKey, publicKey, keyId: anchorKeyId(publicKey), source };
}

/**
 * The key that checks anchors, for the verifier: a public key file given explicitly (an auditor's own copy), else
 * derived from the private key, else DATA_DIR/audit-anchor.pub. Never generates one. Null when none exists.
 */
export function loadAnchorPublicKey(
  p: AnchorPaths,
  publicKeyFile?: string,
): { publicKey: KeyObject; keyId: string; file: string } | null {
  const candidates: Array<[string, 'public' | 'private']> = publicKeyFile
    ? [[path.resolve(publicKeyFile), 'public']]
    : [
        [anchorKeyFile(p), 'private'],
        [anchorPublicKeyFile(p), 'public'],
      ];
  for (const [file, kind] of candidates) {
    if (!existsSync(file)) {
      if (publicKeyFile) throw new Error(`未找到锚点公钥文件 ${file}`);
      continue;
    }
    const text = readFileSync(file);
    const publicKey = ed25519(
      kind === 'private' ? createPublicKey(createPrivateKey(text)) : createPublicKey(text),
      file,
    );
    return { publicKey, keyId: anchorKeyId(publicKey), file };
  }
  return null;
}

interface Head {
  seq: number;
  hash: string;
  head: number;
  rows: number;
}

/**
 * The last sealed row, the lowest seq and the rows up to it, in one statement (one snapshot). A row without a hash
 * is never anchored: it proves nothing and the verifier reports it anyway.
 */
export async function readChainHead(db: DbOrTx): Promise<Head | null> {
  const [r] = await queryRows<{ seq: string | number; hash: string; head: string | number; rows: string | number }>(
    db,
    sql`
    select t.seq, t.hash, (select min(seq) from audit_log) as head,
           (select count(*) from audit_log where seq <= t.seq) as rows
    from (select seq, hash from audit_log where hash is not null order by seq desc limit 1) t`,
  );
  return r ? { seq: Number(r.seq), hash: r.hash, head: Number(r.head), rows: Number(r.rows) } : null;
}

export function signAnchor(signer: AnchorSigner, fields: Omit<AnchorFields, 'key'>): string {
  const full: AnchorFields = { ...fields, key: signer.keyId };
  return formatAnchor(full, sign(null, Buffer.from(anchorMessage(full), 'utf8'), signer.privateKey).toString('base64'));
}

/** Appends one line and flushes it to disk before returning (a shutdown anchor must survive the power going off next). */
export async function appendAnchorLine(file: string, line: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const fh = await open(file, 'a', 0o640);
  try {
    await fh.appendFile(`${line}\n`, 'utf8');
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

export interface AnchorProblem {
  seq: number;
  message: string;
}

export interface LoadedAnchors {
  /** Anchors whose signature holds, in the order read. */
  anchors: Anchor[];
  /** Malformed lines, bad signatures, anchors signed by another key. */
  problems: AnchorProblem[];
  sources: string[];
  keyId: string | null;
}

async function readAnchorSource(file: string): Promise<string> {
  if (/\.xlsx$/i.test(file)) {
    // The auditor's export: anchors sit one per cell on the anchor sheet (the log sheet holds user-typed text,
    // which must not pass for an anchor).
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet(ANCHOR_SHEET);
    if (!ws) throw new Error(`没有“${ANCHOR_SHEET}”工作表`);
    const lines: string[] = [];
    ws.eachRow((row) => row.eachCell((cell) => lines.push(String(cell.text ?? ''))));
    return lines.join('\n');
  }
  return readFile(file, 'utf8');
}

/** Reads and checks the anchors in the given files (log, export, copies); a missing file is a problem, not a pass. */
export async function loadAnchors(
  files: string[],
  key: { publicKey: KeyObject; keyId: string } | null,
): Promise<LoadedAnchors> {
  const out: LoadedAnchors = { anchors: [], problems: [], sources: files, keyId: key?.keyId ?? null };
  for (const file of files) {
    let text: string;
    try {
      text = await readAnchorSource(file);
    } catch (e) {
      out.problems.push({
        seq: 0,
        message: `锚点文件 ${file} 无法读取（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）`,
      });
      continue;
    }
    const parsed = parseAnchors(text, file);
    for (const m of parsed.malformed) {
      out.problems.push({
        seq: 0,
        message: `${path.basename(file)} 第 ${m.lineNo} 行：锚点格式无效（被改动或截断）：${m.text}`,
      });
    }
    for (const a of parsed.anchors) {
      const where = `${path.basename(a.source)} 第 ${a.lineNo} 行`;
      if (!key) {
        out.problems.push({ seq: a.seq, message: `${where}：没有锚点公钥，无法核验签名` });
      } else if (a.key !== key.keyId) {
        out.problems.push({
          seq: a.seq,
          message: `${where}：锚点由另一把密钥签名（指纹 ${a.key}，本机公钥指纹 ${key.keyId}）`,
        });
      } else if (!verify(null, Buffer.from(anchorMessage(a), 'utf8'), key.publicKey, Buffer.from(a.sig, 'base64'))) {
        out.problems.push({ seq: a.seq, message: `${where}：锚点签名无效（锚点被改动）` });
      } else {
        out.anchors.push(a);
      }
    }
  }
  return out;
}

export interface AuditAnchorConfig extends AnchorPaths {
  /** How often the head is anchored while it changes; also at start, on shutdown and at every auditor export. */
  intervalMs: number;
}

/**
 * Writes anchors for one app process: at start, every interval while the chain grows, on shutdown and on demand
 * (the auditor's export). Writes are queued so two never interleave; a failure is logged, never fatal to a request.
 */
export class AuditAnchors {
  readonly signer: AnchorSigner;
  readonly logFile: string;
  private last: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DbOrTx,
    readonly config: AuditAnchorConfig,
    private readonly now: () => Date,
  ) {
    this.signer = loadAnchorSigner(config);
    this.logFile = anchorLogFile(config);
  }

  /** Anchors the current head; `force` writes even when it is the one this process anchored last (the export prints it). */
  write(reason: AnchorReason, force = false): Promise<string | null> {
    const run = this.queue.then(async () => {
      const head = await readChainHead(this.db);
      if (!head) return null;
      const id = `${head.seq}:${head.hash}`;
      if (!force && id === this.last) return null;
      const line = signAnchor(this.signer, { ...head, at: this.now(), reason });
      await appendAnchorLine(this.logFile, line);
      this.last = id;
      return line;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  start(onError: (err: unknown) => void) {
    this.timer = setInterval(() => void this.write('interval').catch(onError), this.config.intervalMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.write('shutdown', true);
  }

  /** The anchors this process's log holds, checked with its own key (the auditor's check in the UI, the export). */
  load(): Promise<LoadedAnchors> {
    return loadAnchors(existsSync(this.logFile) ? [this.logFile] : [], this.signer);
  }
}
