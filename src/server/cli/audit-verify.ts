/**
 * `npm run audit:verify [-- --anchors FILE]… [--public-key FILE] [--anchor SEQ:HASH] [--json]` — checks the audit
 * chain of the configured database (decision 013) and every anchor kept outside it (decision 016): the anchor log
 * under DATA_DIR by default, or the files given (copies, the auditor's .xlsx export). Exit 0: intact; 1: broken (each
 * break printed with its seq and reason); 2: could not check.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CHAIN_BREAK_LABELS, type ChainBreakReason } from '../../domain/audit-chain';
import { anchorLogFile, type AnchorPaths, loadAnchorPublicKey, loadAnchors } from '../modules/audit/anchors';
import { verifyAuditChain } from '../modules/audit/verify-chain';
import { openConfigured } from './db-from-env';

function values(args: string[], name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a !== name) return;
    const v = args[i + 1];
    if (!v || v.startsWith('--')) throw new Error(`${name} 后面需要一个值`);
    out.push(v);
  });
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  let anchor: { seq: number; hash: string } | undefined;
  const [hand] = values(args, '--anchor');
  if (hand !== undefined) {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(hand);
    if (!m) throw new Error('--anchor 的格式为 序号:64位十六进制哈希');
    anchor = { seq: Number(m[1]), hash: m[2]! };
  }
  const paths: AnchorPaths = {
    dataDir: path.resolve(process.env.DATA_DIR || './data'),
    keyFile: process.env.AUDIT_ANCHOR_KEY_FILE || undefined,
    logFile: process.env.AUDIT_ANCHOR_LOG || undefined,
  };
  const given = values(args, '--anchors').map((f) => path.resolve(f));
  const [publicKeyFile] = values(args, '--public-key');
  const key = loadAnchorPublicKey(paths, publicKeyFile);
  // Anchoring is in use once the app has made its key or written its log, or when anchor files are named: then missing
  // anchors, or anchors without the key to check them, are breaks.
  const files = given.length ? given : existsSync(anchorLogFile(paths)) ? [anchorLogFile(paths)] : [];
  const anchors = key || files.length ? await loadAnchors(files, key) : undefined;

  const { database, where } = await openConfigured();
  const started = Date.now();
  try {
    const r = await verifyAuditChain(database.db, { anchor, anchors });
    const ms = Date.now() - started;
    if (json) {
      console.log(JSON.stringify({ ...r, anchorFiles: files, ms }));
    } else {
      console.log(
        `审计链校验（${where}）：已检查 ${r.checked} 条，序号 ${r.head ?? '-'}–${r.tail?.seq ?? '-'}，用时 ${ms} ms`,
      );
      console.log(
        `算法：${
          Object.entries(r.algs)
            .map(([k, v]) => `${k}×${v}`)
            .join('，') || '-'
        }`,
      );
      if (r.checkpoint)
        console.log(`链首经保留期清理：序号 1–${r.checkpoint.throughSeq} 已清理，检查点为序号 ${r.checkpoint.atSeq}`);
      if (!r.anchors) {
        console.log('锚点：未使用（没有锚点密钥，也没有用 --anchors 指定文件）——无法发现链尾被截断');
      } else {
        const a = r.anchors;
        console.log(
          `锚点：${files.length ? files.join('，') : '（无锚点文件）'}；公钥指纹 ${a.keyId ?? '-'}；有效锚点 ${a.total} 个${a.purged ? `（其中 ${a.purged} 个位于已清理的链首）` : ''}`,
        );
        if (a.lastSeq !== null)
          console.log(
            `最近锚点：序号 ${a.lastSeq}（${a.lastAt}）${a.unanchoredFrom ? `；序号 ${a.unanchoredFrom} 起的记录尚未锚定` : ''}`,
          );
      }
      if (r.tail) console.log(`链尾：序号 ${r.tail.seq}，哈希 ${r.tail.hash ?? '（无）'}`);
      if (r.ok) console.log('结果：完整');
      else {
        const label = (b: (typeof r.breaks)[number]) =>
          `序号 ${b.seq}（${b.reason} ${CHAIN_BREAK_LABELS[b.reason as ChainBreakReason]}）：${b.message}`;
        console.log(
          `结果：断裂，共 ${r.breakCount} 处（${Object.entries(r.reasons)
            .map(([k, v]) => `${CHAIN_BREAK_LABELS[k as ChainBreakReason]}×${v}`)
            .join('，')}）；首个断点 ${label(r.breaks[0]!)}`,
        );
        for (const b of r.breaks.slice(1)) console.log(`  ${label(b)}`);
        if (r.breakCount > r.breaks.length) console.log(`  ……另有 ${r.breakCount - r.breaks.length} 处未列出`);
      }
    }
    process.exitCode = r.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(`无法校验：${err instanceof Error ? err.message : err}`);
  process.exit(2);
});
