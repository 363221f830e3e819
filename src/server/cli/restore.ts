// `npm run restore -- [--force] <file>` onto the DATABASE_URL / DATA_DIR the server would use; `--verify` only checks
// the file (after copying it off the machine, or before a restore drill).
import { BackupError } from '../backup/archive';
import { openBackup, restoreBackup } from '../backup/restore';
import { describeStore, storeFromEnv } from '../backup/store';

const USAGE =
  '用法：npm run restore -- [--force] <备份文件>\n      npm run restore -- --verify <备份文件>（只校验文件，不恢复）';

async function main(argv: string[]) {
  let force = false;
  let verify = false;
  const files: string[] = [];
  for (const a of argv) {
    if (a === '--force') force = true;
    else if (a === '--verify') verify = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else if (a.startsWith('-')) throw new BackupError(`无法识别的参数：${a}\n${USAGE}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new BackupError(`请给出一个备份文件\n${USAGE}`);
  if (verify) {
    const b = openBackup(files[0]!);
    const m = b.manifest;
    console.log(`备份文件完好：${files[0]}`);
    console.log(
      `创建于 ${m.createdAt}，程序版本 ${m.app.version}${m.app.commit ? `（${m.app.commit}）` : ''}，数据库 ${m.engine.serverVersion.split(' on ')[0]}`,
    );
    console.log(
      `共 ${m.database.tables.length} 张表 ${m.database.tables.reduce((n, t) => n + t.rows, 0)} 行；迁移 ${m.database.migration.applied} 个，最新 ${m.database.migration.last ?? '无'}`,
    );
    console.log(
      `密钥：${m.secrets.map((s) => `${s.name}（${s.source === 'file' ? '已包含' : `来自环境变量 ${s.env}，未包含`}）`).join('、') || '无'}`,
    );
    return 0;
  }
  const store = storeFromEnv();
  console.log(`述评考恢复：${files[0]} → ${describeStore(store)}${force ? '（--force：替换现有数据）' : ''}`);
  const r = await restoreBackup({ store, file: files[0]!, force, log: (l) => console.log(l) });
  console.log('\n逐表核对（备份清单 → 恢复后重新计算）：');
  const width = Math.max(...r.comparisons.map((c) => c.item.length));
  for (const c of r.comparisons) {
    console.log(
      `${c.ok ? '  一致  ' : '✗ 不一致'} ${c.item.padEnd(width)}  ${c.ok ? c.actual : `备份 ${c.expected} / 恢复后 ${c.actual}`}`,
    );
  }
  for (const w of r.warnings) console.log(`⚠ ${w}`);
  const bad = r.comparisons.filter((c) => !c.ok).length;
  const rows = r.restored.tables.reduce((n, t) => n + t.rows, 0);
  if (bad) {
    console.error(
      `\n恢复完成但有 ${bad} 项与备份清单不符（用时 ${r.seconds.toFixed(1)} 秒）。请勿启动服务，保留备份文件并检查上面标 ✗ 的项。`,
    );
    return 1;
  }
  console.log(
    `\n恢复完成：${r.restored.tables.length} 张表 ${rows} 行，行数与校验和全部一致，用时 ${r.seconds.toFixed(1)} 秒。`,
  );
  console.log('⚠ 数据目录中已写入备份带来的密钥文件，请确认其权限为 0600。');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`恢复失败：${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
