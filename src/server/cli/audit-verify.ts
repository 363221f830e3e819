/**
 * `npm run audit:verify [-- --anchor SEQ:HASH] [--json]` — checks the audit chain of the configured database
 * (decision 013). Exit 0: intact; 1: broken (first broken seq and reason printed); 2: could not check.
 */
import { verifyAuditChain } from '../modules/audit/verify-chain';
import { openConfigured } from './db-from-env';

const REASONS: Record<string, string> = {
  gap: '缺号', prev_mismatch: '前序哈希不符', hash_mismatch: '哈希不符', unsealed: '未封链', unknown_alg: '未知算法', head_missing: '链首缺失',
};

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const a = args.indexOf('--anchor');
  let anchor: { seq: number; hash: string } | undefined;
  if (a >= 0) {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(args[a + 1] ?? '');
    if (!m) throw new Error('--anchor 的格式为 序号:64位十六进制哈希');
    anchor = { seq: Number(m[1]), hash: m[2]! };
  }
  const { database, where } = await openConfigured();
  const started = Date.now();
  try {
    const r = await verifyAuditChain(database.db, { anchor });
    const ms = Date.now() - started;
    if (json) {
      console.log(JSON.stringify({ ...r, ms }));
    } else {
      console.log(`审计链校验（${where}）：已检查 ${r.checked} 条，序号 ${r.head ?? '-'}–${r.tail?.seq ?? '-'}，用时 ${ms} ms`);
      console.log(`算法：${Object.entries(r.algs).map(([k, v]) => `${k}×${v}`).join('，') || '-'}`);
      if (r.checkpoint) console.log(`链首经保留期清理：序号 1–${r.checkpoint.throughSeq} 已清理，检查点为序号 ${r.checkpoint.atSeq}`);
      if (r.tail) console.log(`链尾锚点（可记下，下次用 --anchor ${r.tail.seq}:${r.tail.hash} 检查链尾未被截断）`);
      if (r.ok) console.log('结果：完整');
      else {
        const first = r.breaks[0]!;
        console.log(`结果：断裂，共 ${r.breakCount} 处；首个断点 序号 ${first.seq}（${first.reason} ${REASONS[first.reason]}）：${first.message}`);
        for (const b of r.breaks.slice(1)) console.log(`  序号 ${b.seq}（${b.reason}）：${b.message}`);
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
