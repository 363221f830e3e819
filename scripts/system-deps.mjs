// The machine packages the tests need beyond npm: PostgreSQL 15 (the integration suite runs on it too), Chromium and
// the Noto CJK fonts (e2e, so Chinese renders). One list for `npm test` (scripts/test.mjs) and `.ci/run`; run alone as
// `node scripts/system-deps.mjs [--no-e2e]`. As root the missing packages are installed with apt-get; otherwise the
// exact command is printed and the run stops.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Debian package → how to tell it is there. */
const PACKAGES = [
  { name: 'postgresql', what: 'PostgreSQL 15', present: () => existsSync(`${PG_BIN}/initdb`), e2eOnly: false },
  { name: 'chromium', what: 'Chromium', present: () => existsSync('/usr/bin/chromium'), e2eOnly: true },
  { name: 'fonts-noto-cjk', what: 'Noto CJK fonts', present: hasCjkFont, e2eOnly: true },
];

function hasCjkFont() {
  try {
    return /Noto Sans CJK/i.test(
      execFileSync('fc-list', [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
  } catch {
    return false; // no fontconfig yet: fonts-noto-cjk brings it
  }
}

/** Names of the packages still missing (Chromium and fonts only when the e2e suite will run). */
export function missingPackages({ e2e = true } = {}) {
  return PACKAGES.filter((p) => (e2e || !p.e2eOnly) && !p.present());
}

/** Installs what is missing when running as root; returns false (after saying what to run) when it cannot. */
export function ensureSystemDeps({ e2e = true } = {}) {
  const missing = missingPackages({ e2e });
  if (missing.length === 0) return true;
  const names = missing.map((p) => p.name);
  const command = `apt-get update && apt-get install -y ${names.join(' ')}`;
  console.log(`缺少 ${missing.map((p) => p.what).join('、')}（Debian 软件包 ${names.join(' ')}）`);
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.error(`请以 root 身份安装后重试：sudo sh -c '${command}'`);
    return false;
  }
  console.log(`正在安装：${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ok = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  if (!ok(['update', '-qq']) || !ok(['install', '-y', '-qq', ...names])) {
    console.error(`安装失败，请手动运行：${command}`);
    return false;
  }
  const still = missingPackages({ e2e });
  if (still.length) console.error(`安装后仍缺少：${still.map((p) => p.what).join('、')}`);
  return still.length === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(ensureSystemDeps({ e2e: !process.argv.includes('--no-e2e') }) ? 0 : 1);
}
