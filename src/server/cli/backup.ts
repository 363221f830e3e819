// `npm run backup -- [--out <file>]`: the same DATABASE_URL / DATA_DIR as the server (docs/operations.md, decision 014).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BackupError } from '../backup/archive';
import { createBackup, defaultBackupName } from '../backup/backup';
import { describeStore, storeFromEnv } from '../backup/store';
import { mb } from './format';

async function main(argv: string[]) {
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out' || a === '-o') out = argv[++i];
    else if (a.startsWith('--out=')) out = a.slice(6);
    else if (a === '--help' || a === '-h') {
      console.log(
        '用法：npm run backup -- [--out <文件>]\n默认写入 backups/shupingkao-backup-<时间>.tar；数据库、密钥目录与附件目录取自 DATABASE_URL / DATA_DIR / FILES_DIR（与服务相同）',
      );
      return 0;
    } else throw new BackupError(`无法识别的参数：${a}（用法：npm run backup -- [--out <文件>]）`);
  }
  if (!out) {
    mkdirSync('backups', { recursive: true });
    out = path.join('backups', defaultBackupName());
  }
  const store = storeFromEnv();
  console.log(`述评考备份：${describeStore(store)}`);
  const r = await createBackup({ store, out });
  const rows = r.manifest.database.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`已写入 ${r.file}（${mb(r.bytes)} MB，用时 ${r.seconds.toFixed(1)} 秒）`);
  console.log(
    `共 ${r.manifest.database.tables.length} 张表 ${rows} 行；迁移 ${r.manifest.database.migration.applied} 个，最新 ${r.manifest.database.migration.last ?? '无'}`,
  );
  const a = r.manifest.attachments;
  if (a) {
    console.log(`已包含附件文件 ${a.referenced - a.missing.length} 个（${mb(a.bytes)} MB，取自 ${store.filesDir}）`);
    if (a.missing.length)
      console.log(
        `⚠ 警告：数据库中记录的 ${a.missing.length} 个附件文件在附件目录中不存在（如 ${a.missing[0]}），未能备份；请检查 FILES_DIR 是否正确`,
      );
  }
  for (const s of r.manifest.secrets) {
    console.log(
      s.source === 'file'
        ? `已包含密钥文件 ${s.name}（指纹 ${s.fingerprint}）`
        : `密钥 ${s.name} 来自环境变量 ${s.env}，未写入备份（指纹 ${s.fingerprint}）：请在密码保管处另行保存该变量`,
    );
  }
  console.log(
    '\n⚠ 警告：此备份文件包含机密——投票码密钥等密钥文件以及全部数据（含账号口令散列）。' +
      '拿到它的人可以核对和伪造投票码、改写审计链而不被发现。请按密钥对待：权限 0600，异地保存前先加密（如 gpg -c 或 age），不要放在网盘或邮件里。',
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`备份失败：${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
